//! Where the project sets and uses each variable: the assignments of its env files,
//! Compose `environment:`, Kubernetes `env:` and workflow `env:` blocks (templates
//! excepted: a `.env.example` sets nothing a program reads), and the `${NAME}` uses in
//! Compose and workflow values. Built on first use, from the files the walk found, with
//! open buffers in place of their file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keylint_core::assignment::{Assignment, Origin, ParsedFile, env_assignment_names};
use keylint_core::line_index::LineIndex;
use keylint_core::source::{FileKind, is_template_by_name, kind_by_name};
use keylint_core::uses::yaml_uses;
use rayon::prelude::*;

use crate::files::{FileText, MAX_FILE_BYTES, read_text};

/// One place that sets a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetSite {
    pub path: PathBuf,
    /// Byte range of the name.
    pub range: std::ops::Range<usize>,
    /// 1-based line of the name.
    pub line: usize,
    pub kind: FileKind,
    /// Where in the file: an env-file line, a Compose `environment:` entry, a
    /// Kubernetes `env:` item, an `env:` mapping.
    pub origin: Origin,
    /// Compose service, Kubernetes object or workflow job, when there is one.
    pub scope: Option<String>,
    /// Its position among the file's assignments of the same name (0 for the first).
    pub occurrence: usize,
    /// How many assignments of this name the file has.
    pub occurrences: usize,
}

/// Name → where it is set.
pub type Setters = HashMap<String, Vec<SetSite>>;

/// One place that uses a variable by name: `${NAME}` or `$NAME` in a Compose or workflow
/// value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseSite {
    pub path: PathBuf,
    /// Byte range of the name.
    pub range: std::ops::Range<usize>,
    /// 1-based line of the name.
    pub line: usize,
    pub kind: FileKind,
}

/// Name → where it is used.
pub type Uses = HashMap<String, Vec<UseSite>>;

/// What the project's config files say about each name.
#[derive(Clone, Debug, Default)]
pub struct ConfigNames {
    pub sets: Setters,
    pub uses: Uses,
}

impl ConfigNames {
    fn extend(&mut self, other: ConfigNames) {
        for (name, sites) in other.sets {
            self.sets.entry(name).or_default().extend(sites);
        }
        for (name, sites) in other.uses {
            self.uses.entry(name).or_default().extend(sites);
        }
    }
}

/// The assignments of a file that set a variable: Secret `data:` keys name files in a
/// volume or `secretKeyRef` keys, not variables.
fn settings(parsed: &ParsedFile) -> impl Iterator<Item = &Assignment> {
    parsed.assignments.iter().filter(|assignment| {
        !matches!(
            assignment.origin,
            Origin::SecretData | Origin::SecretStringData
        )
    })
}

/// The assignments and uses of one file's text, by name.
#[must_use]
pub fn names_of(path: &Path, kind: FileKind, text: &str) -> ConfigNames {
    let parsed = ParsedFile::parse(kind, text);
    let index = LineIndex::new(text);
    let line = |offset: usize| index.line_of(offset) + 1;
    let mut found = ConfigNames::default();
    for assignment in settings(&parsed) {
        found
            .sets
            .entry(assignment.name.to_string())
            .or_default()
            .push(SetSite {
                path: path.to_path_buf(),
                range: assignment.name_range.clone(),
                line: line(assignment.name_range.start),
                kind: parsed.kind,
                origin: assignment.origin.clone(),
                scope: assignment.scope.clone(),
                occurrence: 0,
                occurrences: 0,
            });
    }
    for sites in found.sets.values_mut() {
        let count = sites.len();
        for (occurrence, site) in sites.iter_mut().enumerate() {
            site.occurrence = occurrence;
            site.occurrences = count;
        }
    }
    if let (FileKind::Compose | FileKind::Workflow, Some(yaml)) = (parsed.kind, &parsed.yaml) {
        for used in yaml_uses(text, yaml) {
            found.uses.entry(used.name).or_default().push(UseSite {
                path: path.to_path_buf(),
                line: line(used.range.start),
                range: used.range,
                kind: parsed.kind,
            });
        }
    }
    found
}

/// Whether the names a file assigns count as set: env and YAML files that are not
/// templates.
#[must_use]
pub fn sets_variables(path: &Path) -> Option<FileKind> {
    let shown = path.to_string_lossy();
    if is_template_by_name(&shown) {
        return None;
    }
    kind_by_name(&shown)
}

/// The text of a file whose assignments count as set (read from the disk).
fn setting_file(path: &Path) -> Option<(FileKind, String)> {
    let kind = sets_variables(path)?;
    let FileText::Text(text) = read_text(path, MAX_FILE_BYTES).ok()? else {
        return None;
    };
    Some((kind, text))
}

/// Every setting and use of every file in `paths` (read from the disk).
#[must_use]
pub fn names_of_files(paths: &[PathBuf]) -> ConfigNames {
    let per_file: Vec<ConfigNames> = paths
        .par_iter()
        .filter_map(|path| {
            let (kind, text) = setting_file(path)?;
            Some(names_of(path, kind, &text))
        })
        .collect();
    let mut all = ConfigNames::default();
    for file in per_file {
        all.extend(file);
    }
    all
}

/// The names [`names_of_files`] finds set, without the sites and the uses: what a lint
/// asks (is this name set anywhere?) at a fraction of the memory and time on a big tree.
#[must_use]
pub fn names_set_in_files(paths: &[PathBuf]) -> HashSet<String> {
    paths
        .par_iter()
        .filter_map(|path| setting_file(path))
        .fold(HashSet::new, |mut names, (kind, text)| {
            add_names_set(&mut names, kind, &text);
            names
        })
        .reduce(HashSet::new, |mut all, names| {
            all.extend(names);
            all
        })
}

/// Adds the names a file of `kind` sets to `names`.
pub(crate) fn add_names_set(names: &mut HashSet<String>, kind: FileKind, text: &str) {
    // Most names recur from file to file: copy only the new ones.
    names_set(kind, text, |name| {
        if !names.contains(name) {
            names.insert(name.to_string());
        }
    });
}

/// The names of [`settings`] of a file, each given to `each`: for an env file from its
/// syntax alone, without the model a lint needs.
fn names_set(kind: FileKind, text: &str, mut each: impl FnMut(&str)) {
    match kind {
        FileKind::EnvFile => env_assignment_names(text).into_iter().for_each(each),
        _ => settings(&ParsedFile::parse(kind, text)).for_each(|assignment| each(&assignment.name)),
    }
}

/// `names` with the files of `open` replaced by their buffers' text.
#[must_use]
pub fn with_open_buffers(names: &ConfigNames, open: &[(&PathBuf, &Arc<str>)]) -> ConfigNames {
    let is_open = |path: &Path| {
        open.iter()
            .any(|(open_path, _)| open_path.as_path() == path)
    };
    let mut merged = ConfigNames {
        sets: without(&names.sets, |site| is_open(&site.path)),
        uses: without(&names.uses, |site| is_open(&site.path)),
    };
    for (path, text) in open {
        if let Some(kind) = sets_variables(path) {
            merged.extend(names_of(path, kind, text));
        }
    }
    merged
}

/// `sites` without those `drop` picks (and without names left with none).
fn without<T: Clone>(
    sites: &HashMap<String, Vec<T>>,
    drop: impl Fn(&T) -> bool,
) -> HashMap<String, Vec<T>> {
    sites
        .iter()
        .filter_map(|(name, sites)| {
            let kept: Vec<T> = sites.iter().filter(|site| !drop(site)).cloned().collect();
            (!kept.is_empty()).then(|| (name.clone(), kept))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap reading of the names a file sets gives those of the full parse, in order,
    /// on every kind of line and document.
    #[test]
    fn names_set_are_those_of_the_parse() {
        let cases = [
            (
                FileKind::EnvFile,
                "A=1\nexport B='2'\n  C = \"3\" # note\nD:4\nE: 5\n# F=6\n\nG\n=7\nH=\"multi\nI=line\"\nJ='open\nK=`tick`x\r\nexport\nexport  L=\u{a0}é\r\u{feff}M=9",
            ),
            (
                FileKind::EnvFile,
                "\u{feff}export N=\"a\\\"b\" extra\nO=\"\nP=1",
            ),
            (FileKind::EnvFile, ""),
            (
                FileKind::Compose,
                "x-env: &env\n  SHARED: 1\nservices:\n  app:\n    environment:\n      - A=1\n      - \"B=2\"\n      - BARE\n  worker:\n    environment:\n      <<: *env\n      C: 3\n      'D': null\n",
            ),
            (
                FileKind::OtherYaml,
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  FILE_KEY: eA==\nstringData:\n  STRING_KEY: x\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: E\n              value: \"1\"\n            - name: F\n              valueFrom: {}\n",
            ),
            (
                FileKind::Workflow,
                "on: push\nenv:\n  G: 1\njobs:\n  build:\n    env:\n      H: ${{ secrets.H }}\n      NESTED: {a: 1}\n    steps:\n      - run: echo\n        env:\n          \"I\": x\n",
            ),
            (FileKind::Compose, "services: [unclosed\n"),
        ];
        for (kind, text) in cases {
            let mut cheap = Vec::new();
            names_set(kind, text, |name| cheap.push(name.to_string()));
            let parsed = ParsedFile::parse(kind, text);
            let full: Vec<String> = settings(&parsed)
                .map(|assignment| assignment.name.to_string())
                .collect();
            assert_eq!(cheap, full, "{kind:?}: {text:?}");
        }
    }

    /// The names-only pass answers as the sites do: templates and Secret `data:` keys
    /// set nothing, env and YAML assignments do.
    #[test]
    fn names_set_are_the_names_of_the_sites() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let files = [
            (".env", "A=1\nexport B='2'\n"),
            (".env.example", "TEMPLATE_ONLY=x\n"),
            (
                "compose.yaml",
                "services:\n  app:\n    environment:\n      - C=3\n      - D=4\n",
            ),
            (
                "secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  FILE_KEY: eA==\n",
            ),
        ];
        let paths: Vec<PathBuf> = files
            .iter()
            .map(|(name, text)| {
                let path = dir.path().join(name);
                std::fs::write(&path, text).expect("written");
                path
            })
            .collect();
        let names = names_set_in_files(&paths);
        let from_sites: HashSet<String> = names_of_files(&paths).sets.into_keys().collect();
        assert_eq!(names, from_sites);
        let mut sorted: Vec<&str> = names.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        assert_eq!(sorted, ["A", "B", "C", "D"]);
    }
}

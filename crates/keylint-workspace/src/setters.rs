//! Where the project sets each variable: the assignments of its env files, Compose
//! `environment:`, Kubernetes `env:` and workflow `env:` blocks (templates excepted: a
//! `.env.example` sets nothing a program reads). Built on first use, from the files the
//! walk found, with open buffers in place of their file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keylint_core::assignment::{Origin, ParsedFile};
use keylint_core::line_index::LineIndex;
use keylint_core::source::{FileKind, is_template_by_name, kind_by_name};
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
    /// Compose service, Kubernetes object or workflow job, when there is one.
    pub scope: Option<String>,
    /// Its position among the file's assignments of the same name (0 for the first).
    pub occurrence: usize,
    /// How many assignments of this name the file has.
    pub occurrences: usize,
}

/// Name → where it is set.
pub type Setters = HashMap<String, Vec<SetSite>>;

/// The assignments of one file's text, by name.
#[must_use]
pub fn sites_of(path: &Path, kind: FileKind, text: &str) -> Setters {
    let parsed = ParsedFile::parse(kind, text);
    let index = LineIndex::new(text);
    let mut found: Setters = HashMap::new();
    for assignment in &parsed.assignments {
        // Secret `data:` keys name files in a volume or `secretKeyRef` keys.
        if matches!(
            assignment.origin,
            Origin::SecretData | Origin::SecretStringData
        ) {
            continue;
        }
        found
            .entry(assignment.name.clone())
            .or_default()
            .push(SetSite {
                path: path.to_path_buf(),
                range: assignment.name_range.clone(),
                line: index.line_of(assignment.name_range.start) + 1,
                kind: parsed.kind,
                scope: assignment.scope.clone(),
                occurrence: 0,
                occurrences: 0,
            });
    }
    for sites in found.values_mut() {
        let count = sites.len();
        for (occurrence, site) in sites.iter_mut().enumerate() {
            site.occurrence = occurrence;
            site.occurrences = count;
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

/// Every setting of every file in `paths` (read from the disk).
#[must_use]
pub fn setters_of_files(paths: &[PathBuf]) -> Setters {
    let per_file: Vec<Setters> = paths
        .par_iter()
        .filter_map(|path| {
            let kind = sets_variables(path)?;
            let FileText::Text(text) = read_text(path, MAX_FILE_BYTES).ok()? else {
                return None;
            };
            Some(sites_of(path, kind, &text))
        })
        .collect();
    let mut all: Setters = HashMap::new();
    for file in per_file {
        for (name, sites) in file {
            all.entry(name).or_default().extend(sites);
        }
    }
    all
}

/// `setters` with the files of `open` replaced by their buffers' text.
#[must_use]
pub fn with_open_buffers(setters: &Setters, open: &[(&PathBuf, &Arc<str>)]) -> Setters {
    let mut merged: Setters = setters
        .iter()
        .map(|(name, sites)| {
            let kept = sites
                .iter()
                .filter(|site| !open.iter().any(|(path, _)| **path == site.path))
                .cloned()
                .collect();
            (name.clone(), kept)
        })
        .collect();
    for (path, text) in open {
        let Some(kind) = sets_variables(path) else {
            continue;
        };
        for (name, sites) in sites_of(path, kind, text) {
            merged.entry(name).or_default().extend(sites);
        }
    }
    merged.retain(|_, sites| !sites.is_empty());
    merged
}

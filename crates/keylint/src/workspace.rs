//! The project as the core sees it: files on disk, `.gitignore` answers, and who reads
//! each env file (hints found in the tree, overridden by `--consumer`/config).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use ignore::gitignore::Gitignore;
use keylint_core::consumer::Consumer;
use keylint_core::hints::consumers_from_hints;
use keylint_core::project::{ConsumerSet, Project, normalize};

use keylint_workspace::files::read_context;

use crate::discover::Discovery;

pub struct Workspace {
    /// Hint files by path (sorted, so the files under a directory are one range).
    hints: std::collections::BTreeMap<PathBuf, String>,
    /// Hint files by their directory.
    hints_by_dir: std::collections::HashMap<PathBuf, Vec<PathBuf>>,
    gitignores: Vec<Gitignore>,
    consumer_overrides: Vec<(GlobMatcher, Consumer)>,
    /// `[consumers]` of the config: globs relative to the config's directory, weaker
    /// than `--consumer`.
    config_consumers: Vec<(GlobMatcher, Consumer)>,
    config_base: PathBuf,
    names_read: HashSet<String>,
}

impl Workspace {
    /// `consumer_overrides` from `--consumer`, then the `[consumers]` of a config file in
    /// `config_base`.
    pub fn with_config(
        discovery: &Discovery,
        consumer_overrides: &[(String, Consumer)],
        config_consumers: &[(String, Consumer)],
        config_base: &Path,
    ) -> anyhow::Result<Workspace> {
        let hints: std::collections::BTreeMap<PathBuf, String> = discovery
            .hints
            .iter()
            .filter_map(|path| Some((path.clone(), read_context(path)?)))
            .collect();
        let mut names_read = HashSet::new();
        for text in hints.values() {
            names_read.extend(keylint_core::hints::names_read(text).map(str::to_string));
        }
        let compile = |pairs: &[(String, Consumer)]| {
            pairs
                .iter()
                .map(|(glob, consumer)| Ok((Glob::new(glob)?.compile_matcher(), *consumer)))
                .collect::<anyhow::Result<Vec<_>>>()
        };
        let mut hints_by_dir: std::collections::HashMap<PathBuf, Vec<PathBuf>> =
            std::collections::HashMap::new();
        for hint in hints.keys() {
            let dir = hint.parent().unwrap_or(Path::new("")).to_path_buf();
            hints_by_dir.entry(dir).or_default().push(hint.clone());
        }
        Ok(Workspace {
            hints,
            hints_by_dir,
            gitignores: discovery.gitignores.clone(),
            consumer_overrides: compile(consumer_overrides)?,
            config_consumers: compile(config_consumers)?,
            config_base: config_base.to_path_buf(),
            names_read,
        })
    }
}

impl Project for Workspace {
    fn read(&self, path: &Path) -> Option<String> {
        read_context(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn is_ignored(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.gitignores.iter().any(|gitignore| {
            path.starts_with(gitignore.path())
                && gitignore
                    .matched_path_or_any_parents(&path, false)
                    .is_ignore()
        })
    }

    fn consumers_of(&self, path: &Path) -> ConsumerSet {
        let matching = |matchers: &[(GlobMatcher, Consumer)], path: &Path| -> Vec<Consumer> {
            matchers
                .iter()
                .filter(|(matcher, _)| {
                    matcher.is_match(path)
                        || path.file_name().is_some_and(|name| matcher.is_match(name))
                })
                .map(|(_, consumer)| *consumer)
                .collect()
        };
        let mut overrides = matching(&self.consumer_overrides, path);
        let mut evidence = "configuration";
        if overrides.is_empty() && !self.config_consumers.is_empty() {
            let absolute =
                normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
            let relative = absolute.strip_prefix(&self.config_base).unwrap_or(path);
            overrides = matching(&self.config_consumers, relative);
            evidence = "keylint.toml";
        }
        if !overrides.is_empty() {
            let mut set = ConsumerSet::default();
            for consumer in overrides {
                set.add(consumer, evidence);
            }
            return set;
        }
        // Only hints in the env file's directory, below it, or in a directory above it can
        // name it: looking at every hint for every env file is quadratic on large trees.
        let env_dir = path.parent().unwrap_or(Path::new(""));
        let below = self
            .hints
            .range(env_dir.to_path_buf()..)
            .take_while(|(hint, _)| hint.starts_with(env_dir));
        let above = env_dir
            .ancestors()
            .skip(1)
            .filter_map(|dir| self.hints_by_dir.get(dir))
            .flatten()
            .filter_map(|hint| self.hints.get_key_value(hint));
        let hints: Vec<(&Path, &str)> = below
            .chain(above)
            .map(|(path, text)| (path.as_path(), text.as_str()))
            .collect();
        consumers_from_hints(path, &hints)
    }

    fn reads_name(&self, name: &str) -> bool {
        self.names_read.contains(name)
    }
}

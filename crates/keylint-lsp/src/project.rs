//! The core's [`Project`] for the server: open buffers first, then the disk.
//! Same approach as the CLI's `Workspace` (hints beside the env file, `.gitignore`
//! answers, consumer overrides from settings), but limited to what a keystroke can
//! afford: the hints are the files in the env file's own directory.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use globset::{Glob, GlobMatcher};
use ignore::gitignore::Gitignore;
use keylint_core::consumer::Consumer;
use keylint_core::hints::{consumers_from_hints, is_hint_file, names_read};
use keylint_core::project::{ConsumerSet, Project, normalize};
use keylint_workspace::files::read_context;

/// At most this many files of a directory are looked at for hints.
const MAX_HINT_FILES: usize = 200;

pub struct ServerProject {
    /// Open buffers by path: they win over the disk.
    open: HashMap<PathBuf, String>,
    /// The names the open buffers read, collected on first use: a lint asks once per
    /// assignment, and scanning every buffer each time was quadratic.
    names_read: OnceLock<HashSet<String>>,
    root: Option<PathBuf>,
    consumer_overrides: Vec<(GlobMatcher, Consumer)>,
}

impl ServerProject {
    #[must_use]
    pub fn new(
        open: HashMap<PathBuf, String>,
        root: Option<PathBuf>,
        consumers: &[(String, Consumer)],
    ) -> ServerProject {
        let consumer_overrides = consumers
            .iter()
            .filter_map(|(glob, consumer)| {
                Some((Glob::new(glob).ok()?.compile_matcher(), *consumer))
            })
            .collect();
        ServerProject {
            open,
            names_read: OnceLock::new(),
            root,
            consumer_overrides,
        }
    }

    /// Hint files for `path`: its directory's files (open buffers win), plus open
    /// buffers below it.
    fn hints(&self, path: &Path) -> Vec<(PathBuf, String)> {
        let Some(dir) = path.parent() else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut hints = Vec::new();
        for (open_path, text) in &self.open {
            if open_path.starts_with(dir) && is_hint_file(open_path) {
                seen.insert(open_path.clone());
                hints.push((open_path.clone(), text.clone()));
            }
        }
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten().take(MAX_HINT_FILES) {
                let candidate = entry.path();
                if seen.contains(&candidate) || !is_hint_file(&candidate) {
                    continue;
                }
                if let Some(text) = read_context(&candidate) {
                    hints.push((candidate, text));
                }
            }
        }
        hints.sort_by(|a, b| a.0.cmp(&b.0));
        hints
    }
}

impl Project for ServerProject {
    fn read(&self, path: &Path) -> Option<String> {
        let path = normalize(path);
        if let Some(text) = self.open.get(&path) {
            return Some(text.clone());
        }
        read_context(&path)
    }

    fn exists(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.open.contains_key(&path) || path.exists()
    }

    fn is_ignored(&self, path: &Path) -> bool {
        let path = normalize(path);
        let mut dir = path.parent();
        while let Some(current) = dir {
            let file = current.join(".gitignore");
            if file.is_file() {
                let (gitignore, _) = Gitignore::new(&file);
                if gitignore
                    .matched_path_or_any_parents(&path, false)
                    .is_ignore()
                {
                    return true;
                }
            }
            if self.root.as_deref() == Some(current) || current.join(".git").exists() {
                break;
            }
            dir = current.parent();
        }
        false
    }

    fn consumers_of(&self, path: &Path) -> ConsumerSet {
        let mut set = ConsumerSet::default();
        for (matcher, consumer) in &self.consumer_overrides {
            let relative = self
                .root
                .as_deref()
                .and_then(|root| path.strip_prefix(root).ok());
            if matcher.is_match(path)
                || relative.is_some_and(|relative| matcher.is_match(relative))
                || path.file_name().is_some_and(|name| matcher.is_match(name))
            {
                set.add(*consumer, "configuration");
            }
        }
        if set.is_known() {
            return set;
        }
        let hints = self.hints(path);
        let borrowed: Vec<(&Path, &str)> = hints
            .iter()
            .map(|(path, text)| (path.as_path(), text.as_str()))
            .collect();
        consumers_from_hints(path, &borrowed)
    }

    fn reads_name(&self, name: &str) -> bool {
        self.names_read
            .get_or_init(|| {
                self.open
                    .values()
                    .flat_map(|text| names_read(text))
                    .map(str::to_string)
                    .collect()
            })
            .contains(name)
    }
}

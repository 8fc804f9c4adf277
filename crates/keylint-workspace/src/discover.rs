//! Finding the files to lint, the hint files that tell who reads them, and the
//! `.gitignore` files that say what is committed.
//!
//! Env files are linted even when `.gitignore` lists them (they usually are, and they
//! are where the mistakes live), so the walk itself ignores no `.gitignore`; it only
//! skips vendored and generated trees.

use std::ffi::OsStr;
use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context as _, Result};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use keylint_core::hints::is_hint_file;
use keylint_core::project::{PathOrder, normalize};
use keylint_core::source::kind_by_name;

use crate::config::Configs;
use crate::listing::{Dir, Entry, Listing};
use crate::lock;

/// Directories never worth walking into.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".next",
    ".nuxt",
    ".terraform",
    ".cache",
    "bower_components",
    ".hg",
    ".svn",
    crate::write::TEMP_DIR,
];

#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to lint, in a stable order.
    pub targets: Vec<PathBuf>,
    /// Files that may say who reads an env file.
    pub hints: Vec<PathBuf>,
    /// Source files in a language keylint reads, and package manifests.
    pub code: Vec<PathBuf>,
    pub gitignores: Vec<Gitignore>,
    /// Targets found by walking that are not read, with the reason (a symlink to a file
    /// outside the walked directory).
    pub skipped: std::collections::HashMap<PathBuf, String>,
    /// Targets named on the command line (linted whatever their name, never excluded).
    pub named: std::collections::HashSet<PathBuf>,
    /// Directories given that hold no file to lint (a wrong path must not look like a pass).
    pub empty_dirs: Vec<PathBuf>,
    /// The walk stopped at its entry limit (the server's background index of a huge
    /// folder); what was found so far is kept.
    pub truncated: bool,
    /// What the walk saw of the directories it listed, for reading the tree right after.
    pub listing: Arc<Listing>,
    /// Walked files not named as files to lint, until their configs are known.
    maybe_included: Vec<(PathBuf, Option<String>)>,
}

impl Discovery {
    /// The targets keylint may read: a target the walk skipped (a symlink to a file
    /// outside the linted directory) is reported as skipped, and nothing else reads it.
    pub fn readable_targets(&self) -> impl Iterator<Item = &PathBuf> {
        self.targets
            .iter()
            .filter(|path| !self.skipped.contains_key(path.as_path()))
    }

    /// How many distinct files an index of this walk reads: the env and YAML files, the
    /// hint files, the source files and manifests.
    #[must_use]
    pub fn files_read(&self) -> usize {
        self.targets
            .iter()
            .chain(&self.hints)
            .chain(&self.code)
            .collect::<std::collections::HashSet<_>>()
            .len()
    }
}

/// Only the hints and `.gitignore` files of `dir` (not its subdirectories), for text that
/// is not on disk (`--stdin`).
pub fn context_of(dir: &Path) -> Discovery {
    let mut discovery = Discovery::default();
    walk(
        dir,
        &mut discovery,
        Some(1),
        false,
        &AtomicUsize::new(usize::MAX),
        1,
    );
    sort_paths(&mut discovery.hints);
    discovery
}

/// Walks `paths`. A file named on the command line is linted whatever its name; a walked
/// file is linted when its name says env file or YAML, or the `include` of its config
/// accepts it, unless the `exclude` of its config rejects it.
pub fn discover_with(paths: &[PathBuf], configs: &Configs) -> Result<Discovery> {
    discover_bounded(paths, configs, usize::MAX)
}

/// [`discover_with`], looking at no more than `max_entries` directory entries.
pub fn discover_bounded(
    paths: &[PathBuf],
    configs: &Configs,
    max_entries: usize,
) -> Result<Discovery> {
    let discovery = discover_on(paths, configs, max_entries, rayon::current_num_threads())?;
    if discovery.truncated && rayon::current_num_threads() > 1 {
        // Which entries a walk cut short has looked at must not depend on thread timing:
        // the same tree gives the same files on every run.
        return discover_on(paths, configs, max_entries, 1);
    }
    Ok(discovery)
}

/// [`discover_bounded`] with the directory walks on `threads` threads.
fn discover_on(
    paths: &[PathBuf],
    configs: &Configs,
    max_entries: usize,
    threads: usize,
) -> Result<Discovery> {
    let mut discovery = Discovery {
        listing: Arc::new(Listing::new()),
        ..Discovery::default()
    };
    let entries_left = AtomicUsize::new(max_entries);
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if !metadata.is_dir() {
            // A file named on the command line, special or not: reading it says what it is.
            discovery.targets.push(normalize(path));
            discovery.named.insert(normalize(path));
            // Hints and .gitignore files from the file's own directory.
            let dir = path
                .parent()
                .filter(|dir| !dir.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            walk(dir, &mut discovery, Some(1), false, &entries_left, 1);
            continue;
        }
        walk(path, &mut discovery, None, true, &entries_left, threads);
    }
    let listing = Arc::make_mut(&mut discovery.listing);
    if discovery.truncated {
        listing.forget();
    }
    listing.finish();
    let listing = &discovery.listing;
    // Their configs are looked for once the walk has listed the directories.
    for (path, skip_reason) in std::mem::take(&mut discovery.maybe_included) {
        if matches!(configs.for_listed_file(&path, listing), Ok(Some(config)) if config.include.is_match(&path))
        {
            if let Some(reason) = skip_reason {
                discovery.skipped.insert(path.clone(), reason);
            }
            discovery.targets.push(path);
        }
    }
    discovery.targets.retain(|path| {
        discovery.named.contains(path)
            || !matches!(configs.for_listed_file(path, listing), Ok(Some(config)) if config.exclude.is_match(path))
    });
    sort_paths(&mut discovery.targets);
    discovery.empty_dirs = paths
        .iter()
        .filter(|path| path.is_dir())
        .filter(|dir| {
            let dir = normalize(dir);
            !discovery
                .targets
                .iter()
                .any(|target| target.starts_with(&dir))
        })
        .cloned()
        .collect();
    sort_paths(&mut discovery.hints);
    sort_paths(&mut discovery.code);
    Ok(discovery)
}

/// Sorts normalized paths in `Path`'s order and drops repeats (the same path, the same
/// bytes).
fn sort_paths(paths: &mut Vec<PathBuf>) {
    let order = PathOrder::of(paths, PathBuf::as_path);
    paths.sort_unstable_by(|a, b| order.cmp(a, b));
    paths.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
}

/// Source code keylint reads (Python, JavaScript/TypeScript, Go, Rust, Java, C#) and the
/// package manifests that name env-file loaders.
#[must_use]
pub fn is_code_file(path: &str) -> bool {
    keylint_code::Language::from_path(path).is_some() || keylint_code::manifest::is_manifest(path)
}

/// Walks `root`, its directories read as tasks on rayon's pool when `threads` > 1 (on
/// this thread otherwise), adding what it finds to `discovery` in no particular order:
/// the caller sorts.
fn walk(
    root: &Path,
    discovery: &mut Discovery,
    max_depth: Option<usize>,
    collect_targets: bool,
    entries_left: &AtomicUsize,
    threads: usize,
) {
    // Symlinks are followed to files inside the walked directory only: a repository must
    // not make keylint read (and quote) a file elsewhere on the machine.
    let canonical_root = std::fs::canonicalize(root).ok();
    if !Listing::names_what_it_reads(root) {
        Arc::make_mut(&mut discovery.listing).forget();
    }
    let walk = Walk {
        canonical_root: canonical_root.as_deref(),
        collect_targets,
        max_depth,
        entries_left,
        quit: AtomicBool::new(false),
    };
    let Some(root) = walk.root(root, discovery) else {
        return;
    };
    if threads <= 1 {
        let mut to_read = vec![root];
        while let Some(dir) = to_read.pop() {
            walk.read(&dir, discovery, &mut to_read);
        }
        return;
    }
    // One share of the finds per thread of the pool: no lock is waited for per directory.
    let shares: Vec<Mutex<Discovery>> = (0..rayon::current_num_threads())
        .map(|_| {
            Mutex::new(Discovery {
                listing: Arc::new(discovery.listing.empty_like()),
                ..Discovery::default()
            })
        })
        .collect();
    rayon::scope(|scope| walk.read_in(scope, &shares, root));
    for share in shares {
        discovery.merge(share.into_inner().unwrap_or_else(PoisonError::into_inner));
    }
}

/// What every directory read of one walk shares.
struct Walk<'a> {
    canonical_root: Option<&'a Path>,
    collect_targets: bool,
    max_depth: Option<usize>,
    entries_left: &'a AtomicUsize,
    /// The entry limit was reached: nothing more is looked at.
    quit: AtomicBool,
}

/// A directory the walk lists.
struct DirToRead {
    /// Its normalized path.
    path: PathBuf,
    /// The path it was reached by, when not the normalized one (a link's target is
    /// resolved from it).
    walked: Option<PathBuf>,
    depth: usize,
}

impl Walk<'_> {
    /// Records the root itself (as the disk says what it is, following a link); the
    /// directory to list, if it is one.
    fn root(&self, root: &Path, found: &mut Discovery) -> Option<DirToRead> {
        let Ok(metadata) = std::fs::metadata(root) else {
            Arc::make_mut(&mut found.listing).forget();
            return None;
        };
        let path = normalize(root);
        let walked = (path.as_os_str() != root.as_os_str()).then(|| root.to_path_buf());
        let file_type = metadata.file_type();
        Arc::make_mut(&mut found.listing).add(&path, entry_kind(file_type), false);
        self.add(found, path, walked, file_type, 0)
    }

    /// Lists `dir` into `found`, adding the directories to list next to `to_read`.
    fn read(&self, dir: &DirToRead, found: &mut Discovery, to_read: &mut Vec<DirToRead>) {
        if self.quit.load(Ordering::Relaxed) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir.walked.as_deref().unwrap_or(&dir.path)) else {
            // A directory it could not list.
            Arc::make_mut(&mut found.listing).forget();
            return;
        };
        // What the directory holds, added to the listing once it is read whole.
        let mut listed = Dir::default();
        for entry in entries {
            if self.quit.load(Ordering::Relaxed) {
                return;
            }
            let Some((file_type, entry)) = entry
                .ok()
                .and_then(|entry| Some((entry.file_type().ok()?, entry)))
            else {
                // An entry it could not tell.
                Arc::make_mut(&mut found.listing).forget();
                continue;
            };
            let (path, walked) = match dir.walked {
                Some(_) => (dir.path.join(entry.file_name()), Some(entry.path())),
                None => (entry.path(), None),
            };
            // The path ends in the entry's name, which holds no separator.
            let name = path
                .as_os_str()
                .as_encoded_bytes()
                .rsplit(|&byte| std::path::is_separator(char::from(byte)))
                .next()
                .unwrap_or_default();
            if file_type.is_dir()
                && SKIPPED_DIRS
                    .iter()
                    .any(|skipped| skipped.as_bytes() == name)
            {
                // Not walked into, but an entry of a listed directory all the same.
                listed.push(name, Entry::Other);
                continue;
            }
            listed.push(name, entry_kind(file_type));
            to_read.extend(self.add(found, path, walked, file_type, dir.depth + 1));
        }
        Arc::make_mut(&mut found.listing).add_listed(&dir.path, listed);
    }

    /// Lists `dir` into this thread's share, and the directories in it as tasks of `scope`.
    fn read_in<'s>(
        &'s self,
        scope: &rayon::Scope<'s>,
        shares: &'s [Mutex<Discovery>],
        dir: DirToRead,
    ) {
        let mut to_read = Vec::new();
        let share = rayon::current_thread_index().unwrap_or(0) % shares.len();
        self.read(&dir, &mut lock(&shares[share]), &mut to_read);
        for dir in to_read {
            scope.spawn(move |scope| self.read_in(scope, shares, dir));
        }
    }

    /// Counts the entry at `path`, reached by `walked`, and adds what it is to `found`; the
    /// directory to list when it is one.
    fn add(
        &self,
        found: &mut Discovery,
        path: PathBuf,
        walked: Option<PathBuf>,
        file_type: FileType,
        depth: usize,
    ) -> Option<DirToRead> {
        let counted =
            self.entries_left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                    left.checked_sub(1)
                });
        if counted.is_err() {
            found.truncated = true;
            self.quit.store(true, Ordering::Relaxed);
            return None;
        }
        if file_type.is_dir() {
            let listed = self.max_depth.is_none_or(|max| depth < max);
            return listed.then_some(DirToRead {
                path,
                walked,
                depth,
            });
        }
        let seen = visit(
            walked.as_deref(),
            file_type,
            path,
            self.canonical_root,
            self.collect_targets,
        );
        found.add(seen);
        None
    }
}

/// What a directory entry is, as the directory says.
fn entry_kind(file_type: FileType) -> Entry {
    if file_type.is_symlink() {
        Entry::Link
    } else if file_type.is_file() {
        Entry::File
    } else {
        Entry::Other
    }
}

/// What one entry of a walk adds to a [`Discovery`].
#[derive(Default)]
struct Seen {
    gitignore: Option<Gitignore>,
    /// A file to lint, and why it is not read.
    target: Option<(PathBuf, Option<String>)>,
    /// A file to lint if its config `include`s it, and why it would not be read.
    maybe_included: Option<(PathBuf, Option<String>)>,
    code: Option<PathBuf>,
    hint: Option<PathBuf>,
}

impl Discovery {
    /// Adds what another thread of the same walk found.
    fn merge(&mut self, other: Discovery) {
        self.targets.extend(other.targets);
        self.hints.extend(other.hints);
        self.code.extend(other.code);
        self.gitignores.extend(other.gitignores);
        self.skipped.extend(other.skipped);
        self.maybe_included.extend(other.maybe_included);
        self.truncated |= other.truncated;
        Arc::make_mut(&mut self.listing).merge(Arc::unwrap_or_clone(other.listing));
    }

    fn add(&mut self, seen: Seen) {
        self.gitignores.extend(seen.gitignore);
        if let Some((path, skip_reason)) = seen.target {
            if let Some(reason) = skip_reason {
                self.skipped.insert(path.clone(), reason);
            }
            self.targets.push(path);
        }
        self.maybe_included.extend(seen.maybe_included);
        self.code.extend(seen.code);
        self.hints.extend(seen.hint);
    }
}

/// What the walked file at the normalized `path` adds (reached by `walked` when not by
/// `path`).
fn visit(
    walked: Option<&Path>,
    file_type: FileType,
    path: PathBuf,
    canonical_root: Option<&Path>,
    collect_targets: bool,
) -> Seen {
    let mut seen = Seen::default();
    let mut skip_reason = None;
    if file_type.is_symlink() {
        let target = std::fs::canonicalize(walked.unwrap_or(&path)).ok();
        let inside = target
            .as_deref()
            .is_some_and(|target| canonical_root.is_some_and(|root| target.starts_with(root)));
        if target.as_deref().is_some_and(Path::is_dir) {
            return seen;
        }
        if !inside {
            skip_reason = Some(
                "skipped: a symlink to a file outside the linted directory (name the file itself to lint it)"
                    .to_string(),
            );
        }
    }
    if path.file_name() == Some(OsStr::new(".gitignore")) {
        // The directory entry says what it is, unless it is a link.
        let regular = if file_type.is_symlink() {
            crate::files::is_regular_file(&path)
        } else {
            file_type.is_file()
        };
        if skip_reason.is_some() || !regular {
            return seen;
        }
        let mut builder = GitignoreBuilder::new(path.parent().unwrap_or(Path::new("")));
        if builder.add(&path).is_none()
            && let Ok(gitignore) = builder.build()
        {
            seen.gitignore = Some(gitignore);
        }
        return seen;
    }
    let shown = path.to_string_lossy();
    let readable = skip_reason.is_none();
    if readable && is_code_file(&shown) {
        seen.code = Some(path.clone());
    }
    if readable && is_hint_file(&path) {
        seen.hint = Some(path.clone());
    }
    if collect_targets {
        if kind_by_name(&shown).is_some() {
            seen.target = Some((path, skip_reason));
        } else {
            seen.maybe_included = Some((path, skip_reason));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigChoice;

    /// Every path under `dir`, links not followed, skipped directories included.
    fn every_path(dir: &Path, paths: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            paths.push(entry.path());
            if entry.file_type().unwrap().is_dir() {
                every_path(&entry.path(), paths);
            }
        }
    }

    fn discover_in_pool(root: &Path, threads: usize) -> Discovery {
        let configs = Configs::new(ConfigChoice::Ignore, None);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| discover_on(&[root.to_path_buf()], &configs, usize::MAX, threads).unwrap())
    }

    /// A project with links inside, outside and in a loop, skipped directories, hints,
    /// code and a FIFO, under a directory beside the file the link out leads to.
    #[cfg(unix)]
    fn linked_project() -> (tempfile::TempDir, PathBuf) {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = normalize(dir.path());
        let root = outside.join("project");
        crate::helpers::write_files(
            &outside,
            &[
                ("secret.env", "TOKEN=outside\n"),
                ("project/.env", "A=1\n"),
                ("project/.gitignore", ".env\n"),
                ("project/Makefile", "uses A\n"),
                ("project/svc/config/app.env", "B=2\n"),
                ("project/svc/compose.yaml", "services: {}\n"),
                ("project/svc/main.py", "import os\n"),
                ("project/svc/node_modules/pkg/.env", "C=3\n"),
                ("project/svc/.git/.env", "D=4\n"),
                ("project/deep/a/b/c/.env.local", "E=5\n"),
            ],
        );
        symlink("svc/config/app.env", root.join("inside.env")).unwrap();
        symlink(outside.join("secret.env"), root.join("outside.env")).unwrap();
        symlink("..", root.join("svc/loop")).unwrap();
        symlink(&root, root.join("deep/a/root")).unwrap();
        symlink("missing.env", root.join("dangling.env")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.env"))
            .status()
            .unwrap();
        assert!(made.success());
        (dir, root)
    }

    #[cfg(unix)]
    #[test]
    fn a_walk_on_many_threads_finds_what_one_thread_finds() {
        let (_dir, root) = linked_project();
        let one = discover_in_pool(&root, 1);
        let mut paths = Vec::new();
        every_path(&root, &mut paths);
        paths.push(root.join("missing"));
        paths.push(root.clone());
        for _ in 0..10 {
            let many = discover_in_pool(&root, 4);
            assert_eq!(many.targets, one.targets);
            assert_eq!(many.hints, one.hints);
            assert_eq!(many.code, one.code);
            assert_eq!(many.skipped, one.skipped);
            assert_eq!(many.gitignores.len(), one.gitignores.len());
            assert!(!many.truncated);
            for path in &paths {
                assert_eq!(
                    many.listing.entry(path),
                    one.listing.entry(path),
                    "{}",
                    path.display()
                );
            }
        }
        let found = |name: &str| root.join(name);
        let sorted = |paths: &mut dyn Iterator<Item = &PathBuf>| {
            let mut paths: Vec<PathBuf> = paths.cloned().collect();
            paths.sort();
            paths
        };
        assert_eq!(
            sorted(&mut one.targets.iter()),
            [
                ".env",
                "dangling.env",
                "deep/a/b/c/.env.local",
                "fifo.env",
                "inside.env",
                "outside.env",
                "svc/compose.yaml",
                "svc/config/app.env",
            ]
            .map(found)
        );
        // The links out (or to nothing) are listed but never read; the links to
        // directories are not walked.
        assert_eq!(
            sorted(&mut one.skipped.keys()),
            ["dangling.env", "outside.env"].map(found)
        );
        assert_eq!(
            sorted(&mut one.hints.iter()),
            ["Makefile", "svc/compose.yaml", "svc/main.py"].map(found)
        );
        assert_eq!(one.code, [found("svc/main.py")]);
        assert_eq!(one.gitignores.len(), 1);
        let listing = &one.listing;
        assert_eq!(
            listing.entry(&found("svc/node_modules")),
            Some(Entry::Other)
        );
        assert_eq!(listing.entry(&found("svc/.git")), Some(Entry::Other));
        assert_eq!(listing.entry(&found("svc/node_modules/pkg")), None);
        assert_eq!(listing.entry(&found("svc/loop")), Some(Entry::Link));
        assert_eq!(listing.entry(&found("svc/loop/.env")), None);
        assert_eq!(listing.entry(&found("fifo.env")), Some(Entry::Other));
        assert_eq!(
            listing.entry(&found("svc/config/app.env")),
            Some(Entry::File)
        );
        assert_eq!(
            listing.entry(&found("svc/config/none.env")),
            Some(Entry::Missing)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_file_brings_the_entries_of_its_own_directory_only() {
        let (_dir, root) = linked_project();
        let configs = Configs::new(ConfigChoice::Ignore, None);
        let named = discover_with(&[root.join(".env")], &configs).unwrap();
        assert_eq!(named.targets, [root.join(".env")]);
        assert_eq!(named.hints, [root.join("Makefile")]);
        assert_eq!(named.gitignores.len(), 1);
        assert!(named.code.is_empty() && named.skipped.is_empty());
        let listing = &named.listing;
        assert_eq!(listing.entry(&root.join(".env")), Some(Entry::File));
        assert_eq!(listing.entry(&root.join("svc")), Some(Entry::Other));
        assert_eq!(listing.entry(&root.join("svc/main.py")), None);
        assert_eq!(
            context_of(&root).hints,
            [root.join("Makefile")],
            "the context of a directory is its own entries"
        );
        assert!(context_of(&root.join("missing")).hints.is_empty());
    }
}

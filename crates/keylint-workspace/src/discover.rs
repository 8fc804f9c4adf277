//! Finding the files to lint, the hint files that tell who reads them, and the
//! `.gitignore` files that say what is committed.
//!
//! Env files are linted even when `.gitignore` lists them (they usually are, and they
//! are where the mistakes live), so the walk itself ignores no `.gitignore`; it only
//! skips vendored and generated trees.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use keylint_core::hints::is_hint_file;
use keylint_core::project::{PathOrder, normalize};
use keylint_core::source::kind_by_name;

use crate::config::Configs;
use crate::listing::{Entry, Listing};
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

/// Walks `root` on `threads` threads, adding what it finds to `discovery` in no
/// particular order: the caller sorts.
fn walk(
    root: &Path,
    discovery: &mut Discovery,
    max_depth: Option<usize>,
    collect_targets: bool,
    entries_left: &AtomicUsize,
    threads: usize,
) {
    // The skipped directories are entries of a listed directory too.
    let skipped_dirs: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let skipped = Arc::clone(&skipped_dirs);
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .max_depth(max_depth)
        .threads(threads)
        .filter_entry(move |entry| {
            let skip = entry.file_type().is_some_and(|kind| kind.is_dir())
                && entry.depth() > 0
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name));
            if skip {
                lock(&skipped).push(normalize(entry.path()));
            }
            !skip
        })
        .build_parallel();
    // Symlinks are followed to files inside the walked directory only: a repository must
    // not make keylint read (and quote) a file elsewhere on the machine.
    let canonical_root = std::fs::canonicalize(root).ok();
    if !Listing::names_what_it_reads(root) {
        Arc::make_mut(&mut discovery.listing).forget();
    }
    let found = Mutex::new(std::mem::take(discovery));
    walker.visit(&mut WalkShares {
        found: &found,
        canonical_root: canonical_root.as_deref(),
        collect_targets,
        max_depth,
        entries_left,
    });
    *discovery = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let listing = Arc::make_mut(&mut discovery.listing);
    for dir in lock(&skipped_dirs).iter() {
        listing.add(dir, Entry::Other, false);
    }
}

/// What each thread of a walk shares: each gathers its own share of the [`Discovery`]
/// and adds it to `found` once, when the walk is done, instead of taking a lock per entry.
#[derive(Clone, Copy)]
struct WalkShares<'a> {
    found: &'a Mutex<Discovery>,
    canonical_root: Option<&'a Path>,
    collect_targets: bool,
    max_depth: Option<usize>,
    entries_left: &'a AtomicUsize,
}

/// One thread's share of a walk.
struct WalkShare<'a> {
    shares: WalkShares<'a>,
    found: Discovery,
}

impl<'s> ParallelVisitorBuilder<'s> for WalkShares<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        let listing = lock(self.found).listing.empty_like();
        Box::new(WalkShare {
            shares: *self,
            found: Discovery {
                listing: Arc::new(listing),
                ..Discovery::default()
            },
        })
    }
}

impl ParallelVisitor for WalkShare<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> WalkState {
        let shares = &self.shares;
        let listing = Arc::make_mut(&mut self.found.listing);
        let Ok(entry) = entry else {
            // A directory it could not list.
            listing.forget();
            return WalkState::Continue;
        };
        let counted =
            shares
                .entries_left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                    left.checked_sub(1)
                });
        if counted.is_err() {
            self.found.truncated = true;
            return WalkState::Quit;
        }
        let path = normalize(entry.path());
        let listed = entry.file_type().is_some_and(|kind| kind.is_dir())
            && shares.max_depth.is_none_or(|max| entry.depth() < max);
        listing.add(&path, entry_kind(entry.file_type()), listed);
        let seen = visit(&entry, path, shares.canonical_root, shares.collect_targets);
        self.found.add(seen);
        WalkState::Continue
    }
}

impl Drop for WalkShare<'_> {
    fn drop(&mut self) {
        lock(self.shares.found).merge(std::mem::take(&mut self.found));
    }
}

/// What a directory entry is, as the directory says.
fn entry_kind(file_type: Option<std::fs::FileType>) -> Entry {
    match file_type {
        Some(kind) if kind.is_symlink() => Entry::Link,
        Some(kind) if kind.is_file() => Entry::File,
        Some(_) => Entry::Other,
        // The walk could not tell: let the disk say.
        None => Entry::Link,
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

/// What the walked `entry`, at the normalized `path`, adds.
fn visit(
    entry: &ignore::DirEntry,
    path: PathBuf,
    canonical_root: Option<&Path>,
    collect_targets: bool,
) -> Seen {
    let mut seen = Seen::default();
    let Some(file_type) = entry.file_type() else {
        return seen;
    };
    if file_type.is_dir() {
        return seen;
    }
    let mut skip_reason = None;
    if file_type.is_symlink() {
        let target = std::fs::canonicalize(entry.path()).ok();
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
    if entry.file_name() == ".gitignore" {
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

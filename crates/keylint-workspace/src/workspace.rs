//! The one model of the project that the command line and the language server both lint
//! against: the files (the disk, with the editor's open buffers laid over it), the
//! `keylint.toml` governing each file, who reads each env file (hints found in the whole
//! tree, `[consumers]` of the config, the front end's own settings), the `.gitignore`
//! facts and the names the project reads. Given the same files and settings, both front
//! ends therefore see the same findings.
//!
//! A [`Workspace`] is cheap to clone: the index of the tree is shared, and each clone
//! carries its own small map of open buffers. The server lints a clone taken under a
//! short lock, so edits never wait for a lint.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ignore::gitignore::Gitignore;
use keylint_core::code::CodeIndex;
use keylint_core::consumer::Consumer;
use keylint_core::hints::{consumers_from_hints, is_hint_file, names_read};
use keylint_core::project::{ConsumerSet, PathOrder, Project, normalize, path_order};
use keylint_core::provider::ExtraVariables;
use keylint_core::{RuleSelection, Severity};
use rayon::prelude::*;

use crate::code::{FileFacts, add_facts, add_file, facts_of};
use crate::config::{Config, ConfigResult, Configs, Globs};
use crate::discover::{Discovery, is_code_file};
use crate::files::{FileText, MAX_CONTEXT_BYTES, MAX_FILE_BYTES, read_context, read_text};
use crate::listing::Listing;
use crate::setters::{
    ConfigNames, Setters, Uses, add_names_set, names_of_files, names_set_in_files, sets_variables,
    with_open_buffers,
};
use crate::{ByPath, lock};

/// What the front end says, which wins over `keylint.toml`: command-line flags, or the
/// editor's settings.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Replace the config's `select` / `ignore` when set.
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    /// Who reads matching env files (globs relative to [`Overrides::base`], or the
    /// file name); wins over the config's `[consumers]`.
    pub consumers: Vec<(String, Consumer)>,
    /// Env files Compose interpolation also reads (`--env-file`).
    pub env_files: Vec<PathBuf>,
    /// The directory consumer globs are relative to (the current directory, or the
    /// workspace folder).
    pub base: PathBuf,
}

/// What the tree says about itself, found by one walk: hint files, `.gitignore` files,
/// and the names the project reads.
#[derive(Debug, Default)]
pub struct Index {
    /// Hint files and their texts, in path order (the files under a directory are one
    /// range).
    hints: Vec<(PathBuf, Arc<str>)>,
    /// Positions in `hints` by the hint's directory.
    hints_by_dir: ByPath<Vec<usize>>,
    gitignores: Vec<Gitignore>,
    /// The names the hints read (every variable of every file asks).
    names_read: foldhash::HashSet<String>,
    /// What the source files read and load, and what the manifests bring.
    code: CodeIndex,
    /// The env, Compose, Kubernetes and workflow files found.
    targets: Vec<PathBuf>,
    /// Where they set and use each name, read on first use.
    names: OnceLock<ConfigNames>,
    /// The names they set, read on first use (a lint asks only this).
    set_names: OnceLock<HashSet<String>>,
    /// Built from a walk of the whole tree. Until then (the server's first moments),
    /// hints are read from the env file's own directory on demand.
    complete: bool,
    /// What a one-shot run knows of its files ([`Index::read_once`]); the server's
    /// index has none, as its files change.
    run: Option<RunFiles>,
}

/// The files of one run over a tree that does not change meanwhile (the command line):
/// the walk's listing answers which files exist and which are regular, and the texts
/// already read are handed out again instead of being read again.
#[derive(Debug)]
struct RunFiles {
    listing: Arc<Listing>,
    /// Texts of files to lint read with the index, up to the budget, until their lint.
    kept: Mutex<ByPath<Arc<str>>>,
    /// The texts read last, linted or asked for by rules: a Compose file's rules read the
    /// `.env` beside it and its `env_file:`s, which are linted, and asked for by the other
    /// Compose files there, at about the same time (files are linted in path order).
    recent: Mutex<Recent>,
}

/// How many bytes of the texts read last a run keeps: a hundred files or more.
const RECENT_BYTES: usize = 256 << 10;

impl RunFiles {
    /// The text of the file at `path`, as [`read_context`] gives it.
    fn context(&self, path: &Path) -> Option<Arc<str>> {
        let key = normalize(path).into_os_string();
        let known = lock(&self.kept)
            .get(&key)
            .cloned()
            .or_else(|| lock(&self.recent).get(&key));
        if let Some(text) = known {
            return (text.len() as u64 <= MAX_CONTEXT_BYTES).then_some(text);
        }
        let text: Arc<str> = Arc::from(self.listing.read_context(path)?);
        lock(&self.recent).add(key, Arc::clone(&text));
        Some(text)
    }

    /// The text of the file to lint at `path`, as [`read_text`] gives it.
    fn target(&self, path: &Path) -> std::io::Result<FileText> {
        let key = normalize(path).into_os_string();
        let kept = lock(&self.kept).remove(&key);
        let known = kept.or_else(|| lock(&self.recent).get(&key));
        if let Some(text) = known {
            let given = FileText::Text(text.to_string());
            lock(&self.recent).add(key, text);
            return Ok(given);
        }
        let read = self.listing.read_text(path, MAX_FILE_BYTES)?;
        if let FileText::Text(text) = &read
            && text.len() as u64 <= MAX_CONTEXT_BYTES
        {
            lock(&self.recent).add(key, Arc::from(text.as_str()));
        }
        Ok(read)
    }
}

/// The texts read last, up to [`RECENT_BYTES`]: the oldest make room.
#[derive(Debug, Default)]
struct Recent {
    texts: ByPath<Arc<str>>,
    order: VecDeque<OsString>,
    bytes: usize,
}

impl Recent {
    fn get(&self, key: &OsStr) -> Option<Arc<str>> {
        self.texts.get(key).cloned()
    }

    fn add(&mut self, key: OsString, text: Arc<str>) {
        if text.len() > RECENT_BYTES || self.texts.contains_key(&key) {
            return;
        }
        self.bytes += text.len();
        self.order.push_back(key.clone());
        self.texts.insert(key, text);
        while self.bytes > RECENT_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(text) = self.texts.remove(&oldest) {
                self.bytes -= text.len();
            }
        }
    }
}

/// At most this many entries of a directory are looked at for hints before the index is
/// complete.
const MAX_DIRECT_HINTS: usize = 200;

impl Index {
    /// Reads the hint files and the code a discovery found (small regular files only).
    #[must_use]
    pub fn from_discovery(discovery: &Discovery) -> Index {
        Index::read(discovery, None)
    }

    /// [`Index::from_discovery`] for a one-shot lint of the discovery's targets, which
    /// reads each file once: when the code reads a key (KL204 asks what the project sets),
    /// the files to lint are read in the same pass as the hints and the code, the names
    /// they set gathered then, and up to `budget` bytes of their texts kept for the lint;
    /// the texts read last are kept for the rules that ask for them, and the walk's
    /// listing answers what exists (see [`Workspace::read_target`]).
    #[must_use]
    pub fn read_once(discovery: &Discovery, budget: usize) -> Index {
        Index::read(discovery, Some(budget))
    }

    fn read<'a>(discovery: &'a Discovery, budget: Option<usize>) -> Index {
        // The files read for what they say about others first, then the files to lint:
        // what the index keeps is not scattered among what the names pass drops.
        let (to_lint, context): (Vec<ToRead>, Vec<ToRead>) =
            files_to_read(discovery, budget.is_some())
                .into_iter()
                .partition(|file| file.target);
        let kept_bytes = AtomicUsize::new(0);
        let keep = |text: &str| {
            let size = text.len();
            let fits = kept_bytes.fetch_add(size, Ordering::Relaxed) + size <= budget.unwrap_or(0);
            if !fits {
                kept_bytes.fetch_sub(size, Ordering::Relaxed);
            }
            fits
        };
        let read_all = |files: &[ToRead<'a>]| {
            files
                .par_iter()
                .fold(FilesRead::default, |mut read, file| {
                    let path = file.path;
                    let limit = if file.target {
                        MAX_FILE_BYTES
                    } else {
                        MAX_CONTEXT_BYTES
                    };
                    let Ok(FileText::Text(text)) = discovery.listing.read_text(path, limit) else {
                        return read;
                    };
                    // What `read_context` gives: text within the context limit.
                    if text.len() as u64 <= MAX_CONTEXT_BYTES {
                        if file.hint {
                            read.hints
                                .push((path.to_path_buf(), Arc::from(text.as_str())));
                        }
                        if file.code
                            && let Some(facts) = facts_of(path, &text)
                        {
                            read.code.push((path, Some(facts)));
                        }
                    }
                    if file.target {
                        if let Some(kind) = sets_variables(path) {
                            add_names_set(&mut read.set_names, kind, &text);
                        }
                        if keep(&text) {
                            read.kept
                                .push((path.as_os_str().to_owned(), Arc::from(text)));
                        }
                    }
                    read
                })
                .reduce(FilesRead::default, FilesRead::merge)
        };
        let context_read = read_all(&context);
        // The names set are asked for when code reads a key (KL204): the files to lint
        // are read here only if some code does (or may, when code is among them);
        // otherwise the lint reads each, and the first question reads them again.
        let gather_names = to_lint.iter().any(|file| file.code)
            || context_read.code.iter().any(|(_, facts)| {
                matches!(facts, Some(FileFacts::Source(reads, _)) if !reads.reads.is_empty())
            });
        let read = if gather_names {
            context_read.merge(read_all(&to_lint))
        } else {
            context_read
        };
        let FilesRead {
            mut hints,
            code: mut facts,
            set_names,
            kept,
        } = read;
        // Each share is in path order: the stable sort merges them.
        let order = PathOrder::of(&hints, |(path, _)| path);
        hints.sort_by(|a, b| order.cmp(&a.0, &b.0));
        let order = PathOrder::of(&facts, |(path, _)| path);
        facts.sort_by(|a, b| order.cmp(a.0, b.0));
        let mut index = Index {
            gitignores: discovery.gitignores.clone(),
            targets: discovery.readable_targets().cloned().collect(),
            set_names: match budget {
                Some(_) if gather_names => OnceLock::from(set_names),
                _ => OnceLock::new(),
            },
            complete: true,
            run: budget.map(|_| RunFiles {
                listing: Arc::clone(&discovery.listing),
                kept: Mutex::new(kept.into_iter().collect()),
                recent: Mutex::default(),
            }),
            ..Index::default()
        };
        // In the walk's order, as the lint's evidence lists them.
        for path in &discovery.code {
            if let Ok(found) = facts.binary_search_by(|(read, _)| path_order(read, path))
                && let Some(facts) = facts[found].1.take()
            {
                add_facts(&mut index.code, path, facts);
            }
        }
        for (position, (path, text)) in hints.iter().enumerate() {
            index
                .names_read
                .extend(names_read(text).map(str::to_string));
            let dir = path.parent().unwrap_or(Path::new(""));
            index
                .hints_by_dir
                .entry(dir.as_os_str().to_owned())
                .or_default()
                .push(position);
        }
        index.hints = hints;
        index
    }

    /// The hint at `path`, if the index has one.
    fn hint(&self, path: &Path) -> Option<&(PathBuf, Arc<str>)> {
        self.hints
            .binary_search_by(|(hint, _)| path_order(hint, path))
            .ok()
            .map(|found| &self.hints[found])
    }
}

/// One file [`Index::read`] reads, and what for.
#[derive(Clone, Copy)]
struct ToRead<'a> {
    path: &'a Path,
    hint: bool,
    code: bool,
    target: bool,
}

/// Every file of `discovery` to read once, in path order: its hints, its code, and with
/// `targets` the files to lint.
fn files_to_read(discovery: &Discovery, targets: bool) -> Vec<ToRead<'_>> {
    fn as_read<'a>(
        paths: impl IntoIterator<Item = &'a PathBuf>,
        hint: bool,
        code: bool,
        target: bool,
    ) -> impl Iterator<Item = ToRead<'a>> {
        paths.into_iter().map(move |path| ToRead {
            path,
            hint,
            code,
            target,
        })
    }
    let mut files: Vec<ToRead> = as_read(&discovery.hints, true, false, false)
        .chain(as_read(&discovery.code, false, true, false))
        .chain(as_read(
            discovery.readable_targets().filter(|_| targets),
            false,
            false,
            true,
        ))
        .collect();
    // The discovery's lists are sorted: the stable sort merges them.
    let order = PathOrder::of(&files, |file| file.path);
    files.sort_by(|a, b| order.cmp(a.path, b.path));
    files.dedup_by(|later, first| {
        let same = later.path.as_os_str() == first.path.as_os_str();
        if same {
            first.hint |= later.hint;
            first.code |= later.code;
            first.target |= later.target;
        }
        same
    });
    files
}

/// What one parallel share of [`Index::read`] read, in path order.
#[derive(Default)]
struct FilesRead<'a> {
    hints: Vec<(PathBuf, Arc<str>)>,
    code: Vec<(&'a Path, Option<FileFacts>)>,
    set_names: HashSet<String>,
    kept: Vec<(OsString, Arc<str>)>,
}

impl FilesRead<'_> {
    fn merge(mut self, other: Self) -> Self {
        self.hints.extend(other.hints);
        self.code.extend(other.code);
        self.set_names.extend(other.set_names);
        self.kept.extend(other.kept);
        self
    }
}

/// See [`Workspace::surroundings`]. Holding the shared parts keeps their identity unique.
pub(crate) struct Surroundings {
    index: Arc<Index>,
    overrides: Arc<Overrides>,
    overlays: Vec<(PathBuf, Arc<str>)>,
}

impl PartialEq for Surroundings {
    fn eq(&self, other: &Surroundings) -> bool {
        Arc::ptr_eq(&self.index, &other.index)
            && Arc::ptr_eq(&self.overrides, &other.overrides)
            && self.overlays.len() == other.overlays.len()
            && self
                .overlays
                .iter()
                .zip(&other.overlays)
                .all(|(a, b)| a.0 == b.0 && Arc::ptr_eq(&a.1, &b.1))
    }
}

#[derive(Clone)]
pub struct Workspace {
    index: Arc<Index>,
    configs: Arc<Configs>,
    overrides: Arc<Overrides>,
    override_matchers: Arc<Vec<(Globs, Consumer)>>,
    /// Open buffers by normalized path: they win over the disk.
    overlays: Arc<HashMap<PathBuf, Arc<str>>>,
    /// Names the open buffers read, collected on first use by each clone.
    overlay_names: Arc<OnceLock<foldhash::HashSet<String>>>,
    /// The index's code facts with the open source files' current text instead of the
    /// disk's, built on first use by each clone that has such a buffer.
    overlay_code: Arc<OnceLock<CodeIndex>>,
    /// The index's config names with the open env and YAML buffers' text, likewise.
    overlay_config_names: Arc<OnceLock<ConfigNames>>,
}

impl Workspace {
    pub fn new(index: Index, configs: Arc<Configs>, overrides: Overrides) -> Workspace {
        let override_matchers = overrides
            .consumers
            .iter()
            .filter_map(|(glob, consumer)| {
                Some((
                    Globs::relative_to(&overrides.base, std::slice::from_ref(glob)).ok()?,
                    *consumer,
                ))
            })
            .collect();
        Workspace {
            index: Arc::new(index),
            configs,
            overrides: Arc::new(overrides),
            override_matchers: Arc::new(override_matchers),
            overlays: Arc::default(),
            overlay_names: Arc::default(),
            overlay_code: Arc::default(),
            overlay_config_names: Arc::default(),
        }
    }

    /// This workspace with another index of the tree (the server's background walk
    /// finished, or a hint file changed on disk).
    #[must_use]
    pub fn with_index(&self, index: Index) -> Workspace {
        Workspace {
            index: Arc::new(index),
            overlay_names: Arc::default(),
            overlay_code: Arc::default(),
            overlay_config_names: Arc::default(),
            ..self.clone()
        }
    }

    /// This workspace with other front-end settings.
    #[must_use]
    pub fn with_overrides(&self, overrides: Overrides) -> Workspace {
        let fresh = Workspace::new(Index::default(), Arc::clone(&self.configs), overrides);
        Workspace {
            index: Arc::clone(&self.index),
            overlays: Arc::clone(&self.overlays),
            ..fresh
        }
    }

    /// Lays `text` over the file at `path` (an open buffer, or a fixed text not yet
    /// written).
    pub fn set_overlay(&mut self, path: &Path, text: Arc<str>) {
        Arc::make_mut(&mut self.overlays).insert(normalize(path), text);
        self.forget_derived();
    }

    pub fn remove_overlay(&mut self, path: &Path) {
        Arc::make_mut(&mut self.overlays).remove(&normalize(path));
        self.forget_derived();
    }

    /// What was derived from the open buffers is computed again on next use.
    /// What the lint of `path` depends on besides its own text and what
    /// [`crate::session`] compares by value: the index, the front end's overrides and
    /// the other open buffers (shared, so unchanged ones compare by identity).
    pub(crate) fn surroundings(&self, path: &Path) -> Surroundings {
        let own = normalize(path);
        let mut overlays: Vec<(PathBuf, Arc<str>)> = self
            .overlays
            .iter()
            .filter(|(overlay, _)| **overlay != own)
            .map(|(overlay, text)| (overlay.clone(), Arc::clone(text)))
            .collect();
        overlays.sort_by(|a, b| a.0.cmp(&b.0));
        Surroundings {
            index: Arc::clone(&self.index),
            overrides: Arc::clone(&self.overrides),
            overlays,
        }
    }

    fn forget_derived(&mut self) {
        self.overlay_names = Arc::default();
        self.overlay_code = Arc::default();
        self.overlay_config_names = Arc::default();
    }

    /// Where the project sets each name (env files, Compose `environment:`, Kubernetes
    /// and workflow `env:`; not templates), open buffers included.
    #[must_use]
    pub fn setters(&self) -> &Setters {
        &self.config_names().sets
    }

    /// Where Compose and workflow values use each name (`${NAME}`, `$NAME`), open
    /// buffers included.
    #[must_use]
    pub fn uses(&self) -> &Uses {
        &self.config_names().uses
    }

    fn config_names(&self) -> &ConfigNames {
        let disk = self
            .index
            .names
            .get_or_init(|| names_of_files(&self.index.targets));
        let open = self.open_setting_buffers();
        if open.is_empty() {
            return disk;
        }
        self.overlay_config_names
            .get_or_init(|| with_open_buffers(disk, &open))
    }

    /// The open buffers whose assignments count as set.
    fn open_setting_buffers(&self) -> Vec<(&PathBuf, &Arc<str>)> {
        self.overlays
            .iter()
            .filter(|(path, _)| sets_variables(path).is_some())
            .collect()
    }

    /// The code facts of the project, open buffers included.
    #[must_use]
    pub fn code_index(&self) -> &CodeIndex {
        let open_code: Vec<(&PathBuf, &Arc<str>)> = self
            .overlays
            .iter()
            .filter(|(path, _)| is_code_file(&path.to_string_lossy()))
            .collect();
        if open_code.is_empty() {
            return &self.index.code;
        }
        self.overlay_code.get_or_init(|| {
            let open: HashSet<&Path> = open_code.iter().map(|(path, _)| path.as_path()).collect();
            let mut merged = self.index.code.without_files(&open);
            for (path, text) in open_code {
                add_file(&mut merged, path, text);
            }
            merged
        })
    }

    #[must_use]
    pub fn overlay(&self, path: &Path) -> Option<&Arc<str>> {
        // Most runs open no buffer: nothing to normalize the path for.
        if self.overlays.is_empty() {
            return None;
        }
        self.overlays.get(&normalize(path))
    }

    /// The text of the file to lint at `path` as on disk (not its overlay), as
    /// [`read_text`] gives it: in a one-shot run, the text it already read, else read now.
    pub fn read_target(&self, path: &Path) -> std::io::Result<FileText> {
        match &self.index.run {
            Some(run) => run.target(path),
            None => read_text(path, MAX_FILE_BYTES),
        }
    }

    #[must_use]
    pub fn configs(&self) -> &Configs {
        &self.configs
    }

    #[must_use]
    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// The config governing `path`, or why it cannot be used.
    pub fn config_for(&self, path: &Path) -> ConfigResult {
        self.configs.for_path(path)
    }

    /// The config governing `path`; a broken config counts as none here (the front end
    /// reports it once, as an error or a message).
    pub(crate) fn usable_config(&self, path: &Path) -> Option<Arc<Config>> {
        self.configs.for_file(path).ok().flatten()
    }

    /// Which rules run on `path`, at what severity: the front end's `select`/`ignore`
    /// replace the config's; `[severity]` comes from the config.
    #[must_use]
    pub fn selection_for(&self, path: &Path) -> RuleSelection {
        self.selection_in(self.usable_config(path).as_deref())
    }

    /// [`Workspace::selection_for`] a file governed by `config`.
    pub(crate) fn selection_in(&self, config: Option<&Config>) -> RuleSelection {
        let select = self
            .overrides
            .select
            .clone()
            .or_else(|| config.and_then(|config| config.select.clone()))
            .unwrap_or_default();
        let mut ignore = self
            .overrides
            .ignore
            .clone()
            .or_else(|| config.and_then(|config| config.ignore.clone()))
            .unwrap_or_default();
        if let Some(config) = config {
            ignore.extend(config.off.iter().cloned());
        }
        RuleSelection {
            select,
            ignore,
            severity: config
                .map(|config| config.severity.clone())
                .unwrap_or_default(),
        }
    }

    /// The core's settings for `path`: the config's `[variables]` and `--env-file`.
    #[must_use]
    pub fn settings_for(&self, path: &Path) -> keylint_core::Settings {
        self.settings_in(self.usable_config(path).as_deref())
    }

    /// [`Workspace::settings_for`] a file governed by `config`.
    pub(crate) fn settings_in(&self, config: Option<&Config>) -> keylint_core::Settings {
        keylint_core::Settings {
            extra_variables: ExtraVariables {
                api_keys: config
                    .map(|config| config.variables.clone())
                    .unwrap_or_default(),
            },
            compose_env_files: self.overrides.env_files.clone(),
        }
    }

    /// Whether the config's `include` makes `path` an env file to lint.
    #[must_use]
    pub fn is_included(&self, path: &Path) -> bool {
        self.usable_config(path)
            .is_some_and(|config| config.include.is_match(path))
    }

    /// Whether the config's `exclude` keeps `path` out of a directory walk (the editor
    /// then reports nothing for it either).
    #[must_use]
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.usable_config(path)
            .is_some_and(|config| config.exclude.is_match(path))
    }

    /// The `fail-on` of the config governing `path` (`Some(None)`: never).
    #[must_use]
    pub fn fail_on_for(&self, path: &Path) -> Option<Option<Severity>> {
        self.usable_config(path).and_then(|config| config.fail_on)
    }

    /// Hint files for an env file in `env_dir`: those in it or below it, and those in a
    /// directory above it (only those can name it), open buffers first. The paths are
    /// borrowed where they can be: every env file asks.
    fn hints_for(&self, dir: &Path) -> Vec<(Cow<'_, Path>, Arc<str>)> {
        // The index's paths are normalized, and so its lookups must be.
        let env_dir = normalize(dir);
        let hints = &self.index.hints;
        let first = hints.partition_point(|(hint, _)| path_order(hint, &env_dir).is_lt());
        let below = hints[first..]
            .iter()
            .take_while(|(hint, _)| hint.starts_with(&env_dir));
        let above = env_dir
            .ancestors()
            .skip(1)
            .filter_map(|dir| self.index.hints_by_dir.get(dir.as_os_str()))
            .flatten()
            .map(|&position| &hints[position]);
        let mut hints: Vec<(Cow<'_, Path>, Arc<str>)> = below
            .chain(above)
            .map(|(path, text)| {
                let text = self.overlays.get(path).unwrap_or(text);
                (Cow::Borrowed(path.as_path()), Arc::clone(text))
            })
            .collect();
        if !self.index.complete {
            hints.extend(
                direct_hints(dir)
                    .filter(|(path, _)| !self.overlays.contains_key(path))
                    .map(|(path, text)| (Cow::Owned(path), text)),
            );
        }
        // Open buffers that are hint files but not on disk yet.
        for (path, text) in self.overlays.iter() {
            let related = path
                .parent()
                .is_some_and(|dir| dir.starts_with(&env_dir) || env_dir.starts_with(dir));
            if related && is_hint_file(path) && self.index.hint(path).is_none() {
                hints.push((Cow::Borrowed(path.as_path()), Arc::clone(text)));
            }
        }
        hints
    }

    fn configured_consumers(&self, path: &Path) -> Option<ConsumerSet> {
        let matching = |matchers: &[(Globs, Consumer)]| -> Vec<Consumer> {
            matchers
                .iter()
                .filter(|(globs, _)| globs.is_match(path))
                .map(|(_, consumer)| *consumer)
                .collect()
        };
        let (consumers, evidence) = match matching(&self.override_matchers) {
            found if !found.is_empty() => (found, "configuration"),
            _ => {
                let config = self.usable_config(path)?;
                (matching(&config.consumers), "keylint.toml")
            }
        };
        if consumers.is_empty() {
            return None;
        }
        let mut set = ConsumerSet::default();
        for consumer in consumers {
            set.add(consumer, evidence);
        }
        Some(set)
    }
}

/// The hint files of `dir` itself, read from the disk.
fn direct_hints(dir: &Path) -> impl Iterator<Item = (PathBuf, Arc<str>)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .take(MAX_DIRECT_HINTS)
        .map(|entry| entry.path())
        .filter(|path| is_hint_file(path))
        .filter_map(|path| {
            let text = read_context(&path)?;
            Some((normalize(&path), Arc::from(text)))
        })
}

impl Project for Workspace {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(text) = self.overlay(path) {
            return Some(Arc::clone(text));
        }
        match &self.index.run {
            Some(run) => run.context(path),
            None => read_context(path).map(Arc::from),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.overlay(path).is_some()
            || match &self.index.run {
                Some(run) => run.listing.exists(path),
                None => path.exists(),
            }
    }

    fn is_ignored(&self, path: &Path) -> bool {
        let gitignores = &self.index.gitignores;
        // A tree without `.gitignore` files: nothing to normalize the path for.
        if gitignores.is_empty() {
            return false;
        }
        let path = normalize(path);
        gitignores.iter().any(|gitignore| {
            path.starts_with(gitignore.path())
                && gitignore
                    .matched_path_or_any_parents(&path, false)
                    .is_ignore()
        })
    }

    fn consumers_of(&self, path: &Path) -> ConsumerSet {
        if let Some(configured) = self.configured_consumers(path) {
            return configured;
        }
        let hints = self.hints_for(path.parent().unwrap_or(Path::new("")));
        let borrowed: Vec<(&Path, &str)> = hints
            .iter()
            .map(|(path, text)| (path.as_ref(), &**text))
            .collect();
        consumers_from_hints(path, &borrowed, &self.code_index().loads_of(path))
    }

    fn code(&self) -> &CodeIndex {
        self.code_index()
    }

    fn is_set_anywhere(&self, name: &str) -> bool {
        // The sites, when they are at hand (the server builds them for navigation).
        if self.index.names.get().is_some() || !self.open_setting_buffers().is_empty() {
            return self.setters().contains_key(name);
        }
        self.index
            .set_names
            .get_or_init(|| names_set_in_files(&self.index.targets))
            .contains(name)
    }

    fn reads_name(&self, name: &str) -> bool {
        self.code_index().is_read(name)
            || self.index.names_read.contains(name)
            || self
                .overlay_names
                .get_or_init(|| {
                    self.overlays
                        .iter()
                        .filter(|(path, _)| is_hint_file(path))
                        .flat_map(|(_, text)| names_read(text))
                        .map(str::to_string)
                        .collect()
                })
                .contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigChoice;
    use crate::discover::discover_with;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Arc<Configs>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let root = normalize(dir.path());
        let configs = Arc::new(Configs::new(ConfigChoice::Discover, Some(root.clone())));
        (dir, root, configs)
    }

    /// The one read of `read_once` knows what the separate reads know, and hands the
    /// kept texts to the lint without reading them again; past the budget, nothing is
    /// kept.
    #[test]
    fn read_once_indexes_as_the_separate_reads_and_keeps_texts() {
        let (_dir, root, configs) = project(&[
            (".env", "OPENAI_API_KEY=x\n"),
            (
                "compose.yaml",
                "services:\n  a:\n    environment:\n      - B=1\n",
            ),
            ("main.py", "import os\nos.environ['OPENAI_API_KEY']\n"),
        ]);
        let discovery = discover_with(std::slice::from_ref(&root), &configs).unwrap();
        let separate = Index::from_discovery(&discovery);
        let once = Index::read_once(&discovery, 1 << 20);
        assert_eq!(once.hints, separate.hints);
        assert_eq!(once.names_read, separate.names_read);
        assert!(once.code.is_read("OPENAI_API_KEY"));
        assert_eq!(
            once.set_names.get(),
            Some(&names_set_in_files(&discovery.targets))
        );
        let nothing_kept = Index::read_once(&discovery, 0);
        let env = root.join(".env");
        std::fs::remove_file(&env).unwrap();
        let kept = Workspace::new(once, Arc::clone(&configs), Overrides::default());
        let text = FileText::Text("OPENAI_API_KEY=x\n".into());
        assert_eq!(kept.read_target(&env).unwrap(), text);
        assert_eq!(kept.read_target(&env).unwrap(), text);
        let read_again = Workspace::new(nothing_kept, configs, Overrides::default());
        assert!(read_again.read_target(&env).is_err());
    }

    /// A one-shot run answers from its walk and keeps what rules read; the server's
    /// workspace asks the disk each time, open buffers first.
    #[test]
    fn only_a_one_shot_run_answers_from_what_it_read() {
        let (_dir, root, configs) =
            project(&[(".env", "A=1\n"), ("compose.yaml", "services: {}\n")]);
        let discovery = discover_with(std::slice::from_ref(&root), &configs).unwrap();
        let env = root.join(".env");
        let run = Workspace::new(
            Index::read_once(&discovery, 1 << 20),
            Arc::clone(&configs),
            Overrides::default(),
        );
        let mut server = Workspace::new(
            Index::from_discovery(&discovery),
            configs,
            Overrides::default(),
        );
        assert_eq!(run.read(&env).as_deref(), Some("A=1\n"));
        assert!(!run.exists(&root.join("api.env")));
        std::fs::write(&env, "A=2\n").unwrap();
        std::fs::write(root.join("api.env"), "B=1\n").unwrap();
        assert_eq!(run.read(&env).as_deref(), Some("A=1\n"));
        assert!(!run.exists(&root.join("api.env")));
        assert_eq!(server.read(&env).as_deref(), Some("A=2\n"));
        assert!(server.exists(&root.join("api.env")));
        server.set_overlay(&env, Arc::from("A=3\n"));
        assert_eq!(server.read(&env).as_deref(), Some("A=3\n"));
    }
}

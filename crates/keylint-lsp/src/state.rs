//! Server state shared by the handlers. Locks are `std::sync` and never held across
//! an `.await`.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use keylint_core::Diagnostic;
use keylint_core::incremental::LazyParse;
use keylint_probe::Prober;
use keylint_workspace::config::{ConfigChoice, Configs};
use keylint_workspace::discover::discover_bounded;
use keylint_workspace::{Index, LintSession, Workspace};
use tower_lsp_server::ls_types::Uri;

use crate::documents::{Document, Documents, Snapshot};
use crate::encoding::Encoding;
use crate::settings::Settings;

/// The background index of the workspace folder looks at no more entries than this (a
/// folder such as a home directory opened by mistake must not keep a core busy).
pub const MAX_INDEXED_ENTRIES: usize = 200_000;

/// What the client said in `initialize`.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`): the server never pushes.
    pub pull_diagnostics: bool,
    pub diagnostic_refresh: bool,
    pub root: Option<PathBuf>,
    /// The client can register `workspace/didChangeWatchedFiles` dynamically.
    pub watch_files: bool,
    /// The client shows server-initiated `$/progress` (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// The client draws `labelDetails` of completion items in every row of its list.
    pub completion_label_details: bool,
}

/// Diagnostics computed for one version of a document.
#[derive(Debug)]
pub struct Linted {
    /// Increases with every lint of any document, in the order the lints took their
    /// text: the push path sends a document's result only when it is newer than the one
    /// it sent last.
    pub generation: u64,
    pub version: i32,
    pub snapshot: Arc<Snapshot>,
    pub diagnostics: Vec<Diagnostic>,
    /// The parse behind `diagnostics`, kept so hover on this version does not read the
    /// file again (after an edit of a long `.env`, with the lines no hover asks about
    /// left blank). `None` when the linter panicked.
    pub parsed: Option<Arc<LazyParse>>,
}

impl Linted {
    /// Whether this lint was of `text` (the same version's text is the same `Arc`).
    #[must_use]
    pub fn is_of(&self, text: &Arc<str>) -> bool {
        Arc::ptr_eq(&self.snapshot.text, text) || *self.snapshot.text == **text
    }
}

pub struct State {
    pub client: RwLock<ClientInfo>,
    pub settings: RwLock<Settings>,
    pub documents: RwLock<Documents>,
    /// Latest lint result per document; the push path publishes the newest one.
    /// Shared, so handing a result on (push, hover, pull) copies no text.
    pub linted: Mutex<HashMap<Uri, Arc<Linted>>>,
    /// The result last pushed per document (push mode only).
    pub pushed: Mutex<HashMap<Uri, Arc<Linted>>>,
    /// The lint running per document, if any (see [`State::lint_in_background`]).
    running: Mutex<HashMap<Uri, Arc<tokio::sync::Notify>>>,
    /// What each open document's last lint keeps for the next (an edit is judged again
    /// only where it can change something). Taken out while a lint runs.
    sessions: Mutex<HashMap<Uri, LintSession>>,
    pub prober: RwLock<Prober>,
    /// The project as both front ends model it: configs, who reads what, `.gitignore`,
    /// with the open buffers laid over the disk. Handlers lint a clone of it.
    pub workspace: RwLock<Workspace>,
    /// Config errors already shown to the user (each once).
    reported_config_errors: Mutex<std::collections::HashSet<String>>,
    /// Config errors found by lints, for the next handler to show.
    pending_config_errors: Mutex<Vec<String>>,
    generation: std::sync::atomic::AtomicU64,
    /// A `shutdown` request came: `exit` then ends the process with 0, not 1.
    shutdown: std::sync::atomic::AtomicBool,
}

impl Default for State {
    fn default() -> State {
        let settings = Settings::default();
        State {
            client: RwLock::default(),
            prober: RwLock::new(Prober::new(settings.probe_settings())),
            workspace: RwLock::new(Workspace::new(
                Index::default(),
                Arc::new(Configs::new(ConfigChoice::Discover, None)),
                settings.overrides(None),
            )),
            settings: RwLock::new(settings),
            reported_config_errors: Mutex::default(),
            pending_config_errors: Mutex::default(),
            documents: RwLock::default(),
            linted: Mutex::default(),
            pushed: Mutex::default(),
            running: Mutex::default(),
            sessions: Mutex::default(),
            generation: std::sync::atomic::AtomicU64::new(0),
            shutdown: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// A poisoned lock only means a panic happened while it was held; the data (a
/// document map, settings) is still usable, so keep serving.
pub fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl State {
    /// Takes new settings; a changed probe configuration gets a new prober (and with
    /// it an empty memory cache).
    pub fn apply_settings(&self, settings: Settings) {
        let mut current = write(&self.settings);
        if current.probe_settings() != settings.probe_settings() {
            *write(&self.prober) = Prober::new(settings.probe_settings());
        }
        let root = read(&self.client).root.clone();
        let mut workspace = write(&self.workspace);
        *workspace = workspace.with_overrides(settings.overrides(root.as_deref()));
        *current = settings;
    }

    /// A new workspace folder: configs are found under it (no higher), and its tree is
    /// indexed again ([`State::reindex`]).
    pub fn set_root(&self, root: Option<PathBuf>) {
        write(&self.client).root.clone_from(&root);
        let settings = read(&self.settings);
        let mut workspace = write(&self.workspace);
        let mut fresh = Workspace::new(
            Index::default(),
            Arc::new(Configs::new(ConfigChoice::Discover, root.clone())),
            settings.overrides(root.as_deref()),
        );
        for (_, document) in read(&self.documents).iter() {
            if let Some(path) = &document.path {
                fresh.set_overlay(path, document.text());
            }
        }
        *workspace = fresh;
    }

    /// Walks the workspace folder for hint and `.gitignore` files, the way `keylint lint`
    /// walks a directory, and takes the result. Runs on the blocking pool. `found` hears
    /// how many files the walk found, before they are read; returns that number once the
    /// index is in place (`None` without a folder or when the walk failed).
    pub fn reindex(&self, found: impl FnOnce(usize)) -> Option<usize> {
        let root = read(&self.client).root.clone()?;
        let started = std::time::Instant::now();
        let configs = Arc::new(Configs::new(ConfigChoice::Discover, Some(root.clone())));
        let (index, files) = match discover_bounded(&[root], &configs, MAX_INDEXED_ENTRIES) {
            Ok(discovery) => {
                if discovery.truncated {
                    tracing::warn!(
                        "the workspace folder has more than {MAX_INDEXED_ENTRIES} entries: who reads which env file is judged from the first ones"
                    );
                }
                let files = discovery.files_read();
                found(files);
                (Index::from_discovery(&discovery), files)
            }
            Err(error) => {
                tracing::warn!("cannot index the workspace folder: {error:#}");
                return None;
            }
        };
        let indexed = {
            let mut workspace = write(&self.workspace);
            *workspace = workspace.with_index(index);
            workspace.clone()
        };
        // Where each name is set and used is read here, off the protocol loop, rather
        // than by the first definition or completion.
        let _ = indexed.setters();
        tracing::info!(
            "indexed {files} files of the workspace folder in {} ms",
            started.elapsed().as_millis()
        );
        Some(files)
    }

    /// Keeps the workspace's view of an open document equal to its buffer.
    pub fn sync_overlay(&self, uri: &Uri) {
        let document = read(&self.documents).get(uri).cloned();
        let mut workspace = write(&self.workspace);
        match document.and_then(|document| Some((document.path.clone()?, document.text()))) {
            Some((path, text)) => workspace.set_overlay(&path, text),
            None => {
                if let Some(path) = uri.to_file_path() {
                    workspace.remove_overlay(&path);
                }
            }
        }
    }

    /// Config errors found since the last call that were not shown yet.
    pub fn take_config_errors(&self) -> Vec<String> {
        let pending = std::mem::take(&mut *lock(&self.pending_config_errors));
        let mut reported = lock(&self.reported_config_errors);
        pending
            .into_iter()
            .filter(|error| reported.insert(error.clone()))
            .collect()
    }

    /// Drops what a closed document's lints kept.
    pub fn forget_session(&self, uri: &Uri) {
        lock(&self.sessions).remove(uri);
    }

    /// How many lints have started, of any document.
    #[must_use]
    pub fn lints_started(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn request_shutdown(&self) {
        self.shutdown
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    #[must_use]
    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn encoding(&self) -> Encoding {
        read(&self.client).encoding
    }

    /// The parse behind the last lint of `uri`, when that lint was of `text`.
    pub fn last_parse(&self, uri: &Uri, text: &Arc<str>) -> Option<Arc<LazyParse>> {
        lock(&self.linted)
            .get(uri)
            .filter(|linted| linted.is_of(text))
            .and_then(|linted| linted.parsed.clone())
    }

    /// The project as the core sees it, as it is now (open buffers over the disk).
    pub fn project(&self) -> Workspace {
        read(&self.workspace).clone()
    }

    /// Lints an open document's current text and remembers the result. `None` when
    /// the document is not open or not a file keylint lints.
    pub fn lint_document(&self, uri: &Uri) -> Option<Arc<Linted>> {
        // The generation is taken with the text, under the documents' lock: lints of
        // later texts always get later generations, however long each lint takes.
        let (document, generation) = {
            let documents = read(&self.documents);
            let document: Document = documents.get(uri)?.clone();
            let generation = self
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                + 1;
            (document, generation)
        };
        let project = self.project();
        let path = document
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(uri.path().as_str()));
        let kind = document.kind.or_else(|| project.kind_of(&path, false))?;
        if project.is_excluded(&path) {
            return None;
        }
        let snapshot = document.snapshot();
        if let Err(error) = project.config_for(&path) {
            lock(&self.pending_config_errors).push(error);
        }
        let mut session = lock(&self.sessions).remove(uri).unwrap_or_default();
        let (diagnostics, parsed) = lint_text(&path, &snapshot.text, kind, &project, &mut session);
        if parsed.is_some() && read(&self.documents).get(uri).is_some() {
            lock(&self.sessions).insert(uri.clone(), session);
        }
        let diagnostics = relative_to_root(diagnostics, read(&self.client).root.as_deref());
        let linted = Arc::new(Linted {
            generation,
            version: document.version,
            snapshot,
            diagnostics,
            parsed,
        });
        let mut all = lock(&self.linted);
        // Keep the newest: a slower lint of an older version must not win.
        let keep = all
            .get(uri)
            .is_none_or(|existing| existing.generation <= linted.generation);
        if keep {
            all.insert(uri.clone(), Arc::clone(&linted));
        }
        Some(linted)
    }

    /// [`State::lint_document`] on the blocking pool: a big document's lint never holds
    /// up the protocol loop (hovers and edits of other documents go on meanwhile).
    ///
    /// At most one lint runs per document. A caller that comes while one runs waits for
    /// it and then takes the result of a lint that started after it came, running that
    /// lint itself if no other waiter did: ten quick edits of a slow document cost two
    /// lints (the one running and one of the latest text), not ten queued one behind
    /// the other.
    pub async fn lint_in_background(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Linted>> {
        let asked = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        loop {
            let running = {
                let mut running = lock(&self.running);
                match running.get(uri) {
                    // Created under the lock, so the end of that lint cannot be missed.
                    Some(done) => Some(Arc::clone(done).notified_owned()),
                    None => {
                        running.insert(uri.clone(), Arc::new(tokio::sync::Notify::new()));
                        None
                    }
                }
            };
            let Some(finished) = running else {
                let state = Arc::clone(self);
                let owned = uri.clone();
                // The slot is freed by the blocking task itself, which runs to the end
                // even when this caller is dropped (a cancelled pull request).
                return tokio::task::spawn_blocking(move || {
                    let linted = catch_unwind(AssertUnwindSafe(|| state.lint_document(&owned)));
                    if let Some(done) = lock(&state.running).remove(&owned) {
                        done.notify_waiters();
                    }
                    linted.ok().flatten()
                })
                .await
                .ok()
                .flatten();
            };
            finished.await;
            let newer = lock(&self.linted)
                .get(uri)
                .filter(|linted| linted.generation > asked)
                .cloned();
            if newer.is_some() {
                return newer;
            }
        }
    }

    /// URIs of open documents keylint lints, other than `except`, that may read
    /// `changed` (a Compose or YAML file in the same directory or below).
    pub fn dependents(&self, changed: &Path) -> Vec<Uri> {
        let Some(dir) = changed.parent() else {
            return Vec::new();
        };
        read(&self.documents)
            .iter()
            .filter(|(_, document)| {
                document
                    .kind
                    .is_some_and(|kind| kind != keylint_core::FileKind::EnvFile)
                    && document
                        .path
                        .as_deref()
                        .is_some_and(|path| path.starts_with(dir))
            })
            .map(|(uri, _)| uri.clone())
            .collect()
    }

    /// Every open document keylint lints.
    pub fn lintable(&self) -> Vec<Uri> {
        read(&self.documents)
            .iter()
            .filter(|(_, document)| document.kind.is_some())
            .map(|(uri, _)| uri.clone())
            .collect()
    }
}

/// Paths in messages print relative to the workspace folder, as `keylint lint` run there
/// prints them (the server lints absolute paths).
fn relative_to_root(mut diagnostics: Vec<Diagnostic>, root: Option<&Path>) -> Vec<Diagnostic> {
    let Some(root) = root else {
        return diagnostics;
    };
    let prefix = format!("{}/", root.display());
    for diagnostic in &mut diagnostics {
        if diagnostic.message.contains(&prefix) {
            diagnostic.message = diagnostic.message.replace(&prefix, "");
        }
        if let Some(fix) = &mut diagnostic.fix
            && fix.description.contains(&prefix)
        {
            fix.description = fix.description.replace(&prefix, "");
        }
    }
    diagnostics
}

/// The core call, with panics caught: a document that trips a bug yields no
/// diagnostics (and a log line) instead of killing the server. Also returns the parse,
/// loader outcomes and all, for hover on this version.
pub fn lint_text(
    path: &Path,
    text: &str,
    kind: keylint_core::FileKind,
    project: &Workspace,
    session: &mut LintSession,
) -> (Vec<Diagnostic>, Option<Arc<LazyParse>>) {
    match catch_unwind(AssertUnwindSafe(|| {
        let (diagnostics, parsed) = project.lint_in_session(path, text, kind, session);
        (diagnostics, Some(Arc::new(parsed)))
    })) {
        Ok(linted) => linted,
        Err(_) => {
            tracing::error!("the linter panicked on a document; no diagnostics for it");
            (Vec::new(), None)
        }
    }
}

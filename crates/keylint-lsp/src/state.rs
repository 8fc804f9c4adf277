//! Server state shared by the handlers. Locks are `std::sync` and never held across
//! an `.await`.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use keylint_core::assignment::ParsedFile;
use keylint_core::{Diagnostic, LintInput, Project as _, lint_parsed};
use keylint_probe::Prober;
use tower_lsp_server::ls_types::Uri;

use crate::documents::{Document, Documents};
use crate::encoding::Encoding;
use crate::project::ServerProject;
use crate::settings::Settings;

/// Documents larger than this are not linted (nor hovered): real env and Compose files
/// are a few kilobytes, and the core's cost on megabytes of text would stall the
/// server. The client gets an empty diagnostic list and a log message.
pub const MAX_LINT_BYTES: usize = 1 << 20;

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
}

/// Diagnostics computed for one version of a document.
#[derive(Debug)]
pub struct Linted {
    /// Increases with every lint of any document: the push path sends a document's
    /// result only when it is newer than the one it sent last.
    pub generation: u64,
    pub version: i32,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The parse behind `diagnostics`, kept so hover on this version does not read the
    /// file again. `None` when the document was too big to lint or the linter panicked.
    pub parsed: Option<Arc<ParsedFile>>,
}

pub struct State {
    pub client: RwLock<ClientInfo>,
    pub settings: RwLock<Settings>,
    pub documents: RwLock<Documents>,
    /// Latest lint result per document; the push path publishes the newest one.
    /// Shared, so handing a result on (push, hover, pull) copies no text.
    pub linted: Mutex<HashMap<Uri, Arc<Linted>>>,
    /// Generation last pushed per document (push mode only).
    pub pushed: Mutex<HashMap<Uri, u64>>,
    pub prober: RwLock<Prober>,
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
            settings: RwLock::new(settings),
            documents: RwLock::default(),
            linted: Mutex::default(),
            pushed: Mutex::default(),
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
        *current = settings;
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

    /// The project as the core sees it: open buffers, then the disk.
    pub fn project(&self) -> ServerProject {
        let open = read(&self.documents)
            .iter()
            .filter_map(|(_, document)| Some((document.path.clone()?, document.text())))
            .collect();
        let settings = read(&self.settings);
        ServerProject::new(open, read(&self.client).root.clone(), &settings.consumers)
    }

    /// Lints an open document's current text and remembers the result. `None` when
    /// the document is not open or not a file keylint lints.
    pub fn lint_document(&self, uri: &Uri) -> Option<Arc<Linted>> {
        let document: Document = read(&self.documents).get(uri)?.clone();
        let kind = document.kind?;
        let text = document.text();
        let project = self.project();
        let selection = read(&self.settings).rule_selection();
        let path = document
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(uri.path().as_str()));
        let (diagnostics, parsed) = if text.len() > MAX_LINT_BYTES {
            tracing::warn!(
                "not linting a {} byte document (limit {MAX_LINT_BYTES})",
                text.len()
            );
            (Vec::new(), None)
        } else {
            lint_text(&path, &text, kind, &project, &selection)
        };
        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let linted = Arc::new(Linted {
            generation,
            version: document.version,
            text,
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
    pub async fn lint_in_background(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Linted>> {
        let state = Arc::clone(self);
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || state.lint_document(&uri))
            .await
            .ok()
            .flatten()
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

/// The core call, with panics caught: a document that trips a bug yields no
/// diagnostics (and a log line) instead of killing the server. Also returns the parsed
/// file, loader outcomes and all, for hover on this version.
pub fn lint_text(
    path: &Path,
    text: &str,
    kind: keylint_core::FileKind,
    project: &ServerProject,
    selection: &keylint_core::RuleSelection,
) -> (Vec<Diagnostic>, Option<Arc<ParsedFile>>) {
    let mut input = LintInput::new(path, text, kind);
    input.is_committed = !project.is_ignored(path);
    let settings = keylint_core::Settings::default();
    match catch_unwind(AssertUnwindSafe(|| {
        let parsed = ParsedFile::parse(kind, text);
        let diagnostics = lint_parsed(&input, &parsed, project, &settings, selection);
        (diagnostics, Some(Arc::new(parsed)))
    })) {
        Ok(linted) => linted,
        Err(_) => {
            tracing::error!("the linter panicked on a document; no diagnostics for it");
            (Vec::new(), None)
        }
    }
}

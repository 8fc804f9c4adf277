//! `impl LanguageServer`: each method delegates to `handlers/<method>.rs`.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CompletionParams, CompletionResponse,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReportResult, ExecuteCommandParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverParams, InitializeParams, InitializeResult,
    InitializedParams, LSPAny, Location, ReferenceParams,
};
use tower_lsp_server::{Client, LanguageServer};

use crate::handlers;
use crate::state::State;

/// Cheap to clone (shared state), so background tasks can hold one.
#[derive(Clone)]
pub struct Backend {
    pub client: Client,
    pub state: Arc<State>,
    /// Serialises pushes so the newest diagnostics of a document are sent last.
    pub publish_lock: Arc<tokio::sync::Mutex<()>>,
}

impl Backend {
    #[must_use]
    pub fn new(client: Client) -> Backend {
        Backend::with_state(client, Arc::new(State::default()))
    }

    /// A backend on state the caller keeps too (to read the exit code after `exit`).
    #[must_use]
    pub fn with_state(client: Client, state: Arc<State>) -> Backend {
        Backend {
            client,
            state,
            publish_lock: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::initialize::initialize(self, params)
    }

    async fn initialized(&self, params: InitializedParams) {
        handlers::initialize::initialized(self, params).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.request_shutdown();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::did_open::did_open(self, params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::did_change::did_change(self, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::did_close::did_close(self, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::did_change_configuration(self, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::did_change_watched_files::did_change_watched_files(self, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        // The lint itself runs under catch_unwind on the blocking pool.
        Ok(handlers::diagnostic::diagnostic(self, params).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guarded("textDocument/codeAction", || {
            handlers::code_action::code_action(self, params)
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(handlers::hover::hover(self, params).await)
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        guarded("textDocument/definition", || {
            handlers::definition::definition(self, params)
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        guarded("textDocument/references", || {
            handlers::references::references(self, params)
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        guarded("textDocument/completion", || {
            handlers::completion::completion(self, params)
        })
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::execute_command::execute_command(self, params).await
    }
}

/// Runs a synchronous handler with panics caught: the request fails, the server lives.
fn guarded<T>(method: &str, handler: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(handler)).map_err(|_| {
        tracing::error!("{method} panicked; the request failed, the server keeps running");
        tower_lsp_server::jsonrpc::Error::internal_error()
    })
}

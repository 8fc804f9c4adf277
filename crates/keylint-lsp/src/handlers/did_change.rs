use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::handlers::{did_open, publish};
use crate::server::Backend;
use crate::state::{lock, write};

/// Applies the edits before the first `.await` (tower-lsp-server runs up to four
/// handlers at once; an await before the update would reorder edits), then lints.
pub async fn did_change(backend: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let encoding = backend.state.encoding();
    let previous =
        write(&backend.state.documents).change(&uri, version, &params.content_changes, encoding);
    match previous {
        None => {
            tracing::warn!("didChange for a document that is not open; ignored");
            return;
        }
        Some(previous) if previous >= version => {
            tracing::warn!("didChange version {version} is not newer than {previous}");
        }
        Some(_) => {}
    }
    backend.state.sync_overlay(&uri);
    let dependents = did_open::dependents(backend, &uri);
    if publish::pushes(backend) {
        // Linted and pushed in a task of its own: the handler returns at once, so edits
        // of a slow (megabytes) document never hold the framework's handler slots that
        // hovers and edits of other documents need.
        let backend = backend.clone();
        tokio::spawn(async move {
            // The result this lint replaces is freed only after the publish: freeing the
            // parse of a 10,000-line file (loader outcomes and all) costs about a tenth
            // of the lint itself, and the client need not wait for it.
            let replaced = lock(&backend.state.linted).get(&uri).cloned();
            backend.state.lint_in_background(&uri).await;
            publish::push_latest(&backend, uri).await;
            publish::report_config_errors(&backend).await;
            drop(replaced);
            publish::refresh(&backend, dependents).await;
        });
    } else {
        publish::refresh(backend, dependents).await;
    }
}

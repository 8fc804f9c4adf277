use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::handlers::publish;
use crate::server::Backend;
use crate::state::{lock, write};

pub async fn did_close(backend: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let dependents = crate::handlers::did_open::dependents(backend, &uri);
    write(&backend.state.documents).close(&uri);
    backend.state.sync_overlay(&uri);
    lock(&backend.state.linted).remove(&uri);
    backend.state.forget_session(&uri);
    let pushed = lock(&backend.state.pushed).remove(&uri).is_some();
    if publish::pushes(backend) && pushed {
        let _guard = backend.publish_lock.lock().await;
        backend
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
    }
    // Compose files fall back to the env file on disk.
    publish::refresh(backend, dependents).await;
}

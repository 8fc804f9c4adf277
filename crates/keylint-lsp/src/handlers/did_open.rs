use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::handlers::publish;
use crate::server::Backend;
use crate::state::write;

pub async fn did_open(backend: &Backend, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    let uri = document.uri;
    // State first, before any `.await`.
    write(&backend.state.documents).open(uri.clone(), &document.text, document.version);
    backend.state.sync_overlay(&uri);
    let mut uris = vec![uri.clone()];
    uris.extend(dependents(backend, &uri));
    publish::refresh(backend, uris).await;
}

/// Open Compose/YAML documents that may read the env file at `uri`.
pub fn dependents(
    backend: &Backend,
    uri: &tower_lsp_server::ls_types::Uri,
) -> Vec<tower_lsp_server::ls_types::Uri> {
    let document = crate::state::read(&backend.state.documents)
        .get(uri)
        .cloned();
    match document {
        Some(document) if document.kind == Some(keylint_core::FileKind::EnvFile) => document
            .path
            .as_deref()
            .map(|path| backend.state.dependents(path))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

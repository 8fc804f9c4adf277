use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::handlers::publish;
use crate::server::Backend;

/// An env, YAML or `.gitignore` file changed on disk: every open document may read it.
pub async fn did_change_watched_files(backend: &Backend, params: DidChangeWatchedFilesParams) {
    if params.changes.is_empty() {
        return;
    }
    let uris = backend.state.lintable();
    publish::refresh(backend, uris).await;
}

//! The push path (clients without pull diagnostics) and refreshes after cross-file
//! changes. In pull mode nothing is ever pushed.

use tower_lsp_server::ls_types::Uri;

use crate::convert;
use crate::server::Backend;
use crate::state::{lock, read};

/// Lints `uris` now (off the protocol loop) and then pushes the results, or, in pull mode,
/// asks the client to pull again when it supports `workspace/diagnostic/refresh`.
pub async fn refresh(backend: &Backend, uris: Vec<Uri>) {
    if uris.is_empty() {
        return;
    }
    let (pull, refresh) = {
        let client = read(&backend.state.client);
        (client.pull_diagnostics, client.diagnostic_refresh)
    };
    if pull {
        if refresh {
            let request = backend.client.workspace_diagnostic_refresh();
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), request).await;
        }
        return;
    }
    for uri in &uris {
        backend.state.lint_in_background(uri).await;
    }
    for uri in uris {
        push_latest(backend, uri).await;
    }
}

/// Pushes the newest lint result of `uri` unless it was pushed already. Under one
/// lock, so that whatever order handlers finish in, the newest result goes out last.
pub async fn push_latest(backend: &Backend, uri: Uri) {
    let _guard = backend.publish_lock.lock().await;
    let Some(linted) = lock(&backend.state.linted).get(&uri).cloned() else {
        return;
    };
    {
        let mut pushed = lock(&backend.state.pushed);
        if pushed
            .get(&uri)
            .is_some_and(|generation| *generation >= linted.generation)
        {
            return;
        }
        pushed.insert(uri.clone(), linted.generation);
    }
    let encoding = backend.state.encoding();
    let diagnostics =
        convert::diagnostics(&linted.diagnostics, &linted.text, encoding, linted.version);
    backend
        .client
        .publish_diagnostics(uri, diagnostics, Some(linted.version))
        .await;
}

/// Whether the server pushes (the client does not pull).
pub fn pushes(backend: &Backend) -> bool {
    !read(&backend.state.client).pull_diagnostics
}

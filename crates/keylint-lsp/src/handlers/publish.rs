//! The push path (clients without pull diagnostics) and refreshes after cross-file
//! changes. In pull mode nothing is ever pushed.

use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::convert;
use crate::progress::IndexProgress;
use crate::server::Backend;
use crate::state::{lock, read};

/// Lints `uris` (off the protocol loop, in a detached task) and then pushes the results,
/// or, in pull mode, asks the client to pull again when it supports
/// `workspace/diagnostic/refresh`.
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
    // In a task of its own, so a handler never waits for a slow document's lint.
    let backend = backend.clone();
    tokio::spawn(async move {
        for uri in &uris {
            backend.state.lint_in_background(uri).await;
        }
        report_config_errors(&backend).await;
        for uri in uris {
            push_latest(&backend, uri).await;
        }
    });
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
        // Nothing newer to say: an older lint, or the same findings for the same version
        // (a lint again after the index or a config changed nothing for this document).
        let stale = pushed.get(&uri).is_some_and(|sent| {
            sent.generation >= linted.generation
                || (sent.version == linted.version && sent.diagnostics == linted.diagnostics)
        });
        if stale {
            return;
        }
        pushed.insert(uri.clone(), Arc::clone(&linted));
    }
    let encoding = backend.state.encoding();
    let diagnostics = convert::diagnostics(
        &linted.diagnostics,
        &linted.snapshot,
        encoding,
        linted.version,
    );
    backend
        .client
        .publish_diagnostics(uri, diagnostics, Some(linted.version))
        .await;
}

/// Indexes the workspace folder again on the blocking pool, then lints the open
/// documents again. Detached: nothing waits for it (not the first diagnostics, not
/// `exit`). The client sees it as `$/progress` ("indexing N files") when it can.
pub fn reindex_in_background(backend: &Backend) {
    let backend = backend.clone();
    tokio::spawn(async move {
        let state = std::sync::Arc::clone(&backend.state);
        let (found, files) = tokio::sync::oneshot::channel();
        let indexing = tokio::task::spawn_blocking(move || {
            state.reindex(|count| {
                let _ = found.send(count);
            })
        });
        let progress = IndexProgress::begin(&backend).await;
        if let Ok(count) = files.await {
            progress.found(count).await;
        }
        let indexed = indexing.await.ok().flatten();
        progress.finish(indexed).await;
        if indexed.is_some() {
            refresh(&backend, backend.state.lintable()).await;
        }
    });
}

/// Shows each config error the lints met (once per error): a broken `keylint.toml` is
/// ignored by the server, as `keylint lint` refuses to run with it.
pub async fn report_config_errors(backend: &Backend) {
    for error in backend.state.take_config_errors() {
        let message = format!(
            "keylint: {} (the file is ignored until it is fixed)",
            keylint_core::mask::for_display(&error)
        );
        tracing::warn!("{message}");
        backend
            .client
            .show_message(tower_lsp_server::ls_types::MessageType::WARNING, message)
            .await;
    }
}

/// Whether the server pushes (the client does not pull).
pub fn pushes(backend: &Backend) -> bool {
    !read(&backend.state.client).pull_diagnostics
}

//! `keylint lsp`: the language server. It reads documents, asks the pure core for
//! diagnostics and fixes, and converts between byte offsets and LSP positions.
//!
//! House rules (ARCHITECTURE.md, `keylint-lsp`): document state is updated before the
//! first `.await` of a notification handler; every core call runs under
//! `catch_unwind`; the live probe runs in its own task and never holds up diagnostics;
//! positions are converted only in [`encoding`] and [`convert`].

pub mod convert;
pub mod documents;
pub mod encoding;
pub mod handlers;
pub mod log;
pub mod navigation;
pub mod probe;
pub mod progress;
pub mod server;
pub mod settings;
pub mod startup_check;
pub mod state;

pub use server::Backend;

use tower_lsp_server::{LspService, Server};

/// Serves the protocol on standard input and output until the client sends `exit`
/// (or closes the pipe, or sends a frame that cannot be read). Returns the exit code the
/// protocol asks for: 0 after a `shutdown` request, 1 otherwise.
pub async fn run_stdio() -> u8 {
    log::init();
    let state = std::sync::Arc::new(state::State::default());
    let (service, socket) = {
        let state = std::sync::Arc::clone(&state);
        LspService::new(move |client| Backend::with_state(client, state))
    };
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
    if state.shutdown_requested() {
        0
    } else {
        tracing::warn!("the client left without a shutdown request: exit code 1");
        1
    }
}

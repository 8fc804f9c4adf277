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
pub mod project;
pub mod server;
pub mod settings;
pub mod startup_check;
pub mod state;

pub use server::Backend;

use tower_lsp_server::{LspService, Server};

/// Serves the protocol on standard input and output until the client sends `exit`
/// (or closes the pipe).
pub async fn run_stdio() {
    log::init();
    let (service, socket) = LspService::new(Backend::new);
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

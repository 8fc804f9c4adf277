//! The background index as work-done progress (`$/progress`), for clients that show it
//! (`window.workDoneProgress`): "keylint: indexing" begins when the walk starts, reports
//! how many files it found, and ends when the index is in place. Editors show it in the
//! status bar; tests use its end to tell "before the index" from "after".

use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::ls_types::request::WorkDoneProgressCreate;
use tower_lsp_server::ls_types::{NumberOrString, ProgressToken, WorkDoneProgressCreateParams};
use tower_lsp_server::{NotCancellable, OngoingProgress, Unbounded};

use crate::server::Backend;
use crate::state::read;

/// How long the client may take to accept a progress token.
const CREATE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// A new token for each indexing run (the folder is indexed again when files change).
static RUNS: AtomicU64 = AtomicU64::new(0);

/// Progress of one indexing run; does nothing when the client does not show progress.
pub struct IndexProgress {
    ongoing: Option<OngoingProgress<Unbounded, NotCancellable>>,
}

impl IndexProgress {
    pub async fn begin(backend: &Backend) -> IndexProgress {
        if !read(&backend.state.client).work_done_progress {
            return IndexProgress { ongoing: None };
        }
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let token: ProgressToken = NumberOrString::String(format!("keylint/indexing/{run}"));
        // A client that does not answer must not hold up the lint that follows the index.
        let created = tokio::time::timeout(
            CREATE_TIMEOUT,
            backend
                .client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: token.clone(),
                }),
        )
        .await;
        if !matches!(created, Ok(Ok(()))) {
            return IndexProgress { ongoing: None };
        }
        let ongoing = backend
            .client
            .progress(token, "keylint: indexing")
            .with_message("walking the workspace folder")
            .begin()
            .await;
        IndexProgress {
            ongoing: Some(ongoing),
        }
    }

    /// The walk found `files` files to read.
    pub async fn found(&self, files: usize) {
        if let Some(ongoing) = &self.ongoing {
            ongoing.report(format!("indexing {files} files")).await;
        }
    }

    /// The index is in place (`Some(files)`), or the walk failed.
    pub async fn finish(self, indexed: Option<usize>) {
        if let Some(ongoing) = self.ongoing {
            let message = match indexed {
                Some(files) => format!("indexed {files} files"),
                None => "the workspace folder could not be indexed".to_string(),
            };
            ongoing.finish_with_message(message).await;
        }
    }
}

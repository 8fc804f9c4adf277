//! The background index as work-done progress, with a client that is slow to accept the
//! progress token. (A client that accepts it: `crates/keylint/tests/lsp_e2e.rs`.)

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_client_that_does_not_accept_the_progress_token_gets_no_progress_but_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("OPENAI_API_KEY=\" {}\"\n", openai_key('p'));
    std::fs::write(dir.path().join(".env"), &text).unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import os\nkey = os.environ[\"OPENAI_API_KEY\"]\n",
    )
    .unwrap();
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            json!({"textDocument": {"publishDiagnostics": {}}, "window": {"workDoneProgress": true}}),
            json!({}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &text, 1).await;
    // Read nothing for longer than the server waits for the token to be accepted.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let messages = client.drain(Duration::from_millis(1_500)).await;
    assert!(
        client
            .server_requests
            .iter()
            .any(|request| request["method"] == "window/workDoneProgress/create"),
        "{:?}",
        client.server_requests
    );
    assert!(
        !messages
            .iter()
            .any(|message| message["method"] == "$/progress"),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(
            |message| message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri.as_str()
        ),
        "{messages:?}"
    );
}

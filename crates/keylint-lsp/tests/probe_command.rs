//! `workspace/executeCommand` `keylint.probe`: the key under the cursor in the open
//! buffer (not the file on disk), probed against a loopback mock the user allowed, and
//! reported with the finding `keylint lint --probe` would give it.

mod common;

use common::*;
use keylint_test_support::Secrets;
use serde_json::{Value, json};

async fn probe(client: &mut TestClient, argument: Value) -> Value {
    let id = client
        .start_request(
            "workspace/executeCommand",
            json!({"command": "keylint.probe", "arguments": [argument]}),
        )
        .await;
    client.response(id).await
}

#[tokio::test]
async fn the_probe_command_probes_the_open_buffer() {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let dir = tempfile::tempdir().unwrap();
    // On disk: no key. In the editor: an unsaved one.
    std::fs::write(dir.path().join(".env"), "OPENAI_API_KEY=\n").unwrap();
    std::fs::write(
        dir.path().join("keylint.toml"),
        "[severity]\nKL601 = \"warning\"\n",
    )
    .unwrap();
    let key = openai_key('c');
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY={key}\n",
        mock.port
    );
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    let initialized = client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"allowedHosts": [format!("127.0.0.1:{}", mock.port)], "timeoutMs": 2000}}}),
            &file_uri(dir.path()),
        )
        .await;
    assert_eq!(
        initialized["capabilities"]["executeCommandProvider"]["commands"],
        json!(["keylint.probe"])
    );
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;

    // The cursor on the key's value.
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 20}}),
    )
    .await;
    let result = &response["result"];
    assert_eq!(result["variable"], "OPENAI_API_KEY", "{response:#}");
    assert_eq!(result["path"], ".env");
    assert_eq!(result["line"], 2);
    assert_eq!(result["provider"], "openai");
    assert_eq!(result["verdict"], "invalid_key");
    assert_eq!(result["http_status"], 401);
    assert_eq!(result["read_by"], json!(["python-dotenv"]));
    assert!(
        result["key"].as_str().unwrap().starts_with("sk-proj-…"),
        "{result:#}"
    );
    // The finding lint --probe gives it, at the severity keylint.toml sets.
    assert_eq!(result["finding"]["code"], "KL601");
    assert_eq!(result["finding"]["severity"], "warning");
    assert_eq!(mock.connections(), 1, "the buffer's key was sent, once");
    Secrets::new([&key]).assert_no_leak("probe command", &response.to_string());

    // By name; the answer is cached.
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "variable": "OPENAI_API_KEY"}),
    )
    .await;
    assert_eq!(response["result"]["verdict"], "invalid_key");
    assert_eq!(response["result"]["cached"], true);

    // A suppression in the buffer silences the finding, not the verdict.
    let suppressed = text.replace(
        "OPENAI_API_KEY=",
        "# keylint: ignore-next-line[KL601]\nOPENAI_API_KEY=",
    );
    client.change_full(&uri, &suppressed, 2).await;
    client.diagnostics(&uri).await;
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}),
    )
    .await;
    assert_eq!(response["result"]["verdict"], "invalid_key", "{response:#}");
    assert_eq!(response["result"]["finding"], Value::Null);

    // Nothing to probe: an error that says why.
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
    )
    .await;
    let error = response["error"]["message"].as_str().unwrap_or_default();
    assert!(error.contains("no variable here"), "{response:#}");
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "variable": "OPENAI_ORG_ID"}),
    )
    .await;
    let error = response["error"]["message"].as_str().unwrap_or_default();
    assert!(error.contains("no provider key"), "{response:#}");
    client.shutdown().await;
}

#[tokio::test]
async fn the_probe_command_keeps_the_user_host_rules() {
    let mock = MockProvider::start(200, r#"{"data":[]}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('h');
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY={key}\n",
        mock.port
    );
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    let response = probe(
        &mut client,
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    )
    .await;
    assert_eq!(response["result"]["verdict"], "unknown", "{response:#}");
    assert!(
        response["result"]["message"]
            .as_str()
            .unwrap()
            .contains("did not send"),
        "{response:#}"
    );
    assert_eq!(
        mock.connections(),
        0,
        "the key never left for the workspace's host"
    );
    Secrets::new([&key]).assert_no_leak("probe command", &response.to_string());
    client.shutdown().await;
}

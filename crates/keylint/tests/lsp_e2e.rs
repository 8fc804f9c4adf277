//! End to end: the real `keylint lsp` binary over stdio, as an editor runs it.
//! initialize → didOpen broken .env → diagnostics → codeAction → apply → didChange →
//! diagnostics cleared → hover (live probe against a loopback mock the user allowed)
//! → shutdown/exit within 1 s.

#[path = "../../keylint-lsp/tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use keylint_test_support::Secrets;
use serde_json::json;

/// The real binary at the most verbose logging: even at trace level no key may reach
/// stderr.
fn spawn() -> (tokio::process::Child, TestClient) {
    spawn_server(env!("CARGO_BIN_EXE_keylint"), "trace")
}

#[tokio::test]
async fn the_binary_serves_an_editor_session() {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('e');
    let text = format!(
        "# café ☕\nOPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY=\" {key}\"\n",
        mock.port
    );
    std::fs::write(dir.path().join(".env"), &text).unwrap();
    let uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn();
    let result = client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"allowedHosts": [format!("127.0.0.1:{}", mock.port)]}}}),
            &file_uri(dir.path()),
        )
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(result["serverInfo"]["name"], "keylint");

    client.open(&uri, &text, 1).await;
    let published = client.diagnostics(&uri).await;
    let diagnostics = published["diagnostics"].clone();
    assert!(
        diagnostics
            .as_array()
            .unwrap()
            .iter()
            .any(|diagnostic| diagnostic["code"] == "KL102"),
        "{diagnostics}"
    );
    Secrets::new([&key]).assert_no_leak("diagnostics", &published.to_string());

    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 10}},
                "context": {"diagnostics": diagnostics}
            }),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|action| action["title"].as_str())
        .collect();
    Secrets::new([&key]).assert_no_leak("code action titles", &titles.join("\n"));
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["kind"] == "quickfix")
        .expect("a quick fix")
        .clone();
    let fixed = apply(
        &text,
        quickfix["edit"]["changes"][uri.as_str()]
            .as_array()
            .unwrap(),
    );
    client.change_full(&uri, &fixed, 2).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]), "fixed: {fixed:?}");

    // Hover: offline facts at once, the probe verdict once the mock answered.
    let deadline = Instant::now() + Duration::from_secs(8);
    let value = loop {
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}),
            )
            .await;
        let value = hover["contents"]["value"].as_str().unwrap().to_string();
        if value.contains("invalid key") || Instant::now() > deadline {
            break value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(value.contains("invalid key"), "{value}");
    assert!(value.contains("OpenAI project key"), "{value}");
    Secrets::new([&key]).assert_no_leak("hover", &value);
    assert!(mock.connections() >= 1);

    let started = Instant::now();
    client.shutdown().await;
    let status = tokio::time::timeout(Duration::from_secs(1), child.wait())
        .await
        .expect("keylint lsp exits within 1 s of `exit`")
        .unwrap();
    assert!(status.success());
    assert!(started.elapsed() < Duration::from_secs(1));
    let stderr = stderr_of(&mut child).await;
    Secrets::new([&key]).assert_no_leak("server log", &stderr);
}

#[tokio::test]
async fn without_allowed_hosts_the_binary_sends_nothing_to_the_workspace_host() {
    let mock = MockProvider::start(200, r#"{"data":[]}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('n');
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY={key}\n",
        mock.port
    );
    let uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    for _ in 0..3 {
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
            )
            .await;
        Secrets::new([&key]).assert_no_leak("hover", &hover.to_string());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(mock.connections(), 0);
    client.shutdown().await;
    tokio::time::timeout(Duration::from_secs(1), child.wait())
        .await
        .expect("exits within 1 s")
        .unwrap();
}

/// A document that makes the linter panic (the debug-build test marker, which puts the
/// whole text in the panic message) costs its diagnostics, not the session, and the log
/// says where it happened without a byte of the key.
#[tokio::test]
async fn a_panic_while_linting_keeps_the_server_up_and_the_key_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('p');
    let text = format!("# keylint-test: panic here\nOPENAI_API_KEY=\" {key}\"\n");
    let uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    client.open(&uri, &text, 1).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    // Still serving: the same document without the marker gets its findings.
    let fixed = text.replace("# keylint-test: panic here\n", "");
    client.open(&uri, &fixed, 2).await;
    let published = client.diagnostics(&uri).await;
    assert!(
        !published["diagnostics"].as_array().unwrap().is_empty(),
        "{published}"
    );
    client.shutdown().await;
    child.wait().await.unwrap();
    let stderr = stderr_of(&mut child).await;
    assert!(stderr.contains("internal error at "), "{stderr}");
    Secrets::new([&key]).assert_no_leak("server log", &stderr);
}

/// The exit code the protocol asks for: 0 after `shutdown` then `exit`, 1 for `exit`
/// alone, for a frame that cannot be read, and for a client that just goes away.
#[tokio::test]
async fn exit_codes_follow_the_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let root = file_uri(dir.path());
    let exit_code = |mut child: tokio::process::Child| async move {
        tokio::time::timeout(Duration::from_secs(5), child.wait())
            .await
            .expect("keylint lsp exits")
            .unwrap()
            .code()
    };

    let (child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &root)
        .await;
    client.shutdown().await;
    assert_eq!(exit_code(child).await, Some(0), "shutdown, then exit");

    let (child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &root)
        .await;
    client
        .send(&json!({"jsonrpc": "2.0", "method": "exit"}))
        .await;
    assert_eq!(exit_code(child).await, Some(1), "exit without shutdown");

    let (child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &root)
        .await;
    client
        .send_raw(b"Content-Length: 12\r\n\r\n{not json!!}")
        .await;
    client.send_raw(b"Content-Type: nonsense\r\n\r\n").await;
    assert_eq!(exit_code(child).await, Some(1), "a malformed frame");

    let (child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &root)
        .await;
    drop(client);
    assert_eq!(exit_code(child).await, Some(1), "the client went away");
}

/// A document that takes long to lint (the debug-build slow marker: 3 s) holds up
/// nothing else: another document's diagnostics and hover answer meanwhile.
#[tokio::test]
async fn a_slow_document_holds_up_no_other_document() {
    let dir = tempfile::tempdir().unwrap();
    let slow_uri = file_uri(&dir.path().join("slow.env"));
    let quick_uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn();
    client
        .initialize(push_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    client
        .open(&slow_uri, "# keylint-test: slow here\nA= 1\n", 1)
        .await;
    let started = Instant::now();
    client.open(&quick_uri, "OPENAI_API_KEY= sk-x\n", 1).await;
    let published = client.diagnostics(&quick_uri).await;
    assert!(
        !published["diagnostics"].as_array().unwrap().is_empty(),
        "{published}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": quick_uri}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert!(hover["contents"]["value"].is_string(), "{hover}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered while the slow document was still linting ({:?})",
        started.elapsed()
    );
    client.shutdown().await;
    child.wait().await.unwrap();
}

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
    let stderr = shut_down(&mut child, &mut client, Duration::from_secs(1)).await;
    assert!(started.elapsed() < Duration::from_secs(1));
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

/// The background index of a 5,000-file workspace (2,500 env files and 2,500 Python
/// files that load and read them) does not hold up the first diagnostics: a `.env` opened
/// right after `initialized` gets its diagnostics while the index's `$/progress` is still
/// running, and the progress says how many files it reads.
#[tokio::test]
async fn the_first_diagnostics_do_not_wait_for_the_index_of_5000_files() {
    let dir = tempfile::tempdir().unwrap();
    for job in 0..2_500 {
        let package = dir.path().join(format!("services/svc{:03}", job / 25));
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(
            package.join(format!("job{job}.env")),
            format!("JOB_{job}_MODE=batch\nJOB_{job}_REGION=eu\n"),
        )
        .unwrap();
        std::fs::write(
            package.join(format!("job{job}.py")),
            format!(
                "import os\nfrom dotenv import load_dotenv\n\nload_dotenv(\"job{job}.env\")\nmode = os.environ[\"JOB_{job}_MODE\"]\nregion = os.getenv(\"JOB_{job}_REGION\", \"eu\")\n"
            ),
        )
        .unwrap();
    }
    let key = openai_key('i');
    let text = format!("OPENAI_API_KEY=\" {key}\"\n");
    std::fs::write(dir.path().join(".env"), &text).unwrap();
    let uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn_server(env!("CARGO_BIN_EXE_keylint"), "info");
    client
        .initialize(
            json!({"textDocument": {"publishDiagnostics": {}}, "window": {"workDoneProgress": true}}),
            json!({}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &text, 1).await;

    // What arrives until the index's progress ends, in order.
    let mut events = Vec::new();
    let started = Instant::now();
    loop {
        let message = client
            .try_recv(Duration::from_secs(120))
            .await
            .expect("the index's progress ends");
        match message["method"].as_str() {
            Some("$/progress") => {
                let value = &message["params"]["value"];
                let kind = value["kind"].as_str().unwrap().to_string();
                let text = value["message"].as_str().unwrap_or_default().to_string();
                let done = kind == "end";
                events.push(format!("{kind}: {text}"));
                if done {
                    break;
                }
            }
            Some("textDocument/publishDiagnostics") if message["params"]["uri"] == uri.as_str() => {
                let codes: Vec<&str> = message["params"]["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|diagnostic| diagnostic["code"].as_str())
                    .collect();
                events.push(format!("diagnostics: {}", codes.join(" ")));
            }
            _ => {}
        }
    }
    eprintln!("{:?} after {:?}", events, started.elapsed());
    assert!(
        client
            .server_requests
            .iter()
            .any(|request| request["method"] == "window/workDoneProgress/create"),
        "the server asked for a progress token"
    );
    let position = |prefix: &str| events.iter().position(|event| event.starts_with(prefix));
    let first_diagnostics = position("diagnostics: ").expect("diagnostics before the index ends");
    assert!(events[first_diagnostics].contains("KL102"), "{events:?}");
    assert_eq!(
        events.last().map(String::as_str),
        Some("end: indexed 5001 files"),
        "{events:?}"
    );
    let begin = position("begin: ").expect("the progress begins");
    let report = position("report: ").expect("the progress reports");
    assert_eq!(events[report], "report: indexing 5001 files", "{events:?}");
    assert!(begin < report, "{events:?}");

    let log = shut_down(&mut child, &mut client, Duration::from_secs(5)).await;
    assert!(
        log.contains("indexed 5001 files of the workspace folder"),
        "{log}"
    );
    Secrets::new([&key]).assert_no_leak("server log", &log);
}

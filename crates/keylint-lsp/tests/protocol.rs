//! In-process protocol tests: the real server behind `tower_lsp_server::Server` over
//! `tokio::io::duplex`, with real `Content-Length` framing.

mod common;

use std::time::{Duration, Instant};

use common::*;
use keylint_test_support::Secrets;
use serde_json::{Value, json};

/// A workspace on disk with the given files.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn broken_env() -> String {
    format!(
        "# clé de test 😀\nOPENAI_API_KEY=“{}”\nOPENAI_ORG_ID = org-abc\n",
        openai_key('a')
    )
}

#[tokio::test]
async fn push_diagnostics_with_utf16_columns() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    let result = client
        .initialize(push_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(result["capabilities"].get("diagnosticProvider").is_none());
    client.open(&uri, &broken_env(), 1).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["version"], 1);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for diagnostic in diagnostics {
        assert_eq!(diagnostic["source"], "keylint");
        assert!(diagnostic["code"].as_str().unwrap().starts_with("KL"));
    }
    // The curly quotes are one UTF-16 unit each (three UTF-8 bytes): the range of the
    // quoted key ends at 15 + 1 + key + 1.
    let quoted = diagnostics
        .iter()
        .find(|diagnostic| diagnostic["code"] == "KL101")
        .expect("curly quotes are reported");
    let end = 15 + 1 + openai_key('a').len() + 1;
    assert_eq!(quoted["range"]["end"], json!({"line": 1, "character": end}));
    Secrets::new([openai_key('a')]).assert_no_leak("diagnostics", &published.to_string());
    insta::assert_json_snapshot!("push_diagnostics_utf16", published, {".uri" => "[uri]"});
    // A finding after an emoji on the same line: 😀 is two UTF-16 units (one character,
    // four UTF-8 bytes), so the quoted key starts at UTF-16 column 50, not 49 or 52.
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let compose = format!(
        "services:\n  api:\n    image: x\n    environment: {{GREETING: \"😀\", OPENAI_API_KEY: “{}”}}\n",
        openai_key('a')
    );
    client.open(&compose_uri, &compose, 1).await;
    let published = client.diagnostics(&compose_uri).await;
    let quoted = &published["diagnostics"][0];
    assert_eq!(quoted["code"], "KL101", "{published}");
    let start = r#"    environment: {GREETING: "😀", OPENAI_API_KEY: "#;
    assert_eq!(start.encode_utf16().count(), 50);
    assert_eq!(
        quoted["range"],
        json!({
            "start": {"line": 3, "character": 50},
            "end": {"line": 3, "character": 50 + 1 + openai_key('a').len() + 1}
        })
    );
    client.shutdown().await;
}

#[tokio::test]
async fn pull_diagnostics_utf8_and_never_pushes() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    let result = client
        .initialize(pull_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    client.open(&uri, &broken_env(), 1).await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let quoted = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|diagnostic| diagnostic["code"] == "KL101")
        .unwrap()
        .clone();
    // utf-8: the curly quotes count three bytes each.
    let end = 15 + 3 + openai_key('a').len() + 3;
    assert_eq!(quoted["range"]["end"], json!({"line": 1, "character": end}));
    let pushed: Vec<Value> = client
        .drain(Duration::from_millis(300))
        .await
        .into_iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(pushed.is_empty(), "pull clients get no pushes: {pushed:?}");
    client.shutdown().await;
}

#[tokio::test]
async fn quick_fixes_fix_all_and_clean_result() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    let text = format!("OPENAI_API_KEY=\" {}\"\n", openai_key('b'));
    client.open(&uri, &text, 1).await;
    let published = client.diagnostics(&uri).await;
    let diagnostics = published["diagnostics"].clone();
    assert!(!diagnostics.as_array().unwrap().is_empty());
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}},
                "context": {"diagnostics": diagnostics}
            }),
        )
        .await;
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["kind"] == "quickfix")
        .expect("a quick fix")
        .clone();
    assert_eq!(quickfix["isPreferred"], true);
    let fix_all = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["kind"] == "source.fixAll.keylint")
        .expect("fix all")
        .clone();
    Secrets::new([openai_key('b')]).assert_no_leak("code actions", &actions.to_string());
    insta::assert_json_snapshot!("code_actions", actions, {
        "[].edit.changes" => "[edits]",
        "[].diagnostics[].data.fix.edits" => "[edits]",
    });
    // Apply fix-all and check the document is clean.
    let edits = fix_all["edit"]["changes"][uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let fixed = apply(&text, edits);
    assert_eq!(fixed, format!("OPENAI_API_KEY=\"{}\"\n", openai_key('b')));
    client.change_full(&uri, &fixed, 2).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]));
    client.shutdown().await;
}

#[tokio::test]
async fn hover_masks_and_shows_what_each_consumer_receives() {
    let dir = workspace(&[("compose.yaml", "services:\n  app:\n    image: x\n")]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"enable": false}}}),
            &file_uri(dir.path()),
        )
        .await;
    let text = format!("# 😀\nOPENAI_API_KEY=\"{}\"\n", openai_key('c'));
    client.open(&uri, &text, 1).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
        )
        .await;
    let value = hover["contents"]["value"].as_str().unwrap();
    Secrets::new([openai_key('c')]).assert_no_leak("hover", value);
    assert!(value.contains("OpenAI API key"), "{value}");
    assert!(value.contains("OpenAI project key"), "{value}");
    assert!(value.contains("sk-proj-…"), "{value}");
    assert!(value.contains("Compose"), "{value}");
    assert!(value.contains("off (`keylint.probe.enable`)"), "{value}");
    insta::assert_json_snapshot!("hover_env_masked", hover);
    // A compose list item keeps its quotes: the hover says so.
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let compose = format!(
        "services:\n  app:\n    image: x\n    environment:\n      - OPENAI_API_KEY=\"{}\"\n",
        openai_key('c')
    );
    client.open(&compose_uri, &compose, 1).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": compose_uri}, "position": {"line": 4, "character": 10}}),
        )
        .await;
    let value = hover["contents"]["value"].as_str().unwrap();
    Secrets::new([openai_key('c')]).assert_no_leak("hover", value);
    assert!(value.contains("includes 2 quote characters"), "{value}");
    insta::assert_json_snapshot!("hover_compose_list_quotes", hover);
    // Not a provider variable: no hover.
    let none = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
        )
        .await;
    assert_eq!(none, Value::Null);
    client.shutdown().await;
}

#[tokio::test]
async fn compose_is_checked_against_the_open_env_buffer() {
    let dir = workspace(&[
        (".env", "OTHER=1\n"),
        (
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n",
        ),
    ]);
    let env_uri = file_uri(&dir.path().join(".env"));
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    client.open(&compose_uri, &compose, 1).await;
    let published = client.diagnostics(&compose_uri).await;
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"KL501"),
        "the .env on disk lacks the variable: {codes:?}"
    );
    // Open the .env and define the variable in the buffer only (not saved).
    client.open(&env_uri, "OTHER=1\n", 1).await;
    client
        .change_full(
            &env_uri,
            &format!("OTHER=1\nOPENAI_API_KEY={}\n", openai_key('d')),
            2,
        )
        .await;
    let mut last = Value::Null;
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        last = client.diagnostics(&compose_uri).await;
        let still = last["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|diagnostic| diagnostic["code"] == "KL501");
        if !still {
            break;
        }
    }
    assert!(
        !last["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|diagnostic| diagnostic["code"] == "KL501"),
        "the open buffer defines it now: {last}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn settings_select_ignore_and_reconfigure() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"ignore": ["KL101"]}}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &broken_env(), 1).await;
    let published = client.diagnostics(&uri).await;
    assert!(
        !published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|diagnostic| diagnostic["code"] == "KL101")
    );
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"keylint": {"select": ["KL101"]}}}),
        )
        .await;
    let published = client.diagnostics(&uri).await;
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|code| *code == "KL101"), "{codes:?}");
    client.shutdown().await;
}

#[tokio::test]
async fn rapid_incremental_edits_stay_in_order() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    client.open(&uri, "", 1).await;
    client.diagnostics(&uri).await;
    // Type `OPENAI_API_KEY=" x"` one character at a time, then delete the quotes.
    let typed = "OPENAI_API_KEY=\" x\"";
    for (index, character) in typed.chars().enumerate() {
        client
            .notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": index + 2},
                    "contentChanges": [{
                        "range": {"start": {"line": 0, "character": index}, "end": {"line": 0, "character": index}},
                        "text": character.to_string()
                    }]
                }),
            )
            .await;
    }
    let last_version = typed.chars().count() + 1;
    let hover_text = loop {
        let published = client.diagnostics(&uri).await;
        if published["version"] == last_version {
            break published;
        }
    };
    assert!(!hover_text["diagnostics"].as_array().unwrap().is_empty());
    // The rope holds exactly what was typed: fix-all sees it.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]}
            }),
        )
        .await;
    let edit = &actions[0]["edit"]["changes"][uri.as_str()];
    assert_eq!(
        apply(typed, edit.as_array().unwrap()),
        "OPENAI_API_KEY=\"x\"",
        "{actions}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn robustness_garbage_positions_and_binary_content() {
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    // Binary-ish content and half-typed lines.
    let binary: String =
        (0u8..=255).map(char::from).collect::<String>() + "\nOPENAI_API_KEY=\"sk-\nexport =\n'\n";
    client.open(&uri, &binary, 1).await;
    client.diagnostics(&uri).await;
    // Edits far outside the document, reversed ranges, older versions.
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": 0},
                "contentChanges": [
                    {"range": {"start": {"line": 9999, "character": 5}, "end": {"line": 4, "character": 99999}}, "text": "X=1"},
                    {"range": {"start": {"line": 0, "character": 4000000000u64}, "end": {"line": 0, "character": 0}}, "text": "😀"}
                ]
            }),
        )
        .await;
    client.diagnostics(&uri).await;
    // A change to a document that was never opened. (Malformed JSON on the wire is
    // not tested: tower-lsp-server's framed reader ends the session after a decode
    // error, which is the framework's behaviour, not a crash.)
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": "file:///nowhere/.env", "version": 3}, "contentChanges": [{"text": "A=1"}]}),
        )
        .await;
    // Hover and code action at impossible positions.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 123456, "character": 99}}),
        )
        .await;
    assert!(hover.is_null() || hover.is_object());
    // Still alive and consistent.
    client.change_full(&uri, "OPENAI_API_KEY= x\n", 6).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["version"], 6);
    client.shutdown().await;
}

/// `first_lines` then comment-padded settings, to at least `length` bytes.
fn padded_to(first_lines: &str, length: usize) -> String {
    let mut text = first_lines.to_string();
    let mut index = 0;
    while text.len() < length {
        text.push_str(&format!(
            "SETTING_{index}=value-{index} # a comment with é and 😀 to pad the line\n"
        ));
        index += 1;
    }
    text
}

/// A 10 MB document (no size limit) gets its diagnostics, and while it is being linted
/// another document's diagnostics and hover are answered first. Quick edits of the big
/// document are coalesced: fewer lints (and pushes) than edits, the last for the last
/// version.
#[tokio::test]
async fn a_10_mb_document_is_linted_without_holding_up_other_documents() {
    let dir = workspace(&[]);
    let big_uri = file_uri(&dir.path().join("big/.env"));
    let small_uri = file_uri(&dir.path().join(".env"));
    let state = std::sync::Arc::new(keylint_lsp::state::State::default());
    let mut client = TestClient::in_process_on(std::sync::Arc::clone(&state));
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"enable": false}}}),
            &file_uri(dir.path()),
        )
        .await;
    // Blanks inside the quotes on the first line: KL102.
    let big = padded_to(
        &format!("OPENAI_API_KEY=\" {}\"\n", openai_key('e')),
        10 << 20,
    );
    client.open(&big_uri, &big, 1).await;
    // Then, at once, a small document with the same finding, and a hover on it.
    let small = format!("OPENAI_API_KEY=\" {}\"\n", openai_key('f'));
    client.open(&small_uri, &small, 1).await;
    let hover = client
        .start_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": small_uri}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    // Quick edits of the big document's second line while it is being linted.
    let edits = 5;
    for version in 2..2 + edits {
        client
            .notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": big_uri, "version": version},
                    "contentChanges": [{
                        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                        "text": "#"
                    }]
                }),
            )
            .await;
    }
    let last_version = 1 + edits;
    // What arrives, in order, until the big document's diagnostics for its last version.
    let mut arrived = Vec::new();
    let mut big_pushes = Vec::new();
    while big_pushes
        .last()
        .is_none_or(|(version, _)| *version != last_version)
    {
        let message = client
            .try_recv(Duration::from_secs(300))
            .await
            .expect("the big document's diagnostics arrive");
        if message["id"] == hover {
            assert!(message["result"].is_object(), "{message}");
            arrived.push("hover");
        } else if message["method"] == "textDocument/publishDiagnostics" {
            let params = &message["params"];
            let codes: Vec<Value> = params["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|diagnostic| diagnostic["code"].clone())
                .collect();
            assert_eq!(codes, [json!("KL102")], "{}", params["uri"]);
            if params["uri"] == big_uri {
                big_pushes.push((params["version"].as_i64().unwrap(), codes));
                arrived.push("big");
            } else {
                arrived.push("small");
            }
        }
    }
    let first_big = arrived.iter().position(|what| *what == "big").unwrap();
    for answered in ["small", "hover"] {
        let at = arrived.iter().position(|what| *what == answered);
        assert!(
            at.is_some_and(|at| at < first_big),
            "{answered} before the big document's first diagnostics: {arrived:?}"
        );
    }
    // The small document once; the big one when opened, then its five edits together
    // (a third lint at most, when an edit came before the first lint started).
    assert!(
        state.lints_started() <= 4,
        "the edits made during a lint are linted together: {} lints",
        state.lints_started()
    );
    // The big document still answers hover, on its current text.
    let hovered = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": big_uri}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert!(hovered["contents"]["value"].is_string(), "{hovered}");
    client.shutdown().await;
}

#[tokio::test]
async fn shutdown_and_exit_end_the_server_quickly() {
    let dir = workspace(&[]);
    let mut client = TestClient::in_process();
    client
        .initialize(push_capabilities(), json!({}), &file_uri(dir.path()))
        .await;
    let started = Instant::now();
    client.shutdown().await;
    let server = client.server.take().unwrap();
    tokio::time::timeout(Duration::from_secs(1), server)
        .await
        .expect("the server stops within 1 s of exit")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn pull_clients_are_asked_to_refresh_when_an_env_file_changes() {
    let dir = workspace(&[
        (".env", "OTHER=1\n"),
        (
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n",
        ),
    ]);
    let env_uri = file_uri(&dir.path().join(".env"));
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let mut client = TestClient::started(pull_capabilities(), dir.path()).await;
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    client.open(&compose_uri, &compose, 1).await;
    client.open(&env_uri, "OTHER=1\n", 1).await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": compose_uri}}),
        )
        .await;
    assert!(report["items"].to_string().contains("KL501"));
    client
        .change_full(
            &env_uri,
            &format!("OPENAI_API_KEY={}\n", openai_key('r')),
            2,
        )
        .await;
    // The server asks the client to pull again…
    let deadline = Instant::now() + Duration::from_secs(5);
    while !client
        .server_requests
        .iter()
        .any(|request| request["method"] == "workspace/diagnostic/refresh")
        && Instant::now() < deadline
    {
        client.try_recv(Duration::from_millis(100)).await;
    }
    assert!(
        client
            .server_requests
            .iter()
            .any(|request| request["method"] == "workspace/diagnostic/refresh"),
        "{:?}",
        client.server_requests
    );
    // …and the pull sees the unsaved buffer.
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": compose_uri}}),
        )
        .await;
    assert!(!report["items"].to_string().contains("KL501"), "{report}");
    client.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_hover_answers_at_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let dir = workspace(&[]);
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"allowedHosts": [format!("127.0.0.1:{port}")]}}}),
            &file_uri(dir.path()),
        )
        .await;
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{port}/v1\nOPENAI_API_KEY={}\n",
        openai_key('k')
    );
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    let started = Instant::now();
    let id = client
        .start_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    client.notify("$/cancelRequest", json!({"id": id})).await;
    let response = client.response(id).await;
    assert!(started.elapsed() < Duration::from_millis(1000));
    // Either cancelled (-32800) or the offline answer if it was already done.
    assert!(
        response["error"]["code"] == -32800 || response["result"].is_object(),
        "{response}"
    );
    hold.abort();
    client.shutdown().await;
}

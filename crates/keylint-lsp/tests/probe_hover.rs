//! Hover's live probe against a loopback mock provider. The base URL comes from the
//! workspace file; the key only goes there when the *user* allowed the host in
//! `initializationOptions`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use keylint_test_support::Secrets;
use serde_json::json;

async fn hover_until(client: &mut TestClient, uri: &str, wanted: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(8);
    loop {
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
            )
            .await;
        let value = hover["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if value.contains(wanted) || Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn hover_probes_an_allowed_loopback_host() {
    let mock = MockProvider::start(401, INVALID_KEY_BODY).await;
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('p');
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY={key}\n",
        mock.port
    );
    std::fs::write(dir.path().join(".env"), &text).unwrap();
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"allowedHosts": [format!("127.0.0.1:{}", mock.port)], "timeoutMs": 2000}}}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    let value = hover_until(&mut client, &uri, "invalid key").await;
    assert!(value.contains("**Live probe** (127.0.0.1"), "{value}");
    assert!(value.contains("invalid key"), "{value}");
    assert!(value.contains("HTTP 401"), "{value}");
    Secrets::new([&key]).assert_no_leak("hover", &value);
    assert!(mock.connections() >= 1);
    // The next hover is served from the cache: no new connection.
    let before = mock.connections();
    let value = hover_until(&mut client, &uri, "cached").await;
    assert!(value.contains("cached"), "{value}");
    assert_eq!(mock.connections(), before);
    client.shutdown().await;
}

#[tokio::test]
async fn without_allowed_hosts_the_workspace_base_url_gets_nothing() {
    let mock = MockProvider::start(200, r#"{"data":[]}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let key = openai_key('q');
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{}/v1\nOPENAI_API_KEY={key}\n",
        mock.port
    );
    std::fs::write(dir.path().join(".env"), &text).unwrap();
    // A workspace file claiming to allow the host is not a setting.
    std::fs::write(
        dir.path().join("keylint.toml"),
        format!("allowedHosts = [\"127.0.0.1:{}\"]\n", mock.port),
    )
    .unwrap();
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    let value = hover_until(&mut client, &uri, "**Live probe** (").await;
    assert!(value.contains("**Live probe**"), "{value}");
    assert!(!value.contains(": ok"), "{value}");
    Secrets::new([&key]).assert_no_leak("hover", &value);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        mock.connections(),
        0,
        "the key never left for the workspace's host"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_slow_probe_does_not_delay_hover_or_diagnostics() {
    // A host that accepts and never answers within the hover wait.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "OPENAI_BASE_URL=http://127.0.0.1:{port}/v1\nOPENAI_API_KEY={}\n",
        openai_key('s')
    );
    let uri = file_uri(&dir.path().join(".env"));
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"allowedHosts": [format!("127.0.0.1:{port}")], "timeoutMs": 3000}}}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &text, 1).await;
    client.diagnostics(&uri).await;
    // Four hovers at once fill the framework's concurrency slots only for the hover
    // wait; each returns the offline facts quickly.
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(
            client
                .start_request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
                )
                .await,
        );
    }
    client.change_full(&uri, "OPENAI_API_KEY= x\n", 2).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(published["version"], 2);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "diagnostics waited for the probe: {:?}",
        started.elapsed()
    );
    for id in ids {
        let response = client.response(id).await;
        let value = response["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(value.contains("checking"), "{value}");
    }
    hold.abort();
    client.shutdown().await;
}

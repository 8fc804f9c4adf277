//! Benchmark (not a timed test): `didChange` → diagnostics latency of the real server
//! over in-memory pipes, on a 10,000-line `.env` and a 5,000-line Compose file, and the
//! hover round trip with the probe off.
//! Run: `cargo run --release -p keylint-lsp --example bench_did_change`
//! Prints p50/p99 per file (targets, docs/benchmarks.md: under 10 ms for 10,000 lines; hover
//! without network under 1 ms).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

/// Edits per file (`BENCH_ROUNDS`, default 200).
fn rounds() -> usize {
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(200)
}

async fn measure(client: &mut TestClient, uri: &str, text: &str, line: usize) -> Vec<Duration> {
    client.open(uri, text, 1).await;
    client.diagnostics(uri).await;
    let rounds = rounds();
    let mut latencies = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let version = round as i32 + 2;
        // Type one character at the start of the line, alternately insert and delete.
        let (range, insert) = if round.is_multiple_of(2) {
            (
                json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}),
                "#",
            )
        } else {
            (
                json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}}),
                "",
            )
        };
        let started = Instant::now();
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": insert}]}),
            )
            .await;
        loop {
            let published = client.diagnostics(uri).await;
            if published["version"] == version {
                break;
            }
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    latencies
}

/// Hover round trips on `line` of the open document `uri`.
async fn measure_hover(client: &mut TestClient, uri: &str, line: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(rounds());
    for _ in 0..rounds() {
        let started = Instant::now();
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 3}}),
            )
            .await;
        latencies.push(started.elapsed());
        assert!(hover.get("contents").is_some(), "{hover}");
    }
    latencies.sort();
    latencies
}

fn report(name: &str, what: &str, latencies: &[Duration]) {
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name}: {what} over {} requests: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = TestClient::in_process();
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"enable": false}}}),
            &file_uri(dir.path()),
        )
        .await;

    let mut env = format!("OPENAI_API_KEY={}\n", openai_key('b'));
    for index in 1..10_000 {
        env.push_str(&format!("SETTING_{index}=value-{index} # é\n"));
    }
    let env_uri = file_uri(&dir.path().join(".env"));
    let latencies = measure(&mut client, &env_uri, &env, 5_000).await;
    report(".env, 10,000 lines", "didChange → diagnostics", &latencies);
    let latencies = measure_hover(&mut client, &env_uri, 0).await;
    report(
        ".env, 10,000 lines",
        "hover on a key (probe off)",
        &latencies,
    );
    let small_uri = file_uri(&dir.path().join("app/.env"));
    let small = format!(
        "OPENAI_API_KEY={}\nOPENAI_ORG_ID=org-x\nPORT=8080\n",
        openai_key('c')
    );
    client.open(&small_uri, &small, 1).await;
    client.diagnostics(&small_uri).await;
    let latencies = measure_hover(&mut client, &small_uri, 0).await;
    report(".env, 3 lines", "hover on a key (probe off)", &latencies);

    let mut compose = String::from("services:\n");
    let mut lines = 1;
    let mut service = 0;
    while lines < 5_000 {
        compose.push_str(&format!(
            "  svc{service}:\n    image: app:{service}\n    environment:\n"
        ));
        lines += 3;
        for variable in 0..20 {
            compose.push_str(&format!("      VAR_{variable}: \"value {service}\"\n"));
            lines += 1;
        }
        service += 1;
    }
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let latencies = measure(&mut client, &compose_uri, &compose, 2_500).await;
    report(
        &format!("compose.yaml, {lines} lines"),
        "didChange → diagnostics",
        &latencies,
    );
    client.shutdown().await;
}

//! Benchmark (not a timed test): `didChange` → diagnostics latency of the real server
//! over in-memory pipes, on a 10,000-line `.env` and a 5,000-line Compose file, in push
//! mode (`publishDiagnostics`) and pull mode (`textDocument/diagnostic` after the edit),
//! and the hover round trip with the probe off; then the same for a do-nothing server
//! (empty diagnostics, a fixed hover) in the same run: the floor of the harness itself.
//! Run: `cargo run --release -p keylint-lsp --example bench_did_change`
//! Prints p50/p99 per case (targets, docs/benchmarks.md: under 10 ms for 10,000 lines; hover
//! without network under 1 ms).

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DiagnosticOptions, DiagnosticServerCapabilities, DidChangeTextDocumentParams,
    DidOpenTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, MarkedString, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use tower_lsp_server::{Client, LanguageServer};

/// Edits per file (`BENCH_ROUNDS`, default 200).
fn rounds() -> usize {
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(200)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Push,
    Pull,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Push => "push",
            Mode::Pull => "pull",
        }
    }

    fn capabilities(self) -> Value {
        match self {
            Mode::Push => push_capabilities(),
            Mode::Pull => pull_capabilities(),
        }
    }
}

/// The diagnostics of `uri` for `version`: pushed, or pulled now.
async fn diagnostics_of(client: &mut TestClient, mode: Mode, uri: &str, version: i32) {
    match mode {
        Mode::Push => loop {
            let published = client.diagnostics(uri).await;
            if published["version"] == version {
                break;
            }
        },
        Mode::Pull => {
            let report = client
                .request(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": uri}}),
                )
                .await;
            assert_eq!(report["kind"], "full", "{report}");
        }
    }
}

async fn measure(
    client: &mut TestClient,
    mode: Mode,
    uri: &str,
    text: &str,
    line: usize,
) -> Vec<Duration> {
    client.open(uri, text, 1).await;
    diagnostics_of(client, mode, uri, 1).await;
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
        diagnostics_of(client, mode, uri, version).await;
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
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 7}}),
            )
            .await;
        latencies.push(started.elapsed());
        assert!(hover.get("contents").is_some(), "{hover}");
    }
    latencies.sort();
    latencies
}

fn report(server: &str, mode: Mode, name: &str, what: &str, latencies: &[Duration]) {
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{server}, {} mode, {name}: {what} over {} requests: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        mode.name(),
        latencies.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn env_file() -> String {
    let mut env = format!("OPENAI_API_KEY={}\n", openai_key('b'));
    for index in 1..10_000 {
        env.push_str(&format!("SETTING_{index}=value-{index} # é\n"));
    }
    env
}

/// About 5,000 lines: services of 20 variables, the first with a key.
fn compose_file() -> (String, usize) {
    let mut compose = format!(
        "services:\n  api:\n    image: app\n    environment:\n      OPENAI_API_KEY: {}\n",
        openai_key('d')
    );
    let mut lines = 5;
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
    (compose, lines)
}

/// Everything measured for one server in one mode.
async fn run(server: &str, mut client: TestClient, mode: Mode) {
    let dir = tempfile::tempdir().unwrap();
    client
        .initialize(
            mode.capabilities(),
            json!({"keylint": {"probe": {"enable": false}}}),
            &file_uri(dir.path()),
        )
        .await;
    let env_uri = file_uri(&dir.path().join(".env"));
    let latencies = measure(&mut client, mode, &env_uri, &env_file(), 5_000).await;
    report(
        server,
        mode,
        ".env, 10,000 lines",
        "didChange → diagnostics",
        &latencies,
    );
    let latencies = measure_hover(&mut client, &env_uri, 0).await;
    report(
        server,
        mode,
        ".env, 10,000 lines",
        "hover on a key",
        &latencies,
    );
    let small_uri = file_uri(&dir.path().join("app/.env"));
    let small = format!(
        "OPENAI_API_KEY={}\nOPENAI_ORG_ID=org-x\nPORT=8080\n",
        openai_key('c')
    );
    client.open(&small_uri, &small, 1).await;
    diagnostics_of(&mut client, mode, &small_uri, 1).await;
    let latencies = measure_hover(&mut client, &small_uri, 0).await;
    report(server, mode, ".env, 3 lines", "hover on a key", &latencies);
    let (compose, lines) = compose_file();
    let compose_uri = file_uri(&dir.path().join("compose.yaml"));
    let name = format!("compose.yaml, {lines} lines");
    let latencies = measure(&mut client, mode, &compose_uri, &compose, 2_500).await;
    report(server, mode, &name, "didChange → diagnostics", &latencies);
    let latencies = measure_hover(&mut client, &compose_uri, 4).await;
    report(server, mode, &name, "hover on a key", &latencies);
    client.shutdown().await;
}

/// The floor: a server that answers every request at once with nothing to say.
struct DoNothing {
    client: Client,
    pull: AtomicBool,
}

impl LanguageServer for DoNothing {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let pull = params
            .capabilities
            .text_document
            .is_some_and(|text| text.diagnostic.is_some());
        self.pull.store(pull, Ordering::SeqCst);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                diagnostic_provider: pull
                    .then(|| DiagnosticServerCapabilities::Options(DiagnosticOptions::default())),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.publish(document.uri, document.version).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let document = params.text_document;
        self.publish(document.uri, document.version).await;
    }

    async fn diagnostic(
        &self,
        _: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(Default::default()),
        ))
    }

    async fn hover(&self, _: HoverParams) -> Result<Option<Hover>> {
        Ok(Some(Hover {
            contents: HoverContents::Scalar(MarkedString::String("nothing".to_string())),
            range: None,
        }))
    }
}

impl DoNothing {
    async fn publish(&self, uri: Uri, version: i32) {
        if !self.pull.load(Ordering::SeqCst) {
            self.client
                .publish_diagnostics(uri, Vec::new(), Some(version))
                .await;
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    for mode in [Mode::Push, Mode::Pull] {
        run("keylint", TestClient::in_process(), mode).await;
        let floor = TestClient::serving(|client| DoNothing {
            client,
            pull: AtomicBool::new(false),
        });
        run("do-nothing server", floor, mode).await;
    }
}

//! Fuzzing at the two boundaries a hostile repository reaches: the command line and the
//! language server. Generated `.env` and Compose files mix fabricated keys into every
//! place a key can hide (names, quotes left open, `Bearer `, URLs, comments, escapes,
//! nested `${…}`, line endings, junk characters). For each file: `keylint lint` (JSON and
//! human) and `keylint inspect` run under a memory limit and a timeout and must end with
//! an exit code (never a signal), within the time; the server's diagnostics and hovers
//! must answer; and no output anywhere may show a key (the shared leak check).

#[path = "../../keylint-lsp/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use keylint_test_support::Secrets;
use proptest::prelude::*;
use serde_json::json;

/// Fabricated keys (random characters in provider shapes).
const KEYS: [&str; 3] = [
    "sk-proj-Wd4Rf6Tg8Yh1Uj3Ik5Ol7Pq9Aw2Se4Dr6Ft8Gy1Hu3Ji5Ko7Lp9Mz2Xn4Cb6VqT3BlbkFJWr8Et1Ty3Ui5Op7As9Df2Gh4Jk6Lq8Wz1Xe3Cr5Vt7Ai9Bn2Mq4Wr6Et8Yu1Io3Pa5Sd7Fg9Hj2Kl4Zx6Cv8Bn1Mq3Wr5Et7Yu9Io2Pa4Sd6QaZx",
    "sk-ant-api03-Lk3Jh5Gf7Ds9Ap2Oi4Uy6Tr8Ew1Qz3Xc5Vb7Nm9Mq2Wr4Et6Yu8Io1Pa3Sd5Fg7Hj9Kl2Zx4Cv6Bn8Mq1Wr3Et5Yu7Io9Pa2Sd4Fg6Hj8AA",
    "AIzaSyB7nM3qW9eR5tY1uI8oP4aS6dF2gH0jK5l",
];

/// One line that may hide key number `key` somewhere.
fn line(key: usize) -> impl Strategy<Value = String> {
    let key = KEYS[key];
    let (head, tail) = key.split_at(key.len() / 2);
    prop_oneof![
        Just(format!("OPENAI_API_KEY={key}")),
        Just(format!("OPENAI_API_KEY=\"{key}")),
        Just(format!("OPENAI_API_KEY='{key}'")),
        Just(format!("{key} = 1")),
        Just(key.to_string()),
        Just(format!("export {key}")),
        Just(format!("ANTHROPIC_API_KEY=Bearer {key}")),
        Just(format!("PROXY=https://user:{key}@proxy.example")),
        Just(format!("URL=https://h.example/v1?key={key}&x=1")),
        Just(format!("# an old key: {key}")),
        Just(format!("SPLIT=\"{head}\n{tail}\"")),
        Just(format!("SPLIT='{head}\\\n{tail}'")),
        Just(format!("A=${{{key}:-x}}")),
        Just(format!("A=${{B:-{key}}}")),
        Just(format!("OPENAI_API_KEY= {key} \r")),
        Just(format!("OPENAI_API_KEY=\u{201c}{key}\u{201d}")),
        Just(format!("OPENAI_API_KEY={key}\u{200b}")),
        Just(format!("NAME: {key}")),
        "[A-Z_]{1,12}=[\"'$={}#\\\\ a-z]{0,12}",
        Just("A=\"left open".to_string()),
        Just("${B:-${C:-${D:-".to_string()),
    ]
}

fn env_text() -> impl Strategy<Value = String> {
    prop::collection::vec((0usize..KEYS.len()).prop_flat_map(line), 1..12)
        .prop_map(|lines| lines.join("\n") + "\n")
}

/// The same lines as a Compose service's `environment:` list.
fn compose_text(env: &str) -> String {
    let mut text = String::from("services:\n  app:\n    image: app\n    environment:\n");
    for line in env.lines() {
        text.push_str(&format!(
            "      - {}\n",
            serde_json::to_string(line).unwrap()
        ));
    }
    text
}

fn run_limited(dir: &Path, args: &[&str]) -> String {
    let limit = Duration::from_secs(30);
    let started = Instant::now();
    let output = assert_cmd::Command::new("prlimit")
        // Half a gigabyte of data is far more than any of these files needs.
        .arg("--data=536870912")
        .arg(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .current_dir(dir)
        .timeout(limit)
        .output()
        .unwrap();
    assert!(started.elapsed() < limit, "keylint {args:?} took too long");
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("keylint {args:?} was killed by a signal"));
    assert!(code <= 2, "keylint {args:?} exited {code}");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn secrets() -> Secrets {
    Secrets::new(KEYS)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_command_line_never_leaks_aborts_or_hangs(env in env_text()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), &env).unwrap();
        std::fs::write(dir.path().join("compose.yaml"), compose_text(&env)).unwrap();
        let outputs = [
            ("lint json", run_limited(dir.path(), &["lint", "--format", "json", "."])),
            ("lint human", run_limited(dir.path(), &["lint", "--color", "always", "."])),
            ("inspect env", run_limited(dir.path(), &["inspect", "--format", "json", ".env"])),
            ("inspect compose", run_limited(dir.path(), &["inspect", "compose.yaml"])),
        ];
        secrets().assert_none_leaked(outputs.iter().map(|(label, output)| (*label, output.as_str())));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_server_never_leaks_or_stops_answering(env in env_text()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let mut client = TestClient::in_process();
            client
                .initialize(
                    push_capabilities(),
                    json!({"keylint": {"probe": {"enable": false}}}),
                    &file_uri(dir.path()),
                )
                .await;
            let mut outputs = Vec::new();
            for (name, text) in [(".env", env.clone()), ("compose.yaml", compose_text(&env))] {
                let uri = file_uri(&dir.path().join(name));
                client.open(&uri, &text, 1).await;
                outputs.push(client.diagnostics(&uri).await.to_string());
                for (line, content) in text.split('\n').enumerate() {
                    for character in (0..=content.encode_utf16().count()).step_by(7) {
                        let hover = client
                            .request(
                                "textDocument/hover",
                                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
                            )
                            .await;
                        outputs.push(hover.to_string());
                    }
                }
            }
            client.shutdown().await;
            secrets().assert_none_leaked(outputs.iter().map(|output| ("server", output.as_str())));
        });
    }
}

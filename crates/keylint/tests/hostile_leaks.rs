//! A hostile repository cannot make keylint show a key: keys where names go, swallowed by a
//! quote left open, after `Bearer `, in a loader's refusal text, split over two lines, in
//! a URL's password or `?key=`, in a database URL, in `[variables]` of `keylint.toml`.
//! Every output is checked with the shared leak check: each `keylint lint` format,
//! `inspect` (human and JSON, every consumer), the config error, and the real server's
//! diagnostics, hover at every position of every line, and its log.

#[path = "../../keylint-lsp/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use keylint_test_support::Secrets;
use serde_json::json;

/// Fabricated keys (random characters in each provider's shape), one per trap.
const OPENAI: &str = "sk-proj-Hq2Wm9Zr4Tx7Vn1Ks8Lb3Pc6Dy0Fg5Jh2Qa9We4Rt7Yu1Io8PaT3BlbkFJSd3Fg6Hj9Kl2Zx5Cv8Bn1Mq4Wr7Et0Yu3Io6Pa9Sd2Fg5Hj8Kl1Zx4Cv7Bn0Mq3Wr6Et9Yu2Io5Pa8Sd1Fg4Hj7Kl0Zx3Cv6Bn9Mq2Wr5Et8Yu1Io4Pa7Sd0Fg3QaZx";
const OPENAI_AS_NAME: &str = "sk-proj-Zt8Yr6Wq4Ep2Ru0Ti9Oy7Up5Ia3Sd1Fg8Hj6Kl4Zx2Cv0Bn9Mq7Wr5Et3Yu1IoT3BlbkFJPa8Sd6Fg4Hj2Kl0Zx9Cv7Bn5Mq3Wr1Et8Yu6Io4Pa2Sd0Fg9Hj7Kl5Zx3Cv1Bn8Mq6Wr4Et2Yu0Io9Pa7Sd5Fg3Hj1Kl8Zx6Cv4Bn2Mq0Wr9Et7QaZx";
const OPENAI_IN_PROXY: &str = "sk-proj-Mn3Bv5Cx7Za9Sd2Fg4Hj6Kl8Qw0Er1Ty3Ui5Op7As9Df2Gh4Jk6Lz8Xc0Vb1NmT3BlbkFJQw3Er5Ty7Ui9Op2As4Df6Gh8Jk0Lz1Xc3Vb5Nm7Mn9Bv2Cx4Za6Sd8Fg0Hj1Kl3Qw5Er7Ty9Ui2Op4As6Df8Gh0Jk1Lz3Xc5Vb7Nm9Mn2Bv4Cx6Za8QaZx";
const OPENAI_SPLIT: &str = "sk-proj-Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1Xs0Cd9Vf8Bg7Nh6Mj5Ki4Lo3Pl2Ok1IjT3BlbkFJUh0Yg9Tf8Rd7Es6Wa5Qz4Xs3Cd2Vf1Bg0Nh9Mj8Ki7Lo6Pl5Ok4Ij3Uh2Yg1Tf0Rd9Es8Wa7Qz6Xs5Cd4Vf3Bg2Nh1Mj0Ki9Lo8Pl7Ok6Ij5QaZx";
const ANTHROPIC: &str = "sk-ant-api03-Rt5Gb7Yh9Nu2Jm4Ik6Ol8Pq1Aw3Se5Dr7Ft9Gy2Hu4Ji6Ko8Lp1Mz3Xn5Cb7Vq9Wr2Et4Ty6Ui8Op1As3Df5Gh7Jk9Lq2Wz4Xe6Cr8Vt1Ai3AA";
const GEMINI: &str = "AIzaSyQ4wE7rT0yU3iO6pA9sD2fG5hJ8kL1zX4c";
const PASSWORD: &str = "Vq7Rm2Xt9Lp4Nw6Hs3Jd";
const OPENAI_SWALLOWED: &str = "sk-proj-Gh5Jk7Lz9Xc2Vb4Nm6Qw8Er1Ty3Ui5Op7As9Df2Gh4Jk6Lz8Xc0Vb1Nm3Qw5ErT3BlbkFJTy7Ui9Op2As4Df6Gh8Jk0Lz1Xc3Vb5Nm7Qw9Er2Ty4Ui6Op8As1Df3Gh5Jk7Lz9Xc2Vb4Nm6Qw8Er1Ty3Ui5Op7As9Df2Gh4Jk6Lz8Xc0Vb1Nm3QaZx";

fn env_file() -> String {
    let (head, tail) = OPENAI_SPLIT.split_at(90);
    format!(
        "OPENAI_API_KEY={OPENAI}\n\
         ANTHROPIC_API_KEY=Bearer {ANTHROPIC}\n\
         GEMINI_URL=https://generativelanguage.googleapis.com/v1beta/models?key={GEMINI}\n\
         PROXY=https://bot:{OPENAI_IN_PROXY}@proxy.example:8080\n\
         DATABASE_URL=postgres://app:{PASSWORD}@db:5432/app\n\
         {OPENAI_AS_NAME} = 1\n\
         SPLIT=\"{head}\n{tail}\"\n\
         A=\"left open on purpose\n\
         OPENAI_API_KEY={OPENAI_SWALLOWED}\n"
    )
}

fn secrets() -> Secrets {
    Secrets::new([
        OPENAI,
        OPENAI_AS_NAME,
        OPENAI_IN_PROXY,
        OPENAI_SPLIT,
        ANTHROPIC,
        GEMINI,
        PASSWORD,
        OPENAI_SWALLOWED,
    ])
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), env_file()).unwrap();
    // docker reads it too, so its refusal text (which quotes the line) is shown.
    std::fs::write(
        dir.path().join("Makefile"),
        "run:\n\tdocker run --env-file .env app\n",
    )
    .unwrap();
    dir
}

fn keylint(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn no_cli_output_shows_a_key_from_a_hostile_env_file() {
    let dir = project();
    let secrets = secrets();
    let mut outputs = Vec::new();
    for format in ["human", "json", "sarif", "github"] {
        outputs.push((
            format!("lint --format {format}"),
            keylint(
                dir.path(),
                &["lint", "--format", format, "--color", "always", "."],
            ),
        ));
    }
    outputs.push((
        "lint --diff".to_string(),
        keylint(dir.path(), &["lint", "--diff", "--unsafe-fixes", "."]),
    ));
    for consumer in [
        "python-dotenv",
        "node-dotenv",
        "dotenvy",
        "godotenv",
        "compose",
        "docker-env-file",
        "shell",
    ] {
        for format in ["human", "json"] {
            outputs.push((
                format!("inspect --consumer {consumer} --format {format}"),
                keylint(
                    dir.path(),
                    &[
                        "inspect",
                        ".env",
                        "--consumer",
                        consumer,
                        "--format",
                        format,
                    ],
                ),
            ));
        }
    }
    outputs.push((
        "inspect".to_string(),
        keylint(dir.path(), &["inspect", ".env"]),
    ));
    // The traps must have been read: docker's refusal and the open quote are reported.
    let human = &outputs[0].1;
    assert!(
        human.contains("KL105") || human.contains("unterminated"),
        "{human}"
    );
    secrets.assert_none_leaked(
        outputs
            .iter()
            .map(|(label, output)| (label.as_str(), output.as_str())),
    );
}

#[test]
fn a_key_in_the_config_is_not_shown_in_its_error() {
    let dir = project();
    std::fs::write(
        dir.path().join("keylint.toml"),
        format!("[variables]\nopenai = [\"{OPENAI}\"]\n"),
    )
    .unwrap();
    let output = keylint(dir.path(), &["lint", "."]);
    assert!(output.contains("keylint.toml"), "{output}");
    secrets().assert_no_leak("config error", &output);
}

#[tokio::test]
async fn no_hover_diagnostic_or_log_line_of_the_server_shows_a_key() {
    let dir = project();
    let text = env_file();
    let uri = file_uri(&dir.path().join(".env"));
    let (mut child, mut client) = spawn_server(env!("CARGO_BIN_EXE_keylint"), "debug");
    client
        .initialize(
            push_capabilities(),
            json!({"keylint": {"probe": {"enable": false}}}),
            &file_uri(dir.path()),
        )
        .await;
    client.open(&uri, &text, 1).await;
    let published = client.diagnostics(&uri).await;
    let mut outputs = vec![("diagnostics".to_string(), published.to_string())];
    // Hover everywhere: each character of each line (UTF-16 positions).
    for (line, content) in text.split('\n').enumerate() {
        let width = content.encode_utf16().count();
        for character in (0..=width).step_by(3) {
            let hover = client
                .request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
                )
                .await;
            if !hover.is_null() {
                outputs.push((format!("hover {line}:{character}"), hover.to_string()));
            }
        }
    }
    assert!(
        outputs.iter().any(|(label, _)| label.starts_with("hover")),
        "some positions have a hover"
    );
    client.shutdown().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    outputs.push(("log".to_string(), stderr_of(&mut child).await));
    secrets().assert_none_leaked(
        outputs
            .iter()
            .map(|(label, output)| (label.as_str(), output.as_str())),
    );
}

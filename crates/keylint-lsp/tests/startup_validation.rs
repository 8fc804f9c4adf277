//! "Insert startup validation": the action is offered in Python, JS/TS, Go and Rust
//! files that read a provider key, and the inserted code is *run* with good and bad
//! values: python3, node (CommonJS and ESM), TypeScript compiled by `tsc --strict`, Go
//! built by `go build`, Rust built by rustc. Where a toolchain is missing the test fails
//! if `KEYLINT_REQUIRE_TOOLCHAINS` is set (scripts/test.sh sets it after
//! scripts/install-test-toolchains.sh, so CI runs every snippet) and otherwise says what
//! it did not run.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use keylint_test_support::Secrets;
use serde_json::{Value, json};

/// Asks the in-process server for code actions on `name` with `text`; returns the
/// startup-validation actions.
async fn actions_for(name: &str, text: &str) -> (Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join(name));
    let mut client = TestClient::started(push_capabilities(), dir.path()).await;
    client.open(&uri, text, 1).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": []}
            }),
        )
        .await;
    client.shutdown().await;
    let actions = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|action| action["kind"] == "refactor.insert")
        .cloned()
        .collect();
    (actions, uri)
}

/// The file after applying the first startup-validation action.
async fn inserted(name: &str, text: &str) -> String {
    let (actions, uri) = actions_for(name, text).await;
    assert_eq!(actions.len(), 1, "one action for {name}: {actions:?}");
    let title = actions[0]["title"].as_str().unwrap();
    assert!(title.starts_with("Insert startup validation"), "{title}");
    let edits = actions[0]["edit"]["changes"][uri.as_str()]
        .as_array()
        .unwrap();
    apply(text, edits)
}

/// (value or None for unset, expected word in the message or None for success)
fn cases() -> Vec<(Option<String>, Option<&'static str>)> {
    let good = openai_key('g');
    vec![
        (None, Some("is missing")),
        (Some(String::new()), Some("is empty")),
        (Some(format!(" {good}")), Some("whitespace")),
        (Some(format!("\"{good}\"")), Some("quotes")),
        (Some(anthropic_key()), Some("is not an OpenAI key")),
        (Some(good), None),
    ]
}

/// Runs `program` with each case and checks exit code and messages.
fn check_runs(program: &mut dyn FnMut() -> Command, label: &str) {
    for (value, problem) in cases() {
        let mut command = program();
        command.env_remove("OPENAI_API_KEY");
        if let Some(value) = &value {
            command.env("OPENAI_API_KEY", value);
        }
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match problem {
            Some(word) => {
                assert_eq!(output.status.code(), Some(1), "{label} {value:?}: {stderr}");
                assert!(
                    stderr.contains("OPENAI_API_KEY") && stderr.contains(word),
                    "{label} {value:?}: message names the variable and `{word}`: {stderr}"
                );
                assert!(
                    !stdout.contains("program ran"),
                    "{label}: stops before the program"
                );
                if let Some(value) = value.filter(|value| value.len() > 8) {
                    let bare = value.trim().trim_matches('"');
                    Secrets::new([bare]).assert_no_leak(label, &stderr);
                }
            }
            None => {
                assert_eq!(output.status.code(), Some(0), "{label}: {stderr}");
                assert!(stdout.contains("program ran"), "{label}: {stdout}");
                assert!(stderr.is_empty(), "{label}: {stderr}");
            }
        }
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// Whether `tool` can run `what`. Without it, fails where `KEYLINT_REQUIRE_TOOLCHAINS` is
/// set (scripts/test.sh, so CI) and elsewhere says what was not run.
fn toolchain(tool: &str, what: &str) -> bool {
    if have(tool) {
        return true;
    }
    assert!(
        std::env::var_os("KEYLINT_REQUIRE_TOOLCHAINS").is_none(),
        "{tool} is required to run {what} (KEYLINT_REQUIRE_TOOLCHAINS is set; scripts/install-test-toolchains.sh installs it)"
    );
    eprintln!("{tool} not found: {what} not run");
    false
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn python_check_runs_with_python3() {
    let source = "\"\"\"An app.\"\"\"\nimport os\nfrom pathlib import (\n    Path,\n)\n\nprint(\"program ran\")\nclient_key = os.environ[\"OPENAI_API_KEY\"]\n";
    let text = inserted("app.py", source).await;
    insta::assert_snapshot!("python_inserted", text);
    let (again, _) = actions_for("app.py", &text).await;
    assert!(again.is_empty(), "not offered twice");
    assert!(have("python3"), "python3 is required for this test");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "app.py", &text);
    check_runs(
        &mut || {
            let mut command = Command::new("python3");
            command.arg(&path);
            command
        },
        "python",
    );
}

#[tokio::test]
async fn python_check_goes_after_load_dotenv() {
    let source = "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\nkey = os.getenv(\"OPENAI_API_KEY\")\n";
    let text = inserted("main.py", source).await;
    let load = text.find("load_dotenv()\n").unwrap();
    let check = text.find("keylint: startup validation").unwrap();
    assert!(check > load, "{text}");
}

#[tokio::test]
async fn javascript_check_runs_with_node_commonjs_and_esm() {
    assert!(have("node"), "node is required for this test");
    let dir = tempfile::tempdir().unwrap();
    let commonjs = "const fs = require(\"fs\");\nrequire(\"path\");\n\nconsole.log(\"program ran\");\nconst key = process.env.OPENAI_API_KEY;\n";
    let text = inserted("index.js", commonjs).await;
    insta::assert_snapshot!("javascript_inserted", text);
    let path = write(dir.path(), "index.js", &text);
    check_runs(
        &mut || {
            let mut command = Command::new("node");
            command.arg(&path);
            command
        },
        "node commonjs",
    );
    let esm = "import fs from \"node:fs\";\nimport {\n  join,\n} from \"node:path\";\n\nconsole.log(\"program ran\");\nconst key = process.env[\"OPENAI_API_KEY\"];\n";
    let text = inserted("index.mjs", esm).await;
    let path = write(dir.path(), "index.mjs", &text);
    check_runs(
        &mut || {
            let mut command = Command::new("node");
            command.arg(&path);
            command
        },
        "node esm",
    );
}

#[tokio::test]
async fn rust_check_compiles_and_runs_with_rustc() {
    let source = "use std::env;\n\nfn main() {\n    let key = env::var(\"OPENAI_API_KEY\").unwrap_or_default();\n    println!(\"program ran {}\", key.len());\n}\n";
    let text = inserted("main.rs", source).await;
    insta::assert_snapshot!("rust_inserted", text);
    if !toolchain("rustc", "the Rust snippet") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "main.rs", &text);
    let binary = dir.path().join("app");
    let compiled = Command::new("rustc")
        .args(["--edition", "2021", "-o"])
        .arg(&binary)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    check_runs(&mut || Command::new(&binary), "rust");
}

/// Runs `program` and asserts it succeeded.
fn succeed(program: &mut Command, what: &str) {
    let output = program.output().unwrap();
    assert!(
        output.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn go_check_builds_and_runs_with_go() {
    let source = "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(\"program ran\", len(os.Getenv(\"OPENAI_API_KEY\")))\n}\n";
    let text = inserted("main.go", source).await;
    insta::assert_snapshot!("go_inserted", text);
    if !toolchain("go", "the Go snippet") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "main.go", &text);
    let binary = dir.path().join("app");
    succeed(
        Command::new("go")
            .arg("build")
            .arg("-o")
            .arg(&binary)
            .arg(&path)
            .env("GOCACHE", dir.path().join("go-cache"))
            .env("GOFLAGS", "-mod=mod"),
        "go build",
    );
    check_runs(&mut || Command::new(&binary), "go");
}

#[tokio::test]
async fn typescript_check_compiles_with_tsc_and_runs_with_node() {
    let source = "import * as fs from \"fs\";\n\nconsole.log(\"program ran\");\nconst key: string | undefined = process.env.OPENAI_API_KEY;\n";
    let text = inserted("index.ts", source).await;
    insta::assert_snapshot!("typescript_inserted", text);
    // scripts/install-test-toolchains.sh puts tsc and @types/node here.
    let toolchains =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-toolchains/node_modules");
    let tsc = std::env::var("KEYLINT_TSC").unwrap_or_else(|_| "tsc".to_string());
    if !toolchain(&tsc, "the TypeScript snippet") || !toolchain("node", "the TypeScript snippet") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "index.ts", &text);
    let out = dir.path().join("out");
    succeed(
        Command::new(&tsc)
            .args([
                "--strict", "--target", "es2020", "--module", "commonjs", "--types", "node",
            ])
            .arg("--typeRoots")
            .arg(toolchains.join("@types"))
            .arg("--outDir")
            .arg(&out)
            .arg(&path),
        "tsc --strict",
    );
    let compiled = out.join("index.js");
    check_runs(
        &mut || {
            let mut command = Command::new("node");
            command.arg(&compiled);
            command
        },
        "typescript",
    );
}

#[tokio::test]
async fn not_offered_without_a_key_read_or_in_env_files() {
    let (actions, _) = actions_for("app.py", "import os\nprint(os.environ['HOME'])\n").await;
    assert!(actions.is_empty());
    let (actions, _) = actions_for("util.txt", "process.env.OPENAI_API_KEY\n").await;
    assert!(actions.is_empty());
    let (actions, _) = actions_for(
        "other.ts",
        "const a = process.env.OPENAI_API_KEY_2;\nconst b = process.env.ANTHROPIC_API_KEY;\n",
    )
    .await;
    assert_eq!(actions.len(), 1);
    assert_eq!(
        actions[0]["title"],
        "Insert startup validation for ANTHROPIC_API_KEY"
    );
}

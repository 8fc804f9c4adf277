//! The editor shows exactly what CI enforces: on the example projects, with and without
//! a `keylint.toml` (every key), a `.keylint.toml` in a parent folder, inline
//! suppressions, and consumers detected from a Makefile, a shell script and Python code,
//! `keylint lint --format json` and the real `keylint lsp` (pull and push) report the
//! same findings (code, range, severity, message) for every file; fix-all in the editor
//! writes what `lint --fix` writes; editing `keylint.toml` while the server runs changes
//! the open documents' diagnostics within a second.

#[path = "../../keylint-lsp/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// One finding, as both front ends can say it: path relative to the project, 1-based
/// line and column in Unicode scalar values, end exclusive.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    code: String,
    severity: String,
    message: String,
}

type Findings = BTreeMap<String, Vec<Finding>>;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// Every file under `root` (relative paths), the way an editor could open them.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(root.join(&dir)).unwrap() {
            let entry = entry.unwrap();
            let relative = dir.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                pending.push(relative);
            } else {
                found.push(relative);
            }
        }
    }
    found.sort();
    found
}

fn cli(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(root)
        .args(args)
        .output()
        .unwrap()
}

fn cli_findings(root: &Path) -> Findings {
    let output = cli(root, &["lint", "--format", "json", "."]);
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stderr)));
    let mut findings = Findings::new();
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        let number = |key: &str| diagnostic[key].as_u64().unwrap();
        findings
            .entry(diagnostic["path"].as_str().unwrap().to_string())
            .or_default()
            .push(Finding {
                line: number("line"),
                column: number("column"),
                end_line: number("end_line"),
                end_column: number("end_column"),
                code: diagnostic["code"].as_str().unwrap().to_string(),
                severity: diagnostic["severity"].as_str().unwrap().to_string(),
                message: diagnostic["message"].as_str().unwrap().to_string(),
            });
    }
    for list in findings.values_mut() {
        list.sort();
    }
    findings
}

/// A position in the negotiated encoding (`utf-8` or `utf-16`) → 1-based line and
/// scalar column.
fn scalar_position(text: &str, position: &Value, utf8: bool) -> (u64, u64) {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let line_text = text.split('\n').nth(line).unwrap_or("");
    let mut units = 0;
    let mut scalars = 0;
    for character_of_line in line_text.chars() {
        if units >= character {
            break;
        }
        units += if utf8 {
            character_of_line.len_utf8()
        } else {
            character_of_line.len_utf16()
        };
        scalars += 1;
    }
    (line as u64 + 1, scalars as u64 + 1)
}

fn server_finding(text: &str, diagnostic: &Value, utf8: bool) -> Finding {
    let (line, column) = scalar_position(text, &diagnostic["range"]["start"], utf8);
    let (end_line, end_column) = scalar_position(text, &diagnostic["range"]["end"], utf8);
    let severity = match diagnostic["severity"].as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        _ => "info",
    };
    Finding {
        line,
        column,
        end_line,
        end_column,
        code: diagnostic["code"].as_str().unwrap().to_string(),
        severity: severity.to_string(),
        message: diagnostic["message"].as_str().unwrap().to_string(),
    }
}

struct Server {
    child: tokio::process::Child,
    client: TestClient,
    /// The negotiated position encoding is UTF-8 (else UTF-16).
    utf8: bool,
    uris: Vec<(String, String, String)>,
}

fn watching(mut capabilities: Value) -> Value {
    capabilities["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
    capabilities
}

/// The real server on `root`, every file of it open.
async fn open_all(root: &Path, capabilities: Value) -> Server {
    let (child, mut client) = spawn_server(env!("CARGO_BIN_EXE_keylint"), "warn");
    let initialized = client
        .initialize(watching(capabilities), json!({}), &file_uri(root))
        .await;
    let utf8 = initialized["capabilities"]["positionEncoding"] == "utf-8";
    let mut uris = Vec::new();
    for relative in files(root) {
        let Ok(text) = std::fs::read_to_string(root.join(&relative)) else {
            continue;
        };
        let uri = file_uri(&root.join(&relative));
        client.open(&uri, &text, 1).await;
        uris.push((relative.to_string_lossy().into_owned(), uri, text));
    }
    Server {
        child,
        client,
        utf8,
        uris,
    }
}

/// What the server reports once it has settled (its background index included): pull
/// until two rounds agree, or take the last push of each document after a quiet second.
async fn settled(server: &mut Server, pull: bool) -> Findings {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last: Option<Findings> = None;
    let mut pushed: BTreeMap<String, Value> = BTreeMap::new();
    loop {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let mut findings = Findings::new();
        if pull {
            for (relative, uri, text) in &server.uris {
                let report = server
                    .client
                    .request(
                        "textDocument/diagnostic",
                        json!({"textDocument": {"uri": uri}}),
                    )
                    .await;
                let mut list: Vec<Finding> = report["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|diagnostic| server_finding(text, diagnostic, server.utf8))
                    .collect();
                if !list.is_empty() {
                    list.sort();
                    findings.insert(relative.clone(), list);
                }
            }
        } else {
            for message in server.client.drain(Duration::from_millis(300)).await {
                if message["method"] == "textDocument/publishDiagnostics" {
                    let params = &message["params"];
                    pushed.insert(params["uri"].as_str().unwrap().to_string(), params.clone());
                }
            }
            for (relative, uri, text) in &server.uris {
                let Some(params) = pushed.get(uri) else {
                    continue;
                };
                let mut list: Vec<Finding> = params["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|diagnostic| server_finding(text, diagnostic, server.utf8))
                    .collect();
                if !list.is_empty() {
                    list.sort();
                    findings.insert(relative.clone(), list);
                }
            }
        }
        if last.as_ref() == Some(&findings) || Instant::now() > deadline {
            return findings;
        }
        last = Some(findings);
    }
}

async fn stop(mut server: Server) {
    server.client.shutdown().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), server.child.wait()).await;
}

fn assert_same(cli: &Findings, editor: &Findings, what: &str) {
    assert!(
        !cli.is_empty() || what.contains("clean"),
        "{what}: the CLI finds nothing"
    );
    for (path, findings) in cli {
        assert_eq!(
            editor.get(path),
            Some(findings),
            "{what}: {path} differs between `keylint lint` and the editor"
        );
    }
    for path in editor.keys() {
        assert!(
            cli.contains_key(path),
            "{what}: the editor reports {path}, the CLI does not"
        );
    }
}

/// The fixture projects: (what, the directory to lint and open).
fn projects(scratch: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut projects = Vec::new();

    let plain = scratch.join("plain");
    copy_dir(&example("broken-app"), &plain);
    projects.push(("the broken example, no config", plain));

    let clean = scratch.join("clean");
    copy_dir(&example("clean-app"), &clean);
    projects.push(("the clean example", clean));

    let configured = scratch.join("configured");
    copy_dir(&example("broken-app"), &configured);
    std::fs::create_dir_all(configured.join("config")).unwrap();
    std::fs::write(
        configured.join("config/extra.vars"),
        "ACME_OPENAI_KEY= sk-x\n",
    )
    .unwrap();
    std::fs::write(configured.join("vendor.env"), "OPENAI_API_KEY= excluded\n").unwrap();
    std::fs::write(
        configured.join("local.tmpl.env"),
        "OPENAI_API_KEY=your-key\n",
    )
    .unwrap();
    std::fs::write(
        configured.join("keylint.toml"),
        r#"select = ["KL1", "KL2", "KL3", "KL4", "KL5"]
ignore = ["KL503"]
fail-on = "error"
include = ["config/*.vars"]
exclude = ["vendor.env"]
templates = ["*.tmpl.env"]

[severity]
KL201 = "error"
duplicate-variable = "info"
KL104 = "off"

[consumers]
"deploy/*.env" = "shell"

[variables]
openai = ["ACME_OPENAI_KEY"]
"#,
    )
    .unwrap();
    projects.push(("every keylint.toml key", configured));

    let parent = scratch.join("parent");
    copy_dir(&example("broken-app"), &parent.join("service"));
    std::fs::write(
        parent.join(".keylint.toml"),
        "ignore = [\"KL501\", \"invisible-character\"]\n[severity]\nKL106 = \"warning\"\n",
    )
    .unwrap();
    projects.push(("a .keylint.toml in a parent folder", parent));

    let suppressed = scratch.join("suppressed");
    copy_dir(&example("broken-app"), &suppressed);
    let prod = suppressed.join("deploy/prod.env");
    let text = std::fs::read_to_string(&prod).unwrap();
    std::fs::write(
        &prod,
        format!(
            "# keylint: ignore-next-line[KL106]\n{text}# keylint: ignore-next-line\nUNUSED=1\n"
        ),
    )
    .unwrap();
    let compose = suppressed.join("compose.yaml");
    let text = std::fs::read_to_string(&compose).unwrap();
    std::fs::write(&compose, format!("# keylint: ignore-file[KL503]\n{text}")).unwrap();
    projects.push(("inline suppressions", suppressed));
    projects
}

#[tokio::test]
async fn the_editor_reports_what_keylint_lint_reports() {
    let scratch = tempfile::tempdir().unwrap();
    for (what, root) in projects(scratch.path()) {
        let cli = cli_findings(&root);
        for pull in [false, true] {
            let capabilities = if pull {
                pull_capabilities()
            } else {
                push_capabilities()
            };
            let mut server = open_all(&root, capabilities).await;
            let editor = settled(&mut server, pull).await;
            stop(server).await;
            let mode = if pull { "pull" } else { "push" };
            assert_same(&cli, &editor, &format!("{what} ({mode})"));
        }
    }
}

/// The consumers the broken example's Makefile (docker), shell script (shell) and
/// Python code (python-dotenv) reveal set severities; the parity above would hide a
/// front end that detected none, so check they were detected.
#[test]
fn consumers_come_from_the_makefile_the_shell_script_and_python_code() {
    let findings = cli_findings(&example("broken-app"));
    let messages: Vec<&str> = findings
        .values()
        .flatten()
        .map(|finding| finding.message.as_str())
        .collect();
    for consumer in ["docker", "shell", "python-dotenv"] {
        assert!(
            messages.iter().any(|message| message.contains(consumer)),
            "no finding names {consumer}: {messages:#?}"
        );
    }
}

#[tokio::test]
async fn fix_all_in_the_editor_writes_what_lint_fix_writes() {
    let scratch = tempfile::tempdir().unwrap();
    let editor_copy = scratch.path().join("editor");
    let cli_copy = scratch.path().join("cli");
    copy_dir(&example("broken-app"), &editor_copy);
    copy_dir(&example("broken-app"), &cli_copy);
    cli(&cli_copy, &["lint", "--fix", "."]);
    let mut server = open_all(&editor_copy, push_capabilities()).await;
    settled(&mut server, false).await;
    let mut fixed_any = false;
    for (relative, uri, text) in server.uris.clone() {
        let actions = server
            .client
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}},
                    "context": {"diagnostics": [], "only": ["source.fixAll.keylint"]}
                }),
            )
            .await;
        let fix_all = actions
            .as_array()
            .into_iter()
            .flatten()
            .find(|action| action["kind"] == "source.fixAll.keylint");
        let after = match fix_all {
            Some(action) => {
                fixed_any = true;
                apply(&text, action["edit"]["changes"][&uri].as_array().unwrap())
            }
            None => text.clone(),
        };
        let expected = std::fs::read_to_string(cli_copy.join(&relative)).unwrap();
        assert_eq!(
            after, expected,
            "{relative}: fix-all differs from lint --fix"
        );
    }
    assert!(fixed_any, "the broken example has safe fixes");
    stop(server).await;
}

#[tokio::test]
async fn editing_keylint_toml_changes_open_diagnostics_within_a_second() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("project");
    copy_dir(&example("broken-app"), &root);
    let mut server = open_all(&root, push_capabilities()).await;
    let before = settled(&mut server, false).await;
    let env = before.get(".env").expect("findings in .env");
    assert!(env.iter().any(|finding| finding.code == "KL201"), "{env:?}");

    std::fs::write(root.join("keylint.toml"), "ignore = [\"KL201\"]\n").unwrap();
    let started = Instant::now();
    server
        .client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&root.join("keylint.toml")), "type": 1}]}),
        )
        .await;
    let env_uri = file_uri(&root.join(".env"));
    loop {
        let published = tokio::time::timeout(
            Duration::from_secs(1).saturating_sub(started.elapsed()),
            server.client.diagnostics(&env_uri),
        )
        .await
        .expect("new diagnostics for .env within a second of the config change");
        let codes: Vec<&str> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|diagnostic| diagnostic["code"].as_str().unwrap())
            .collect();
        if !codes.contains(&"KL201") {
            break;
        }
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    stop(server).await;
}

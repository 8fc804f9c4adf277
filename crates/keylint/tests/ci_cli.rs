//! keylint in CI: SARIF and GitHub output, `--output`, `keylint.toml`, inline
//! suppressions, `--stdin`, completions and the progress bar.

use std::path::Path;

use assert_cmd::Command;
use keylint_test_support::Secrets;

fn keylint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("keylint").unwrap();
    command.current_dir(dir).env_remove("CI");
    command
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The codes found, as `path:line code`, from `--format json`.
fn findings(output: &std::process::Output) -> Vec<String> {
    json(output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{} {}",
                diagnostic["path"].as_str().unwrap(),
                diagnostic["line"],
                diagnostic["code"].as_str().unwrap()
            )
        })
        .collect()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A small project with findings and no secrets: kept quotes in a Compose list (error),
/// a leading space in a `.env` (warning), a non-ASCII comment and a comma and colon in
/// a path (escaping).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=\"${OPENAI_API_KEY:-}\"\n",
    );
    write(dir.path(), "deploy/a,b:c.env", "# café\nLOG_LEVEL= info\n");
    dir
}

#[test]
fn sarif_validates_against_the_official_2_1_0_schema() {
    let dir = fixture();
    let output = keylint(dir.path())
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sarif = json(&output);
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The official schema's `language` patterns have an unescaped `]`, which ECMA-262
    // (Annex B) reads as a literal and the Rust regex engines reject: escape it here,
    // leaving the vendored file unchanged.
    assert!(escape_language_patterns(&mut schema) > 0);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema accepts what it is given; check that it would catch a broken log too.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let kl101 = rules.iter().find(|rule| rule["id"] == "KL101").unwrap();
    let explain = keylint(dir.path())
        .args(["explain", "KL101"])
        .output()
        .unwrap();
    let explained = stdout(&explain);
    let help = kl101["help"]["markdown"].as_str().unwrap();
    assert!(
        explained.contains(help.split_once('\n').unwrap().1),
        "help is the doc `keylint explain` prints"
    );
    assert_eq!(kl101["defaultConfiguration"]["level"], "error");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

fn escape_language_patterns(value: &mut serde_json::Value) -> usize {
    const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        serde_json::Value::Object(map) => {
            let mut count = 0;
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == BAD {
                    *child = BAD.replace("}]?", "}\\]?").into();
                    count += 1;
                } else {
                    count += escape_language_patterns(child);
                }
            }
            count
        }
        serde_json::Value::Array(items) => items.iter_mut().map(escape_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_snapshot() {
    let dir = fixture();
    let output = keylint(dir.path())
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif = json(&output);
    insta::assert_json_snapshot!(sarif, {
        ".runs[0].tool.driver.rules" => "[every rule]",
        ".runs[0].tool.driver.version" => "[version]",
    });
}

#[test]
fn sarif_fingerprints_hold_no_secret_and_survive_a_key_change() {
    let first = format!(
        "sk-proj-{}T3BlbkFJ{}",
        "q7Zr2Lx9".repeat(8),
        "Wn4kPz8s".repeat(8)
    );
    let second = format!(
        "sk-proj-{}T3BlbkFJ{}",
        "Hb3Ns8Kd".repeat(8),
        "Yt6cMv1q".repeat(8)
    );
    let mut fingerprints = Vec::new();
    for key in [&first, &second] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "compose.yaml",
            &format!(
                "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=\"{key}\"\n"
            ),
        );
        let output = keylint(dir.path())
            .args(["lint", "--format", "sarif"])
            .output()
            .unwrap();
        let text = stdout(&output);
        Secrets::new([key]).assert_no_leak("lint --format sarif", &text);
        let sarif = json(&output);
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let kl101 = results
            .iter()
            .find(|result| result["ruleId"] == "KL101")
            .unwrap();
        fingerprints.push(kl101["partialFingerprints"]["keylint/v1"].clone());
    }
    assert_eq!(fingerprints[0], fingerprints[1]);
    assert_eq!(fingerprints[0].as_str().unwrap().len(), 64);
}

#[test]
fn github_format_snapshot() {
    let dir = fixture();
    let output = keylint(dir.path())
        .args(["lint", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = fixture();
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--output", "report.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    // Replaced atomically on the next run, with no temporary file left behind.
    keylint(dir.path())
        .args(["lint", "--format", "sarif", "-o", "report.json"])
        .output()
        .unwrap();
    assert!(
        std::fs::read_to_string(dir.path().join("report.json"))
            .unwrap()
            .contains("\"version\": \"2.1.0\"")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".keylint-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn config_is_found_by_walking_up_from_the_linted_path() {
    let dir = fixture();
    write(dir.path(), "keylint.toml", "ignore = [\"KL102\"]\n");
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "deploy"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), Vec::<String>::new());
    assert_eq!(output.status.code(), Some(0));
    // From a subdirectory, the config above is found; `.keylint.toml` works too.
    std::fs::remove_file(dir.path().join("keylint.toml")).unwrap();
    write(dir.path(), ".keylint.toml", "ignore = [\"KL101\"]\n");
    let output = keylint(&dir.path().join("deploy"))
        .args(["lint", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(findings(&output), ["a,b:c.env:2 KL102"]);
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "compose.yaml"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), Vec::<String>::new());
    // --no-config reads none.
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--no-config", "compose.yaml"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), ["compose.yaml:5 KL101"]);
}

#[test]
fn config_flag_overrides_discovery() {
    let dir = fixture();
    write(dir.path(), "keylint.toml", "ignore = [\"KL102\"]\n");
    write(dir.path(), "ci/strict.toml", "ignore = [\"KL101\"]\n");
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--config", "ci/strict.toml"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), ["deploy/a,b:c.env:2 KL102"]);
    let output = keylint(dir.path())
        .args(["lint", "--config", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn command_line_beats_config_beats_defaults() {
    let dir = fixture();
    write(
        dir.path(),
        "keylint.toml",
        "select = [\"KL1\"]\nfail-on = \"error\"\n[severity]\nKL101 = \"warning\"\n",
    );
    // Config: KL101 is a warning, and only errors fail.
    let output = keylint(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let diagnostics = json(&output)["diagnostics"].clone();
    assert_eq!(diagnostics[0]["code"], "KL101");
    assert_eq!(diagnostics[0]["severity"], "warning");
    // --fail-on beats fail-on; --select replaces select.
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--fail-on", "warning"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--select", "KL101"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), ["compose.yaml:5 KL101"]);
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--select", "KL2"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), Vec::<String>::new());
}

#[test]
fn every_config_key_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "keylint.toml",
        r#"
ignore = ["KL501"]
include = ["settings/*.vars"]
exclude = ["vendor/**"]
templates = ["*.tmpl.env"]

[severity]
placeholder-value = "error"
KL102 = "off"

[consumers]
"deploy/*.env" = "docker-env-file"

[variables]
openai = ["ACME_OPENAI_KEY"]
"#,
    );
    // [variables]: a company name is an OpenAI key variable; [severity] makes KL301 an error.
    write(
        dir.path(),
        ".env",
        "ACME_OPENAI_KEY=your-api-key-here\nLOG_LEVEL= info\n",
    );
    // templates: no value rule on a template.
    write(
        dir.path(),
        "app.tmpl.env",
        "OPENAI_API_KEY=your-api-key-here\n",
    );
    // include: a name keylint would not read by itself.
    write(dir.path(), "settings/app.vars", "OPENAI_APIKEY=x\n");
    // exclude: never walked.
    write(dir.path(), "vendor/lib/.env", "OPENAI_APIKEY=x\n");
    // consumers: docker keeps the quotes.
    write(dir.path(), "deploy/api.env", "MODEL=\"gpt-4o\"\n");
    let output = keylint(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json = json(&output);
    let found: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| {
            format!(
                "{} {} {}",
                diagnostic["path"].as_str().unwrap(),
                diagnostic["code"].as_str().unwrap(),
                diagnostic["severity"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(found.join("\n"), @"
    .env KL301 error
    deploy/api.env KL101 error
    settings/app.vars KL201 warning
    settings/app.vars KL301 error
    ");
}

#[test]
fn bad_configs_exit_two_with_file_and_line() {
    let dir = fixture();
    for (text, expected) in [
        (
            "select = [\"KL1\"]\nfail_on = \"error\"\n",
            "keylint.toml:2:1: unknown field `fail_on`",
        ),
        (
            "[severity]\nKL101 = \"fatal\"\n",
            "keylint.toml:2:1: severity of `KL101` is `fatal`",
        ),
        (
            "\n\nignore = [\"KL9\"]\n",
            "keylint.toml:3:1: unknown rule `KL9` in `ignore`",
        ),
        (
            "[consumers]\n\"*.env\" = \"bash\"\n",
            "keylint.toml:2:1: unknown consumer `bash`",
        ),
        (
            "[variables]\nmistral = [\"M\"]\n",
            "keylint.toml:2:1: unknown provider `mistral`",
        ),
        ("select = [\n", "keylint.toml:1:11: unclosed array"),
        (
            "allowed-hosts = [\"evil.example\"]\n",
            "keylint.toml:1:1: unknown key `allowed-hosts`: a workspace config can never enable probing of custom hosts",
        ),
    ] {
        write(dir.path(), "keylint.toml", text);
        let output = keylint(dir.path()).args(["lint"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            stderr(&output).contains(expected),
            "{text}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn inline_suppressions_work_from_the_command_line() {
    let dir = fixture();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=\"${OPENAI_API_KEY:-}\" # keylint: ignore[KL101]\n",
    );
    write(
        dir.path(),
        "deploy/a,b:c.env",
        "# keylint: ignore-next-line[KL102]\nLOG_LEVEL= info\n# keylint: ignore-next-line[KL101]\nX=1\n",
    );
    let output = keylint(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(findings(&output), ["deploy/a,b:c.env:3 KL002"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "an unused suppression is an info"
    );
}

#[test]
fn stdin_is_judged_by_its_filename_in_the_current_project() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".env", "OPENAI_API_KEY=\n");
    let compose = "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=\"${OPENAI_API_KEY:-}\"\n      - ORG=${OPENAI_ORG_ID}\n";
    let output = keylint(dir.path())
        .args([
            "lint",
            "--format",
            "json",
            "--stdin",
            "--stdin-filename",
            "compose.yaml",
        ])
        .write_stdin(compose)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // KL501 is a warning (not an info) because the project has a `.env` without the name.
    let json = json(&output);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json["diagnostics"]).unwrap(), @r#"
    [
      {
        "path": "compose.yaml",
        "line": 5,
        "column": 24,
        "end_line": 5,
        "end_column": 45,
        "code": "KL101",
        "name": "quotes-kept",
        "severity": "error",
        "message": "the program receives OPENAI_API_KEY with literal quotes (\"${OPENAI_API_KEY:-}\": the value of OPENAI_API_KEY plus 2 quote characters) — use the map form or drop the quotes",
        "fix": null
      },
      {
        "path": "compose.yaml",
        "line": 6,
        "column": 13,
        "end_line": 6,
        "end_column": 29,
        "code": "KL501",
        "name": "unresolved-interpolation",
        "severity": "warning",
        "message": "`${OPENAI_ORG_ID}` is not set in `.env`: unless the shell sets OPENAI_ORG_ID, the container gets an empty value (Compose warns `The \"OPENAI_ORG_ID\" variable is not set. Defaulting to a blank string.`) — define it there or add a default",
        "fix": null
      }
    ]
    "#);
    // Without a name, the text is an env file; --stdin takes no paths and no --fix.
    let output = keylint(dir.path())
        .args(["lint", "--format", "json", "--stdin"])
        .write_stdin("LOG_LEVEL= info\n")
        .output()
        .unwrap();
    assert_eq!(findings(&output), [".env:1 KL102"]);
    let output = keylint(dir.path())
        .args(["lint", "--stdin", "--fix"])
        .write_stdin("A=1\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = keylint(Path::new("."))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let script = stdout(&output);
        assert!(script.contains("keylint"), "{shell}");
        assert!(script.contains("stdin-filename"), "{shell}");
    }
}

#[test]
fn no_progress_bar_when_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for index in 0..250 {
        write(dir.path(), &format!("d{index}/.env"), "LOG_LEVEL=info\n");
    }
    let output = keylint(dir.path()).args(["lint"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
    assert_eq!(stdout(&output), "No problems found in 250 files.\n");
}

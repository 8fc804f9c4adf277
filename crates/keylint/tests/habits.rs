//! The command-line habits users bring from ruff and gitleaks: `--format concise`,
//! `--quiet`, `--statistics`, `--exit-zero`, `lint -`, baselines, a path that matches
//! nothing, a closed pipe, what `--fix` says, colour variables, completions and the
//! rule pages.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use keylint_test_support::Secrets;

fn keylint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("keylint").unwrap();
    command
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    keylint(dir).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A fabricated key (random characters in OpenAI's shape).
const KEY: &str = "sk-proj-Hb4Kq9Zr2Tx7Lm3Wv8Np1Cs6Dy0Fg5Jk2Qe9Ru4Ia7Ob3Xc8Vn1Mz6Lw0T3BlbkFJPa5Sd2Fh7Gj4Kl9Qw1Er6Ty3Ui8Op0As5Df2Gh7Jk4Lz9Xc1Vb6Nm3Qw8Er";

/// Two env files with findings: kept quotes (an error for docker), a trailing space, a
/// misspelled name and an alias (warnings), and an unused suppression (info).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".env",
        &format!("OPENAI_API_KEY={KEY} \nOPENAI_APIKEY=x\nOPENAI_ORGANIZATION=org-abc\n"),
    );
    write(
        dir.path(),
        "deploy/prod.env",
        "# read by: docker run --env-file deploy/prod.env\nMODEL=\"gpt-4o\"\nLOG_LEVEL=info  # keylint: ignore[KL105]\n",
    );
    write(
        dir.path(),
        "Makefile",
        "run:\n\tdocker run --env-file deploy/prod.env app\n",
    );
    dir
}

#[test]
fn concise_is_one_line_per_finding_then_the_summary() {
    let dir = project();
    let output = run(dir.path(), &["lint", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert!(summary.starts_with("Found "), "{text}");
    let shape = regex::Regex::new(r"^[^:\s]+:\d+:\d+: KL\d{3} \S.*$").unwrap();
    assert!(findings.len() >= 3, "{text}");
    for line in findings {
        assert!(
            shape.is_match(line),
            "not `path:line:col: CODE message`: {line}"
        );
    }
    assert!(
        findings.contains(&".env:2:1: KL201 OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?"),
        "{text}"
    );
    Secrets::new([KEY]).assert_no_leak("concise", &text);
    let quiet = stdout(&run(
        dir.path(),
        &["lint", "--format", "concise", "--quiet"],
    ));
    assert_eq!(quiet, findings.join("\n") + "\n");
}

#[test]
fn quiet_prints_findings_only() {
    let dir = project();
    let loud = stdout(&run(dir.path(), &["lint"]));
    let quiet = run(dir.path(), &["lint", "-q"]);
    assert_eq!(quiet.status.code(), Some(1));
    let (findings, summary) = loud.rsplit_once("Found ").unwrap();
    assert!(summary.ends_with("in 2 files.\n"), "{summary}");
    assert_eq!(stdout(&quiet), findings);
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), ".env", "LOG_LEVEL=info\n");
    let output = run(clean.path(), &["lint", "--quiet"]);
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), String::new())
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project();
    let table = stdout(&run(dir.path(), &["lint", "--statistics"]));
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let json: serde_json::Value = serde_json::from_slice(
        &run(dir.path(), &["lint", "--statistics", "--format", "json"]).stdout,
    )
    .unwrap();
    let all: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["lint", "--format", "json"]).stdout).unwrap();
    let diagnostics = all["diagnostics"].as_array().unwrap();
    let json_rows = json.as_array().unwrap();
    assert_eq!(rows.len(), json_rows.len(), "{table}");
    for (row, json_row) in rows.iter().zip(json_rows) {
        let code = json_row["code"].as_str().unwrap();
        let count = diagnostics
            .iter()
            .filter(|diagnostic| diagnostic["code"] == code)
            .count();
        assert_eq!(row[0].trim(), count.to_string(), "{table}");
        assert_eq!(row[1], code);
        assert_eq!(json_row["count"], count);
        assert!(row[2].ends_with(json_row["name"].as_str().unwrap()));
    }
    // Most frequent first.
    let counts: Vec<u64> = json_rows
        .iter()
        .map(|row| row["count"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|pair| pair[0] >= pair[1]),
        "{counts:?}"
    );
    let kept_quotes = rows.iter().find(|row| row[1] == "KL101").unwrap();
    assert_eq!(kept_quotes[2], "[*] quotes-kept", "a safe fix is marked");
    assert_eq!(
        run(dir.path(), &["lint", "--statistics", "--format", "sarif"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn exit_zero_keeps_findings_but_not_the_failure() {
    let dir = project();
    let output = run(dir.path(), &["lint", "--exit-zero"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("Found "));
    // A usage error is still one.
    assert_eq!(
        run(dir.path(), &["lint", "--exit-zero", "missing.env"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_dash_reads_standard_input() {
    let dir = project();
    let text = "services:\n  api:\n    environment:\n      - MODEL=\"gpt-4o\"\n";
    let lint = |args: &[&str]| {
        keylint(dir.path())
            .args(args)
            .write_stdin(text)
            .output()
            .unwrap()
    };
    let dash = lint(&[
        "lint",
        "--format",
        "json",
        "-",
        "--stdin-filename",
        "compose.yaml",
    ]);
    let flag = lint(&[
        "lint",
        "--format",
        "json",
        "--stdin",
        "--stdin-filename",
        "compose.yaml",
    ]);
    assert_eq!(dash.status.code(), Some(1), "{}", stderr(&dash));
    assert_eq!(stdout(&dash), stdout(&flag));
    assert!(stdout(&dash).contains("\"path\": \"compose.yaml\""));
    assert_eq!(lint(&["lint", "-", "deploy"]).status.code(), Some(2));
    assert_eq!(lint(&["lint", "--fix", "-"]).status.code(), Some(2));
}

#[test]
fn a_path_with_nothing_to_lint_warns_and_a_missing_path_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docs/readme.txt", "nothing here\n");
    let output = run(dir.path(), &["lint", "docs"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).starts_with("keylint: warning: docs: no file here that keylint reads"),
        "{}",
        stderr(&output)
    );
    let missing = run(dir.path(), &["lint", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere"), "{}", stderr(&missing));
    // A directory with something to lint says nothing of the kind.
    write(dir.path(), "app/.env", "LOG_LEVEL=info\n");
    assert_eq!(stderr(&run(dir.path(), &["lint", "app"])), "");
}

/// `keylint lint | head -1` through a real shell pipe: `head` exits after one line, the
/// next write meets a closed pipe, and keylint ends quietly with the run's exit code.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Far more report than a pipe buffers, so keylint is still writing when head leaves.
    for index in 0..400 {
        write(
            dir.path(),
            &format!("app{index}/.env"),
            "OPENAI_API_KEY=\"sk-abc\" \nOPENAI_APIKEY=x\n",
        );
    }
    let binary = assert_cmd::cargo::cargo_bin("keylint");
    for format in ["human", "concise", "json"] {
        let output = std::process::Command::new("bash")
            .current_dir(dir.path())
            .env_remove("CI")
            .args([
                "-c",
                r#"set -o pipefail; "$0" lint --format "$1" | head -1"#,
                binary.to_str().unwrap(),
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(stdout(&output).lines().count(), 1, "{format}");
        assert_eq!(stderr(&output), "", "{format}");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: the run's own exit code"
        );
    }
}

#[test]
fn fix_says_what_it_fixed_and_the_summary_counts_what_remains() {
    let dir = project();
    let output = run(dir.path(), &["lint", "--fix", "--format", "json"]);
    let said = stderr(&output);
    assert!(
        said.contains("Fixed 1 finding in deploy/prod.env (KL101)\n"),
        "{said}"
    );
    assert!(said.contains("Fixed 1 finding in .env (KL102)\n"), "{said}");
    let remaining: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = remaining["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"KL101") && !codes.contains(&"KL102"),
        "{codes:?}"
    );
    let summary = &remaining["summary"];
    assert_eq!(
        summary["errors"].as_u64().unwrap()
            + summary["warnings"].as_u64().unwrap()
            + summary["infos"].as_u64().unwrap(),
        codes.len() as u64
    );
    Secrets::new([KEY]).assert_no_leak("--fix", &said);
    // Nothing left to fix: nothing said; --quiet says nothing either way.
    assert_eq!(stderr(&run(dir.path(), &["lint", "--fix"])), "");
    let quiet = project();
    assert_eq!(stderr(&run(quiet.path(), &["lint", "--fix", "-q"])), "");
}

#[test]
fn json_summary_counts_infos_and_keeps_version_one() {
    let dir = project();
    let output: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["lint", "--format", "json"]).stdout).unwrap();
    assert_eq!(output["version"], 1);
    let infos = output["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["severity"] == "info")
        .count();
    assert!(infos > 0);
    let summary = output["summary"].as_object().unwrap();
    assert_eq!(
        summary.keys().collect::<Vec<_>>(),
        ["files", "errors", "warnings", "infos"]
    );
    assert_eq!(summary["infos"], infos);
}

#[test]
fn colour_follows_force_color_clicolor_force_no_color_and_term() {
    let dir = project();
    let coloured = |variables: &[(&str, &str)]| {
        let mut command = keylint(dir.path());
        command.env_remove("TERM").args(["lint"]);
        for (name, value) in variables {
            command.env(name, value);
        }
        stdout(&command.output().unwrap()).contains("\x1b[")
    };
    assert!(!coloured(&[]), "not a terminal");
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(coloured(&[("FORCE_COLOR", "1"), ("TERM", "dumb")]));
    let dumb = keylint(dir.path())
        .env("TERM", "dumb")
        .args(["lint", "--color", "always"])
        .output()
        .unwrap();
    assert!(stdout(&dumb).contains("\x1b["), "--color always wins");
}

#[test]
fn a_baseline_hides_recorded_findings_and_holds_no_value() {
    let dir = project();
    let written = run(
        dir.path(),
        &["lint", "--write-baseline", "keylint-baseline.json"],
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(
        stderr(&written).starts_with("Recorded "),
        "{}",
        stderr(&written)
    );
    let file = std::fs::read_to_string(dir.path().join("keylint-baseline.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(
        parsed.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["version", "fingerprints"]
    );
    let fingerprints = parsed["fingerprints"].as_array().unwrap();
    assert!(fingerprints.len() >= 4, "{file}");
    for fingerprint in fingerprints {
        let fingerprint = fingerprint.as_str().unwrap();
        assert!(
            fingerprint.len() == 64 && fingerprint.bytes().all(|byte| byte.is_ascii_hexdigit()),
            "{fingerprint}"
        );
    }
    Secrets::new([KEY]).assert_no_leak("baseline", &file);
    for word in ["OPENAI", "gpt-4o", "org-abc", ".env"] {
        assert!(!file.contains(word), "{word} in {file}");
    }

    let baselined = run(dir.path(), &["lint", "--baseline", "keylint-baseline.json"]);
    assert_eq!(baselined.status.code(), Some(0));
    assert_eq!(stdout(&baselined), "No problems found in 2 files.\n");

    // Lines added above the findings keep them baselined; a new finding is reported.
    let env = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    write(
        dir.path(),
        ".env",
        &format!("# settings\nLOG_LEVEL=info\n\n{env}OPENAI_BASE_URL= https://api.openai.com/v1\n"),
    );
    let output = run(
        dir.path(),
        &[
            "lint",
            "--baseline",
            "keylint-baseline.json",
            "--format",
            "concise",
            "-q",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let reported = stdout(&output);
    assert_eq!(reported.lines().count(), 1, "{reported}");
    assert!(reported.starts_with(".env:7:"), "{reported}");

    // Not a baseline: a usage error.
    write(
        dir.path(),
        "other.json",
        "{\"version\": 1, \"fingerprints\": [\"OPENAI_API_KEY=x\"]}",
    );
    assert_eq!(
        run(dir.path(), &["lint", "--baseline", "other.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_bad_consumer_lists_the_valid_ones() {
    let dir = project();
    for value in ["x=nobody", "nobody"] {
        let output = run(dir.path(), &["lint", "--consumer", value]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains(
                "python-dotenv, node-dotenv, dotenvy, godotenv, compose, docker-env-file, shell"
            ),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn completions_offer_rule_codes() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&run(Path::new("."), &["completions", shell]));
        for code in ["KL101", "KL503"] {
            assert!(script.contains(code), "{shell} completion lacks {code}");
        }
    }
}

#[test]
fn explain_and_sarif_point_at_the_rule_page() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let url = format!("{repository}/blob/main/docs/rules/KL101.md");
    let explained = stdout(&run(Path::new("."), &["explain", "KL101"]));
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules/KL101.md"),
    )
    .unwrap();
    assert_eq!(explained, format!("{page}\nOnline: {url}\n"));
    let dir = project();
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["lint", "--format", "sarif"]).stdout).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], repository);
    for rule in driver["rules"].as_array().unwrap() {
        assert_eq!(
            rule["helpUri"],
            format!(
                "{repository}/blob/main/docs/rules/{}.md",
                rule["id"].as_str().unwrap()
            )
        );
    }
}

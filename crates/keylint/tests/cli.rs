//! The command line: exit codes, paths, positions, bad input, fixes.

use std::path::Path;

use assert_cmd::Command;

fn keylint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("keylint").unwrap();
    command.current_dir(dir);
    command
}

fn exit_code(dir: &Path, args: &[&str]) -> Option<i32> {
    keylint(dir).args(args).output().unwrap().status.code()
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let output = keylint(Path::new("."))
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let start = readme.find("<!-- rules:start -->\n").unwrap() + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").unwrap();
    assert_eq!(
        readme[start..end],
        table,
        "regenerate the README table with `keylint rules --format markdown`"
    );
}

#[test]
fn clean_file_exits_zero_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "LOG_LEVEL=info\n").unwrap();
    let output = keylint(dir.path()).arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "No problems found in 1 file.\n"
    );
}

#[test]
fn findings_exit_one_and_fail_on_controls_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=\"sk-abc\"\n",
    )
    .unwrap();
    let exit_code = |args: &[&str]| exit_code(dir.path(), args);
    assert_eq!(exit_code(&["lint", "--select", "KL101"]), Some(1));
    assert_eq!(
        exit_code(&["lint", "--select", "KL101", "--fail-on", "never"]),
        Some(0)
    );
    assert_eq!(
        exit_code(&["lint", "--select", "KL1", "--ignore", "KL101"]),
        Some(0)
    );
    // The test-key warning (KL301) fails at the default threshold but not at --fail-on error.
    assert_eq!(exit_code(&["lint", "--ignore", "KL101"]), Some(1));
    assert_eq!(
        exit_code(&["lint", "--ignore", "KL101", "--fail-on", "error"]),
        Some(0)
    );
}

#[test]
fn usage_and_io_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["lint", "missing.env"][..],
        &["lint", "--select", "KL999"],
        &["lint", "--consumer", "x=nobody"],
        &["explain", "nope"],
    ] {
        assert_eq!(exit_code(dir.path(), args), Some(2), "{args:?}");
    }
}

#[test]
fn walked_paths_are_relative_and_given_paths_stay_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
    std::fs::create_dir_all(dir.path().join("node_modules/pkg")).unwrap();
    let compose = "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=\"sk-abc\"\n";
    std::fs::write(dir.path().join("deploy/compose.yaml"), compose).unwrap();
    std::fs::write(dir.path().join("node_modules/pkg/compose.yaml"), compose).unwrap();
    let walked = json(
        &keylint(dir.path())
            .args(["lint", "--format", "json", "--select", "KL101", "."])
            .output()
            .unwrap(),
    );
    let paths: Vec<&str> = walked["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["deploy/compose.yaml"]);
    let given = json(
        &keylint(dir.path())
            .args([
                "lint",
                "--format",
                "json",
                "--select",
                "KL101",
                "./deploy/compose.yaml",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(given["diagnostics"][0]["path"], "deploy/compose.yaml");
}

#[test]
fn gitignored_env_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), ".env\n").unwrap();
    std::fs::write(dir.path().join(".env"), "OPENAI_API_KEY=“sk-abc”\n").unwrap();
    let output = json(
        &keylint(dir.path())
            .args(["lint", "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(output["diagnostics"][0]["path"], ".env");
}

#[test]
fn columns_count_scalar_values_after_non_ascii_text() {
    let dir = tempfile::tempdir().unwrap();
    // "é" and "😀" are one column each; the quote starts at column 27 of line 4.
    std::fs::write(
        dir.path().join("compose.yaml"),
        "# café 😀\nservices:\n  api:\n    environment: [\"É=1\", 'OPENAI_API_KEY=\"sk-abc\"']\n",
    )
    .unwrap();
    let output = json(
        &keylint(dir.path())
            .args(["lint", "--format", "json", "--select", "KL101"])
            .output()
            .unwrap(),
    );
    let diagnostic = &output["diagnostics"][0];
    let line = "    environment: [\"É=1\", 'OPENAI_API_KEY=\"sk-abc\"']";
    let quote_column = line.chars().position(|character| character == '"').unwrap();
    let value_column = line[..line.find("=\"sk").unwrap() + 1].chars().count() + 1;
    assert_ne!(quote_column, 0);
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(4), Some(value_column as u64))
    );
    assert_eq!(
        diagnostic["end_column"].as_u64(),
        Some(value_column as u64 + 8)
    );
}

#[test]
fn binary_and_utf16_files_get_a_clear_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), b"\xff\xfeO\x00=\x001\x00").unwrap();
    std::fs::write(dir.path().join("prod.env"), b"KEY=\x00\x01\x02binary").unwrap();
    std::fs::write(dir.path().join("latin1.env"), b"KEY=caf\xe9\n").unwrap();
    let output = keylint(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = json(&output);
    let findings: Vec<(String, String)> = output["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| {
            (
                diagnostic["path"].as_str().unwrap().to_string(),
                diagnostic["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (".env".into(), "error".into()),
            ("latin1.env".into(), "error".into()),
            ("prod.env".into(), "info".into())
        ]
    );
}

#[test]
fn fix_writes_atomically_keeps_permissions_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let compose = dir.path().join("compose.yaml");
    std::fs::write(&compose, "services:\r\n  api:\r\n    environment:\r\n      - OPENAI_API_KEY=\"sk-abc\"\r\n      - OTHER=1\r\n").unwrap();
    std::fs::set_permissions(&compose, std::fs::Permissions::from_mode(0o640)).unwrap();
    let diff = keylint(dir.path())
        .args(["lint", "--diff", "compose.yaml"])
        .output()
        .unwrap();
    // The value of a secret-named variable is on a changed line: the patch is binary,
    // and its readable view on standard error masks the value on both sides.
    assert!(
        String::from_utf8_lossy(&diff.stdout).contains("GIT binary patch\n"),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    let preview = String::from_utf8_lossy(&diff.stderr);
    assert!(
        preview.contains("-      - OPENAI_API_KEY=\"…\"\\r\n")
            && preview.contains("+      - OPENAI_API_KEY=…\\r\n"),
        "{preview}"
    );
    assert!(
        std::fs::read_to_string(&compose)
            .unwrap()
            .contains("\"sk-abc\""),
        "--diff changes nothing"
    );
    let fixed = keylint(dir.path())
        .args(["lint", "--fix", "--select", "KL101", "compose.yaml"])
        .output()
        .unwrap();
    assert_eq!(fixed.status.code(), Some(0));
    let after = std::fs::read_to_string(&compose).unwrap();
    assert_eq!(
        after,
        "services:\r\n  api:\r\n    environment:\r\n      - OPENAI_API_KEY=sk-abc\r\n      - OTHER=1\r\n"
    );
    assert_eq!(
        std::fs::metadata(&compose).unwrap().permissions().mode() & 0o777,
        0o640
    );
    keylint(dir.path())
        .args(["lint", "--fix", "--select", "KL101", "compose.yaml"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&compose).unwrap(), after);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("compose.yaml")]);
}

#[test]
fn explain_prints_the_rule_doc() {
    let output = keylint(Path::new("."))
        .args(["explain", "quotes-kept"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# KL101 quotes-kept"));
    assert!(text.contains("## Why is this bad?"));
}

/// A tree bigger than one chunk of the streamed report: written to standard output
/// chunk by chunk, the report is the one `--output` writes from all files at once, and
/// the exit code and summary count every file.
#[test]
fn a_streamed_report_equals_the_report_written_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for index in 0..300 {
        let service = dir.path().join(format!("svc{index:03}"));
        std::fs::create_dir(&service).unwrap();
        let text = if index % 3 == 0 {
            format!("PORT_{index} = 80\nOPENAI_APIKEY=x\n")
        } else {
            format!("PORT_{index}=80\n")
        };
        std::fs::write(service.join(".env"), text).unwrap();
    }
    for format in ["human", "concise"] {
        let streamed = keylint(dir.path())
            .args(["lint", "--format", format])
            .output()
            .unwrap();
        let at_once = keylint(dir.path())
            .args(["lint", "--format", format, "--output", "report.txt"])
            .output()
            .unwrap();
        assert_eq!(streamed.status.code(), Some(1));
        assert_eq!(at_once.status.code(), Some(1));
        let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
        std::fs::remove_file(dir.path().join("report.txt")).unwrap();
        assert_eq!(String::from_utf8(streamed.stdout).unwrap(), report);
        assert!(report.contains(" in 300 files."), "{report}");
    }
}

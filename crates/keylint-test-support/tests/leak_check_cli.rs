//! The `keylint-leak-check` binary the editor suites call: exit status and a report
//! that names the leak without showing it.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const KEY: &str =
    "sk-proj-Qw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpT3BlbkFJAsDfGhJkLzXcVbNmQwErTyUiOp";

fn leak_check(arguments: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keylint-leak-check"))
        .args(arguments)
        .env("FABRICATED_KEY", KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error ends the check before it reads standard input: the pipe may be
    // closed by then, and that is not what these tests are about.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn exit_status_says_whether_an_output_leaks() {
    let fixture = tempfile::tempdir().unwrap();
    std::fs::write(
        fixture.path().join(".env"),
        format!("OPENAI_API_KEY={KEY}\n"),
    )
    .unwrap();
    let outputs = tempfile::tempdir().unwrap();
    std::fs::write(outputs.path().join("hover.txt"), "sk-proj-…UiOp (88 chars)").unwrap();
    let fixture_dir = fixture.path().to_str().unwrap();
    let clean = leak_check(
        &["--fixture", fixture_dir, outputs.path().to_str().unwrap()],
        "",
    );
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");

    std::fs::write(
        outputs.path().join("log.txt"),
        format!("trace: read {}\n", &KEY[30..60]),
    )
    .unwrap();
    let leaked = leak_check(
        &[
            "--fixture",
            fixture_dir,
            "--",
            outputs.path().to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(leaked.status.code(), Some(1));
    let report = String::from_utf8(leaked.stdout).unwrap();
    assert!(
        report.contains("log.txt` line 1, column 13: characters 30..60 of secret #0 sk-proj-…UiOp"),
        "{report}"
    );
    assert!(!report.contains(&KEY[30..42]), "the report shows the leak");

    let from_stdin = leak_check(&["--secret-env", "FABRICATED_KEY", "-"], KEY);
    assert_eq!(from_stdin.status.code(), Some(1));
}

#[test]
fn a_check_without_secrets_or_outputs_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    assert_eq!(
        leak_check(&["--fixture", dir, "-"], KEY).status.code(),
        Some(2)
    );
    assert_eq!(
        leak_check(&["--secret-env", "FABRICATED_KEY"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        leak_check(
            &["--secret-env", "FABRICATED_KEY", "--min-secrets", "2", "-"],
            ""
        )
        .status
        .code(),
        Some(2)
    );
}

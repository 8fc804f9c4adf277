//! A hostile (or just unusual) repository, through the real binary: bounded time on
//! inputs built to be slow, no stack overflow, special files named like env files,
//! reports written into FIFOs and through links, `--fix` through symlinks, keeping
//! the owner, never leaving a temporary copy of a secret file, never overwriting an
//! edit made meanwhile.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Runs keylint in `dir`; the run must end (not hang) within `limit`.
fn keylint(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let start = Instant::now();
    let output = Command::cargo_bin("keylint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(limit)
        .output()
        .unwrap();
    assert!(
        start.elapsed() < limit,
        "keylint {args:?} did not finish within {limit:?}"
    );
    output
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or_else(|| {
        panic!(
            "killed by a signal (stack overflow or abort): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Inputs built to be slow or deep; each `(file name, text)`.
fn slow_inputs() -> Vec<(&'static str, String)> {
    let depth = 12_000;
    let mut doubling = format!("A0={}\n", "x".repeat(1024));
    for line in 1..40 {
        doubling.push_str(&format!("A{line}=${{A{}}}${{A{}}}\n", line - 1, line - 1));
    }
    vec![
        (".env", format!("A={}\n", "${".repeat(120_000))),
        (".env", format!("A=\"{}\"\n", "${".repeat(120_000))),
        (
            ".env",
            format!("A={}x{}\n", "${B:-".repeat(depth), "}".repeat(depth)),
        ),
        (
            ".env",
            format!("A=\"{}x{}\"\n", "${B:-".repeat(depth), "}".repeat(depth)),
        ),
        (".env", doubling),
        (
            ".env",
            (1..20_000)
                .map(|line| format!("A{line}=${{A{}}}x\n", line - 1))
                .collect(),
        ),
        (
            ".env",
            (0..10_000)
                .map(|line| format!("# keylint: ignore-next-line[KL102]\nA{line}= x\n"))
                .collect(),
        ),
        (
            "compose.yaml",
            format!(
                "services:\n  a:\n    image: x\n    environment:\n      A: \"{}x{}\"\n      B: \"{}\"\n",
                "${B:-".repeat(depth),
                "}".repeat(depth),
                "${".repeat(120_000)
            ),
        ),
    ]
}

#[test]
fn inputs_built_to_be_slow_or_deep_finish_and_never_abort() {
    for (name, text) in slow_inputs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), &text).unwrap();
        if name == "compose.yaml" {
            std::fs::write(dir.path().join(".env"), "B=\n").unwrap();
        }
        for args in [
            &["lint", "--format", "json", "."][..],
            &["inspect", name][..],
            &["inspect", "--format", "json", name][..],
        ] {
            let output = keylint(dir.path(), args, Duration::from_secs(60));
            let code = code(&output);
            assert!(
                code == 0 || code == 1,
                "{name} ({} bytes), keylint {args:?}: exit {code}: {}",
                text.len(),
                stderr(&output)
            );
        }
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn special_files_named_like_env_files_are_skipped_with_a_reason() {
    let compose = "services:\n  a:\n    image: x\n    env_file: [/dev/zero, app.env]\n    environment:\n      A: ${B}\n";
    let limit = Duration::from_secs(20);
    for make in ["fifo", "zero"] {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        match make {
            "fifo" => mkfifo(&env),
            _ => std::os::unix::fs::symlink("/dev/zero", &env).unwrap(),
        }
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("app.env")).unwrap();
        std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();

        let walked = keylint(dir.path(), &["lint", "--format", "json", "."], limit);
        assert!(code(&walked) <= 1, "{}", stderr(&walked));
        let json: serde_json::Value = serde_json::from_slice(&walked.stdout).unwrap();
        let skipped = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|diagnostic| diagnostic["path"] == ".env")
            .unwrap_or_else(|| panic!("{make}: .env is reported: {json}"));
        assert_eq!(skipped["code"], "KL001");
        let message = skipped["message"].as_str().unwrap();
        assert!(
            message.contains("FIFO") || message.contains("outside the linted directory"),
            "{message}"
        );

        let named = keylint(dir.path(), &["lint", ".env"], limit);
        assert!(
            stdout(&named).contains("not a regular file")
                || stdout(&named).contains("outside the linted directory")
                || stdout(&named).contains("character device"),
            "{}",
            stdout(&named)
        );
        let inspect = keylint(dir.path(), &["inspect", ".env"], limit);
        assert_eq!(code(&inspect), 2);
        assert!(
            stderr(&inspect).contains("not a regular file"),
            "{}",
            stderr(&inspect)
        );
        let compose = keylint(dir.path(), &["inspect", "compose.yaml"], limit);
        assert!(code(&compose) <= 1, "{}", stderr(&compose));
        let probe = keylint(dir.path(), &["probe", "--env-file", ".env"], limit);
        assert_eq!(code(&probe), 2, "{}", stderr(&probe));
    }
}

#[test]
fn a_directory_walk_lints_env_files_behind_symlinks_inside_the_project() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/base.env"), "OPENAI_API_KEY= sk-x\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("shared/base.env", dir.path().join(".env")).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(dir.path().join("shared/base.env"), dir.path().join(".env")).unwrap();
    let output = keylint(
        dir.path(),
        &["lint", "--format", "json", "."],
        Duration::from_secs(20),
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&".env"), "{paths:?}");
    assert!(paths.contains(&"shared/base.env"), "{paths:?}");
}

#[cfg(unix)]
#[test]
fn output_goes_into_fifos_and_through_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "OPENAI_API_KEY= sk-x\n").unwrap();
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read_to_string(fifo).unwrap()
    });
    let output = keylint(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--output",
            "report.fifo",
            ".env",
        ],
        Duration::from_secs(20),
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let report = reader.join().unwrap();
    assert!(report.contains("\"KL102\""), "{report}");
    use std::os::unix::fs::FileTypeExt as _;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    std::fs::write(dir.path().join("real.json"), "old").unwrap();
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).unwrap();
    keylint(
        dir.path(),
        &["lint", "--format", "json", "--output", "link.json", ".env"],
        Duration::from_secs(20),
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.json"))
            .unwrap()
            .is_symlink()
    );
    let written = std::fs::read_to_string(dir.path().join("real.json")).unwrap();
    assert!(written.contains("\"KL102\""), "{written}");
}

#[cfg(unix)]
#[test]
fn fix_writes_the_file_behind_a_symlink_and_keeps_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    let real = dir.path().join("config/app.env");
    std::fs::write(&real, "OPENAI_API_KEY= sk-x\nB=1\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // As root (CI), the file belongs to another user, as an app's .env often does.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout == b"0\n");
    if root {
        std::os::unix::fs::chown(&real, Some(65534), Some(65534)).unwrap();
    }
    let before = std::fs::metadata(&real).unwrap();
    std::os::unix::fs::symlink("config/app.env", dir.path().join(".env")).unwrap();
    let output = keylint(
        dir.path(),
        &["lint", "--fix", ".env"],
        Duration::from_secs(20),
    );
    assert!(code(&output) <= 1, "{}", stderr(&output));
    assert!(
        std::fs::symlink_metadata(dir.path().join(".env"))
            .unwrap()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "OPENAI_API_KEY=sk-x\nB=1\n",
        "the real file is fixed"
    );
    let after = std::fs::metadata(&real).unwrap();
    assert_eq!(after.permissions().mode() & 0o777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("config"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["app.env"], "no temporary file is left");
}

/// A `--fix` held (debug builds: `KEYLINT_TEST_WRITE_PAUSE_MS`) after writing its
/// temporary copy: the test acts while the copy exists.
#[cfg(unix)]
fn fix_in_background(dir: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("keylint"))
        .current_dir(dir)
        .args(["lint", "--fix", ".env"])
        .env("KEYLINT_TEST_WRITE_PAUSE_MS", "3000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[cfg(unix)]
fn wait_for_temporary_copy(dir: &Path) -> std::path::PathBuf {
    let temp_dir = dir.join(".keylint-tmp");
    for _ in 0..200 {
        if let Ok(entries) = std::fs::read_dir(&temp_dir) {
            let copy = entries
                .flatten()
                .map(|entry| entry.path())
                .find(|path| path.file_name().is_some_and(|name| name != ".gitignore"));
            if let Some(copy) = copy {
                return copy;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no temporary copy appeared");
}

#[cfg(unix)]
#[test]
fn an_interrupted_fix_leaves_no_copy_of_the_secret_file() {
    let key = format!("sk-proj-{}", "Qw3rTy7uIo9pAs1dFg4h".repeat(4));
    for signal in ["TERM", "INT", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("OPENAI_API_KEY= {key}\n");
        std::fs::write(dir.path().join(".env"), &text).unwrap();
        let mut child = fix_in_background(dir.path());
        let copy = wait_for_temporary_copy(dir.path());
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert!(!exit.success(), "{signal}: the run was interrupted");
        assert!(!copy.exists(), "{signal}: the temporary copy is gone");
        assert!(
            !dir.path().join(".keylint-tmp").exists(),
            "{signal}: its directory too"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".env")).unwrap(),
            text,
            "{signal}: the file is untouched"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_killed_fix_leaves_a_copy_git_ignores_and_the_next_run_removes() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    std::fs::write(dir.path().join(".env"), "OPENAI_API_KEY= sk-x\n").unwrap();
    let mut child = fix_in_background(dir.path());
    let copy = wait_for_temporary_copy(dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(copy.exists(), "SIGKILL cannot be caught: the copy stays");
    assert!(git(&["add", "-A"]).status.success());
    let staged = String::from_utf8(git(&["diff", "--cached", "--name-only"]).stdout).unwrap();
    assert_eq!(
        staged.trim(),
        ".env",
        "only the env file is staged: {staged}"
    );

    let output = keylint(
        dir.path(),
        &["lint", "--fix", ".env"],
        Duration::from_secs(20),
    );
    assert!(code(&output) <= 1, "{}", stderr(&output));
    assert!(!copy.exists(), "the next fix in that directory removes it");
    assert!(!dir.path().join(".keylint-tmp").exists());
}

#[cfg(unix)]
#[test]
fn an_edit_made_while_fix_runs_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, "OPENAI_API_KEY= sk-x\n").unwrap();
    let child = fix_in_background(dir.path());
    wait_for_temporary_copy(dir.path());
    std::fs::write(&env, "OPENAI_API_KEY=edited by hand\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("changed since keylint read it"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&env).unwrap(),
        "OPENAI_API_KEY=edited by hand\n"
    );
    assert!(!dir.path().join(".keylint-tmp").exists());
}

#[test]
fn control_characters_in_file_names_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J\u{7}.env";
    if std::fs::write(dir.path().join(name), "OPENAI_API_KEY= sk-x\n").is_err() {
        return; // a file system that refuses such names cannot be attacked with them
    }
    for format in ["human", "github"] {
        let output = keylint(
            dir.path(),
            &["lint", "--format", format, "."],
            Duration::from_secs(20),
        );
        let shown = stdout(&output);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("evil<U+001B>[2J<U+0007>.env"), "{shown}");
    }
    let output = keylint(
        dir.path(),
        &["lint", "--format", "json", "."],
        Duration::from_secs(20),
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["diagnostics"][0]["path"], name,
        "JSON keeps the exact name, escaped"
    );
}

/// A link to a file outside the project is reported as skipped and read for nothing else:
/// the names it sets do not count as set by the project.
#[cfg(unix)]
#[test]
fn a_symlink_outside_the_project_is_not_read_for_the_names_it_sets() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("real.env"), "OPENAI_API_KEY=x\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.py"),
        "import os\nfrom dotenv import load_dotenv\nload_dotenv()\nkey = os.environ[\"OPENAI_API_KEY\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".env"), "DEBUG=1\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("real.env"), dir.path().join("app.env"))
        .unwrap();
    let output = keylint(
        dir.path(),
        &["lint", "--format", "json", "."],
        Duration::from_secs(20),
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("app.env", "KL001")), "{found:?}");
    assert!(found.contains(&(".env", "KL204")), "{found:?}");
}

//! Secrets are sacred: lint fixtures full of fabricated keys in every file kind,
//! through every output path, and assert that no key (nor any 12 of its characters beyond
//! the prefix a mask shows, nor its base64 form) ever appears.

use std::path::Path;

use assert_cmd::Command;
use keylint_e2e::workspace_root;
use keylint_test_support::Secrets;

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn run(dir: &Path, args: &[&str]) -> String {
    let output = Command::cargo_bin("keylint")
        .unwrap()
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
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
fn no_output_shows_a_key() {
    let scratch = tempfile::tempdir().unwrap();
    let project = scratch.path().join("project");
    copy_dir(&workspace_root().join("examples/broken-app"), &project);
    // Extra shapes: a key in a comment, with NBSP, quoted twice, in a YAML block.
    let extra = format!(
        "# old key: {a}\nOPENAI_API_KEY='\"{a}\"'\nANTHROPIC_API_KEY=\"{b} \"\nOPENAI_API_KEY={a}\u{a0}\nAZURE_OPENAI_API_KEY=Bearer {c}\n",
        a = "sk-proj-Qw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpT3BlbkFJAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkLzXcVbNmQwE7rT",
        b = "sk-ant-api03-Zx9Cv8Bn7Mq6Wr5Et4Yu3Io2Pa1Sd0Fg9Hj8Kl7Zx6Cv5Bn4Mq3Wr2Et1Yu0Io9Pa8Sd7Fg6Hj5Kl4Zx3Cv2Bn1Mq0Wr9Et8Yu7Io6PAA",
        c = "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    );
    std::fs::write(project.join(".env.local"), extra).unwrap();
    let secrets = Secrets::in_dir(&project);
    assert!(
        secrets.len() >= 8,
        "the fixtures must plant keys: {}",
        secrets.len()
    );

    let mut outputs = Vec::new();
    // inspect (before --fix changes the files): every file, each loader's reading.
    for file in walk(&project) {
        let relative = file
            .strip_prefix(&project)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for format in ["human", "json"] {
            let args = ["inspect", relative.as_str(), "--format", format];
            outputs.push((args.join(" "), run(&project, &args)));
        }
    }
    for args in [
        vec!["lint", "."],
        vec!["lint", "--color", "always", "."],
        vec!["lint", "--format", "json", "."],
        vec!["lint", "--format", "sarif", "."],
        vec!["lint", "--format", "github", "."],
        vec!["lint", "--diff", "."],
        vec!["lint", "--diff", "--unsafe-fixes", "."],
        vec!["rules"],
        vec!["lint", "--fix", "--unsafe-fixes", "."],
        vec!["lint", "."],
    ] {
        outputs.push((args.join(" "), run(&project, &args)));
    }
    for code in run(&project, &["rules"])
        .lines()
        .filter_map(|line| line.split_whitespace().next())
    {
        outputs.push((format!("explain {code}"), run(&project, &["explain", code])));
    }
    secrets.assert_none_leaked(outputs);
    // --fix leaves no backup copies of secret files behind.
    let leftovers: Vec<_> = walk(&project)
        .into_iter()
        .filter(|path| {
            path.to_string_lossy().contains(".keylint-")
                || path.extension().is_some_and(|extension| extension == "bak")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A bug must not leak a key either. A debug build panics on purpose on a file holding
/// the test marker, with the whole file, key included, in the panic message: the user
/// sees where it happened and an error exit, never the message.
#[test]
fn a_panic_shows_no_key() {
    let scratch = tempfile::tempdir().unwrap();
    let key = "sk-proj-Pa9nIcQw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpT3BlbkFJAsDfGhJkLzXcVbNmQwErTyUiOp";
    std::fs::write(
        scratch.path().join(".env"),
        format!("# keylint-test: panic here\nOPENAI_API_KEY={key}\n"),
    )
    .unwrap();
    for args in [vec!["lint", "."], vec!["lint", "--format", "json", "."]] {
        let output = Command::cargo_bin("keylint")
            .unwrap()
            .current_dir(scratch.path())
            .env("RUST_BACKTRACE", "1")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("internal error at "), "{stderr}");
        assert!(
            stderr.contains(".env: keylint hit an internal error"),
            "{stderr}"
        );
        let shown = format!("{}{stderr}", String::from_utf8_lossy(&output.stdout));
        Secrets::new([key]).assert_no_leak(&args.join(" "), &shown);
    }
}

//! `--diff`: its standard output is a patch and nothing else, the real `git apply`
//! accepts it, the result is exactly what `--fix` writes, and no key is in it: on the
//! example project and on generated projects.

// The core's generators; this test uses the documents' paths and texts, not their kinds.
#[allow(dead_code)]
#[path = "../../keylint-core/tests/generators/mod.rs"]
mod generators;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use generators::Document;
use keylint_test_support::Secrets;
use proptest::prelude::*;

fn keylint(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("keylint")
        .unwrap()
        .current_dir(dir)
        .env_remove("CI")
        .args(args)
        .output()
        .unwrap()
}

/// `git` with no user or system configuration (a `core.autocrlf` of the machine must
/// not change what is applied).
fn git(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .expect("git runs")
}

/// Every file under `root` but `.git`, by relative path.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn write_tree(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, bytes) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Each line of a patch: a header, a hunk line, or a line of a binary hunk.
fn assert_only_a_patch(patch: &str) {
    let line = regex::Regex::new(concat!(
        r"^(diff --git .+|index [0-9a-f]{40}\.\.[0-9a-f]{40}|--- .+|\+\+\+ .+",
        r"|@@ -\d+(,\d+)? \+\d+(,\d+)? @@|[ +\-].*|\\ No newline at end of file",
        r"|GIT binary patch|delta \d+|[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{5,}|)$"
    ))
    .unwrap();
    assert!(patch.starts_with("diff --git "), "{patch}");
    for text in patch.split('\n') {
        let text = text.strip_suffix('\r').unwrap_or(text);
        assert!(line.is_match(text), "not a patch line: {text:?}");
    }
}

/// What `--diff` said about one project.
struct Applied {
    patch: String,
    stderr: String,
    /// Files whose fix the patch cannot carry without a secret.
    left_out: Vec<PathBuf>,
}

/// Lints `files` with `--diff`, applies the patch with `git apply` in a repository, fixes
/// a second copy with `--fix`, and checks both end the same.
fn diff_applies_as_fix(files: &BTreeMap<PathBuf, Vec<u8>>, extra: &[&str]) -> Applied {
    let scratch = tempfile::tempdir().unwrap();
    let patched = scratch.path().join("patched");
    let fixed = scratch.path().join("fixed");
    write_tree(&patched, files);
    write_tree(&fixed, files);
    assert!(git(&patched, &["init", "-q"]).status.success());

    let diff = keylint(&patched, &[&["lint", "--diff"], extra].concat());
    assert!(
        matches!(diff.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&diff.stderr)
    );
    let patch = String::from_utf8(diff.stdout).unwrap();
    let stderr = String::from_utf8(diff.stderr).unwrap();
    assert_same_files(&tree(&patched), files, &[]);
    let fix = keylint(&fixed, &[&["lint", "--fix"], extra].concat());
    assert!(
        matches!(fix.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&fix.stderr)
    );
    if !patch.is_empty() {
        assert_only_a_patch(&patch);
        std::fs::write(scratch.path().join("fix.patch"), &patch).unwrap();
        for check in [&["apply", "--check"][..], &["apply"]] {
            let applied = git(&patched, &[check, &["../fix.patch"]].concat());
            assert!(
                applied.status.success(),
                "git {check:?}: {}",
                String::from_utf8_lossy(&applied.stderr)
            );
        }
    }
    // Files left out of the patch say so, and why.
    let left_out: Vec<PathBuf> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("keylint: warning: "))
        .filter_map(|line| line.split_once(": left out of the patch (its fix writes a secret anew"))
        .map(|(path, _)| PathBuf::from(path))
        .collect();
    assert_same_files(&tree(&patched), &tree(&fixed), &left_out);
    Applied {
        patch,
        stderr,
        left_out,
    }
}

/// The two trees hold the same files with the same bytes, but for `left_out` (which
/// must differ). Only paths are reported: the contents hold keys.
fn assert_same_files(
    patched: &BTreeMap<PathBuf, Vec<u8>>,
    fixed: &BTreeMap<PathBuf, Vec<u8>>,
    left_out: &[PathBuf],
) {
    assert_eq!(
        patched.keys().collect::<Vec<_>>(),
        fixed.keys().collect::<Vec<_>>()
    );
    let differing: Vec<&PathBuf> = patched
        .iter()
        .filter(|(path, bytes)| fixed[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        differing,
        left_out.iter().collect::<Vec<_>>(),
        "git apply of --diff differs from --fix in these files (or a file left out of the patch was not)"
    );
}

fn example() -> BTreeMap<PathBuf, Vec<u8>> {
    tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/broken-app"))
}

#[test]
fn the_example_projects_patch_applies_as_fix_does_and_shows_no_key() {
    let files = example();
    let secrets = Secrets::in_text(
        &files
            .values()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .collect::<String>(),
    );
    assert!(secrets.len() >= 4, "the example holds keys");
    for extra in [&[][..], &["--unsafe-fixes"]] {
        let applied = diff_applies_as_fix(&files, extra);
        assert_eq!(applied.left_out, Vec::<PathBuf>::new());
        // The example's keys sit on lines its fixes change (CRLF, quotes, blanks).
        assert!(
            applied.patch.contains("GIT binary patch\n"),
            "{}",
            applied.patch
        );
        secrets.assert_none_leaked([
            (format!("--diff {extra:?} stdout"), applied.patch),
            (format!("--diff {extra:?} stderr"), applied.stderr.clone()),
        ]);
        // What a binary patch changes is shown on standard error, masked.
        assert!(
            applied.stderr.contains("+OPENAI_API_KEY=sk-proj-…"),
            "{}",
            applied.stderr
        );
    }
}

#[test]
fn a_file_without_secrets_gets_a_byte_exact_text_patch() {
    let files: BTreeMap<PathBuf, Vec<u8>> = [
        // CRLF endings, kept quotes for docker, no newline at the end.
        (
            "deploy/app.env",
            &b"# read by docker\r\nMODEL=\"gpt-4o\"\r\nLOG_LEVEL=info \r\nREGION=eu"[..],
        ),
        (
            "Makefile",
            b"run:\n\tdocker run --env-file deploy/app.env app\n",
        ),
        // Quotes kept by the Compose list form; the last line has no line break.
        (
            "compose.yaml",
            b"services:\n  api:\n    environment:\n      - MODEL=\"gpt-4o\"\n      - LOG_LEVEL=info",
        ),
    ]
    .into_iter()
    .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
    .collect();
    let applied = diff_applies_as_fix(&files, &[]);
    assert_eq!(applied.left_out, Vec::<PathBuf>::new());
    let patch = applied.patch;
    assert!(!patch.contains("GIT binary patch"), "{patch}");
    assert!(
        patch.contains("diff --git a/deploy/app.env b/deploy/app.env\n"),
        "{patch}"
    );
    assert!(
        patch.contains(
            "-MODEL=\"gpt-4o\"\r\n-LOG_LEVEL=info \r\n+MODEL=gpt-4o\r\n+LOG_LEVEL=info\r\n"
        ),
        "{patch}"
    );
    assert!(
        patch.contains(" REGION=eu\n\\ No newline at end of file\n"),
        "{patch}"
    );
    assert!(
        patch.contains("-      - MODEL=\"gpt-4o\"\n+      - MODEL=gpt-4o\n"),
        "{patch}"
    );
    assert!(
        applied
            .stderr
            .contains("Would fix 1 finding in compose.yaml (KL101)\n"),
        "{}",
        applied.stderr
    );
}

#[test]
fn the_patch_names_files_from_the_top_of_the_repository() {
    let scratch = tempfile::tempdir().unwrap();
    let files: BTreeMap<PathBuf, Vec<u8>> = [(
        PathBuf::from("services/api/compose.yaml"),
        b"services:\n  api:\n    environment:\n      - MODEL=\"gpt-4o\"\n".to_vec(),
    )]
    .into_iter()
    .collect();
    write_tree(scratch.path(), &files);
    assert!(git(scratch.path(), &["init", "-q"]).status.success());
    let inside = scratch.path().join("services");
    let diff = keylint(&inside, &["lint", "--diff"]);
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert!(
        patch.starts_with("diff --git a/services/api/compose.yaml b/services/api/compose.yaml\n"),
        "{patch}"
    );
    // -o writes the same patch to a file and leaves standard output empty.
    let to_file = keylint(&inside, &["lint", "--diff", "-o", "../fix.patch"]);
    assert!(to_file.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(scratch.path().join("fix.patch")).unwrap(),
        patch
    );
    let applied = git(&inside, &["apply", "../fix.patch"]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert!(
        std::fs::read_to_string(inside.join("api/compose.yaml"))
            .unwrap()
            .contains("- MODEL=gpt-4o\n")
    );
}

/// Env lines with no secret in them: kept quotes, blanks, `export`, spaces around `=`,
/// CRLF, a last line without a line break.
fn plain_env() -> impl Strategy<Value = Vec<u8>> {
    let line = (
        proptest::sample::select(vec!["MODEL", "LOG_LEVEL", "REGION", "PORT"]),
        proptest::sample::select(vec!["=", " = ", "="]),
        proptest::sample::select(vec!["", "\"", "'"]),
        proptest::sample::select(vec!["gpt-4o", " info", "eu ", "8080"]),
        proptest::sample::select(vec!["", "export "]),
        proptest::sample::select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(name, separator, quote, value, export, ending)| {
            format!("{export}{name}{separator}{quote}{value}{quote}{ending}")
        });
    (proptest::collection::vec(line, 1..6), any::<bool>()).prop_map(|(lines, last_break)| {
        let mut text = lines.concat();
        if !last_break {
            text = text.trim_end_matches(['\r', '\n']).to_string();
        }
        text.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Generated projects (keys of every provider's shape, each mistake the rules fix, in
    /// `.env`, Compose, Kubernetes and workflow files, plus env files with no secret): the
    /// patch applies and equals --fix, and shows no key.
    #[test]
    fn generated_projects_patch_as_they_fix(
        documents in proptest::collection::vec(generators::document(), 1..8),
        plain in proptest::collection::vec(plain_env(), 0..3),
        unsafe_fixes in any::<bool>(),
    ) {
        let mut files = BTreeMap::new();
        for (index, Document { path, text, .. }) in documents.iter().enumerate() {
            files.insert(PathBuf::from(format!("case{index}/{path}")), text.clone().into_bytes());
        }
        for (index, text) in plain.into_iter().enumerate() {
            files.insert(PathBuf::from(format!("plain{index}/docker.env")), text);
        }
        let secrets = Secrets::in_text(
            &documents.iter().map(|document| document.text.as_str()).collect::<String>(),
        );
        let extra: &[&str] = if unsafe_fixes { &["--unsafe-fixes"] } else { &[] };
        let applied = diff_applies_as_fix(&files, extra);
        if secrets.is_empty() {
            return Ok(());
        }
        secrets.assert_none_leaked([
            ("--diff stdout".to_string(), applied.patch),
            ("--diff stderr".to_string(), applied.stderr),
        ]);
    }
}

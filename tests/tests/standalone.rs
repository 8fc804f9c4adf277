//! The project stands alone: nothing in the repository (docs, `keylint explain` texts and
//! SARIF help, which live in the rule sources, comments, editor plugins, scripts) cites a
//! file outside it, such as the design notes or research files it was built from. Every
//! `*.md` file a text names must exist in the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use keylint_e2e::workspace_root;
use regex::Regex;

/// Names of the private notes the project was built from; a shipped text must say what
/// users need in its own words instead of pointing there.
const OUTSIDE: &[&str] = &[
    "DESIGN.md",
    "DESIGN §",
    "../shared/",
    "shared/research",
    "research/",
    "anchors.md",
];

/// Every file git tracks or would track (new files included, ignored ones not).
fn repository_files() -> Vec<PathBuf> {
    let root = workspace_root();
    let output = Command::new("git")
        .current_dir(&root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git ls-files failed");
    output
        .stdout
        .split(|&byte| byte == 0)
        .filter(|name| !name.is_empty())
        .map(|name| root.join(String::from_utf8_lossy(name).as_ref()))
        .filter(|path| path.is_file())
        .collect()
}

fn texts() -> Vec<(PathBuf, String)> {
    let this_file = workspace_root().join(file!());
    repository_files()
        .into_iter()
        .filter(|path| *path != this_file)
        .filter_map(|path| {
            let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
            Some((path, text))
        })
        .collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn no_text_cites_the_private_notes() {
    let mut found = Vec::new();
    for (path, text) in texts() {
        for (number, line) in text.lines().enumerate() {
            for name in OUTSIDE {
                if line.contains(name) {
                    found.push(format!("{}:{}: {name}", relative(&path), number + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "say it in the project's own words (docs/), do not cite files outside the repository:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_markdown_file_named_exists() {
    // A path-like token ending in `.md`, not part of a URL or a shell expansion
    // (`$dir/README.md`), and not a build output (`target/…`, `out/…`).
    let reference =
        Regex::new(r"(?:^|[^A-Za-z0-9_./:$}{-])((?:\.\.?/)?[A-Za-z0-9_][A-Za-z0-9_./-]*\.md)\b")
            .unwrap();
    let root = workspace_root();
    let names: Vec<_> = repository_files()
        .iter()
        .filter_map(|file| file.file_name().map(|name| name.to_os_string()))
        .collect();
    let mut missing = Vec::new();
    for (path, text) in texts() {
        let dir = path.parent().unwrap().to_path_buf();
        for (number, line) in text.lines().enumerate() {
            for capture in reference.captures_iter(line) {
                let name = &capture[1];
                if name.starts_with("target/") || name.starts_with("out/") {
                    continue;
                }
                // Relative to the file, the repository root, `docs/`, or any folder of the
                // repository for a bare file name (`README.md`, `lsp.md`).
                let resolves = [&dir, &root, &root.join("docs")]
                    .iter()
                    .any(|base| base.join(name).is_file())
                    || (!name.contains('/') && names.iter().any(|file| file == name));
                if !resolves {
                    missing.push(format!("{}:{}: {name}", relative(&path), number + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these Markdown files are named but not in the repository:\n{}",
        missing.join("\n")
    );
}

#[test]
fn explain_and_sarif_help_cite_nothing_outside() {
    // The rule docs reach users through `keylint explain` and SARIF `help`: check the
    // binary's own output, not only its sources.
    let output = assert_cmd::Command::cargo_bin("keylint")
        .unwrap()
        .current_dir(workspace_root())
        .args(["lint", "--format", "sarif", "examples/broken-app"])
        .output()
        .unwrap();
    let sarif = String::from_utf8(output.stdout).unwrap();
    assert!(sarif.contains("\"help\""), "SARIF carries the rule help");
    let rules: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let mut texts = vec![("SARIF".to_owned(), sarif.clone())];
    for rule in rules["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let code = rule["id"].as_str().unwrap();
        let explain = assert_cmd::Command::cargo_bin("keylint")
            .unwrap()
            .args(["explain", code])
            .output()
            .unwrap();
        assert!(explain.status.success(), "keylint explain {code}");
        texts.push((
            format!("keylint explain {code}"),
            String::from_utf8(explain.stdout).unwrap(),
        ));
    }
    for (label, text) in texts {
        for name in OUTSIDE {
            assert!(!text.contains(name), "{label} cites {name}");
        }
    }
}

//! The version and the repository URL are set once, in the root Cargo.toml
//! (`[workspace.package]`). The files whose formats cannot read them from there (the VS
//! Code manifest, the pre-commit package, install.sh, the docs' snippets) must repeat them
//! exactly; this test names every one that drifts.

use std::path::Path;

use keylint_e2e::workspace_root;
use regex::Regex;

struct Release {
    version: String,
    repository: String,
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace_root().join(relative))
        .unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn release() -> Release {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let package = &manifest["workspace"]["package"];
    Release {
        version: package["version"].as_str().unwrap().to_owned(),
        repository: package["repository"].as_str().unwrap().to_owned(),
    }
}

#[test]
fn vscode_extension_has_the_release_version_and_repository() {
    let release = release();
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(manifest["version"], release.version.as_str());
    assert_eq!(manifest["repository"]["url"], release.repository.as_str());
    assert_eq!(manifest["repository"]["directory"], "editors/vscode");
    assert!(
        workspace_root()
            .join("editors/vscode")
            .join(manifest["icon"].as_str().unwrap())
            .is_file(),
        "the icon package.json names exists"
    );
}

#[test]
fn pre_commit_package_pins_the_release_wheel() {
    let release = release();
    let pyproject: toml::Table = read("pyproject.toml").parse().unwrap();
    let project = &pyproject["project"];
    assert_eq!(project["version"].as_str(), Some(release.version.as_str()));
    assert_eq!(
        project["dependencies"].as_array().unwrap(),
        &vec![toml::Value::from(format!("keylint=={}", release.version))]
    );
}

#[test]
fn install_script_defaults_to_this_release() {
    let release = release();
    let script = read("install.sh");
    assert!(
        script.contains(&format!("\nRELEASE_VERSION={}\n", release.version)),
        "install.sh RELEASE_VERSION"
    );
    assert!(
        script.contains(&format!("\nREPOSITORY={}\n", release.repository)),
        "install.sh REPOSITORY"
    );
}

/// Every link to the project's GitHub home (`github.com/<owner>/keylint…`), every
/// `uses: owner/keylint@vX` and pre-commit `rev:` in a text of the repository points at
/// the repository and version of Cargo.toml; the old placeholder is gone.
#[test]
fn every_mention_of_the_repository_and_release_agrees() {
    let release = release();
    let slug = release
        .repository
        .strip_prefix("https://github.com/")
        .expect("the repository is on GitHub");
    let link =
        Regex::new(r"https?://github\.com/[A-Za-z0-9_.-]+/keylint[A-Za-z0-9_./#-]*").unwrap();
    let uses = Regex::new(r"uses: ([A-Za-z0-9_.-]+/keylint)@v?([0-9][0-9A-Za-z.+-]*)").unwrap();
    let rev = Regex::new(r"rev: v([0-9][0-9A-Za-z.+-]*)").unwrap();
    let mut wrong = Vec::new();
    for file in [
        "README.md",
        "action.yml",
        "install.sh",
        "crates/keylint/README.md",
    ]
    .into_iter()
    .map(String::from)
    .chain(markdown_files("docs"))
    .chain(markdown_files("editors/vscode"))
    .chain(markdown_files("editors/nvim"))
    {
        let text = read(&file);
        if text.contains("example.invalid/keylint") {
            wrong.push(format!("{file}: the example.invalid placeholder"));
        }
        for found in link.find_iter(&text) {
            if !found.as_str().starts_with(&release.repository) {
                wrong.push(format!("{file}: {}", found.as_str()));
            }
        }
        for found in uses.captures_iter(&text) {
            if &found[1] != slug || found[2] != release.version {
                wrong.push(format!("{file}: {}", &found[0]));
            }
        }
        for found in rev.captures_iter(&text) {
            if found[1] != release.version {
                wrong.push(format!("{file}: {}", &found[0]));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "expected {} at version {}:\n{}",
        release.repository,
        release.version,
        wrong.join("\n")
    );
}

fn markdown_files(dir: &str) -> Vec<String> {
    let root = workspace_root();
    std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| relative(&root, &path))
        .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap().display().to_string()
}

//! What kind of file a path is, judged by its name (and, for YAML, its content).

use crate::syntax::yaml::{Node, YamlFile};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `.env`, `.env.*`, `*.env`.
    EnvFile,
    /// `compose.yaml`, `docker-compose*.yml`, or YAML with a top-level `services:`.
    Compose,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    Workflow,
    /// Kubernetes manifests, Helm values and any other YAML with `env:` blocks.
    OtherYaml,
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The kind a path has by its name alone; `None` for files keylint does not read.
#[must_use]
pub fn kind_by_name(path: &str) -> Option<FileKind> {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if lower == ".envrc" || lower.ends_with(".bak") {
        return None;
    }
    // A name that says YAML is YAML, whatever else it says: `.env.gcp.yaml`, and with a
    // template suffix, `compose.yaml.example`.
    let mut yaml_name = lower.as_str();
    while let Some((stem, suffix)) = yaml_name.rsplit_once('.') {
        if !TEMPLATE_MARKERS.contains(&suffix) {
            break;
        }
        yaml_name = stem;
    }
    let says_yaml = yaml_name.ends_with(".yml") || yaml_name.ends_with(".yaml");
    if !says_yaml && (lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env")) {
        return Some(FileKind::EnvFile);
    }
    if !says_yaml {
        return None;
    }
    let normalized = path.replace('\\', "/");
    if normalized.contains(".github/workflows/") {
        return Some(FileKind::Workflow);
    }
    if yaml_name.starts_with("compose.")
        || yaml_name.starts_with("docker-compose")
        || yaml_name.starts_with("compose-")
    {
        return Some(FileKind::Compose);
    }
    Some(FileKind::OtherYaml)
}

/// Refines a YAML kind by content: a top-level `services:` mapping makes it Compose.
#[must_use]
pub fn refine_yaml_kind(kind: FileKind, yaml: &YamlFile) -> FileKind {
    let has_services = |document: &Node| {
        document
            .get("services")
            .is_some_and(|services| services.entries().next().is_some())
    };
    if kind == FileKind::OtherYaml
        && yaml.documents.first().is_some_and(has_services)
        && yaml.documents.len() == 1
    {
        let document = &yaml.documents[0];
        // Kubernetes objects have apiVersion/kind; Compose files do not.
        if document.get("apiVersion").is_none() {
            return FileKind::Compose;
        }
    }
    kind
}

/// Name segments that mark a template: `.env.example`, `secrets.sample.yaml`, `app.env.dist`.
const TEMPLATE_MARKERS: [&str; 6] = ["example", "sample", "template", "dist", "tmpl", "tpl"];

/// Templates (`*.example`, `*.sample`, `*.template`, `*.dist`) hold placeholders on
/// purpose: no value rule reports on them.
#[must_use]
pub fn is_template_by_name(path: &str) -> bool {
    let lower = file_name(path).to_ascii_lowercase();
    lower
        .split(['.', '-', '_'])
        .any(|segment| TEMPLATE_MARKERS.contains(&segment))
}

/// Files where a fake key is expected: CI workflows and files whose name says test or
/// dummy (`.env.test`, `ci/dummy-env-file.env`). Only the file's own name counts: a
/// directory called `tests` may hold real configuration (or cases of real mistakes).
#[must_use]
pub fn is_test_context(path: &str, kind: FileKind) -> bool {
    let lower = file_name(path).to_ascii_lowercase();
    kind == FileKind::Workflow
        || lower
            .split(['.', '-', '_'])
            .any(|segment| matches!(segment, "test" | "tests" | "ci" | "testing" | "dummy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_contexts_by_name() {
        for test in [
            ".github/workflows/release.yml",
            ".env.test",
            "ci/dummy-env-file.env",
            "dummy.env",
            "config\\ci.env",
        ] {
            let kind = kind_by_name(test).unwrap_or(FileKind::EnvFile);
            assert!(is_test_context(test, kind), "{test}");
        }
        // Words inside a segment, and directories, do not count.
        for real in [
            ".env",
            "deploy/prod.env",
            "latest.env",
            "dummyapp.env",
            "tests/fixtures/.env",
            "ci/.env",
        ] {
            assert!(!is_test_context(real, FileKind::EnvFile), "{real}");
        }
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind_by_name(".env"), Some(FileKind::EnvFile));
        assert_eq!(kind_by_name("deploy/prod.env"), Some(FileKind::EnvFile));
        assert_eq!(kind_by_name(".env.local"), Some(FileKind::EnvFile));
        assert_eq!(kind_by_name(".envrc"), None);
        assert_eq!(
            kind_by_name("docker-compose.prod.yml"),
            Some(FileKind::Compose)
        );
        assert_eq!(
            kind_by_name(".github/workflows/ci.yml"),
            Some(FileKind::Workflow)
        );
        assert_eq!(kind_by_name("k8s/secret.yaml"), Some(FileKind::OtherYaml));
        assert_eq!(kind_by_name("README.md"), None);
        // A name that says YAML is YAML, a template suffix or an `.env` prefix aside.
        assert_eq!(kind_by_name(".env.gcp.yaml"), Some(FileKind::OtherYaml));
        assert_eq!(
            kind_by_name("config/.env.gcp.yaml.example"),
            Some(FileKind::OtherYaml)
        );
        assert_eq!(
            kind_by_name("compose.yaml.example"),
            Some(FileKind::Compose)
        );
        assert_eq!(kind_by_name(".env.example"), Some(FileKind::EnvFile));
        assert!(is_template_by_name(".env.example"));
        assert!(is_template_by_name("app.env.dist"));
        assert!(!is_template_by_name(".env.production"));
    }
}

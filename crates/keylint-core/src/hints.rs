//! Who reads an env file, judged from the rest of the project: a `.env`
//! beside a compose file is read by Compose; a file named by `--env-file` in a
//! Makefile, script or README by docker; a file sourced by a shell script by the
//! shell; source code that loads it by that library. The caller hands in the texts.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::code::CodeLoad;
use crate::consumer::Consumer;
use crate::project::{ConsumerSet, sibling};
use crate::source::{FileKind, kind_by_name};
use crate::syntax::yaml;

/// Names a program reads by exact name: `${NAME}` in YAML, `os.environ["NAME"]`,
/// `os.getenv("NAME")`, `process.env.NAME`, `env::var("NAME")`.
static NAME_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\$\{([A-Za-z_][A-Za-z0-9_]*)|environ(?:\.get)?[\[\(]\s*["']([A-Za-z_][A-Za-z0-9_]*)|getenv\(\s*["']([A-Za-z_][A-Za-z0-9_]*)|process\.env(?:\.|\[["'])([A-Za-z_][A-Za-z0-9_]*)|env::var(?:_os)?\(\s*"([A-Za-z_][A-Za-z0-9_]*)"#)
        .expect("name-read pattern is valid")
});

/// The variable names `text` reads by exact name (for [`crate::Project::reads_name`]).
pub fn names_read(text: &str) -> impl Iterator<Item = &str> {
    NAME_READS.captures_iter(text).filter_map(|captures| {
        captures
            .iter()
            .skip(1)
            .flatten()
            .next()
            .map(|name| name.as_str())
    })
}

/// Files worth reading for hints, by name.
#[must_use]
pub fn is_hint_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default();
    // The names first: most files are told by them, and reading the kind takes copies.
    ["makefile", "procfile"]
        .iter()
        .any(|hint| name.eq_ignore_ascii_case(hint))
        || name
            .get(..6)
            .is_some_and(|start| start.eq_ignore_ascii_case("readme"))
        || [
            "sh", "bash", "py", "js", "mjs", "cjs", "ts", "mts", "cts", "rs", "md",
        ]
        .iter()
        .any(|hint| extension.eq_ignore_ascii_case(hint))
        || matches!(
            kind_by_name(&path.to_string_lossy()),
            Some(FileKind::Compose)
        )
}

/// The consumers of `env_path` that `hints` (path, text) and the code's loads reveal.
#[must_use]
pub fn consumers_from_hints(
    env_path: &Path,
    hints: &[(&Path, &str)],
    loads: &[&CodeLoad],
) -> ConsumerSet {
    let mut set = ConsumerSet::default();
    for load in loads {
        set.add(load.consumer, load.evidence.clone());
    }
    let env_name = env_path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let env_dir = env_path.parent().unwrap_or(Path::new(""));
    for &(hint_path, text) in hints {
        let hint_dir = hint_path.parent().unwrap_or(Path::new(""));
        let shown = hint_path.to_string_lossy();
        if kind_by_name(&shown) == Some(FileKind::Compose) {
            if hint_dir == env_dir && env_name == ".env" {
                set.add(
                    Consumer::ComposeEnvFile,
                    format!("the project `.env` of {shown}"),
                );
            }
            if compose_env_files(hint_path, text)
                .iter()
                .any(|referenced| same_file(referenced, env_path))
            {
                set.add(Consumer::ComposeEnvFile, format!("`env_file:` in {shown}"));
            }
            continue;
        }
        let names_this_file = mentions_file(text, env_name);
        let extension = hint_path
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default();
        if text.contains("--env-file") && names_this_file && env_file_flag_names(text, env_name) {
            set.add(Consumer::DockerEnvFile, format!("`--env-file` in {shown}"));
        }
        if matches!(extension, "sh" | "bash")
            || hint_path.file_name().is_some_and(|name| name == "Makefile")
        {
            let sources = text.lines().any(|line| {
                let line = line.trim_start();
                (line.starts_with(". ")
                    || line.starts_with("source ")
                    || line.contains("; . ")
                    || line.contains("&& . "))
                    && mentions_file(line, env_name)
            });
            if sources || (text.contains("export $(") && names_this_file) {
                set.add(Consumer::Shell, format!("sourced in {shown}"));
            }
        }
    }
    set
}

fn same_file(a: &Path, b: &Path) -> bool {
    crate::project::normalize(a) == crate::project::normalize(b)
}

/// Whether `text` names the file as a whole word (`.env` but not `.env.example`).
fn mentions_file(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(index, _)| {
        let after = text[index + name.len()..].chars().next();
        let before = text[..index].chars().next_back();
        !after.is_some_and(|character| {
            character.is_alphanumeric() || matches!(character, '.' | '_' | '-')
        }) && !before
            .is_some_and(|character| character.is_alphanumeric() || matches!(character, '_' | '-'))
    })
}

fn env_file_flag_names(text: &str, name: &str) -> bool {
    text.match_indices("--env-file").any(|(index, _)| {
        let rest = &text[index + "--env-file".len()..];
        let argument = rest
            .trim_start_matches(['=', ' '])
            .split_whitespace()
            .next()
            .unwrap_or_default();
        let argument = argument.trim_matches(['"', '\'']);
        argument.rsplit('/').next() == Some(name)
    })
}

/// Paths a compose file lists under `env_file:` (string, list, or `{path, required}`).
#[must_use]
pub fn compose_env_files(compose_path: &Path, text: &str) -> Vec<std::path::PathBuf> {
    // The key is spelt out unless a quoted key escapes a character of it; without either
    // there is nothing to find, and the YAML parse is most of the cost (the server asks
    // on every edit of an env file beside a long Compose file).
    if !text.contains("env_file") && !text.contains('\\') {
        return Vec::new();
    }
    let file = yaml::parse(text);
    compose_env_file_entries(&file)
        .iter()
        .filter_map(|entry| entry.path.as_str())
        .map(|path| sibling(compose_path, path))
        .collect()
}

/// One `env_file:` entry of a Compose service.
#[derive(Clone, Copy, Debug)]
pub struct ComposeEnvFileEntry<'a> {
    /// The path scalar as written (relative to the compose file).
    pub path: &'a yaml::Node,
    /// `false` for `{path: …, required: false}`: Compose skips the file when it is missing.
    pub required: bool,
}

/// The `env_file:` entries of every service: a string, a list of strings, or a list of
/// `{path, required}`.
#[must_use]
pub fn compose_env_file_entries(file: &yaml::YamlFile) -> Vec<ComposeEnvFileEntry<'_>> {
    file.documents
        .iter()
        .flat_map(|document| {
            document
                .get("services")
                .into_iter()
                .flat_map(yaml::Node::entries)
        })
        .flat_map(|(_, service)| service_env_files(service))
        .collect()
}

/// The `env_file:` entries of one service, in the order Compose reads them.
#[must_use]
pub fn service_env_files(service: &yaml::Node) -> Vec<ComposeEnvFileEntry<'_>> {
    let Some(env_file) = service.get("env_file") else {
        return Vec::new();
    };
    let entries: Vec<&yaml::Node> = match &env_file.kind {
        yaml::NodeKind::Sequence(items) => items.iter().collect(),
        _ => vec![env_file],
    };
    let mut found = Vec::new();
    for entry in entries {
        if entry.as_str().is_some() {
            found.push(ComposeEnvFileEntry {
                path: entry,
                required: true,
            });
        } else if let Some(path) = entry.get("path").filter(|path| path.as_str().is_some()) {
            let required = !entry
                .get("required")
                .and_then(yaml::Node::as_str)
                .is_some_and(|required| required.eq_ignore_ascii_case("false"));
            found.push(ComposeEnvFileEntry { path, required });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::LoadTarget;

    fn consumers(env: &str, hints: &[(&str, &str)]) -> Vec<Consumer> {
        let hints: Vec<(&Path, &str)> = hints
            .iter()
            .map(|(path, text)| (Path::new(*path), *text))
            .collect();
        consumers_from_hints(Path::new(env), &hints, &[]).judged()
    }

    fn load(path: &str, consumer: Consumer, target: LoadTarget) -> CodeLoad {
        CodeLoad {
            path: Path::new(path).to_path_buf(),
            line: 1,
            consumer,
            target,
            evidence: format!("{} in {path}", consumer.display_name()),
        }
    }

    #[test]
    fn detects_each_consumer() {
        assert_eq!(
            consumers(".env", &[("compose.yaml", "services: {}\n")]),
            vec![Consumer::ComposeEnvFile]
        );
        assert_eq!(
            consumers(
                "api.env",
                &[("compose.yaml", "services:\n  a:\n    env_file: ./api.env\n")]
            ),
            vec![Consumer::ComposeEnvFile]
        );
        assert_eq!(
            consumers(
                "prod.env",
                &[("Makefile", "run:\n\tdocker run --env-file prod.env img\n")]
            ),
            vec![Consumer::DockerEnvFile]
        );
        assert_eq!(
            consumers(".env", &[("start.sh", "set -a; . ./.env; set +a\n")]),
            vec![Consumer::Shell]
        );
        let loads = [
            load("app/main.py", Consumer::PythonDotenv, LoadTarget::Default),
            load(
                "src/main.rs",
                Consumer::Dotenvy,
                LoadTarget::File("deploy/prod.env".into()),
            ),
            load("other/index.js", Consumer::NodeDotenv, LoadTarget::Unknown),
        ];
        let mut code = crate::code::CodeIndex::default();
        for load in loads {
            code.add_load(load);
        }
        let from_code = |env: &str| {
            consumers_from_hints(Path::new(env), &[], &code.loads_of(Path::new(env))).judged()
        };
        assert_eq!(from_code(".env"), vec![Consumer::PythonDotenv]);
        assert_eq!(from_code("app/.env"), vec![Consumer::PythonDotenv]);
        assert_eq!(from_code("deploy/prod.env"), vec![Consumer::Dotenvy]);
        assert_eq!(from_code("other/.env").len(), Consumer::COMMON.len());
        assert!(consumers(".env.example", &[("compose.yaml", "services: {}\n")]).len() == 6);
    }

    #[test]
    fn env_file_key_is_found_spelt_out_or_escaped() {
        let compose = Path::new("compose.yaml");
        for text in [
            "services:\n  a:\n    env_file: [api.env]\n",
            "services:\n  a:\n    \"env\\x5ffile\": api.env\n",
            "services:\n  a:\n    \"env\\u005Ffile\": api.env\n",
        ] {
            assert_eq!(
                compose_env_files(compose, text),
                [Path::new("api.env")],
                "{text}"
            );
        }
        assert!(compose_env_files(compose, "services:\n  a:\n    image: x\n").is_empty());
    }
}

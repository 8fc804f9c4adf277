//! Package manifests say which loader reads a project's env files: `package.json`
//! (dotenv, Vite, Next.js), `requirements*.txt` and `pyproject.toml` (python-dotenv,
//! pydantic-settings), `go.mod` (godotenv), `Cargo.toml` (dotenvy).

use std::ops::Range;

use keylint_core::consumer::Consumer;

/// A dependency that brings an env-file loader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestLoader {
    /// The loader that reads the env files, as keylint models it.
    pub consumer: Consumer,
    /// The package that brings it, as the manifest spells it (`python-dotenv`, `vite`).
    pub package: String,
    /// Byte range of the package name in the manifest.
    pub range: Range<usize>,
    /// 1-based line of `range.start`.
    pub line: usize,
}

/// A package that loads env files, and the loader keylint judges them with.
struct LoaderPackage {
    /// The name in its registry, normalized (PyPI names lower case, `-` for `_` and `.`).
    name: &'static str,
    consumer: Consumer,
}

/// npm: dotenv itself; Vite's `loadEnv` and Next.js's `@next/env` read `.env` files with
/// dotenv's parser (then expand `$VAR` with dotenv-expand).
const NPM: &[LoaderPackage] = &[
    LoaderPackage {
        name: "dotenv",
        consumer: Consumer::NodeDotenv,
    },
    LoaderPackage {
        name: "vite",
        consumer: Consumer::NodeDotenv,
    },
    LoaderPackage {
        name: "next",
        consumer: Consumer::NodeDotenv,
    },
];

/// PyPI: pydantic-settings reads `env_file` with python-dotenv's `dotenv_values`.
const PYPI: &[LoaderPackage] = &[
    LoaderPackage {
        name: "python-dotenv",
        consumer: Consumer::PythonDotenv,
    },
    LoaderPackage {
        name: "pydantic-settings",
        consumer: Consumer::PythonDotenv,
    },
];

const GO: &[LoaderPackage] = &[LoaderPackage {
    name: "github.com/joho/godotenv",
    consumer: Consumer::Godotenv,
}];

const CARGO: &[LoaderPackage] = &[LoaderPackage {
    name: "dotenvy",
    consumer: Consumer::Dotenvy,
}];

/// Whether keylint reads this file as a manifest (by its name).
#[must_use]
pub fn is_manifest(path: &str) -> bool {
    manifest_kind(file_name(path)).is_some()
}

#[derive(Clone, Copy)]
enum ManifestKind {
    PackageJson,
    Requirements,
    PyProject,
    GoMod,
    CargoToml,
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn manifest_kind(name: &str) -> Option<ManifestKind> {
    Some(match name {
        "package.json" => ManifestKind::PackageJson,
        "pyproject.toml" => ManifestKind::PyProject,
        "go.mod" => ManifestKind::GoMod,
        "Cargo.toml" => ManifestKind::CargoToml,
        _ if name.starts_with("requirements") && name.ends_with(".txt") => {
            ManifestKind::Requirements
        }
        _ => return None,
    })
}

/// The env-file loaders the manifest at `path` depends on (nothing for other files, or
/// manifests that do not parse).
#[must_use]
pub fn loaders(path: &str, text: &str) -> Vec<ManifestLoader> {
    let Some(kind) = manifest_kind(file_name(path)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut add = |table: &[LoaderPackage], name: &str, range: Range<usize>| {
        if let Some(package) = table.iter().find(|package| package.name == name) {
            found.push(ManifestLoader {
                consumer: package.consumer,
                package: text[range.clone()].to_string(),
                line: text[..range.start].matches('\n').count() + 1,
                range,
            });
        }
    };
    match kind {
        ManifestKind::PackageJson => {
            for (name, range) in package_json_dependencies(text) {
                add(NPM, &name, range);
            }
        }
        ManifestKind::Requirements => {
            for (name, range) in requirements(text) {
                add(PYPI, &normalize_pypi(&name), range);
            }
        }
        ManifestKind::PyProject => {
            for (name, range) in pyproject_dependencies(text) {
                add(PYPI, &normalize_pypi(&name), range);
            }
        }
        ManifestKind::GoMod => {
            for (name, range) in go_requirements(text) {
                add(GO, &name, range);
            }
        }
        ManifestKind::CargoToml => {
            for (name, range) in cargo_dependencies(text) {
                add(CARGO, &name, range);
            }
        }
    }
    found.sort_by_key(|loader| loader.range.start);
    found.dedup_by(|later, earlier| {
        later.consumer == earlier.consumer && later.package == earlier.package
    });
    found
}

/// PEP 503: lower case, runs of `-`, `_` and `.` as one `-`.
fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for character in name.chars() {
        if matches!(character, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(character.to_ascii_lowercase());
        }
    }
    out
}

/// The name of a PEP 508 requirement (`python-dotenv[cli]>=1.0 ; python_version>"3"`) and
/// its range within `requirement`. pydantic 1's `pydantic[dotenv]` extra brings python-dotenv.
fn requirement_name(requirement: &str) -> Option<(String, Range<usize>)> {
    let start = requirement.len() - requirement.trim_start().len();
    let rest = &requirement[start..];
    let length = rest
        .find(|character: char| {
            !(character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.'))
        })
        .unwrap_or(rest.len());
    if length == 0 {
        return None;
    }
    let name = &rest[..length];
    let extras = rest[length..].trim_start();
    if normalize_pypi(name) == "pydantic"
        && let Some(extras) = extras.strip_prefix('[')
        && extras
            .split(']')
            .next()
            .is_some_and(|list| list.split(',').any(|extra| extra.trim() == "dotenv"))
    {
        return Some(("python-dotenv".to_string(), start..start + length));
    }
    Some((name.to_string(), start..start + length))
}

/// Requirement names of a `requirements.txt` (comments, options and URLs skipped).
fn requirements(text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.split(" #").next().unwrap_or(line);
        let trimmed = content.trim_start();
        if !trimmed.is_empty()
            && !trimmed.starts_with(['#', '-'])
            && !trimmed.contains("://")
            && let Some((name, range)) = requirement_name(content)
        {
            found.push((name, offset + range.start..offset + range.end));
        }
        offset += line.len();
    }
    found
}

/// Where `name` first appears at or after `from`, not inside a longer name: the TOML and
/// JSON parsers used here keep no positions, so the name is found again in the text.
/// An empty range at the start of the file when it is not found as written (escapes).
fn locate(text: &str, name: &str, from: usize) -> Range<usize> {
    let mut search = from.min(text.len());
    while let Some(found) = text[search..].find(name) {
        let start = search + found;
        let end = start + name.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let bounded = |character: Option<char>| {
            character.is_none_or(|character| {
                !(character.is_ascii_alphanumeric() || character == '-' || character == '_')
            })
        };
        if bounded(before) && bounded(after) {
            return start..end;
        }
        search = end;
    }
    0..0
}

/// Dependency names of a `package.json`, from every dependency table.
fn package_json_dependencies(text: &str) -> Vec<(String, Range<usize>)> {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for table in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(serde_json::Value::Object(dependencies)) = root.get(table) else {
            continue;
        };
        let table_at = locate(text, &format!("\"{table}\""), 0).start;
        for name in dependencies.keys() {
            let quoted = locate(text, &format!("\"{name}\""), table_at);
            let range = if quoted.is_empty() {
                quoted
            } else {
                quoted.start + 1..quoted.end - 1
            };
            found.push((name.clone(), range));
        }
    }
    found
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default()
}

fn parse_toml(text: &str) -> Option<toml::Table> {
    text.parse::<toml::Table>().ok()
}

/// Requirement names of a `pyproject.toml`: PEP 621 `[project]` dependencies and
/// optional dependencies, PEP 735 `[dependency-groups]`, and Poetry's tables.
fn pyproject_dependencies(text: &str) -> Vec<(String, Range<usize>)> {
    let Some(root) = parse_toml(text) else {
        return Vec::new();
    };
    let mut requirements: Vec<&str> = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    if let Some(project) = root.get("project").and_then(toml::Value::as_table) {
        requirements.extend(project.get("dependencies").map(strings).unwrap_or_default());
        if let Some(optional) = project
            .get("optional-dependencies")
            .and_then(toml::Value::as_table)
        {
            requirements.extend(optional.values().flat_map(strings));
        }
    }
    if let Some(groups) = root
        .get("dependency-groups")
        .and_then(toml::Value::as_table)
    {
        requirements.extend(groups.values().flat_map(strings));
    }
    if let Some(poetry) = root
        .get("tool")
        .and_then(|tool| tool.get("poetry"))
        .and_then(toml::Value::as_table)
    {
        let tables = ["dependencies", "dev-dependencies"]
            .iter()
            .filter_map(|table| poetry.get(*table).and_then(toml::Value::as_table))
            .chain(
                poetry
                    .get("group")
                    .and_then(toml::Value::as_table)
                    .into_iter()
                    .flat_map(|groups| groups.values())
                    .filter_map(|group| group.get("dependencies").and_then(toml::Value::as_table)),
            );
        for table in tables {
            keys.extend(table.keys().map(String::as_str));
        }
    }
    let mut found = Vec::new();
    for requirement in requirements {
        if let Some((name, within)) = requirement_name(requirement) {
            let at = locate(text, requirement, 0);
            let range = if at.is_empty() {
                at
            } else {
                at.start + within.start..at.start + within.end
            };
            found.push((name, range));
        }
    }
    for key in keys {
        found.push((key.to_string(), locate(text, key, 0)));
    }
    found
}

/// Module paths a `go.mod` requires (`require x v1` and `require ( … )` blocks).
fn go_requirements(text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let mut in_block = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.split("//").next().unwrap_or_default();
        let words: Vec<&str> = content.split_whitespace().collect();
        let module = match words.as_slice() {
            [")", ..] if in_block => {
                in_block = false;
                None
            }
            ["require", "("] => {
                in_block = true;
                None
            }
            ["require", module, ..] => Some(*module),
            [module, _version, ..] if in_block => Some(*module),
            _ => None,
        };
        if let Some(module) = module
            && let Some(start) = content.find(module)
        {
            found.push((
                module.to_string(),
                offset + start..offset + start + module.len(),
            ));
        }
        offset += line.len();
    }
    found
}

/// Crate names of a `Cargo.toml`'s dependency tables (also per target and the workspace's).
fn cargo_dependencies(text: &str) -> Vec<(String, Range<usize>)> {
    let Some(root) = parse_toml(text) else {
        return Vec::new();
    };
    let holders = std::iter::once(&root)
        .chain(root.get("workspace").and_then(toml::Value::as_table))
        .chain(
            root.get("target")
                .and_then(toml::Value::as_table)
                .into_iter()
                .flat_map(|targets| targets.values().filter_map(toml::Value::as_table)),
        );
    let mut names: Vec<&str> = Vec::new();
    for holder in holders {
        for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
            let Some(dependencies) = holder.get(table).and_then(toml::Value::as_table) else {
                continue;
            };
            for (key, value) in dependencies {
                // `dotenv = { package = "dotenvy" }` renames the crate.
                let package = value
                    .get("package")
                    .and_then(toml::Value::as_str)
                    .unwrap_or(key);
                names.push(package);
            }
        }
    }
    names
        .into_iter()
        .map(|name| (name.to_string(), locate(text, name, 0)))
        .collect()
}

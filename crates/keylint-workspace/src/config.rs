//! `keylint.toml` (or `.keylint.toml`): found by walking up from each linted file (in the
//! editor: no higher than the workspace folder), overridable with `--config`. The keys
//! are a documented contract (docs/configuration.md).
//!
//! A workspace config can never enable probing of custom hosts: there
//! is no such key, and a key that looks like one is rejected with a message saying the
//! setting is user-level only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};
use keylint_core::Severity;
use keylint_core::consumer::Consumer;
use keylint_core::project::normalize;
use keylint_core::provider::Provider;
use serde::Deserialize;

use crate::listing::Listing;
use crate::{ByPath, lock, split_name};

/// The names a config file may have, in the order they are looked for in a directory.
pub const FILE_NAMES: &[&str] = &["keylint.toml", ".keylint.toml"];

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Option<Vec<String>>,
    #[serde(default)]
    fail_on: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    templates: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    consumers: BTreeMap<String, String>,
    #[serde(default)]
    variables: BTreeMap<String, Vec<String>>,
}

/// Globs from a config file, matched against paths relative to the file's directory
/// (and, for globs without a `/`, against the file name alone).
#[derive(Debug, Clone)]
pub struct Globs {
    base: PathBuf,
    set: GlobSet,
    empty: bool,
}

impl Globs {
    fn new(base: &Path, patterns: &[String], file: &Path, key: &str) -> Result<Globs> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            match Glob::new(pattern) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(error) => bail!(
                    "{}: bad glob `{pattern}` in `{key}`: {}",
                    file.display(),
                    error.kind()
                ),
            }
        }
        Ok(Globs {
            base: base.to_path_buf(),
            set: builder.build()?,
            empty: patterns.is_empty(),
        })
    }

    /// Globs given outside a config file (`--consumer`, editor settings), relative to
    /// `base`.
    pub fn relative_to(base: &Path, patterns: &[String]) -> Result<Globs> {
        Globs::new(
            &absolute(base),
            patterns,
            Path::new("settings"),
            "consumers",
        )
    }

    pub fn empty() -> Globs {
        Globs {
            base: PathBuf::new(),
            set: GlobSet::empty(),
            empty: true,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Whether `path` (relative to the current directory, or absolute) matches.
    pub fn is_match(&self, path: &Path) -> bool {
        if self.empty {
            return false;
        }
        let absolute = absolute(path);
        let relative = absolute.strip_prefix(&self.base).unwrap_or(path);
        self.set.is_match(relative)
            || path
                .file_name()
                .is_some_and(|name| self.set.is_match(Path::new(name)))
    }
}

/// A loaded config, validated.
#[derive(Debug)]
pub struct Config {
    /// The file it came from.
    pub path: PathBuf,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    /// `None` for `never`.
    pub fail_on: Option<Option<Severity>>,
    pub include: Globs,
    pub exclude: Globs,
    pub templates: Globs,
    /// Code or name → severity; rules set to `off` are in `off`.
    pub severity: Vec<(String, Severity)>,
    pub off: Vec<String>,
    /// Glob (relative to the config's directory) → consumer.
    pub consumers: Vec<(Globs, Consumer)>,
    pub variables: Vec<(String, Provider)>,
}

/// Keys someone may write hoping to let the probe use a workspace's base URL.
const HOST_KEYS: &[&str] = &[
    "allow-host",
    "allow-hosts",
    "allowed-host",
    "allowed-hosts",
    "allowedHosts",
    "allowed_hosts",
    "allow_hosts",
    "probe",
    "hosts",
];

/// The config file in `dir` itself, if any (what a walk listed answers for the
/// directories it listed).
fn config_in(dir: &Path, listing: Option<&Listing>) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| match listing {
            Some(listing) => listing.is_regular_file(candidate),
            None => crate::files::is_regular_file(candidate),
        })
}

/// Which config files apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `keylint.toml` or `.keylint.toml` above each file.
    #[default]
    Discover,
    /// This one for every file (`--config`).
    File(PathBuf),
    /// None (`--no-config`).
    Ignore,
}

/// The configs of a workspace, each loaded once, by directory.
#[derive(Debug, Default)]
pub struct Configs {
    choice: ConfigChoice,
    boundary: Option<PathBuf>,
    /// Directory (absolute) → the config governing it (or why it cannot be read). Filled
    /// for each directory on the way up, so a directory is looked at once.
    by_dir: std::sync::Mutex<ByPath<ConfigResult>>,
    /// A file's directory as its path writes it ([`directory_bytes`]) → the same answer:
    /// every file of a directory asks, and making the directory absolute takes a system
    /// call.
    by_parent: std::sync::Mutex<foldhash::HashMap<Vec<u8>, ConfigResult>>,
    /// Config file → its loaded form, shared by the directories it governs.
    by_file: std::sync::Mutex<ByPath<ConfigResult>>,
}

/// A config, `None` for none, or the error (file, line, what) that made it unusable.
pub type ConfigResult = std::result::Result<Option<std::sync::Arc<Config>>, String>;

impl Configs {
    #[must_use]
    pub fn new(choice: ConfigChoice, boundary: Option<PathBuf>) -> Configs {
        Configs {
            choice,
            boundary: boundary.as_deref().map(absolute),
            ..Configs::default()
        }
    }

    /// The config governing the file or directory at `path`: the first `keylint.toml`
    /// or `.keylint.toml` in its directory or a parent, no higher than the boundary.
    pub fn for_path(&self, path: &Path) -> ConfigResult {
        if self.choice == ConfigChoice::Discover {
            let absolute = absolute(path);
            if absolute.is_dir() {
                return self.for_dir(&absolute, None);
            }
        }
        self.for_file(path)
    }

    /// [`Configs::for_path`] for a path that is not a directory (a file, or nothing yet),
    /// which spares asking the disk what it is.
    pub fn for_file(&self, path: &Path) -> ConfigResult {
        self.for_file_in(path, None)
    }

    /// [`Configs::for_file`] for a file of a tree just walked: the directories the walk
    /// listed are looked at in its listing.
    pub(crate) fn for_listed_file(&self, path: &Path, listing: &Listing) -> ConfigResult {
        self.for_file_in(path, Some(listing))
    }

    fn for_file_in(&self, path: &Path, listing: Option<&Listing>) -> ConfigResult {
        match &self.choice {
            ConfigChoice::Ignore => Ok(None),
            ConfigChoice::File(file) => self.load_once(file),
            ConfigChoice::Discover => {
                let dir_of = |path: &Path| {
                    absolute(path)
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                };
                // With a name at its end, the path's directory decides the answer.
                let Some(parent) = directory_bytes(path) else {
                    return self.for_dir(&dir_of(path), listing);
                };
                if let Some(found) = lock(&self.by_parent).get(parent) {
                    return found.clone();
                }
                let loaded = self.for_dir(&dir_of(path), listing);
                lock(&self.by_parent).insert(parent.to_vec(), loaded.clone());
                loaded
            }
        }
    }

    /// The config governing the absolute directory `dir`.
    fn for_dir(&self, dir: &Path, listing: Option<&Listing>) -> ConfigResult {
        if let Some(found) = lock(&self.by_dir).get(dir.as_os_str()) {
            return found.clone();
        }
        let loaded = match config_in(dir, listing) {
            Some(file) => self.load_once(&file),
            None if self.boundary.as_deref() == Some(dir) => Ok(None),
            None => dir
                .parent()
                .map_or(Ok(None), |parent| self.for_dir(parent, listing)),
        };
        lock(&self.by_dir).insert(dir.as_os_str().to_owned(), loaded.clone());
        loaded
    }

    fn load_once(&self, file: &Path) -> ConfigResult {
        if let Some(loaded) = lock(&self.by_file).get(file.as_os_str()) {
            return loaded.clone();
        }
        let loaded = load(file)
            .map(|config| Some(std::sync::Arc::new(config)))
            .map_err(|error| format!("{error:#}"));
        lock(&self.by_file).insert(file.as_os_str().to_owned(), loaded.clone());
        loaded
    }

    /// Forgets what was loaded (a config file changed, appeared or went away).
    pub fn reload(&self) {
        lock(&self.by_dir).clear();
        lock(&self.by_parent).clear();
        lock(&self.by_file).clear();
    }
}

/// The directory of `path` as the path writes it, when a name ends the path: on Unix its
/// bytes up to the last `/` (with the `/`, which tells the root from the current
/// directory), found without parsing the path into components.
fn directory_bytes(path: &Path) -> Option<&[u8]> {
    if cfg!(unix) {
        let bytes = path.as_os_str().as_encoded_bytes();
        let name_start = bytes
            .iter()
            .rposition(|&byte| byte == b'/')
            .map_or(0, |slash| slash + 1);
        let (dir, name) = bytes.split_at(name_start);
        return (!matches!(name, b"" | b"." | b"..")).then_some(dir);
    }
    split_name(path).map(|(parent, _)| parent.as_os_str().as_encoded_bytes())
}

/// `path` made absolute (against the current directory) and normalized.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        // What `std::path::absolute` does to it, `normalize` does too.
        return normalize(path);
    }
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Reads and validates a config file. Errors name the file and line.
pub fn load(path: &Path) -> Result<Config> {
    use crate::files::{FileText, MAX_CONTEXT_BYTES, read_text};
    match read_text(path, MAX_CONTEXT_BYTES) {
        Ok(FileText::Text(text)) => parse(path, &text),
        Ok(FileText::Unreadable { message, .. }) => {
            anyhow::bail!("cannot read config {}: {message}", path.display())
        }
        Err(error) => anyhow::bail!("cannot read config {}: {error}", path.display()),
    }
}

/// `file:line:column: message` for a byte offset in `text`.
fn located(path: &Path, text: &str, offset: usize, message: &str) -> anyhow::Error {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    anyhow::anyhow!("{}:{line}:{column}: {message}", path.display())
}

/// Where `key` is written as a key in `text` (at a line start, or as a table header), for
/// errors found after parsing.
fn key_offset(text: &str, section: Option<&str>, key: &str) -> usize {
    let mut offset = 0;
    let mut in_section = section.is_none();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            let header = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("");
            in_section = section.is_some_and(|section| header.trim() == section);
        } else if in_section {
            let name = trimmed.split('=').next().unwrap_or("").trim();
            if name.trim_matches(['"', '\'']) == key {
                return offset + (line.len() - trimmed.len());
            }
        }
        offset += line.len();
    }
    0
}

pub fn parse(path: &Path, text: &str) -> Result<Config> {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let mut message = error.message().trim_end().to_string();
            if let Some(key) = HOST_KEYS
                .iter()
                .find(|key| message.starts_with(&format!("unknown field `{key}`")))
            {
                message = format!(
                    "unknown key `{key}`: a workspace config can never enable probing of custom hosts; allowed hosts are user-level only (`keylint probe --allow-host` on the command line, or the editor's user settings)"
                );
            }
            let offset = error.span().map_or(0, |span| span.start);
            return Err(located(path, text, offset, &message));
        }
    };
    let base = path.parent().map(absolute).unwrap_or_default();

    for (key, list) in [("select", &raw.select), ("ignore", &raw.ignore)] {
        for selector in list.iter().flatten() {
            if !keylint_core::rules::is_known_selector(selector) {
                return Err(located(
                    path,
                    text,
                    key_offset(text, None, key),
                    &format!("unknown rule `{selector}` in `{key}` (see `keylint rules`)"),
                ));
            }
        }
    }
    let fail_on = match raw.fail_on.as_deref() {
        None => None,
        Some("never") => Some(None),
        Some(level) => match Severity::parse(level) {
            Some(severity) => Some(Some(severity)),
            None => {
                return Err(located(
                    path,
                    text,
                    key_offset(text, None, "fail-on"),
                    &format!(
                        "`fail-on` is `{level}`; expected one of \"error\", \"warning\", \"info\", \"never\""
                    ),
                ));
            }
        },
    };
    let mut severity = Vec::new();
    let mut off = Vec::new();
    for (rule, level) in &raw.severity {
        if !keylint_core::rules::is_known_selector(rule) {
            return Err(located(
                path,
                text,
                key_offset(text, Some("severity"), rule),
                &format!("unknown rule `{rule}` in [severity] (see `keylint rules`)"),
            ));
        }
        match (level.as_str(), Severity::parse(level)) {
            ("off", _) => off.push(rule.clone()),
            (_, Some(parsed)) => severity.push((rule.clone(), parsed)),
            (_, None) => {
                return Err(located(
                    path,
                    text,
                    key_offset(text, Some("severity"), rule),
                    &format!(
                        "severity of `{rule}` is `{level}`; expected one of \"error\", \"warning\", \"info\", \"off\""
                    ),
                ));
            }
        }
    }
    let mut consumers = Vec::new();
    for (glob, name) in &raw.consumers {
        let Some(consumer) = Consumer::from_id(name) else {
            return Err(located(
                path,
                text,
                key_offset(text, Some("consumers"), glob),
                &format!(
                    "unknown consumer `{name}` for `{glob}`; expected one of {}",
                    Consumer::env_file_ids()
                ),
            ));
        };
        if let Err(error) = Glob::new(glob) {
            return Err(located(
                path,
                text,
                key_offset(text, Some("consumers"), glob),
                &format!("bad glob `{glob}` in [consumers]: {}", error.kind()),
            ));
        }
        consumers.push((
            Globs::new(&base, std::slice::from_ref(glob), path, "consumers")?,
            consumer,
        ));
    }
    let mut variables = Vec::new();
    for (provider, names) in &raw.variables {
        let Some(parsed) = Provider::from_id(provider) else {
            return Err(located(
                path,
                text,
                key_offset(text, Some("variables"), provider),
                &format!(
                    "unknown provider `{provider}` in [variables]; expected one of openai, azure-openai, anthropic, gemini"
                ),
            ));
        };
        for name in names {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || character == '_')
            {
                return Err(located(
                    path,
                    text,
                    key_offset(text, Some("variables"), provider),
                    &format!("`{name}` in [variables] is not a variable name"),
                ));
            }
            variables.push((name.clone(), parsed));
        }
    }
    Ok(Config {
        path: path.to_path_buf(),
        select: raw.select,
        ignore: raw.ignore,
        fail_on,
        include: Globs::new(&base, &raw.include, path, "include")?,
        exclude: Globs::new(&base, &raw.exclude, path, "exclude")?,
        templates: Globs::new(&base, &raw.templates, path, "templates")?,
        severity,
        off,
        consumers,
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files of one directory share its answer, looked up once: whatever the order the
    /// files are asked in and however their paths are written, each gets the config a
    /// lookup of that file alone finds.
    #[test]
    fn files_asked_together_get_the_configs_they_get_alone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::helpers::write_files(
            root,
            &[
                ("keylint.toml", "exclude = [\"skip/**\"]\n"),
                ("a/.keylint.toml", "include = [\"*.cfg\"]\n"),
                ("a/b/.env", ""),
                ("c/d/.env", ""),
                ("skip/.env", ""),
            ],
        );
        let root = root.display();
        let paths: Vec<String> = [
            "a/b/.env",
            "a/.env",
            "a/b/x.cfg",
            "c/d/.env",
            "c/.env",
            ".env",
            "skip/.env",
            "a/b/.env",
            "a/./b/.env",
            "a/b/../.env",
            "a//b/.env",
            "c/d/",
            "a/b/.",
            "a/b/..",
        ]
        .iter()
        .flat_map(|path| {
            [
                format!("{root}/{path}"),
                format!("src/{path}"),
                (*path).to_string(),
            ]
        })
        .collect();
        let config_of =
            |result: ConfigResult| result.map(|found| found.map(|config| config.path.clone()));
        let shared = Configs::new(ConfigChoice::Discover, None);
        for path in paths.iter().chain(paths.iter().rev()) {
            let alone = Configs::new(ConfigChoice::Discover, None);
            assert_eq!(
                config_of(shared.for_file(Path::new(path))),
                config_of(alone.for_file(Path::new(path))),
                "{path}"
            );
        }
    }

    fn error(text: &str) -> String {
        format!("{:#}", parse(Path::new("keylint.toml"), text).unwrap_err())
    }

    #[test]
    fn every_key_parses() {
        let config = parse(
            Path::new("/repo/keylint.toml"),
            r#"
select = ["KL1", "KL201"]
ignore = ["KL105"]
fail-on = "error"
include = ["config/*.vars"]
exclude = ["vendor/**"]
templates = ["*.tmpl.env"]

[severity]
KL102 = "warning"
misspelled-variable = "info"
KL203 = "off"

[consumers]
"deploy/*.env" = "docker-env-file"

[variables]
openai = ["ACME_OPENAI_KEY"]
anthropic = ["ACME_CLAUDE_KEY"]
"#,
        )
        .unwrap();
        assert_eq!(config.select.unwrap(), ["KL1", "KL201"]);
        assert_eq!(config.ignore.unwrap(), ["KL105"]);
        assert_eq!(config.fail_on, Some(Some(Severity::Error)));
        assert!(config.include.is_match(Path::new("/repo/config/a.vars")));
        assert!(config.exclude.is_match(Path::new("/repo/vendor/x/.env")));
        assert!(!config.exclude.is_match(Path::new("/repo/app/.env")));
        assert!(config.templates.is_match(Path::new("/repo/a/b.tmpl.env")));
        assert_eq!(
            config.severity,
            [
                ("KL102".to_string(), Severity::Warning),
                ("misspelled-variable".to_string(), Severity::Info)
            ]
        );
        assert_eq!(config.off, ["KL203"]);
        assert_eq!(config.consumers.len(), 1);
        let (globs, consumer) = &config.consumers[0];
        assert_eq!(*consumer, Consumer::DockerEnvFile);
        assert!(globs.is_match(Path::new("/repo/deploy/prod.env")));
        assert!(!globs.is_match(Path::new("/repo/prod.env")));
        assert_eq!(
            config.variables,
            [
                ("ACME_CLAUDE_KEY".to_string(), Provider::Anthropic),
                ("ACME_OPENAI_KEY".to_string(), Provider::OpenAi)
            ]
        );
    }

    #[test]
    fn bad_configs_say_what_and_where() {
        insta::assert_snapshot!(error("select = [\"KL1\"]\nfail_on = \"error\"\n"), @"keylint.toml:2:1: unknown field `fail_on`, expected one of `select`, `ignore`, `fail-on`, `include`, `exclude`, `templates`, `severity`, `consumers`, `variables`");
        insta::assert_snapshot!(error("[severity]\nKL101 = \"fatal\"\n"), @r#"keylint.toml:2:1: severity of `KL101` is `fatal`; expected one of "error", "warning", "info", "off""#);
        insta::assert_snapshot!(error("[severity]\nKL999 = \"info\"\n"), @"keylint.toml:2:1: unknown rule `KL999` in [severity] (see `keylint rules`)");
        insta::assert_snapshot!(error("\nselect = [\"KL9\"]\n"), @"keylint.toml:2:1: unknown rule `KL9` in `select` (see `keylint rules`)");
        insta::assert_snapshot!(error("fail-on = \"sometimes\"\n"), @r#"keylint.toml:1:1: `fail-on` is `sometimes`; expected one of "error", "warning", "info", "never""#);
        insta::assert_snapshot!(error("[consumers]\n\"*.env\" = \"bash\"\n"), @"keylint.toml:2:1: unknown consumer `bash` for `*.env`; expected one of python-dotenv, node-dotenv, dotenvy, godotenv, compose, docker-env-file, shell");
        insta::assert_snapshot!(error("[variables]\nmistral = [\"MISTRAL_KEY\"]\n"), @"keylint.toml:2:1: unknown provider `mistral` in [variables]; expected one of openai, azure-openai, anthropic, gemini");
        insta::assert_snapshot!(error("[variables]\nopenai = [\"ACME KEY\"]\n"), @"keylint.toml:2:1: `ACME KEY` in [variables] is not a variable name");
        insta::assert_snapshot!(error("select = \"KL1\"\n"), @r#"keylint.toml:1:10: invalid type: string "KL1", expected a sequence"#);
        insta::assert_snapshot!(error("select = [\n"), @"keylint.toml:1:11: unclosed array, expected `]`");
        insta::assert_snapshot!(error("exclude = [\"a/[b\"]\n"), @"keylint.toml: bad glob `a/[b` in `exclude`: unclosed character class; missing ']'");
    }

    #[test]
    fn host_keys_are_rejected_as_user_level_only() {
        insta::assert_snapshot!(error("select = [\"KL1\"]\nallowed-hosts = [\"evil.example\"]\n"), @"keylint.toml:2:1: unknown key `allowed-hosts`: a workspace config can never enable probing of custom hosts; allowed hosts are user-level only (`keylint probe --allow-host` on the command line, or the editor's user settings)");
        insta::assert_snapshot!(error("[probe]\nallowedHosts = [\"evil.example\"]\n"), @"keylint.toml:1:2: unknown key `probe`: a workspace config can never enable probing of custom hosts; allowed hosts are user-level only (`keylint probe --allow-host` on the command line, or the editor's user settings)");
    }
}

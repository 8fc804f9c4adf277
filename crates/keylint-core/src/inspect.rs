//! `keylint inspect`: the exact value each program receives, and who overrides whom.
//!
//! Pure like the rest of the core: the caller passes the file texts and the process
//! environment. Every value comes from the consumer models in [`crate::consumer`] (the
//! same ones the rules judge with); nothing here re-reads a file its own way.
//!
//! - An env file: per variable and per consumer, the value the file yields with an empty
//!   process environment, the line that wins among duplicates (dotenvy: first; the
//!   others: last), and whether the current environment would win for that consumer.
//! - A Compose file: per service, the merged container environment: `env_file:` entries
//!   in order, then `environment:` (list or map), which beats them, with `${VAR}` taken
//!   from the shell first and the project `.env` second; the winner and the losers.
//! - Other YAML (Kubernetes Secrets and container `env:`, workflow `env:`): each value as
//!   the program receives it (a Secret's `data:` base64-decoded), in file order.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::assignment::{Origin, ParsedFile};
use crate::consumer::{
    Consumer, Loaded, MAX_NESTING, Outcome, expand_compose, find_interpolations,
    load_compose_env_file, load_env_file,
};
use crate::line_index::LineIndex;
use crate::mask::{is_secret_name, is_secret_value};
use crate::project::sibling;
use crate::source::FileKind;
use crate::syntax::yaml::{self, Node, NodeKind};

/// The process environment, as the caller read it.
pub type Environment = BTreeMap<String, String>;

/// Where a value was written: a path as the caller gave it and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub line: usize,
}

impl std::fmt::Display for Source {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}:{}", self.path, self.line)
    }
}

/// Whether a variable's values must be masked: its name says secret or one of its
/// values is a key or a random token ([`crate::mask`] decides both).
#[must_use]
pub fn is_secret<'a>(name: &str, values: impl IntoIterator<Item = &'a str>) -> bool {
    is_secret_name(name) || values.into_iter().any(is_secret_value)
}

/// Whether the process environment beats the file for `consumer`. Compose reading the
/// project `.env` lets the shell win; Compose reading an `env_file:` lets the file win.
#[must_use]
pub fn env_wins(consumer: Consumer, path: &str) -> bool {
    match consumer {
        Consumer::PythonDotenv | Consumer::NodeDotenv | Consumer::Dotenvy | Consumer::Godotenv => {
            true
        }
        Consumer::ComposeEnvFile => is_project_dotenv(path),
        Consumer::DockerEnvFile | Consumer::Shell | Consumer::YamlAsWritten => false,
    }
}

fn is_project_dotenv(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .is_some_and(|name| name == ".env")
}

/// What one consumer gives the program for one variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub consumer: Consumer,
    /// `Value` with what the program receives from the file (empty environment), or why
    /// it receives nothing.
    pub outcome: Outcome,
    /// The line that wins for this consumer (the last assignment when none gives a value).
    pub source: Source,
    /// The current environment's value when it beats the file for this consumer.
    pub overridden_by: Option<String>,
}

impl ConsumerView {
    #[must_use]
    pub fn value(&self) -> Option<&str> {
        self.outcome.value()
    }
}

/// One variable of an env file, as every consumer reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVariable {
    pub name: String,
    /// Every line that assigns the name, in file order.
    pub lines: Vec<usize>,
    /// Mask every value of this variable.
    pub secret: bool,
    /// One per consumer, in [`Consumer::ENV_FILE`] order.
    pub views: Vec<ConsumerView>,
}

impl EnvVariable {
    #[must_use]
    pub fn view(&self, consumer: Consumer) -> Option<&ConsumerView> {
        self.views.iter().find(|view| view.consumer == consumer)
    }

    /// Whether any two consumers give different values (or one gives none).
    #[must_use]
    pub fn consumers_disagree(&self) -> bool {
        self.views
            .windows(2)
            .any(|pair| pair[0].value() != pair[1].value())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvReport {
    pub path: String,
    pub variables: Vec<EnvVariable>,
}

/// Reads an env file the way each consumer does. `path` is only used for display and to
/// tell a project `.env` (the shell wins for Compose) from an `env_file:`.
#[must_use]
pub fn inspect_env_file(path: &str, text: &str, env: &Environment) -> EnvReport {
    let parsed = ParsedFile::parse(FileKind::EnvFile, text);
    let index = LineIndex::new(text);
    let line_of = |offset: usize| index.line_of(offset) + 1;

    // Variables in order of first appearance, with every line assigning them.
    let mut variables: Vec<(String, Vec<usize>, Vec<usize>)> = Vec::new();
    let mut variable_index: HashMap<&str, usize> = HashMap::new();
    // What each assignment's value references, to mask copies of secrets (`LLM=${OPENAI_API_KEY}`).
    let mut references: Vec<(&str, Vec<String>)> = Vec::new();
    let statements = parsed.env.as_ref().map(|env| &env.statements);
    for assignment in &parsed.assignments {
        let Origin::EnvFile { statement } = assignment.origin else {
            continue;
        };
        let at = statements.map_or(assignment.name_range.start, |statements| {
            statements[statement].content_start
        });
        let line = line_of(assignment.name_range.start);
        references.push((
            &assignment.name,
            referenced_names(&text[assignment.value_range.clone()]),
        ));
        match variable_index.get(assignment.name.as_str()) {
            Some(&found) => {
                variables[found].1.push(line);
                variables[found].2.push(at);
            }
            None => {
                variable_index.insert(&assignment.name, variables.len());
                variables.push((assignment.name.to_string(), vec![line], vec![at]));
            }
        }
    }

    let loaded: Vec<(Consumer, LoadedIndex, Option<String>)> = Consumer::ENV_FILE
        .iter()
        .map(|&consumer| {
            let loaded = LoadedIndex::new(load_env_file(consumer, text));
            let refusal = file_refusal(consumer, &loaded.entries);
            (consumer, loaded, refusal)
        })
        .collect();

    // Names a loader reads that keylint's reader spells differently (`'a'=b` sets `a` for
    // python-dotenv) or does not see at all (a line a loader reads after a quote it closed
    // elsewhere) are variables too, in order of first appearance.
    let mut extra_index: HashMap<&str, usize> = HashMap::new();
    for (_, index, refusal) in &loaded {
        if refusal.is_some() {
            continue;
        }
        for entry in &index.entries {
            // An empty name with a value is a variable too: Compose hands a bare last line
            // without a newline to the container under an empty name.
            if entry.outcome.value().is_none() {
                continue;
            }
            let found = variable_index
                .get(entry.name.as_str())
                .or_else(|| extra_index.get(entry.name.as_str()))
                .copied();
            match found {
                Some(found) => {
                    let (_, lines, offsets) = &mut variables[found];
                    if !offsets.contains(&entry.at) {
                        lines.push(line_of(entry.at));
                        offsets.push(entry.at);
                    }
                }
                None => {
                    extra_index.insert(&entry.name, variables.len());
                    variables.push((entry.name.clone(), vec![line_of(entry.at)], vec![entry.at]));
                }
            }
        }
    }
    for (_, lines, offsets) in &mut variables {
        let mut pairs: Vec<(usize, usize)> =
            offsets.iter().copied().zip(lines.iter().copied()).collect();
        pairs.sort_unstable();
        (*offsets, *lines) = pairs.into_iter().unzip();
    }
    variables.sort_by_key(|(_, _, offsets)| offsets.first().copied());

    let mut variables = variables
        .into_iter()
        .map(|(name, lines, offsets)| {
            let last_line = *lines.last().unwrap_or(&1);
            let views: Vec<ConsumerView> = loaded
                .iter()
                .map(|(consumer, loaded, refusal)| {
                    let consumer = *consumer;
                    let (outcome, line) =
                        program_outcome(consumer, loaded, refusal, &name, &offsets)
                            .map_or((None, last_line), |(outcome, at)| {
                                (Some(outcome), at.map_or(last_line, line_of))
                            });
                    let outcome = outcome.unwrap_or_else(|| {
                        Outcome::Absent(format!("{} does not read this line", consumer.id()))
                    });
                    let overridden_by = if env_wins(consumer, path) {
                        env.get(&name).cloned()
                    } else {
                        None
                    };
                    ConsumerView {
                        consumer,
                        outcome,
                        source: Source {
                            path: path.to_string(),
                            line,
                        },
                        overridden_by,
                    }
                })
                .collect();
            let secret = is_secret(
                &name,
                views
                    .iter()
                    .filter_map(ConsumerView::value)
                    .chain(env.get(&name).map(String::as_str)),
            );
            EnvVariable {
                name,
                lines,
                secret,
                views,
            }
        })
        .collect::<Vec<EnvVariable>>();
    mark_copies_of_secrets(&mut variables, &references);
    EnvReport {
        path: path.to_string(),
        variables,
    }
}

/// A value that copies a secret is one, and so are copies of copies: secrecy spreads from
/// each secret along the references to it, each variable visited once.
fn mark_copies_of_secrets(variables: &mut [EnvVariable], references: &[(&str, Vec<String>)]) {
    let index: HashMap<&str, usize> = variables
        .iter()
        .enumerate()
        .map(|(position, variable)| (variable.name.as_str(), position))
        .collect();
    // Who copies each name.
    let mut copied_by: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut pending = Vec::new();
    for (name, referenced) in references {
        let Some(&copier) = index.get(name) else {
            continue;
        };
        for referenced in referenced {
            if is_secret_name(referenced) {
                pending.push(copier);
            }
            copied_by
                .entry(referenced.as_str())
                .or_default()
                .push(copier);
        }
    }
    pending.extend(
        variables
            .iter()
            .enumerate()
            .filter(|(_, variable)| variable.secret)
            .map(|(position, _)| position),
    );
    let mut marked = vec![false; variables.len()];
    while let Some(position) = pending.pop() {
        if std::mem::replace(&mut marked[position], true) {
            continue;
        }
        variables[position].secret = true;
        if let Some(copiers) = copied_by.get(variables[position].name.as_str()) {
            pending.extend(copiers.iter().copied().filter(|&copier| !marked[copier]));
        }
    }
}

/// A loader's entries, looked up by name and by offset without scanning them all.
struct LoadedIndex {
    entries: Vec<Loaded>,
    by_name: HashMap<String, Vec<usize>>,
    by_offset: HashMap<usize, usize>,
}

impl LoadedIndex {
    fn new(entries: Vec<Loaded>) -> LoadedIndex {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_offset = HashMap::new();
        for (position, entry) in entries.iter().enumerate() {
            by_name
                .entry(entry.name.clone())
                .or_default()
                .push(position);
            // The last entry at an offset, as a reverse scan would find it.
            by_offset.insert(entry.at, position);
        }
        LoadedIndex {
            entries,
            by_name,
            by_offset,
        }
    }
}

/// `docker run` exits on a line it refuses, compose-go fails the whole project load and
/// godotenv's `Load` returns an error: then no variable of the file reaches the program.
fn file_refusal(consumer: Consumer, loaded: &[Loaded]) -> Option<String> {
    if !consumer.refuses_whole_file() {
        return None;
    }
    loaded.iter().find_map(|entry| match &entry.outcome {
        Outcome::Refused(reason) => Some(reason.clone()),
        _ => None,
    })
}

/// The winning outcome of `name` for `consumer` and the offset of the statement it
/// comes from. With no value: the reason recorded for the last line assigning the name.
fn program_outcome(
    consumer: Consumer,
    loaded: &LoadedIndex,
    refusal: &Option<String>,
    name: &str,
    offsets: &[usize],
) -> Option<(Outcome, Option<usize>)> {
    if let Some(reason) = refusal {
        let at = offsets.last().copied();
        return Some((Outcome::Refused(reason.clone()), at));
    }
    let mut values = loaded
        .by_name
        .get(name)
        .into_iter()
        .flatten()
        .map(|&position| &loaded.entries[position])
        .filter(|entry| entry.outcome.value().is_some());
    let winner = if consumer.first_wins() {
        values.next()
    } else {
        values.next_back()
    };
    if let Some(entry) = winner {
        return Some((entry.outcome.clone(), Some(entry.at)));
    }
    offsets.iter().rev().find_map(|&at| {
        loaded
            .by_offset
            .get(&at)
            .map(|&position| &loaded.entries[position])
            .map(|entry| match &entry.outcome {
                Outcome::Value(_) if entry.name.is_empty() => (
                    Outcome::Absent("read under an empty name".to_string()),
                    Some(at),
                ),
                Outcome::Value(_) => (
                    Outcome::Absent(format!(
                        "read under another name, `{}`",
                        crate::mask::escape_invisible(&entry.name)
                    )),
                    Some(at),
                ),
                other => (other.clone(), Some(at)),
            })
    })
}

// ---------------------------------------------------------------------------------------
// Kubernetes and other YAML

/// One value a YAML file gives a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlVariable {
    pub name: String,
    pub source: Source,
    /// What the program receives: the YAML value, base64-decoded for a Secret's `data:`.
    pub outcome: Outcome,
    /// Where in the YAML: `Secret data (base64)`, `Secret stringData`, `container env`, `env`.
    pub origin: &'static str,
    /// The Kubernetes object (`Secret/openai`) or workflow job it belongs to.
    pub scope: Option<String>,
    pub secret: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlReport {
    pub path: String,
    pub variables: Vec<YamlVariable>,
}

/// The values of a Kubernetes manifest, workflow or any YAML with `env:` blocks, in file
/// order (a name set in two objects is listed twice: they reach different programs).
#[must_use]
pub fn inspect_yaml(path: &str, text: &str, kind: FileKind) -> YamlReport {
    let parsed = ParsedFile::parse(kind, text);
    let index = LineIndex::new(text);
    let variables = parsed
        .assignments
        .iter()
        .filter_map(|assignment| {
            let outcome = assignment.yaml_outcome.clone()?;
            let origin = match assignment.origin {
                Origin::SecretData => "Secret data (base64)",
                Origin::SecretStringData => "Secret stringData",
                Origin::KubernetesEnv => "container env",
                Origin::ComposeList | Origin::ComposeMap => "Compose environment",
                Origin::YamlEnvMap => "env",
                Origin::EnvFile { .. } => return None,
            };
            Some(YamlVariable {
                secret: is_secret(&assignment.name, outcome.value()),
                name: assignment.name.to_string(),
                source: Source {
                    path: path.to_string(),
                    line: index.line_of(assignment.name_range.start) + 1,
                },
                outcome,
                origin,
                scope: assignment.scope.clone(),
            })
        })
        .collect();
    YamlReport {
        path: path.to_string(),
        variables,
    }
}

// ---------------------------------------------------------------------------------------
// Compose

/// How Compose got one candidate value of a service variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A line of an `env_file:`.
    EnvFile,
    /// `environment:` list item `- KEY=value`.
    EnvironmentList,
    /// `environment:` map entry `KEY: value`.
    EnvironmentMap,
}

impl EntryKind {
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            EntryKind::EnvFile => "env_file",
            EntryKind::EnvironmentList => "environment (list)",
            EntryKind::EnvironmentMap => "environment (map)",
        }
    }
}

/// One candidate value of a service variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeEntry {
    pub kind: EntryKind,
    pub source: Source,
    /// What the container gets from this entry (after interpolation).
    pub outcome: Outcome,
    /// Names `${…}` (or a bare name) took from the shell.
    pub from_shell: Vec<String>,
    /// Names `${…}` (or a bare name) took from the project `.env`.
    pub from_dotenv: Vec<String>,
    /// Names the shell supplied although the project `.env` also sets them, with the
    /// `.env` value that lost: "I fixed .env and still get 401".
    pub shell_beats_dotenv: Vec<(String, String)>,
}

/// One variable of a service's container environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceVariable {
    pub name: String,
    pub secret: bool,
    /// What the container gets.
    pub winner: ComposeEntry,
    /// Entries the winner beat, in the order Compose read them.
    pub losers: Vec<ComposeEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceReport {
    pub name: String,
    pub variables: Vec<ServiceVariable>,
    /// Missing `env_file:`, files Compose refuses, failed `${VAR:?}`.
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeReport {
    pub path: String,
    /// The project `.env` the caller passed, if any.
    pub project_env_path: Option<String>,
    pub services: Vec<ServiceReport>,
    pub problems: Vec<String>,
}

/// What the caller read for a Compose file.
pub struct ComposeInput<'a> {
    /// The compose file's path as the user gave it.
    pub path: &'a str,
    pub text: &'a str,
    /// The project `.env` (path, text) when it exists.
    pub project_env: Option<(&'a str, &'a str)>,
    /// Texts of the `env_file:` files, by the paths [`crate::hints::compose_env_files`]
    /// gives. A path with no text is missing.
    pub env_files: &'a BTreeMap<PathBuf, String>,
    /// The process environment (the shell Compose runs in).
    pub env: &'a Environment,
    /// Only this service; every service when `None`.
    pub service: Option<&'a str>,
}

/// Service names of a Compose file, in file order.
#[must_use]
pub fn compose_services(text: &str) -> Vec<String> {
    let file = yaml::parse(text);
    let mut names = Vec::new();
    for document in &file.documents {
        for (key, _) in document.get("services").into_iter().flat_map(Node::entries) {
            if let Some(name) = key.as_str()
                && !names.iter().any(|known| known == name)
            {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The project environment for interpolation: the shell, then the project `.env`.
struct ProjectEnv<'a> {
    shell: &'a Environment,
    dotenv: BTreeMap<String, String>,
}

impl ProjectEnv<'_> {
    fn lookup(&self, name: &str) -> Option<String> {
        self.shell
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .cloned()
    }

    /// Records where the names a value references come from.
    fn provenance(&self, names: impl IntoIterator<Item = String>, entry: &mut ComposeEntry) {
        for name in names {
            if self.shell.contains_key(&name) {
                if let Some(lost) = self.dotenv.get(&name)
                    && self.shell.get(&name) != Some(lost)
                    && !entry
                        .shell_beats_dotenv
                        .iter()
                        .any(|(known, _)| *known == name)
                {
                    entry.shell_beats_dotenv.push((name.clone(), lost.clone()));
                }
                if !entry.from_shell.contains(&name) {
                    entry.from_shell.push(name);
                }
            } else if self.dotenv.contains_key(&name) && !entry.from_dotenv.contains(&name) {
                entry.from_dotenv.push(name);
            }
        }
    }
}

/// Every name a value references, defaults included (`${A:-${B}}` gives A and B).
/// Every name `text` references, defaults of defaults included (to [`MAX_NESTING`] levels).
fn referenced_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![(text.to_string(), 0)];
    while let Some((text, depth)) = pending.pop() {
        for reference in find_interpolations(&text) {
            if depth < MAX_NESTING && !reference.argument.is_empty() {
                pending.push((reference.argument, depth + 1));
            }
            names.push(reference.name);
        }
    }
    names
}

/// Merges each service's container environment the way Compose does.
#[must_use]
pub fn inspect_compose(input: &ComposeInput<'_>) -> ComposeReport {
    let mut problems = Vec::new();
    let dotenv = input
        .project_env
        .map_or_else(BTreeMap::new, |(path, text)| {
            let loaded = load_compose_env_file(text, &|name| input.env.get(name).cloned());
            let mut values = BTreeMap::new();
            for entry in loaded {
                match entry.outcome {
                    Outcome::Value(value) if !entry.name.is_empty() => {
                        values.insert(entry.name, value);
                    }
                    Outcome::Refused(reason) if entry.name.is_empty() => {
                        problems.push(format!("{path}: {reason}"));
                    }
                    _ => {}
                }
            }
            values
        });
    let project = ProjectEnv {
        shell: input.env,
        dotenv,
    };

    let parsed = ParsedFile::parse(FileKind::Compose, input.text);
    let index = LineIndex::new(input.text);
    let yaml_file = yaml::parse(input.text);
    if let Some((_, message)) = &yaml_file.error {
        problems.push(format!("{}: YAML error: {message}", input.path));
    }

    let services = compose_services(input.text)
        .into_iter()
        .filter(|name| input.service.is_none_or(|wanted| wanted == name))
        .map(|service| {
            let mut entries: Vec<(String, ComposeEntry)> = Vec::new();
            let mut service_problems = Vec::new();
            for (path, required) in service_env_files(input.path, &yaml_file, &service) {
                let shown = path.to_string_lossy().into_owned();
                let Some(text) = input.env_files.get(&path) else {
                    if required {
                        service_problems.push(format!(
                            "env_file {shown} is missing: Compose refuses to start"
                        ));
                    }
                    continue;
                };
                env_file_entries(&shown, text, &project, &mut entries, &mut service_problems);
            }
            environment_entries(input, &parsed, &index, &service, &project, &mut entries);
            ServiceReport {
                variables: merge(entries),
                name: service,
                problems: service_problems,
            }
        })
        .collect();

    ComposeReport {
        path: input.path.to_string(),
        project_env_path: input.project_env.map(|(path, _)| path.to_string()),
        services,
        problems,
    }
}

/// `env_file:` of one service: (path next to the compose file, required).
fn service_env_files(
    compose_path: &str,
    file: &yaml::YamlFile,
    service: &str,
) -> Vec<(PathBuf, bool)> {
    let mut found = Vec::new();
    for document in &file.documents {
        let Some(node) = document
            .get("services")
            .and_then(|services| services.get(service))
        else {
            continue;
        };
        let Some(env_file) = node.get("env_file") else {
            continue;
        };
        let items: Vec<&Node> = match &env_file.kind {
            NodeKind::Sequence(items) => items.iter().collect(),
            _ => vec![env_file],
        };
        for item in items {
            let (path, required) = match item.as_str() {
                Some(path) => (Some(path), true),
                None => (
                    item.get("path").and_then(Node::as_str),
                    item.get("required")
                        .and_then(Node::as_str)
                        .is_none_or(|required| required != "false"),
                ),
            };
            if let Some(path) = path {
                found.push((sibling(Path::new(compose_path), path), required));
            }
        }
    }
    found
}

fn env_file_entries(
    path: &str,
    text: &str,
    project: &ProjectEnv<'_>,
    entries: &mut Vec<(String, ComposeEntry)>,
    problems: &mut Vec<String>,
) {
    let loaded = load_compose_env_file(text, &|name| project.lookup(name));
    if let Some(reason) = file_refusal(Consumer::ComposeEnvFile, &loaded) {
        problems.push(format!("{path}: {reason}"));
        return;
    }
    let index = LineIndex::new(text);
    for entry in loaded {
        if entry.name.is_empty() {
            continue;
        }
        let source = Source {
            path: path.to_string(),
            line: index.line_of(entry.at) + 1,
        };
        let mut candidate = ComposeEntry {
            kind: EntryKind::EnvFile,
            source,
            outcome: entry.outcome.clone(),
            from_shell: Vec::new(),
            from_dotenv: Vec::new(),
            shell_beats_dotenv: Vec::new(),
        };
        match &entry.outcome {
            Outcome::Value(_) => {
                // The line's own text tells which names `${…}` took from the project.
                let line_text = line_text(text, &index, entry.at);
                let names = referenced_names(line_text)
                    .into_iter()
                    .filter(|name| project.lookup(name).is_some());
                project.provenance(names, &mut candidate);
            }
            Outcome::Absent(_) => {
                // A bare name: Compose takes it from the shell or the project `.env`.
                match project.lookup(&entry.name) {
                    Some(value) => {
                        candidate.outcome = Outcome::Value(value);
                        project.provenance([entry.name.clone()], &mut candidate);
                    }
                    None => {
                        candidate.outcome = Outcome::Absent(
                            "a bare name, and neither the shell nor the project `.env` sets it"
                                .to_string(),
                        );
                    }
                }
            }
            Outcome::Refused(_) => {}
        }
        entries.push((entry.name, candidate));
    }
}

fn line_text<'t>(text: &'t str, index: &LineIndex, at: usize) -> &'t str {
    let line = index.line_of(at);
    let start = index.line_start(line).unwrap_or(0);
    let end = index.line_start(line + 1).unwrap_or(text.len());
    &text[start..end]
}

fn environment_entries(
    input: &ComposeInput<'_>,
    parsed: &ParsedFile,
    index: &LineIndex,
    service: &str,
    project: &ProjectEnv<'_>,
    entries: &mut Vec<(String, ComposeEntry)>,
) {
    for assignment in &parsed.assignments {
        let kind = match assignment.origin {
            Origin::ComposeList => EntryKind::EnvironmentList,
            Origin::ComposeMap => EntryKind::EnvironmentMap,
            _ => continue,
        };
        if assignment.scope.as_deref() != Some(service) {
            continue;
        }
        let mut candidate = ComposeEntry {
            kind,
            source: Source {
                path: input.path.to_string(),
                line: index.line_of(assignment.name_range.start) + 1,
            },
            outcome: Outcome::Absent(String::new()),
            from_shell: Vec::new(),
            from_dotenv: Vec::new(),
            shell_beats_dotenv: Vec::new(),
        };
        candidate.outcome = match &assignment.yaml_outcome {
            Some(Outcome::Value(raw)) => {
                match expand_compose(raw, &|name| project.lookup(name)) {
                    Ok(value) => {
                        let names = referenced_names(raw)
                            .into_iter()
                            .filter(|name| project.lookup(name).is_some());
                        project.provenance(names, &mut candidate);
                        Outcome::Value(value)
                    }
                    Err(message) => Outcome::Refused(format!("Compose refuses to start: {message}")),
                }
            }
            Some(Outcome::Absent(_)) => match project.lookup(&assignment.name) {
                Some(value) => {
                    project.provenance([assignment.name.to_string()], &mut candidate);
                    Outcome::Value(value)
                }
                None => Outcome::Absent(
                    "no value here, and neither the shell nor the project `.env` sets it: not set in the container"
                        .to_string(),
                ),
            },
            Some(other) => other.clone(),
            None => continue,
        };
        entries.push((assignment.name.to_string(), candidate));
    }
}

/// Later entries beat earlier ones (env_file lines in order, then `environment:`); an
/// entry that sets nothing does not beat one that sets a value.
fn merge(entries: Vec<(String, ComposeEntry)>) -> Vec<ServiceVariable> {
    let mut grouped: Vec<(String, Vec<ComposeEntry>)> = Vec::new();
    for (name, entry) in entries {
        match grouped.iter_mut().find(|(known, _)| *known == name) {
            Some((_, list)) => list.push(entry),
            None => grouped.push((name, vec![entry])),
        }
    }
    grouped
        .into_iter()
        .map(|(name, mut list)| {
            let winner_index = list
                .iter()
                .rposition(|entry| !matches!(entry.outcome, Outcome::Absent(_)))
                .unwrap_or(list.len() - 1);
            let winner = list.remove(winner_index);
            let secret_reference = std::iter::once(&winner).chain(&list).any(|entry| {
                entry
                    .from_shell
                    .iter()
                    .chain(&entry.from_dotenv)
                    .any(|name| is_secret_name(name))
            });
            let secret = secret_reference
                || is_secret(
                    &name,
                    std::iter::once(&winner).chain(&list).flat_map(|entry| {
                        entry.outcome.value().into_iter().chain(
                            entry
                                .shell_beats_dotenv
                                .iter()
                                .map(|(_, lost)| lost.as_str()),
                        )
                    }),
                );
            ServiceVariable {
                name,
                secret,
                winner,
                losers: list,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

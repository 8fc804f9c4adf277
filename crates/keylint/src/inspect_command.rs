//! `keylint inspect`: the exact value each program receives from an env file, a
//! Compose service or a Kubernetes manifest, and who overrides whom. The core computes; this file reads the
//! files and the process environment, masks, and prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::{Args, ValueEnum};
use keylint_core::consumer::{Consumer, Outcome};
use keylint_core::hints::compose_env_files;
use keylint_core::inspect::{
    ComposeEntry, ComposeInput, ComposeReport, ConsumerView, EnvReport, EnvVariable, Environment,
    YamlReport, compose_services, inspect_compose, inspect_env_file, inspect_yaml,
};
use keylint_core::mask::{escape_invisible, for_display_lines, is_invisible, mask_body, redact};
use keylint_core::project::sibling;
use keylint_core::source::{FileKind, kind_by_name};
use serde::Serialize;

use keylint_workspace::files::{FileText, MAX_FILE_BYTES, read_text};

use crate::probe_command::COMPOSE_FILES;

#[derive(Args)]
pub struct InspectArgs {
    /// An env file (`.env`, `*.env`), a Compose file (`compose.yaml`) or a Kubernetes
    /// manifest or other YAML with `env:` [default: ./.env, else ./compose.yaml or
    /// ./docker-compose.yml]; with `--names`, the project directory [default: .].
    path: Option<PathBuf>,
    /// Every variable of the project instead of one file's values: where it is set (and
    /// which line each loader keeps) and where the code reads it. Names only, no values.
    #[arg(long, conflicts_with_all = ["consumer", "service", "env_file"])]
    names: bool,
    /// The consumer whose value `--format json` reports (env files; default python-dotenv)
    /// and the human table puts first.
    #[arg(long, value_enum)]
    consumer: Option<ConsumerArg>,
    /// Only this Compose service (default: every service).
    #[arg(long)]
    service: Option<String>,
    /// The project `.env` Compose interpolates from (default: `.env` beside the compose file).
    #[arg(long = "env-file", value_name = "PATH")]
    env_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConsumerArg {
    PythonDotenv,
    NodeDotenv,
    Dotenvy,
    Godotenv,
    Compose,
    DockerEnvFile,
    Shell,
}

impl ConsumerArg {
    fn consumer(self) -> Consumer {
        match self {
            ConsumerArg::PythonDotenv => Consumer::PythonDotenv,
            ConsumerArg::NodeDotenv => Consumer::NodeDotenv,
            ConsumerArg::Dotenvy => Consumer::Dotenvy,
            ConsumerArg::Godotenv => Consumer::Godotenv,
            ConsumerArg::Compose => Consumer::ComposeEnvFile,
            ConsumerArg::DockerEnvFile => Consumer::DockerEnvFile,
            ConsumerArg::Shell => Consumer::Shell,
        }
    }
}

pub fn run(args: &InspectArgs) -> Result<u8> {
    if args.names {
        let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
        crate::terminal::stdout(&crate::inspect_names::render(&root, args.format)?)?;
        return Ok(0);
    }
    let path = match &args.path {
        Some(path) => path.clone(),
        None => default_path()?,
    };
    let shown_path = path.to_string_lossy().into_owned();
    let text = read(&path)?;
    let environment: Environment = std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .collect();
    let read_as = match kind_by_name(&shown_path) {
        Some(FileKind::EnvFile) | None => ReadAs::EnvFile,
        Some(FileKind::Compose) => ReadAs::Compose,
        Some(kind @ (FileKind::Workflow | FileKind::OtherYaml)) => {
            if compose_services(&text).is_empty() {
                ReadAs::Yaml(kind)
            } else {
                ReadAs::Compose
            }
        }
    };
    if read_as != ReadAs::EnvFile
        && let Some(consumer) = args.consumer
        && (read_as != ReadAs::Compose || consumer != ConsumerArg::Compose)
    {
        bail!(
            "--consumer {}: {shown_path} is not an env file; {}",
            consumer.consumer().id(),
            if read_as == ReadAs::Compose {
                "its consumer is compose"
            } else {
                "its values are what the YAML says"
            }
        );
    }
    let output = match read_as {
        ReadAs::Compose => inspect_compose_file(args, &shown_path, &text, &environment)?,
        ReadAs::Yaml(kind) => {
            if let Some(service) = &args.service {
                bail!("--service {service}: {shown_path} is not a Compose file");
            }
            let report = inspect_yaml(&shown_path, &text, kind);
            match args.format {
                Format::Json => yaml_json(&report),
                Format::Human => for_display_lines(&yaml_human(&report)).into_owned(),
            }
        }
        ReadAs::EnvFile => {
            if let Some(service) = &args.service {
                bail!("--service {service}: {shown_path} is an env file, not a Compose file");
            }
            let report = inspect_env_file(&shown_path, &text, &environment);
            let selected = args.consumer.map(ConsumerArg::consumer);
            match args.format {
                Format::Json => env_json(&report, selected.unwrap_or(Consumer::PythonDotenv)),
                Format::Human => for_display_lines(&env_human(&report, selected)).into_owned(),
            }
        }
    };
    crate::terminal::stdout(&output)?;
    Ok(0)
}

/// How a file is inspected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadAs {
    EnvFile,
    Compose,
    /// Kubernetes manifests, workflows, any YAML with `env:`: values as the YAML gives them.
    Yaml(FileKind),
}

/// Without a path: `./.env`, else the Compose file of the current directory (the files
/// `keylint probe` reads by default).
fn default_path() -> Result<PathBuf> {
    std::iter::once(".env")
        .chain(COMPOSE_FILES)
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .ok_or_else(|| {
            anyhow!(
                "no .env or Compose file in the current directory: name the file to inspect (`keylint inspect PATH`)"
            )
        })
}

fn read(path: &Path) -> Result<String> {
    match read_text(path, MAX_FILE_BYTES) {
        Ok(FileText::Text(text)) => Ok(text),
        Ok(FileText::Unreadable { message, .. }) => bail!("{}: {message}", path.display()),
        Err(error) => Err(anyhow!("{}: {error}", path.display())),
    }
}

fn read_optional(path: &Path) -> Option<String> {
    read_text(path, MAX_FILE_BYTES)
        .ok()
        .and_then(FileText::into_text)
}

fn inspect_compose_file(
    args: &InspectArgs,
    shown_path: &str,
    text: &str,
    environment: &Environment,
) -> Result<String> {
    let services = compose_services(text);
    if let Some(service) = &args.service
        && !services.iter().any(|known| known == service)
    {
        bail!(
            "{shown_path} has no service `{service}` (services: {})",
            if services.is_empty() {
                "none".to_string()
            } else {
                services.join(", ")
            }
        );
    }
    let project_env_path = match &args.env_file {
        Some(path) => {
            // Given explicitly, it must exist.
            read(path)?;
            path.clone()
        }
        None => sibling(Path::new(shown_path), ".env"),
    };
    let project_env_text = read_optional(&project_env_path);
    let project_env_shown = project_env_path.to_string_lossy().into_owned();
    let mut env_files = BTreeMap::new();
    for path in compose_env_files(Path::new(shown_path), text) {
        if let Some(text) = read_optional(&path) {
            env_files.insert(path, text);
        }
    }
    let report = inspect_compose(&ComposeInput {
        path: shown_path,
        text,
        project_env: project_env_text
            .as_deref()
            .map(|text| (project_env_shown.as_str(), text)),
        env_files: &env_files,
        env: environment,
        service: args.service.as_deref(),
    });
    Ok(match args.format {
        Format::Json => {
            for problem in problems(&report) {
                crate::terminal::warn(&problem);
            }
            compose_json(&report)
        }
        Format::Human => for_display_lines(&compose_human(&report)).into_owned(),
    })
}

fn problems(report: &ComposeReport) -> Vec<String> {
    report
        .problems
        .iter()
        .cloned()
        .chain(report.services.iter().flat_map(|service| {
            service
                .problems
                .iter()
                .map(move |problem| format!("service {}: {problem}", service.name))
        }))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Showing values

fn length(value: &str) -> usize {
    value.chars().count()
}

fn is_quote(character: char) -> bool {
    matches!(character, '"' | '\'' | '“' | '”' | '‘' | '’' | '`')
}

fn is_edge(character: char) -> bool {
    character.is_whitespace() || is_invisible(character)
}

/// Makes leading and trailing blanks visible (`␠`), and every invisible character.
fn visible(text: &str) -> String {
    let core = text.trim_matches(' ');
    let leading = text.len() - text.trim_start_matches(' ').len();
    let trailing = if core.is_empty() {
        0
    } else {
        text.len() - text.trim_end_matches(' ').len()
    };
    format!(
        "{}{}{}",
        "␠".repeat(leading),
        escape_invisible(core),
        "␠".repeat(trailing)
    )
}

/// A secret for display: kept quotes and blanks around it stay visible, the key itself
/// is masked (prefix + `…` + last 4); `None` when it is too short to show any of it.
fn masked_display(value: &str) -> Option<String> {
    let start = value
        .char_indices()
        .find(|&(_, character)| !is_edge(character) && !is_quote(character))
        .map_or(value.len(), |(index, _)| index);
    let end = value
        .char_indices()
        .rev()
        .find(|&(_, character)| !is_edge(character) && !is_quote(character))
        .map_or(start, |(index, character)| index + character.len_utf8());
    if start >= end {
        return Some(visible(value));
    }
    let core = mask_body(&value[start..end])?;
    Some(format!(
        "{}{core}{}",
        visible(&value[..start]),
        visible(&value[end..])
    ))
}

/// A value for the human table.
fn display(value: &str, secret: bool) -> String {
    if value.is_empty() {
        "<empty>".to_string()
    } else if secret {
        masked_display(value).unwrap_or_else(|| "…".to_string())
    } else {
        visible(&redact(value))
    }
}

/// A value for JSON: the real value, or its mask.
fn json_value(value: &str, secret: bool) -> String {
    if secret {
        let count = length(value);
        let unit = if count == 1 { "char" } else { "chars" };
        match masked_display(value) {
            Some(shown) => format!("{shown} ({count} {unit})"),
            None => format!("({count} {unit})"),
        }
    } else {
        value.to_string()
    }
}

/// Loader messages may quote text from the line; for a secret, hide what is quoted.
fn reason(text: &str, secret: bool) -> String {
    if !secret {
        return escape_invisible(&redact(text));
    }
    let mut out = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 && part.len() > 3 {
            out.push('…');
        } else {
            out.push_str(&escape_invisible(&redact(part)));
        }
    }
    out
}

fn outcome_text(outcome: &Outcome, secret: bool) -> String {
    match outcome {
        Outcome::Value(value) => display(value, secret),
        Outcome::Absent(why) => format!("not set ({})", reason(why, secret)),
        Outcome::Refused(why) => format!("refused ({})", reason(why, secret)),
    }
}

/// What a value does differently from the reference value, in a word.
fn difference(value: &str, reference: &str) -> Option<&'static str> {
    if value == reference {
        return None;
    }
    let mut characters = value.chars();
    let (first, last) = (characters.next(), characters.next_back());
    if let (Some(first), Some(last)) = (first, last)
        && is_quote(first)
        && is_quote(last)
        && value[first.len_utf8()..value.len() - last.len_utf8()] == *reference
    {
        return Some("quotes kept");
    }
    if value.ends_with('\r') && value.trim_end_matches('\r') == reference {
        return Some("\\r kept");
    }
    if value.trim_end_matches(is_edge) == reference {
        return Some("trailing whitespace kept");
    }
    if value.trim_start_matches(is_edge) == reference {
        return Some("leading whitespace kept");
    }
    None
}

/// Quotes around the whole value reach the program (Compose list form `- KEY="v"`).
fn quotes_kept(value: &str) -> bool {
    let mut characters = value.chars();
    matches!(
        (characters.next(), characters.next_back()),
        (Some(first), Some(last)) if is_quote(first) && is_quote(last)
    )
}

fn names(consumers: &[Consumer]) -> String {
    consumers
        .iter()
        .map(|consumer| consumer.display_name())
        .map(|name| {
            if name.starts_with("a shell") {
                "shell"
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a table's heading; returns the width of its name column, or `None` (after
/// `no variables`) when there is nothing to list.
fn start_table<'a>(
    out: &mut String,
    heading: &str,
    names: impl Iterator<Item = &'a str>,
) -> Option<usize> {
    let _ = writeln!(out, "{heading}");
    let width = names.map(length).max();
    if width.is_none() {
        let _ = writeln!(out, "  no variables");
    }
    width
}

// ---------------------------------------------------------------------------------------
// Env files

/// Consumers grouped by what they give the program, in consumer order (the selected one first).
fn groups(
    variable: &EnvVariable,
    selected: Option<Consumer>,
) -> Vec<(Vec<Consumer>, &ConsumerView)> {
    let mut views: Vec<&ConsumerView> = variable.views.iter().collect();
    if let Some(selected) = selected {
        views.sort_by_key(|view| view.consumer != selected);
    }
    let mut groups: Vec<(Vec<Consumer>, &ConsumerView)> = Vec::new();
    for view in views {
        match groups.iter_mut().find(|(_, first)| {
            first.outcome == view.outcome && first.source.line == view.source.line
        }) {
            Some((consumers, _)) => consumers.push(view.consumer),
            None => groups.push((vec![view.consumer], view)),
        }
    }
    groups
}

fn env_human(report: &EnvReport, selected: Option<Consumer>) -> String {
    let mut out = String::new();
    let heading = match selected {
        Some(consumer) => format!("as {} reads it", consumer.display_name()),
        None => "what each program receives".to_string(),
    };
    let Some(name_width) = start_table(
        &mut out,
        &format!(
            "{}: {heading} (secrets masked, `≠` where consumers disagree)",
            report.path
        ),
        report
            .variables
            .iter()
            .map(|variable| variable.name.as_str()),
    ) else {
        return out;
    };
    let rows: Vec<(String, &EnvVariable)> = report
        .variables
        .iter()
        .map(|variable| {
            let groups = groups(variable, selected);
            (groups[0].1.source.to_string(), variable)
        })
        .collect();
    let source_width = rows
        .iter()
        .map(|(source, _)| length(source))
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(2 + name_width + 2 + source_width + 2 + 3);
    for (source, variable) in rows {
        let groups = groups(variable, selected);
        let secret = variable.secret;
        let reference = groups
            .iter()
            .max_by_key(|(consumers, view)| {
                (
                    view.value().is_some(),
                    consumers.len(),
                    selected.is_some_and(|selected| consumers.contains(&selected)),
                )
            })
            .and_then(|(_, view)| view.value())
            .unwrap_or_default()
            .to_string();
        let duplicated = variable.lines.len() > 1;
        let cells: Vec<String> = if groups.len() == 1 {
            vec![format!(
                "every consumer: {}",
                cell(groups[0].1, secret, &reference, false)
            )]
        } else {
            groups
                .iter()
                .map(|(consumers, view)| {
                    format!(
                        "{}: {}",
                        names(consumers),
                        cell(view, secret, &reference, duplicated)
                    )
                })
                .collect()
        };
        let marker = if variable.consumers_disagree() {
            "≠"
        } else {
            " "
        };
        let _ = writeln!(
            out,
            "  {:name_width$}  {:source_width$}  {marker}  {}",
            variable.name,
            source,
            cells.join("  ")
        );
        let overridden: Vec<&ConsumerView> = variable
            .views
            .iter()
            .filter(|view| view.overridden_by.is_some())
            .collect();
        if let Some(shell) = overridden
            .first()
            .and_then(|view| view.overridden_by.as_deref())
        {
            let consumers: Vec<Consumer> = overridden.iter().map(|view| view.consumer).collect();
            let _ = writeln!(
                out,
                "{indent}overridden by your shell for {}: {} ({})",
                names(&consumers),
                display(shell, secret),
                length(shell)
            );
        }
        if duplicated {
            let lines: Vec<String> = variable.lines.iter().map(ToString::to_string).collect();
            let mut by_line: Vec<(usize, Vec<Consumer>)> = Vec::new();
            for view in &variable.views {
                match by_line
                    .iter_mut()
                    .find(|(line, _)| *line == view.source.line)
                {
                    Some((_, consumers)) => consumers.push(view.consumer),
                    None => by_line.push((view.source.line, vec![view.consumer])),
                }
            }
            let winners: Vec<String> = by_line
                .iter()
                .map(|(line, consumers)| format!("line {line} wins for {}", names(consumers)))
                .collect();
            let _ = writeln!(
                out,
                "{indent}set on lines {}: {}",
                lines.join(", "),
                winners.join("; ")
            );
        }
    }
    out
}

fn cell(view: &ConsumerView, secret: bool, reference: &str, show_line: bool) -> String {
    let mut notes = Vec::new();
    if let Some(value) = view.value() {
        notes.push(length(value).to_string());
        if let Some(word) = difference(value, reference) {
            notes.push(word.to_string());
        }
    }
    if show_line {
        notes.push(format!("line {}", view.source.line));
    }
    let text = outcome_text(&view.outcome, secret);
    if notes.is_empty() {
        text
    } else {
        format!("{text} ({})", notes.join(", "))
    }
}

#[derive(Serialize)]
pub(crate) struct JsonOutput<T: Serialize> {
    pub(crate) version: u32,
    pub(crate) variables: Vec<T>,
}

#[derive(Serialize)]
struct JsonVariable {
    name: String,
    path: String,
    line: usize,
    consumer: &'static str,
    value: Option<String>,
    masked: bool,
    length: Option<usize>,
    overridden_by_env: bool,
    differs: Vec<JsonDiffers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    losers: Option<Vec<JsonLoser>>,
    /// YAML other than Compose: where the value is written (`Secret data (base64)`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'static str>,
    /// YAML other than Compose: the Kubernetes object or workflow job.
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<String>,
}

#[derive(Serialize)]
struct JsonDiffers {
    consumer: &'static str,
    value: Option<String>,
    length: Option<usize>,
}

#[derive(Serialize)]
struct JsonLoser {
    path: String,
    line: usize,
    value: Option<String>,
    length: Option<usize>,
}

fn env_json(report: &EnvReport, consumer: Consumer) -> String {
    let variables = report
        .variables
        .iter()
        .filter_map(|variable| {
            let view = variable.view(consumer)?;
            let value = view.value();
            let differs = variable
                .views
                .iter()
                .filter(|other| other.consumer != consumer && other.value() != value)
                .map(|other| JsonDiffers {
                    consumer: other.consumer.id(),
                    value: other
                        .value()
                        .map(|value| json_value(value, variable.secret)),
                    length: other.value().map(length),
                })
                .collect();
            Some(JsonVariable {
                name: variable.name.clone(),
                path: view.source.path.clone(),
                line: view.source.line,
                consumer: consumer.id(),
                value: value.map(|value| json_value(value, variable.secret)),
                masked: variable.secret,
                length: value.map(length),
                overridden_by_env: view.overridden_by.is_some(),
                differs,
                service: None,
                losers: None,
                origin: None,
                object: None,
            })
        })
        .collect();
    to_json(&JsonOutput {
        version: 1,
        variables,
    })
}

/// JSON with non-ASCII invisible characters written as `\uXXXX`, so they are visible in
/// the raw output and still decode to the exact value.
/// Every string in it goes through the one masking path first: a value that only holds a
/// secret (a URL with a password, a key quoted in a loader's refusal, a key where a name
/// goes) shows the rest and masks that part.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    let mut value = serde_json::to_value(value).expect("inspect output serializes");
    redact_strings(&mut value);
    let text = serde_json::to_string(&value).expect("inspect output serializes");
    let mut out = String::with_capacity(text.len() + 1);
    for character in text.chars() {
        if !character.is_ascii() && is_invisible(character) {
            let mut units = [0u16; 2];
            for unit in character.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(character);
        }
    }
    out.push('\n');
    out
}

fn redact_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if let std::borrow::Cow::Owned(redacted) = redact(text) {
                *text = redacted;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_strings),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(redact_strings),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Kubernetes and other YAML

/// What a YAML value does that the eye misses, in a word.
fn yaml_note(value: &str) -> Option<&'static str> {
    if value.ends_with('\n') {
        Some("ends with a line break")
    } else {
        difference(value, value.trim_matches(is_edge))
    }
}

fn yaml_human(report: &YamlReport) -> String {
    let mut out = String::new();
    let Some(name_width) = start_table(
        &mut out,
        &format!(
            "{}: what each program receives (secrets masked)",
            report.path
        ),
        report
            .variables
            .iter()
            .map(|variable| variable.name.as_str()),
    ) else {
        return out;
    };
    let sources: Vec<String> = report
        .variables
        .iter()
        .map(|variable| variable.source.to_string())
        .collect();
    let source_width = sources
        .iter()
        .map(|source| length(source))
        .max()
        .unwrap_or(0);
    for (variable, source) in report.variables.iter().zip(&sources) {
        let mut notes = Vec::new();
        if let Some(value) = variable.outcome.value() {
            notes.push(length(value).to_string());
            notes.extend(yaml_note(value).map(str::to_string));
        }
        let text = outcome_text(&variable.outcome, variable.secret);
        let value = if notes.is_empty() {
            text
        } else {
            format!("{text} ({})", notes.join(", "))
        };
        let place = match &variable.scope {
            Some(scope) => format!("{}, {scope}", variable.origin),
            None => variable.origin.to_string(),
        };
        let _ = writeln!(
            out,
            "  {:name_width$}  {source:source_width$}  {value}  [{place}]",
            variable.name
        );
    }
    out
}

fn yaml_json(report: &YamlReport) -> String {
    let variables = report
        .variables
        .iter()
        .map(|variable| {
            let value = variable.outcome.value();
            JsonVariable {
                name: variable.name.clone(),
                path: variable.source.path.clone(),
                line: variable.source.line,
                consumer: Consumer::YamlAsWritten.id(),
                value: value.map(|value| json_value(value, variable.secret)),
                masked: variable.secret,
                length: value.map(length),
                overridden_by_env: false,
                differs: Vec::new(),
                service: None,
                losers: None,
                origin: Some(variable.origin),
                object: variable.scope.clone(),
            }
        })
        .collect();
    to_json(&JsonOutput {
        version: 1,
        variables,
    })
}

// ---------------------------------------------------------------------------------------
// Compose

fn entry_origin(entry: &ComposeEntry) -> String {
    let mut origin = entry.kind.describe().to_string();
    if !entry.from_shell.is_empty() {
        let _ = write!(
            origin,
            ", ${{{}}} from your shell",
            entry.from_shell.join("}, ${")
        );
    }
    if !entry.from_dotenv.is_empty() {
        let _ = write!(
            origin,
            ", ${{{}}} from .env",
            entry.from_dotenv.join("}, ${")
        );
    }
    origin
}

fn compose_human(report: &ComposeReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: each service's container environment (secrets masked){}",
        report.path,
        match &report.project_env_path {
            Some(path) => format!("; ${{…}} from your shell, then {path}"),
            None => "; ${…} from your shell (no project .env)".to_string(),
        }
    );
    for problem in &report.problems {
        let _ = writeln!(out, "  ! {problem}");
    }
    if report.services.is_empty() {
        let _ = writeln!(out, "  no services");
    }
    for service in &report.services {
        let _ = writeln!(out, "\nservice {}", service.name);
        for problem in &service.problems {
            let _ = writeln!(out, "  ! {problem}");
        }
        if service.variables.is_empty() {
            let _ = writeln!(out, "  no environment");
            continue;
        }
        let name_width = service
            .variables
            .iter()
            .map(|variable| length(&variable.name))
            .max()
            .unwrap_or(0);
        let source_width = service
            .variables
            .iter()
            .map(|variable| length(&variable.winner.source.to_string()))
            .max()
            .unwrap_or(0);
        let indent = " ".repeat(2 + name_width + 2 + source_width + 2 + 3);
        for variable in &service.variables {
            let secret = variable.secret;
            let winner = &variable.winner;
            let marker = if variable
                .losers
                .iter()
                .any(|loser| loser.outcome.value() != winner.outcome.value())
            {
                "≠"
            } else {
                " "
            };
            let length_note = winner
                .outcome
                .value()
                .map(|value| match quotes_kept(value) {
                    true => format!(" ({}, quotes kept)", length(value)),
                    false => format!(" ({})", length(value)),
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:name_width$}  {:source_width$}  {marker}  {}{length_note}  [{}]",
                variable.name,
                winner.source.to_string(),
                outcome_text(&winner.outcome, secret),
                entry_origin(winner)
            );
            for (name, lost) in &winner.shell_beats_dotenv {
                let _ = writeln!(
                    out,
                    "{indent}overridden by your shell: ${{{name}}} in .env is {} ({})",
                    display(
                        lost,
                        secret || keylint_core::inspect::is_secret(name, [lost.as_str()])
                    ),
                    length(lost)
                );
            }
            for loser in &variable.losers {
                let length_note = loser
                    .outcome
                    .value()
                    .map(|value| format!(" ({})", length(value)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{indent}beats {}: {}{length_note}  [{}]",
                    loser.source,
                    outcome_text(&loser.outcome, secret),
                    entry_origin(loser)
                );
            }
        }
    }
    out
}

fn compose_json(report: &ComposeReport) -> String {
    let mut variables = Vec::new();
    for service in &report.services {
        for variable in &service.variables {
            let winner = &variable.winner;
            let value = winner.outcome.value();
            variables.push(JsonVariable {
                name: variable.name.clone(),
                path: winner.source.path.clone(),
                line: winner.source.line,
                consumer: Consumer::ComposeEnvFile.id(),
                value: value.map(|value| json_value(value, variable.secret)),
                masked: variable.secret,
                length: value.map(length),
                overridden_by_env: !winner.from_shell.is_empty(),
                differs: Vec::new(),
                service: Some(service.name.clone()),
                losers: Some(
                    variable
                        .losers
                        .iter()
                        .map(|loser| JsonLoser {
                            path: loser.source.path.clone(),
                            line: loser.source.line,
                            value: loser
                                .outcome
                                .value()
                                .map(|value| json_value(value, variable.secret)),
                            length: loser.outcome.value().map(length),
                        })
                        .collect(),
                ),
                origin: None,
                object: None,
            });
        }
    }
    to_json(&JsonOutput {
        version: 1,
        variables,
    })
}

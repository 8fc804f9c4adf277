//! Hover on a provider variable in an env or YAML file, and on a variable read in source
//! code (what each place that sets it gives, rendered by the same code): offline facts
//! at once, then the live probe when it answers within [`PROBE_WAIT`]. A slower probe
//! keeps running in its own task and fills the probe cache, so the next hover shows its
//! verdict. Values are always masked.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use keylint_core::assignment::ParsedFile;
use keylint_core::consumer::Outcome;
use keylint_core::mask::{escape_invisible, is_secret_name, is_secret_value, mask_body};
use keylint_core::provider::{self, Role, key_shape};
use keylint_core::{ConsumerSet, Project as _};
use keylint_probe::config_keys::Readings;
use keylint_probe::{ProbeOutcome, Verdict};
use keylint_workspace::Workspace;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::encoding::PositionMap;
use crate::navigation::{Cursor, Target};
use crate::probe::{Wanted, assignment_at, readings, scrub};
use crate::server::Backend;
use crate::state::read;

/// How long a hover waits for the live probe before answering with offline facts.
pub const PROBE_WAIT: Duration = Duration::from_millis(300);

const QUOTES: [char; 6] = ['"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];

pub async fn hover(backend: &Backend, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params;
    let cursor = Cursor::at(backend, &position.text_document.uri, position.position)?;
    let facts = catch_unwind(AssertUnwindSafe(|| match cursor.kind {
        Some(kind) => {
            let parse = cursor.lint_parse(backend, kind);
            env_facts(
                cursor.text(),
                parse.get(),
                &cursor.path,
                cursor.offset,
                &cursor.project,
            )
        }
        None => code_facts(&cursor, backend),
    }))
    .ok()??;
    // Paths inside the workspace print relative to it.
    let root = read(&backend.state.client).root.clone();
    let mut markdown = match root {
        Some(root) => facts.markdown.replace(&format!("{}/", root.display()), ""),
        None => facts.markdown,
    };
    let range = Some(PositionMap::of(&cursor.snapshot, cursor.encoding).range(&facts.range));
    let probe_enabled = read(&backend.state.settings).probe_enable;
    if let Some(readings) = facts.probe {
        if probe_enabled {
            let prober = read(&backend.state.prober).clone();
            let task = tokio::spawn(async move { prober.probe_readings(&readings).await });
            match tokio::time::timeout(PROBE_WAIT, task).await {
                Ok(Ok(Some((_, outcome)))) => markdown.push_str(&probe_section(&outcome)),
                Ok(Ok(None) | Err(_)) => {
                    markdown.push_str("\n**Live probe**: failed inside keylint.\n");
                }
                Err(_) => markdown.push_str(
                    "\n**Live probe**: checking… hover again in a moment for the verdict (results are cached for 10 minutes).\n",
                ),
            }
        } else {
            markdown.push_str("\n**Live probe**: off (`keylint.probe.enable`).\n");
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: scrub(&markdown, &facts.secrets),
        }),
        range,
    })
}

struct Facts {
    markdown: String,
    range: std::ops::Range<usize>,
    /// The key as each program that reads the file gets it, when it is a key to probe.
    probe: Option<Readings>,
    /// Raw values that must never appear in the hover.
    secrets: Vec<String>,
}

/// Hover on an assignment in an env or YAML file: its provider variable or key-shaped
/// value, as written and as each program receives it.
fn env_facts(
    text: &str,
    parsed: &ParsedFile,
    path: &Path,
    offset: usize,
    project: &Workspace,
) -> Option<Facts> {
    let (index, ..) = assignment_at(parsed, offset)?;
    let assignment = &parsed.assignments[index];
    let raw = &text[assignment.value_range.clone()];
    if provider::variable(&assignment.name).is_none() && key_shape(bare_value(raw)).is_none() {
        return None;
    }
    let mut markdown = heading(&assignment.name);
    let section = assignment_section(text, parsed, index, path, project);
    markdown.push_str(&section.markdown);
    Some(Facts {
        markdown,
        range: assignment.name_range.start
            ..assignment.value_range.end.max(assignment.name_range.end),
        probe: section.probe,
        secrets: section.secrets,
    })
}

/// At most this many places that set a name are shown in a hover in code; definition
/// lists them all.
const MAX_PLACES: usize = 5;

/// Hover on a variable read in source code: for each name read there, what each place
/// that sets it gives (the same section as the hover in that file), the place the
/// program gets its value from first at the top, and the live probe of that one.
fn code_facts(cursor: &Cursor, backend: &Backend) -> Option<Facts> {
    let target = cursor.target(backend)?;
    let Target::Read { reads, range } = &target else {
        return None;
    };
    let project = &cursor.project;
    // Each file that sets a name is read and parsed once.
    let mut files: HashMap<PathBuf, Option<(std::sync::Arc<str>, ParsedFile)>> = HashMap::new();
    let mut markdown = String::new();
    let mut probe = None;
    let mut secrets = Vec::new();
    for (name, case_insensitive) in target.names() {
        if !markdown.is_empty() {
            markdown.push_str("\n---\n\n");
        }
        markdown.push_str(&heading(name));
        if reads
            .iter()
            .any(|(read, code)| read == name && code.by_default)
        {
            markdown.push_str("\nAn SDK client created here reads it by default.\n");
        }
        let places = project.where_set(name, case_insensitive, Some(&cursor.path));
        if places.is_empty() {
            markdown.push_str(
                "\nNo env, Compose, Kubernetes or workflow file of the workspace sets it.\n",
            );
        }
        for (rank, site) in places.iter().take(MAX_PLACES).enumerate() {
            let file = files.entry(site.path.clone()).or_insert_with(|| {
                let text = project.read(&site.path)?;
                let parsed = ParsedFile::parse(site.kind, &text);
                Some((text, parsed))
            });
            let Some((text, parsed)) = file else {
                continue;
            };
            let Some(index) = parsed
                .assignments
                .iter()
                .position(|assignment| assignment.name_range == site.range)
            else {
                continue;
            };
            let scope = site
                .scope
                .as_ref()
                .map(|scope| format!(" (`{scope}`)"))
                .unwrap_or_default();
            let wins = if rank == 0 && places.len() > 1 {
                " — the program gets this one first"
            } else {
                ""
            };
            let _ = writeln!(
                markdown,
                "\n**{}:{}**{scope}{wins}",
                site.path.display(),
                site.line
            );
            let section = assignment_section(text, parsed, index, &site.path, project);
            markdown.push_str(&section.markdown);
            secrets.extend(section.secrets);
            if probe.is_none() {
                probe = section.probe;
            }
        }
        if places.len() > MAX_PLACES {
            let _ = writeln!(
                markdown,
                "\n…and {} more (Go to Definition lists them all).",
                places.len() - MAX_PLACES
            );
        }
    }
    Some(Facts {
        markdown,
        range: range.clone(),
        probe,
        secrets,
    })
}

/// `**NAME**`, with the provider and role of a variable keylint knows.
fn heading(name: &str) -> String {
    let mut markdown = String::new();
    let _ = writeln!(markdown, "**{name}**");
    if let Some(known) = provider::variable(name) {
        let _ = write!(
            markdown,
            "\n{} {}",
            known.provider.display_name(),
            known.role.description()
        );
        if let Some(canonical) = known.alias_of {
            let _ = write!(
                markdown,
                " (an alias read by {}; the official SDK reads `{canonical}`)",
                known.read_by
            );
        }
        markdown.push('\n');
    }
    markdown
}

/// The value as written, stripped of whitespace and quotes.
fn bare_value(raw: &str) -> &str {
    raw.trim().trim_matches(QUOTES)
}

/// What one assignment gives: the key's shape, the value as written, who reads the file
/// and what each of them receives (masked), and the key to probe.
struct Section {
    markdown: String,
    probe: Option<Readings>,
    secrets: Vec<String>,
}

fn assignment_section(
    text: &str,
    parsed: &ParsedFile,
    index: usize,
    path: &Path,
    project: &Workspace,
) -> Section {
    let assignment = &parsed.assignments[index];
    let known = provider::variable(&assignment.name);
    let raw = &text[assignment.value_range.clone()];
    let bare = bare_value(raw);
    let shape = key_shape(bare);
    let secret = known.is_some_and(|known| known.role == Role::ApiKey)
        || is_secret_name(&assignment.name)
        || is_secret_value(raw);
    let mut markdown = String::new();
    if secret {
        match shape {
            Some(shape) => {
                let mut notes = Vec::new();
                if !shape.length_ok {
                    notes.push("unusual length");
                }
                if !shape.charset_ok {
                    notes.push("characters a key never contains");
                }
                if shape.has_marker == Some(false) {
                    notes.push("no `T3BlbkFJ` marker");
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", notes.join(", "))
                };
                let _ = writeln!(markdown, "\nKey: {}{notes}", shape.kind.description());
            }
            None if bare.is_empty() => {
                let _ = writeln!(markdown, "\nKey: empty");
            }
            None => {
                let _ = writeln!(markdown, "\nKey: does not look like any provider's key");
            }
        }
        let _ = writeln!(markdown, "\nAs written: {}", show(raw, true));
    } else {
        let _ = writeln!(markdown, "\nAs written: {}", show(raw, false));
    }
    // What each program receives.
    let consumers = if assignment.yaml_outcome.is_none() {
        project.consumers_of(path)
    } else {
        ConsumerSet::default()
    };
    let mut received = Vec::new();
    if let Some(outcome) = &assignment.yaml_outcome {
        received.push(("YAML as written".to_string(), outcome.clone()));
    } else {
        for consumer in consumers.judged() {
            if let Some(outcome) = parsed.outcome(index, consumer) {
                received.push((consumer.display_name().to_string(), outcome.clone()));
            }
        }
        if consumers.is_known() {
            let evidence: Vec<&str> = consumers
                .known
                .iter()
                .map(|(_, why)| why.as_str())
                .collect();
            let _ = writeln!(markdown, "\nRead by: {}", evidence.join("; "));
        }
    }
    if !received.is_empty() {
        markdown.push_str("\nWhat the program receives:\n");
        // Consumers that receive the same thing share a line.
        let mut lines: Vec<(Vec<&str>, String)> = Vec::new();
        for (consumer, outcome) in &received {
            let shown = match outcome {
                Outcome::Value(value) => show(value, secret || is_secret_value(value)),
                Outcome::Absent(why) => format!("nothing ({why})"),
                Outcome::Refused(why) => format!("refused ({why})"),
            };
            match lines.iter_mut().find(|(_, existing)| *existing == shown) {
                Some((consumers, _)) => consumers.push(consumer.as_str()),
                None => lines.push((vec![consumer.as_str()], shown)),
            }
        }
        for (consumers, shown) in lines {
            let _ = writeln!(markdown, "- {}: {shown}", consumers.join(", "));
        }
    }
    let probe = (known.is_some_and(|known| known.role == Role::ApiKey) && !bare.is_empty())
        .then(|| {
            let at = Wanted::At(assignment.name_range.start);
            readings(text, parsed, path, &consumers.probed(), at).ok()
        })
        .flatten();
    let mut secrets = vec![raw.to_string(), bare.to_string()];
    secrets.extend(
        received
            .iter()
            .filter_map(|(_, outcome)| outcome.value().map(str::to_string)),
    );
    secrets.retain(|secret| secret.chars().count() >= 8);
    Section {
        markdown,
        probe,
        secrets,
    }
}

/// A value for display: masked when secret, invisible characters escaped, with the
/// quote and whitespace characters around it called out.
fn show(value: &str, secret: bool) -> String {
    let length = value.chars().count();
    let trimmed = value.trim();
    let leading_ws = value.len() - value.trim_start().len();
    let trailing_ws = value.len() - value.trim_end().len();
    let inner = trimmed.trim_matches(QUOTES);
    let quote_chars = trimmed.chars().count() - inner.chars().count();
    let body = if secret {
        mask_body(inner).unwrap_or_else(|| "…".to_string())
    } else {
        escape_invisible(inner)
    };
    let open = &trimmed[..trimmed.len() - trimmed.trim_start_matches(QUOTES).len()];
    let close = &trimmed[trimmed.trim_end_matches(QUOTES).len()..];
    let shown = format!(
        "{}{open}{body}{close}{}",
        escape_invisible(&value[..leading_ws]),
        escape_invisible(&value[value.len() - trailing_ws..])
    );
    let mut notes = vec![format!("{length} chars")];
    if quote_chars > 0 {
        notes.push(format!(
            "includes {quote_chars} quote character{}",
            if quote_chars == 1 { "" } else { "s" }
        ));
    }
    let whitespace =
        value[..leading_ws].chars().count() + value[value.len() - trailing_ws..].chars().count();
    if whitespace > 0 {
        notes.push(format!(
            "includes {whitespace} whitespace character{}",
            if whitespace == 1 { "" } else { "s" }
        ));
    }
    if value.is_empty() {
        return "`` (empty)".to_string();
    }
    format!("`{shown}` ({})", notes.join(", "))
}

fn probe_section(outcome: &ProbeOutcome) -> String {
    let mut evidence = Vec::new();
    if let Some(status) = outcome.http_status {
        evidence.push(format!("HTTP {status}"));
    }
    if let Some(code) = &outcome.error_code {
        evidence.push(format!("`{code}`"));
    }
    if outcome.cached {
        evidence.push("cached".to_string());
    }
    let host = if outcome.host.is_empty() {
        String::new()
    } else {
        format!(" ({})", outcome.host)
    };
    let evidence = if evidence.is_empty() {
        String::new()
    } else {
        format!(" [{}]", evidence.join(", "))
    };
    let verdict = match outcome.verdict {
        Verdict::Ok => "ok ✓".to_string(),
        other => other.as_str().replace('_', " "),
    };
    tracing::info!(host = %outcome.host, status = ?outcome.http_status, "probe answered");
    format!(
        "\n**Live probe**{host}: {verdict}{evidence}\n\n{}. {}\n",
        outcome.message.trim_end_matches('.'),
        outcome.fix
    )
}

//! `workspace/executeCommand`. One command, [`PROBE_COMMAND`]: probe the key under the
//! cursor (or a named variable) in the open buffer, with the same extraction, host rules
//! and masking as hover, and return the verdict in the shape of one entry of
//! `keylint probe --format json`, plus the finding `keylint lint --probe` would report
//! for it (`null` when the verdict is `ok` or the configuration silences it).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use keylint_core::assignment::ParsedFile;
use keylint_core::rules::rule_for_verdict;
use keylint_core::{Diagnostic, FileKind, Project as _, mask_secret};
use keylint_probe::ProbeOutcome;
use keylint_probe::config_keys::FoundKey;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, Position, TextDocumentIdentifier};

use crate::encoding::PositionMap;
use crate::probe::{Wanted, readings, scrub};
use crate::server::Backend;
use crate::state::read;

/// Probes the key under the cursor in the open buffer.
pub const PROBE_COMMAND: &str = "keylint.probe";

/// The commands the server offers (`executeCommandProvider`).
pub const COMMANDS: [&str; 1] = [PROBE_COMMAND];

/// The argument of [`PROBE_COMMAND`]: a document and either a position (the key whose
/// name or value is there) or a variable name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProbeArguments {
    text_document: TextDocumentIdentifier,
    position: Option<Position>,
    variable: Option<String>,
}

pub async fn execute_command(
    backend: &Backend,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    if params.command != PROBE_COMMAND {
        return Err(Error::invalid_params(format!(
            "unknown command `{}` (keylint offers {})",
            params.command,
            COMMANDS.join(", ")
        )));
    }
    let arguments = params
        .arguments
        .into_iter()
        .next()
        .and_then(|argument| serde_json::from_value::<ProbeArguments>(argument).ok())
        .ok_or_else(|| {
            Error::invalid_params(
                "keylint.probe takes one argument: {\"textDocument\": {\"uri\": …}, \"position\": {…}} or {\"textDocument\": …, \"variable\": \"NAME\"}",
            )
        })?;
    probe(backend, arguments).await.map(Some)
}

async fn probe(backend: &Backend, arguments: ProbeArguments) -> Result<Value> {
    let uri = arguments.text_document.uri;
    let Some(document) = read(&backend.state.documents).get(&uri).cloned() else {
        return Err(Error::invalid_params(
            "the document is not open: keylint probes the text of open documents",
        ));
    };
    let project = backend.state.project();
    let path = document
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(uri.path().as_str()));
    let kind = document
        .kind
        .or_else(|| project.kind_of(&path, false))
        .ok_or_else(|| Error::invalid_params("keylint does not read this file"))?;
    let snapshot = document.snapshot();
    let text = &*snapshot.text;
    // The parse of the last lint, loader outcomes included, when it is of this text.
    let linted = backend.state.last_parse(&uri, &snapshot.text);
    let offset = arguments
        .position
        .map(|position| PositionMap::of(&snapshot, backend.state.encoding()).offset(position));
    let wanted = match (&arguments.variable, offset) {
        (Some(name), _) => Wanted::Named(name),
        (None, Some(offset)) => Wanted::At(offset),
        (None, None) => {
            return Err(Error::invalid_params(
                "keylint.probe needs a position or a variable",
            ));
        }
    };
    let found = catch_unwind(AssertUnwindSafe(|| {
        let fresh;
        let parsed = match &linted {
            Some(lazy) => lazy.get(),
            None => {
                fresh = ParsedFile::parse(kind, text);
                &fresh
            }
        };
        let readers = if kind == FileKind::EnvFile {
            project.consumers_of(&path).probed()
        } else {
            Vec::new()
        };
        readings(text, parsed, &path, &readers, wanted)
    }))
    .map_err(|_| Error::internal_error())?
    .map_err(Error::invalid_params)?;

    let prober = read(&backend.state.prober).clone();
    let (key, outcome) = tokio::spawn(async move {
        let (at, outcome) = prober.probe_readings(&found).await?;
        Some((found.into_iter().nth(at)?, outcome))
    })
    .await
    .ok()
    .flatten()
    .ok_or_else(Error::internal_error)?;
    let root = read(&backend.state.client).root.clone();
    let shown = root
        .and_then(|root| path.strip_prefix(root).ok().map(PathBuf::from))
        .unwrap_or_else(|| path.clone());
    // What `keylint lint --probe` reports for this answer: the config's severity and the
    // file's suppressions apply.
    let finding = catch_unwind(AssertUnwindSafe(|| {
        project
            .lint_probed(&path, text, kind, &[key.probed(&outcome)])
            .into_iter()
            .find(|diagnostic| {
                diagnostic.range == key.range
                    && rule_for_verdict(outcome.verdict)
                        .is_some_and(|rule| rule.code == diagnostic.code)
            })
    }))
    .ok()
    .flatten();
    Ok(result(
        &shown.to_string_lossy(),
        text,
        &key,
        &outcome,
        finding.as_ref(),
    ))
}

/// One entry of `keylint probe --format json`, plus who reads the key that way and the
/// finding; every text masked.
fn result(
    path: &str,
    text: &str,
    key: &FoundKey,
    outcome: &ProbeOutcome,
    finding: Option<&Diagnostic>,
) -> Value {
    let secrets = [key.request.key.clone(), text[key.range.clone()].to_string()];
    let clean = |text: &str| scrub(text, &secrets);
    json!({
        "variable": clean(&key.variable),
        "path": clean(path),
        "line": key.line,
        "provider": key.request.provider.id(),
        "host": clean(&outcome.host),
        "key": mask_secret(&key.request.key),
        "verdict": outcome.verdict.as_str(),
        "http_status": outcome.http_status,
        "error_code": outcome.error_code.as_deref().map(clean),
        "message": clean(&outcome.message),
        "fix": clean(&outcome.fix),
        "cached": outcome.cached,
        "read_by": key.read_by.iter().map(|consumer| consumer.id()).collect::<Vec<_>>(),
        "finding": finding.map(|diagnostic| json!({
            "code": diagnostic.code,
            "name": diagnostic.name,
            "severity": diagnostic.severity.as_str(),
            "message": clean(&diagnostic.message),
        })),
    })
}

//! The live probe of a key in an open document, shared by hover and the `keylint.probe`
//! command: the key as each program that reads the file gets it (the buffer's text, the
//! workspace's consumers), extracted by `keylint_probe::config_keys` like `keylint probe`
//! does, sent by the one prober with the user's host rules, and shown masked.

use std::ops::Range;
use std::path::Path;

use keylint_core::assignment::ParsedFile;
use keylint_core::consumer::Consumer;
use keylint_core::mask::for_display_lines;
use keylint_core::{FileKind, mask_secret};
use keylint_probe::config_keys::{Filter, Readings, keys_in_parsed};

/// Which key of a document to probe.
#[derive(Clone, Copy, Debug)]
pub enum Wanted<'a> {
    /// The assignment whose name or value holds this byte offset.
    At(usize),
    /// The variable of this name.
    Named(&'a str),
}

/// The assignment whose name or value holds `offset`: its name and value range.
#[must_use]
pub fn assignment_at(parsed: &ParsedFile, offset: usize) -> Option<(usize, &str, Range<usize>)> {
    parsed
        .assignments
        .iter()
        .enumerate()
        .find(|(_, assignment)| {
            (assignment.name_range.start <= offset && offset <= assignment.name_range.end)
                || (assignment.value_range.start <= offset && offset <= assignment.value_range.end)
        })
        .map(|(index, assignment)| {
            (
                index,
                assignment.name.as_str(),
                assignment.value_range.clone(),
            )
        })
}

/// The key `wanted` names, as each of `readers` gets it (env files; a Compose file's
/// `environment:` is read as written). The error says why there is nothing to probe.
pub fn readings(
    text: &str,
    parsed: &ParsedFile,
    path: &Path,
    readers: &[Consumer],
    wanted: Wanted,
) -> Result<Readings, String> {
    if !matches!(parsed.kind, FileKind::EnvFile | FileKind::Compose) {
        return Err("keylint probes the keys of env and Compose files".to_string());
    }
    let (name, value_range) = match wanted {
        Wanted::At(offset) => {
            let Some((_, name, range)) = assignment_at(parsed, offset) else {
                return Err(
                    "no variable here: put the cursor on a line that sets a key, such as OPENAI_API_KEY=…"
                        .to_string(),
                );
            };
            (name, Some(range))
        }
        Wanted::Named(name) => (name, None),
    };
    let filter = Filter {
        vars: vec![name.to_string()],
        provider: None,
    };
    let shown = path.to_string_lossy();
    keys_in_parsed(text, parsed, parsed.kind, &shown, readers, &filter)?
        .into_iter()
        .find(|readings| {
            value_range
                .as_ref()
                .is_none_or(|range| readings.iter().any(|reading| reading.range == *range))
        })
        .ok_or_else(|| {
            format!(
                "{} has no provider key to probe here (an empty value, a `${{…}}` reference, or a line no program reads)",
                for_display_lines(name)
            )
        })
}

/// The one masking path for what the server shows of a probe: secret-shaped text
/// anywhere masked, control characters made visible; and, belt and braces, none of
/// `secrets` (the raw values at hand) survives.
#[must_use]
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut text = for_display_lines(text).into_owned();
    for secret in secrets {
        if secret.chars().count() >= 8 && text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), &mask_secret(secret));
        }
    }
    text
}

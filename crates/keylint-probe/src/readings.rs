//! The probe sends what the program would send. A key is probed as each program that
//! reads its file receives it (`docker run --env-file` keeps the quotes that Compose
//! strips); when the program's value is rejected but the key itself is not, the outcome
//! says so — "the key itself is valid, but docker --env-file passes it with its quotes,
//! so the program's request fails" — instead of blaming the key.

use keylint_core::consumer::Consumer;
use keylint_core::mask::for_display;
use keylint_core::rules::join_names;

use crate::config_keys::{FoundKey, Readings};
use crate::explain::{evidence, sanitize};
use crate::{ProbeOutcome, ProbeRequest, Prober};

/// Quote characters a loader may leave around a value.
const QUOTES: [char; 7] = [
    '"', '\'', '`', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}',
];

impl Prober {
    /// Probes every reading of a key (usually one) and returns the outcome of the reading
    /// that matters (a failure before an `unknown` before an `ok`) with its index in
    /// `readings`. A reading the provider rejects, while another reading or the key
    /// without its stray quotes, whitespace or `Bearer ` is accepted, gets an outcome
    /// that says so. Empty `readings` is a caller bug and yields `None`.
    pub async fn probe_readings(&self, readings: &Readings) -> Option<(usize, ProbeOutcome)> {
        let mut outcomes = Vec::with_capacity(readings.len());
        for reading in readings {
            outcomes.push(self.probe(&reading.request).await);
        }
        let reported = (0..outcomes.len()).max_by_key(|&index| {
            let verdict = outcomes[index].verdict;
            // Worst first; among equals the earliest reading (max_by_key keeps the last).
            (
                verdict.is_failure(),
                !verdict.key_recognized(),
                std::cmp::Reverse(index),
            )
        })?;
        let outcome = outcomes[reported].clone();
        let reading = &readings[reported];
        if !outcome.verdict.is_failure() || outcome.verdict.key_recognized() {
            return Some((reported, outcome));
        }
        // Is the key itself fine? Another program's reading was accepted…
        if let Some(good) =
            (0..readings.len()).find(|&index| outcomes[index].verdict.key_recognized())
        {
            let accepted = Accepted {
                request: &readings[good].request,
                by: Some(&readings[good].read_by),
            };
            return Some((reported, passed_differently(reading, &outcome, &accepted)));
        }
        // …or the key without what the loader left around it is.
        let sent = reading.request.key.as_str();
        let bare = bare_key(sent);
        if bare.is_empty() || bare == sent {
            return Some((reported, outcome));
        }
        let alone_request = ProbeRequest {
            key: bare.to_string(),
            ..reading.request.clone()
        };
        let alone = self.probe(&alone_request).await;
        if !alone.verdict.key_recognized() {
            return Some((reported, outcome));
        }
        let accepted = Accepted {
            request: &alone_request,
            by: None,
        };
        Some((reported, passed_differently(reading, &outcome, &accepted)))
    }
}

/// The request the provider accepted, and which programs read the file that way
/// (`None`: the key as written, which no program is known to receive).
struct Accepted<'a> {
    request: &'a ProbeRequest,
    by: Option<&'a [Consumer]>,
}

/// The outcome of a reading the provider rejected although the key itself is valid.
fn passed_differently(
    reading: &FoundKey,
    outcome: &ProbeOutcome,
    accepted: &Accepted,
) -> ProbeOutcome {
    let who = readers(reading);
    let verb = if reading.read_by.len() > 1 {
        "pass"
    } else {
        "passes"
    };
    // What differs: the key, or else the organization, project or base URL beside it.
    let (what, sent, wanted) = [
        (
            "it",
            Some(&reading.request.key),
            Some(&accepted.request.key),
        ),
        (
            "the organization id",
            reading.request.organization.as_ref(),
            accepted.request.organization.as_ref(),
        ),
        (
            "the project id",
            reading.request.project.as_ref(),
            accepted.request.project.as_ref(),
        ),
        (
            "the base URL",
            reading.request.base_url.as_ref(),
            accepted.request.base_url.as_ref(),
        ),
    ]
    .into_iter()
    .find(|(_, sent, wanted)| sent != wanted)
    .map_or(("it", "", ""), |(what, sent, wanted)| {
        (
            what,
            sent.map_or("", String::as_str),
            wanted.map_or("", String::as_str),
        )
    });
    let how = difference(sent, wanted);
    let itself = match accepted.by {
        Some(by) => format!(
            "the key itself is valid ({} reads the file right)",
            names(by, reading)
        ),
        None => "the key itself is valid".to_string(),
    };
    let tail = outcome
        .http_status
        .map(|status| evidence(status, outcome.error_code.as_deref()))
        .unwrap_or_default();
    let message =
        format!("{itself}, but {who} {verb} {what} {how}, so the program's request fails{tail}");
    let fix = format!(
        "Write the value so that {who} {} it alone: {}",
        if reading.read_by.len() > 1 {
            "read"
        } else {
            "reads"
        },
        cure(sent, wanted)
    );
    let key = reading.request.key.as_str();
    let accepted_key = accepted.request.key.as_str();
    ProbeOutcome {
        message: sanitize(&sanitize(&message, key), accepted_key),
        fix: sanitize(&sanitize(&fix, key), accepted_key),
        ..outcome.clone()
    }
}

/// Who reads a reading, for messages: "docker --env-file", "Compose and a shell".
fn readers(reading: &FoundKey) -> String {
    names(&reading.read_by, reading)
}

fn names(consumers: &[Consumer], reading: &FoundKey) -> String {
    if consumers.is_empty() || consumers == [Consumer::YamlAsWritten] {
        return match &reading.service {
            Some(service) => format!("Compose (service {service})"),
            None => "the program".to_string(),
        };
    }
    join_names(consumers.iter().copied())
}

/// The key without what a loader may have left around it: whitespace (a `\r` included),
/// one pair of quotes, a `Bearer ` prefix.
#[must_use]
fn bare_key(sent: &str) -> &str {
    let trimmed = sent.trim();
    let unquoted = match (trimmed.chars().next(), trimmed.chars().next_back()) {
        (Some(first), Some(last))
            if trimmed.chars().count() >= 2
                && QUOTES.contains(&first)
                && QUOTES.contains(&last) =>
        {
            trimmed[first.len_utf8()..trimmed.len() - last.len_utf8()].trim()
        }
        _ => trimmed,
    };
    unquoted
        .strip_prefix("Bearer ")
        .map_or(unquoted, str::trim_start)
}

/// How the program's value differs from the accepted key, as "with its quotes",
/// "with a carriage return (\r) and whitespace around it", ….
fn difference(sent: &str, key: &str) -> String {
    let Some(at) = sent.find(key) else {
        return format!(
            "as another value ({} characters instead of {})",
            sent.chars().count(),
            key.chars().count()
        );
    };
    let before = &sent[..at];
    let after = &sent[at + key.len()..];
    let mut parts: Vec<String> = Vec::new();
    let before_rest = match before.trim().strip_suffix("Bearer") {
        Some(rest) => {
            parts.push("with a `Bearer ` prefix".to_string());
            rest
        }
        None => before,
    };
    let extra = format!("{before_rest}{after}");
    if extra.contains(['"', '\'', '`']) {
        parts.push("with its quotes".to_string());
    }
    if extra.contains(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        parts.push("with curly quotes".to_string());
    }
    if extra.contains('\r') {
        parts.push("with a carriage return (\\r)".to_string());
    }
    // Text after the key (a comment docker keeps) brings its own blanks.
    let other: String = after
        .trim()
        .trim_matches(QUOTES)
        .trim()
        .chars()
        .take(30)
        .collect();
    let blanks = if other.is_empty() {
        extra.as_str()
    } else {
        before_rest
    };
    if blanks.chars().any(|c| c.is_whitespace() && c != '\r') {
        parts.push("with whitespace around it".to_string());
    }
    if !other.is_empty() {
        parts.push(format!("with `{}` after it", for_display(&other)));
    }
    if parts.is_empty() {
        return "changed".to_string();
    }
    parts.join(" and ")
}

/// What to change in the file so that the program receives `key` instead of `sent`.
fn cure(sent: &str, key: &str) -> String {
    let how = difference(sent, key);
    let mut steps = Vec::new();
    if how.contains("quotes") {
        steps.push("remove the quotes around the value");
    }
    if how.contains("carriage return") {
        steps.push("save the file with LF line endings");
    }
    if how.contains("whitespace") {
        steps.push("remove the whitespace around the value");
    }
    if how.contains("Bearer") {
        steps.push("drop the `Bearer ` prefix (the SDK adds it)");
    }
    if how.contains("after it") {
        steps.push("put the comment or text after the key on its own line");
    }
    if steps.is_empty() {
        steps.push("write the key alone on the line, unquoted");
    }
    steps.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_keys() {
        assert_eq!(bare_key("\"sk-abc\""), "sk-abc");
        assert_eq!(bare_key("sk-abc\r"), "sk-abc");
        assert_eq!(bare_key(" 'sk-abc ' "), "sk-abc");
        assert_eq!(bare_key("\u{201c}sk-abc\u{201d}"), "sk-abc");
        assert_eq!(bare_key("Bearer sk-abc"), "sk-abc");
        assert_eq!(bare_key("\""), "\"");
        assert_eq!(bare_key("sk-abc"), "sk-abc");
    }

    #[test]
    fn differences_name_what_the_loader_kept() {
        assert_eq!(difference("\"sk-abc\"", "sk-abc"), "with its quotes");
        assert_eq!(
            difference("sk-abc\r", "sk-abc"),
            "with a carriage return (\\r)"
        );
        assert_eq!(difference(" sk-abc", "sk-abc"), "with whitespace around it");
        assert_eq!(
            difference("Bearer sk-abc", "sk-abc"),
            "with a `Bearer ` prefix"
        );
        assert_eq!(
            difference("sk-abc # old one", "sk-abc"),
            "with `# old one` after it"
        );
        assert_eq!(
            difference("\u{201c}sk-abc\u{201d}", "sk-abc"),
            "with curly quotes"
        );
        assert!(difference("sk-xyz", "sk-abc").starts_with("as another value"));
        assert_eq!(
            cure("\"sk-abc\"\r", "sk-abc"),
            "remove the quotes around the value, save the file with LF line endings"
        );
    }
}

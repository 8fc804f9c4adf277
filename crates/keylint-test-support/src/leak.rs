//! Scanning an output for windows of the secrets, and reporting what was found without
//! showing it.

use std::fmt;
use std::ops::Range;

use crate::LEAK_WINDOW;
use crate::secrets::{Secrets, shown_prefix};

/// How a secret appears in an output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Form {
    /// As written.
    Plain,
    /// Base64-encoded (as in a Kubernetes Secret's `data:`).
    Base64,
}

/// One window of a secret, as indexed for the scan.
#[derive(Clone, Debug)]
pub(crate) struct Needle {
    pub(crate) secret: usize,
    pub(crate) form: Form,
    /// Characters of the secret (plain) or bytes it encodes (base64).
    pub(crate) range: Range<usize>,
}

/// A place where an output shows part of a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    /// What the output was (a command, a file, "hover").
    pub label: String,
    /// Index into [`Secrets::values`].
    pub secret: usize,
    /// The secret masked: known prefix, `…`, last 4 characters, length.
    pub masked: String,
    pub form: Form,
    /// Characters of the secret shown (plain), or the secret's bytes it encodes (base64).
    pub secret_range: Range<usize>,
    /// Byte range of the leak in the output.
    pub output_range: Range<usize>,
    /// 1-based line and character column of the leak in the output.
    pub line: usize,
    pub column: usize,
    /// The output around the leak, every leaked span replaced by `⟨secret #N⟩`.
    pub context: String,
}

impl fmt::Display for Leak {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.form {
            Form::Plain => "characters",
            Form::Base64 => "bytes, base64-encoded,",
        };
        write!(
            formatter,
            "`{}` line {}, column {}: {what} {}..{} of secret #{} {}: \"{}\"",
            self.label,
            self.line,
            self.column,
            self.secret_range.start,
            self.secret_range.end,
            self.secret,
            self.masked,
            self.context
        )
    }
}

/// Characters of context shown on each side of a leak.
const CONTEXT: usize = 40;

pub(crate) fn scan(secrets: &Secrets, label: &str, output: &str) -> Vec<Leak> {
    let boundaries: Vec<usize> = output
        .char_indices()
        .map(|(at, _)| at)
        .chain([output.len()])
        .collect();
    // (secret, form, output bytes, secret range), in output order per secret and form.
    let mut hits: Vec<(usize, Form, Range<usize>, Range<usize>)> = Vec::new();
    for start in 0..boundaries.len().saturating_sub(LEAK_WINDOW) {
        let span = boundaries[start]..boundaries[start + LEAK_WINDOW];
        if let Some(needle) = secrets.needle(&output[span.clone()]) {
            hits.push((needle.secret, needle.form, span, needle.range.clone()));
        }
    }
    hits.sort_by_key(|(secret, form, span, _)| (*secret, *form, span.start));
    let mut merged: Vec<(usize, Form, Range<usize>, Range<usize>)> = Vec::new();
    for (secret, form, span, range) in hits {
        match merged.last_mut() {
            Some(last) if last.0 == secret && last.1 == form && span.start <= last.2.end => {
                last.2.end = last.2.end.max(span.end);
                last.3.start = last.3.start.min(range.start);
                last.3.end = last.3.end.max(range.end);
            }
            _ => merged.push((secret, form, span, range)),
        }
    }
    merged
        .iter()
        .map(|(secret, form, span, range)| {
            let before = &output[..span.start];
            Leak {
                label: label.to_string(),
                secret: *secret,
                masked: masked(secrets.value(*secret)),
                form: *form,
                secret_range: range.clone(),
                output_range: span.clone(),
                line: before.matches('\n').count() + 1,
                column: before
                    .rfind('\n')
                    .map_or(before, |newline| &before[newline + 1..])
                    .chars()
                    .count()
                    + 1,
                context: context(output, &boundaries, span, &merged),
            }
        })
        .collect()
}

/// The output around `span`, with every leaked span replaced, so the context shows no
/// window of any secret (those were all found and replaced) and control characters
/// escaped.
fn context(
    output: &str,
    boundaries: &[usize],
    span: &Range<usize>,
    leaks: &[(usize, Form, Range<usize>, Range<usize>)],
) -> String {
    let first = boundaries.partition_point(|&at| at < span.start);
    let last = boundaries.partition_point(|&at| at < span.end);
    let from = boundaries[first.saturating_sub(CONTEXT)];
    let to = boundaries[(last + CONTEXT).min(boundaries.len() - 1)];
    let mut shown = String::new();
    let mut at = from;
    while at < to {
        if let Some((secret, ..)) = leaks
            .iter()
            .find(|(_, _, leaked, _)| leaked.start <= at && at < leaked.end)
        {
            shown.push_str(&format!("⟨secret #{secret}⟩"));
            at = leaks
                .iter()
                .filter(|(_, _, leaked, _)| leaked.start <= at && at < leaked.end)
                .map(|(_, _, leaked, _)| leaked.end)
                .max()
                .unwrap_or(to);
            continue;
        }
        let character = output[at..].chars().next().expect("at is a boundary");
        if character.is_control() {
            shown.extend(character.escape_debug());
        } else {
            shown.push(character);
        }
        at += character.len_utf8();
    }
    shown
}

/// The secret as a mask shows it: known prefix, `…`, last 4 characters and length, or only
/// the length when that would hide fewer than 8 characters.
fn masked(value: &str) -> String {
    let length = value.chars().count();
    let prefix = shown_prefix(value);
    let prefix_chars = prefix.chars().count();
    if length < prefix_chars + 4 + 8 {
        return format!("({length} chars)");
    }
    let tail: String = value.chars().skip(length - 4).collect();
    format!("{prefix}…{} ({length} chars)", tail.escape_debug())
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use crate::Secrets;

    const KEY: &str = "sk-ant-api03-Zx9Cv8Bn7Mq6Wr5Et4Yu3Io2Pa1Sd0Fg9Hj8Kl7Zx6Cv5Bn4Mq3Wr2Et1Yu0Io9Pa8Sd7Fg6Hj5Kl4Zx3Cv2Bn1Mq0Wr9Et8Yu7Io6PAA";

    fn secrets() -> Secrets {
        Secrets::new([KEY])
    }

    #[test]
    fn the_mask_and_the_prefix_are_no_leak() {
        let shown = "ANTHROPIC_API_KEY=sk-ant-api03-…6PAA (118 chars), a key of kind sk-ant-api03-";
        assert!(secrets().leaks("message", shown).is_empty());
    }

    #[test]
    fn any_twelve_characters_are_a_leak_wherever_they_start() {
        for start in 0..=KEY.len() - 12 {
            let window = &KEY[start..start + 12];
            let leaks = secrets().leaks("out", &format!("x {window} y"));
            let inside_prefix = start + 12 <= "sk-ant-api03-".len();
            assert_eq!(
                leaks.len(),
                usize::from(!inside_prefix),
                "window at {start}"
            );
        }
        assert!(
            secrets().leaks("out", &KEY[30..41]).is_empty(),
            "11 characters"
        );
    }

    #[test]
    fn the_part_before_the_last_hyphen_is_checked_too() {
        let leaks = secrets().leaks("out", &format!("value: {}…", &KEY[..60]));
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].secret_range, 2..60, "1..13 is inside the prefix");
        assert_eq!((leaks[0].line, leaks[0].column), (1, 10));
    }

    #[test]
    fn the_base64_form_is_a_leak_at_any_alignment() {
        for padding in ["", "x", "xy"] {
            let encoded = STANDARD.encode(format!("{padding}{KEY}\n"));
            let leaks = secrets().leaks("secret data", &format!("data: {encoded}"));
            assert_eq!(leaks.len(), 1, "{padding:?}");
            assert_eq!(leaks[0].form, crate::Form::Base64);
            let piece = &encoded[40..52];
            assert_eq!(secrets().leaks("piece", piece).len(), 1, "{padding:?}");
        }
        let prefix_only = STANDARD.encode("sk-ant-api03-");
        assert!(secrets().leaks("prefix", &prefix_only[..12]).is_empty());
    }

    #[test]
    fn the_report_shows_no_secret() {
        let output = format!(
            "line one\nOPENAI_API_KEY={KEY} and again {}\n",
            &KEY[13..40]
        );
        let leaks = secrets().leaks("lint --format json", &output);
        assert_eq!(leaks.len(), 2);
        let report: String = leaks.iter().map(ToString::to_string).collect();
        assert!(report.contains("secret #0 sk-ant-api03-…6PAA (118 chars)"));
        assert!(report.contains("OPENAI_API_KEY=sk⟨secret #0⟩ and again ⟨secret #0⟩\\n"));
        assert!(
            secrets().leaks("report", &report).is_empty(),
            "the report leaks: {report}"
        );
    }

    #[test]
    #[should_panic(expected = "no secret to look for")]
    fn a_check_with_no_secret_fails() {
        Secrets::in_text("OPENAI_API_KEY=sk-proj-short\n").assert_no_leak("out", "anything");
    }
}

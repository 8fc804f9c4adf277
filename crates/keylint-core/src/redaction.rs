//! Masking a whole file for display (human context lines, `--diff`): the value of every
//! assignment that is or may be a secret, and every secret-shaped token elsewhere
//! (comments included), are replaced by their masks, and positions inside the text are
//! mapped so annotations still point at the right place. What counts as secret is
//! [`crate::mask`]'s judgement, the same as for every other output.

use std::ops::Range;

use crate::assignment::ParsedFile;
use crate::mask::{
    escape_invisible, is_invisible, is_secret_name, is_secret_value, mask_body, secret_ranges,
};
use crate::source::FileKind;

#[derive(Clone, Debug)]
pub struct Redacted {
    pub text: String,
    /// (original range, redacted range) of each replaced region, in order.
    regions: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    /// Maps an offset of the original text into the redacted text.
    #[must_use]
    pub fn map(&self, offset: usize, is_end: bool) -> usize {
        // Regions are in order and do not overlap: the last one starting before `offset`
        // either holds it or decides the shift.
        let before = self
            .regions
            .partition_point(|(original, _)| original.start < offset);
        let Some((original, redacted)) = before.checked_sub(1).map(|last| &self.regions[last])
        else {
            return offset;
        };
        if offset < original.end {
            return if is_end { redacted.end } else { redacted.start };
        }
        (offset as isize + redacted.end as isize - original.end as isize) as usize
    }
}

/// Whether an assignment's value is masked in a displayed file: its name or its content
/// says secret, or it is long enough to be one (a copy of a key under any name).
fn is_secret_assignment(name: &str, value: &str) -> bool {
    let bare = value.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
    });
    !bare.is_empty()
        && !bare.starts_with("${")
        && (is_secret_name(name) || is_secret_value(bare) || bare.len() >= 24)
}

/// `text` with every secret masked (prefix + `…` + last 4).
#[must_use]
pub fn redact_file(text: &str, kind: FileKind) -> Redacted {
    redact_secrets(text, &secret_ranges_in_file(text, kind))
}

/// `text` with `secrets`, what [`secret_ranges_in_parsed`] judged secret in it, masked as
/// [`redact_file`] masks them.
#[must_use]
pub fn redact_secrets(text: &str, secrets: &[Range<usize>]) -> Redacted {
    redact_with(text, secrets, |inner| {
        mask_body(inner.trim_end_matches(['\r', '\n'])).unwrap_or_else(|| "…".to_string())
    })
}

/// Every secret replaced by `<secret>`, with nothing of it kept (not even its last
/// characters or length): text that identifies a line without depending on the key, for
/// SARIF fingerprints.
#[must_use]
pub fn redact_file_fully(text: &str, kind: FileKind) -> Redacted {
    redact_with(text, &secret_ranges_in_file(text, kind), |_| {
        "<secret>".to_string()
    })
}

/// The byte ranges of `text` that a displayed file masks (sorted, not overlapping): the
/// value of every assignment that is or may be a secret, and every secret-shaped token.
#[must_use]
pub fn secret_ranges_in_file(text: &str, kind: FileKind) -> Vec<Range<usize>> {
    secret_ranges_in_parsed(text, &ParsedFile::parse(kind, text))
}

/// [`secret_ranges_in_file`] on a parse of `text` the caller already has (the lint's).
#[must_use]
pub fn secret_ranges_in_parsed(text: &str, parsed: &ParsedFile) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = parsed
        .assignments
        .iter()
        .filter(|assignment| {
            is_secret_assignment(&assignment.name, &text[assignment.value_range.clone()])
        })
        .map(|assignment| assignment.value_range.clone())
        .collect();
    ranges.extend(secret_ranges(text));
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn redact_with(text: &str, secrets: &[Range<usize>], mask: impl Fn(&str) -> String) -> Redacted {
    let mut replacements: Vec<(Range<usize>, String)> = Vec::with_capacity(secrets.len());
    let mut gap_start = 0;
    for range in secrets.iter().cloned() {
        invisible_characters(text, gap_start..range.start, &mut replacements);
        let secret = &text[range.clone()];
        // Keep quotes and line structure visible (a block scalar's value ends with its
        // line break); mask what is between.
        let lead = secret.len() - secret.trim_start_matches(['"', '\'', ' ']).len();
        let trail = secret.len() - secret.trim_end_matches(['"', '\'', ' ', '\r', '\n']).len();
        let inner = &secret[lead..secret.len().saturating_sub(trail).max(lead)];
        let close = &secret[secret.len() - trail.min(secret.len() - lead)..];
        replacements.push((
            range.clone(),
            format!("{}{}{close}", &secret[..lead], mask(inner)),
        ));
        gap_start = range.end;
    }
    invisible_characters(text, gap_start..text.len(), &mut replacements);
    let mut out = String::with_capacity(text.len());
    let mut regions = Vec::with_capacity(replacements.len());
    let mut last = 0;
    for (range, replacement) in replacements {
        out.push_str(&text[last..range.start]);
        let start = out.len();
        out.push_str(&replacement);
        regions.push((range.clone(), start..out.len()));
        last = range.end;
    }
    out.push_str(&text[last..]);
    Redacted { text: out, regions }
}

/// Control and invisible characters in `text[within]` (not tabs or line breaks) made
/// visible (`<U+200B>`, `<U+001B>`): a displayed line must not hide a character or drive
/// the terminal.
fn invisible_characters(
    text: &str,
    within: Range<usize>,
    replacements: &mut Vec<(Range<usize>, String)>,
) {
    let part = &text[within.clone()];
    if part.is_ascii()
        && !part
            .bytes()
            .any(|byte| byte.is_ascii_control() && !matches!(byte, b'\t' | b'\n' | b'\r'))
    {
        return;
    }
    for (offset, character) in part.char_indices() {
        if is_invisible(character) && !matches!(character, '\t' | '\n' | '\r') {
            let start = within.start + offset;
            replacements.push((
                start..start + character.len_utf8(),
                escape_invisible(&character.to_string()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_and_maps_offsets() {
        let key = format!("sk-proj-{}", "Ab1".repeat(50));
        let text = format!("# c\nOPENAI_API_KEY=\"{key}\"\nX=1\n");
        let redacted = redact_file(&text, FileKind::EnvFile);
        keylint_test_support::Secrets::new([&key]).assert_no_leak("redacted", &redacted.text);
        assert!(redacted.text.contains("OPENAI_API_KEY=\"sk-proj-…"));
        let x = text.find("X=1").unwrap();
        assert_eq!(&redacted.text[redacted.map(x, false)..][..3], "X=1");
    }

    #[test]
    fn shows_invisible_characters_and_masks_keys_hidden_in_other_values() {
        let key = format!("sk-proj-{}", "Ab1".repeat(50));
        let text = format!("A=\"open\nOPENAI_API_KEY={key}\n# {key}\nB=x\u{200b}\u{1b}[2J\n");
        let redacted = redact_file(&text, FileKind::EnvFile);
        keylint_test_support::Secrets::new([&key]).assert_no_leak("redacted", &redacted.text);
        assert!(
            redacted.text.contains("B=x<U+200B><U+001B>[2J"),
            "{}",
            redacted.text
        );
        let b = text.find("B=").unwrap();
        assert_eq!(&redacted.text[redacted.map(b, false)..][..2], "B=");
    }

    #[test]
    fn a_masked_block_scalar_keeps_its_line_break() {
        let key = format!("sk-ant-api03-{}AA", "Zx9Cv8Bn7".repeat(10));
        let text = format!(
            "env:\n  - name: ANTHROPIC_API_KEY\n    value: |\n      {key}\n  - name: NEXT\n    value: x\n"
        );
        let redacted = redact_file(&text, FileKind::OtherYaml);
        keylint_test_support::Secrets::new([&key]).assert_no_leak("redacted", &redacted.text);
        assert_eq!(
            redacted.text.lines().count(),
            text.lines().count(),
            "{}",
            redacted.text
        );
        assert!(
            redacted.text.contains("\n  - name: NEXT\n"),
            "{}",
            redacted.text
        );
    }
}

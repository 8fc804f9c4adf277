//! Masking secrets in source text before it is shown (human context lines, `--diff`).
//! Every value that is or may be a key is replaced by its mask, and positions inside the
//! text are mapped so annotations still point at the right place.

use std::ops::Range;
use std::sync::LazyLock;

use keylint_core::assignment::ParsedFile;
use keylint_core::mask::mask_body;
use keylint_core::provider::key_shape;
use keylint_core::rules::is_key_name;
use keylint_core::source::FileKind;
use regex::Regex;

/// Key-shaped tokens anywhere (comments included). ASCII-only classes (`(?-u)`): keys are
/// ASCII, and Unicode `\b`/`\s` make the regex engine leave its fast DFA on any file with
/// a non-ASCII character (this regex was a third of a 100-file run).
static KEY_TOKENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)(?:sk-|AIza|gsk_|xai-|Bearer\s+)[A-Za-z0-9_\-]{8,}|\b[0-9a-fA-F]{32}\b|[A-Za-z0-9+/_\-]{40,}={0,2}").expect("token pattern is valid")
});

pub struct Redacted {
    pub text: String,
    /// (original range, redacted range) of each replaced region, in order.
    regions: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    /// Maps an offset of the original text into the redacted text.
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

fn is_secret_value(name: &str, value: &str) -> bool {
    let bare = value.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
    });
    !bare.is_empty()
        && !bare.starts_with("${")
        && (is_key_name(name) || key_shape(bare).is_some() || bare.len() >= 24)
}

pub fn redact(text: &str, kind: FileKind) -> Redacted {
    redact_with(text, kind, |inner| {
        mask_body(inner.trim_end_matches(['\r', '\n'])).unwrap_or_else(|| "…".to_string())
    })
}

/// Every secret replaced by `<secret>`, with nothing of it kept (not even its last
/// characters or length): text that identifies a line without depending on the key, for
/// SARIF fingerprints.
pub fn redact_fully(text: &str, kind: FileKind) -> Redacted {
    redact_with(text, kind, |_| "<secret>".to_string())
}

fn redact_with(text: &str, kind: FileKind, mask: impl Fn(&str) -> String) -> Redacted {
    let parsed = ParsedFile::parse(kind, text);
    let mut ranges: Vec<Range<usize>> = parsed
        .assignments
        .iter()
        .filter(|assignment| {
            is_secret_value(&assignment.name, &text[assignment.value_range.clone()])
        })
        .map(|assignment| assignment.value_range.clone())
        .collect();
    ranges.extend(KEY_TOKENS.find_iter(text).map(|token| token.range()));
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut regions = Vec::new();
    let mut last = 0;
    for range in merged {
        out.push_str(&text[last..range.start]);
        let start = out.len();
        let secret = &text[range.clone()];
        // Keep quotes and line structure visible; mask what is between.
        let lead = secret.len() - secret.trim_start_matches(['"', '\'', ' ']).len();
        let trail = secret.len() - secret.trim_end_matches(['"', '\'', ' ']).len();
        let inner = &secret[lead..secret.len().saturating_sub(trail).max(lead)];
        out.push_str(&secret[..lead]);
        out.push_str(&mask(inner));
        out.push_str(&secret[secret.len() - trail.min(secret.len() - lead)..]);
        regions.push((range.clone(), start..out.len()));
        last = range.end;
    }
    out.push_str(&text[last..]);
    Redacted { text: out, regions }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_and_maps_offsets() {
        let key = format!("sk-proj-{}", "Ab1".repeat(50));
        let text = format!("# c\nOPENAI_API_KEY=\"{key}\"\nX=1\n");
        let redacted = redact(&text, FileKind::EnvFile);
        keylint_test_support::Secrets::new([&key]).assert_no_leak("redacted", &redacted.text);
        assert!(redacted.text.contains("OPENAI_API_KEY=\"sk-proj-…"));
        let x = text.find("X=1").unwrap();
        assert_eq!(&redacted.text[redacted.map(x, false)..][..3], "X=1");
    }
}

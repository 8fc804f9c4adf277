//! Masking a file for display (human context lines, `--diff`): the value of every
//! assignment that is or may be a secret, and every secret-shaped token elsewhere
//! (comments included), are replaced by their masks, and positions inside the text are
//! mapped so annotations still point at the right place. What counts as secret is
//! [`crate::mask`]'s judgement, the same as for every other output.
//!
//! A [`Masking`] judges either the whole file or only the lines a display shows. The two
//! agree on every shown line because everything [`secret_ranges`](crate::mask::secret_ranges)
//! finds stops at a line break (its tokens, patterns and `NAME=value` scan never cross one,
//! and the start of a line is a word boundary as the start of a text is), and because a
//! shown part grows to the whole lines of every secret value that reaches into it (a
//! value's mask shows its end, so it is masked whole). A property test compares the two.

use std::ops::{Range, RangeInclusive};

use crate::assignment::ParsedFile;
use crate::helpers::{plain_run, trim_wrapping};
use crate::line_index::LineIndex;
use crate::mask::{
    escape_invisible, is_invisible, is_secret_name, is_secret_value, push_mask_body,
    secret_ranges_besides,
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
        self.map_after(before, offset, is_end)
    }

    /// [`Redacted::map`] for offsets from `from` on, in any order: the regions are searched
    /// once for `from`, then only those between it and each offset (a finding maps a few
    /// offsets on its lines).
    pub fn map_from(&self, from: usize) -> impl Fn(usize, bool) -> usize + '_ {
        let first = self
            .regions
            .partition_point(|(original, _)| original.start < from);
        move |offset, is_end| {
            if offset < from {
                return self.map(offset, is_end);
            }
            let before = first
                + self.regions[first..]
                    .iter()
                    .take_while(|(original, _)| original.start < offset)
                    .count();
            self.map_after(before, offset, is_end)
        }
    }

    /// [`Redacted::map`] of `offset`, after the `before` regions that start before it.
    fn map_after(&self, before: usize, offset: usize, is_end: bool) -> usize {
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
    let bare = trim_wrapping(value, |character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
    });
    !bare.is_empty()
        && !bare.starts_with("${")
        // The length first: it answers for most keys without reading them.
        && (bare.len() >= 24 || is_secret_name(name) || is_secret_value(bare))
}

/// `text` with every secret masked (prefix + `…` + last 4).
#[must_use]
pub fn redact_file(text: &str, kind: FileKind) -> Redacted {
    Masking::of_file(text, kind).redact(text)
}

/// Every secret replaced by `<secret>`, with nothing of it kept (not even its last
/// characters or length): text that identifies a line without depending on the key, for
/// SARIF fingerprints.
#[must_use]
pub fn redact_file_fully(text: &str, kind: FileKind) -> Redacted {
    Masking::of_file(text, kind).redact_fully(text)
}

/// The byte ranges of `text` that a displayed file masks (sorted, not overlapping): the
/// value of every assignment that is or may be a secret, and every secret-shaped token.
#[must_use]
pub fn secret_ranges_in_file(text: &str, kind: FileKind) -> Vec<Range<usize>> {
    Masking::of_file(text, kind).secrets
}

/// What a display masks in the parts of a text it shows.
#[derive(Clone, Debug)]
pub struct Masking {
    /// The shown parts: whole lines, sorted and apart; a secret value that reaches into
    /// one lies in it whole.
    shown: Vec<Range<usize>>,
    /// What is secret in the shown parts (sorted, not overlapping).
    secrets: Vec<Range<usize>>,
}

impl Masking {
    /// The whole of `text`, read as `kind`.
    #[must_use]
    pub fn of_file(text: &str, kind: FileKind) -> Masking {
        // The one part is the whole text, which holds every value: it never grows.
        Masking::judge(
            text,
            &ParsedFile::parse(kind, text),
            std::iter::once(0..text.len()).collect(),
            |_| 0..text.len(),
        )
    }

    /// The `lines` of `index` (0-based, inclusive) of `text`, judged on a parse the caller
    /// already has (the lint's): what a display of those lines needs, without judging the
    /// rest of a big file.
    #[must_use]
    pub fn of_lines(
        text: &str,
        parsed: &ParsedFile,
        index: &LineIndex,
        lines: impl IntoIterator<Item = RangeInclusive<usize>>,
    ) -> Masking {
        let start_of = |line: usize| index.line_start(line).unwrap_or(text.len());
        let shown = lines
            .into_iter()
            .map(|lines| start_of(*lines.start())..start_of(lines.end() + 1))
            .collect();
        Masking::judge(text, parsed, shown, |value| {
            start_of(index.line_of(value.start))..start_of(index.line_of(value.end - 1) + 1)
        })
    }

    /// Judges the `shown` parts (whole lines each), grown by `whole_lines` (a value's
    /// lines) to hold every secret value that reaches into them.
    fn judge(
        text: &str,
        parsed: &ParsedFile,
        mut shown: Vec<Range<usize>>,
        whole_lines: impl Fn(&Range<usize>) -> Range<usize>,
    ) -> Masking {
        let mut secrets = Vec::new();
        loop {
            shown = merged(shown, true);
            secrets.clear();
            let mut reaching = Vec::new();
            for assignment in &parsed.assignments {
                let value = &assignment.value_range;
                let part = shown.partition_point(|part| part.end <= value.start);
                let Some(part) = shown.get(part).filter(|part| part.start < value.end) else {
                    continue;
                };
                if !is_secret_assignment(&assignment.name, &text[value.clone()]) {
                    continue;
                }
                if value.start < part.start || part.end < value.end {
                    reaching.push(whole_lines(value));
                }
                secrets.push(value.clone());
            }
            if reaching.is_empty() {
                break;
            }
            shown.extend(reaching);
        }
        // The values are masked whole, so the tokens in them need not be looked for.
        let values = merged(secrets, false);
        let mut secrets = values.clone();
        let mut masked = Vec::new();
        for part in &shown {
            masked.clear();
            let first = values.partition_point(|value| value.end <= part.start);
            masked.extend(
                values[first..]
                    .iter()
                    .take_while(|value| value.start < part.end)
                    .map(|value| {
                        value.start.max(part.start) - part.start
                            ..value.end.min(part.end) - part.start
                    }),
            );
            secrets.extend(
                secret_ranges_besides(&text[part.clone()], &masked)
                    .into_iter()
                    .map(|range| range.start + part.start..range.end + part.start),
            );
        }
        Masking {
            secrets: merged(secrets, false),
            shown,
        }
    }

    /// Whether `range` of the text lies in a shown part.
    #[must_use]
    pub fn shows(&self, range: &Range<usize>) -> bool {
        let part = self.shown.partition_point(|part| part.end < range.end);
        self.shown
            .get(part)
            .is_some_and(|part| part.start <= range.start)
    }

    /// The shown parts with every secret masked (prefix + `…` + last 4); the rest of the
    /// text is left out, and offsets in it map to where it would be.
    #[must_use]
    pub fn redact(&self, text: &str) -> Redacted {
        self.redact_with(text, |out, inner| {
            if !push_mask_body(out, inner.trim_end_matches(['\r', '\n'])) {
                out.push('…');
            }
        })
    }

    /// The shown parts with every secret replaced by `<secret>`, nothing of it kept (not
    /// even its last characters or length).
    #[must_use]
    pub fn redact_fully(&self, text: &str) -> Redacted {
        self.redact_with(text, |out, _| out.push_str("<secret>"))
    }

    /// The shown parts, each secret's inner part replaced by what `mask` appends, written
    /// into one text as the parts are walked.
    fn redact_with(&self, text: &str, mask: impl Fn(&mut String, &str)) -> Redacted {
        let shown_length: usize = self.shown.iter().map(ExactSizeIterator::len).sum();
        let mut out = Redacted {
            text: String::with_capacity(shown_length + 16 * self.secrets.len()),
            regions: Vec::with_capacity(self.secrets.len() + 2 * self.shown.len()),
        };
        let mut secrets = self.secrets.iter().peekable();
        let mut shown_end = 0;
        for part in &self.shown {
            if shown_end < part.start {
                out.left_out(shown_end..part.start);
            }
            let mut gap_start = part.start;
            while let Some(range) = secrets.next_if(|range| range.start < part.end) {
                out.push_visible(text, gap_start..range.start);
                let secret = &text[range.clone()];
                // Keep quotes and line structure visible (a block scalar's value ends with
                // its line break); mask what is between.
                let lead = secret.len() - secret.trim_start_matches(['"', '\'', ' ']).len();
                let trail =
                    secret.len() - secret.trim_end_matches(['"', '\'', ' ', '\r', '\n']).len();
                let inner = &secret[lead..secret.len().saturating_sub(trail).max(lead)];
                let close = &secret[secret.len() - trail.min(secret.len() - lead)..];
                let start = out.text.len();
                out.text.push_str(&secret[..lead]);
                mask(&mut out.text, inner);
                out.text.push_str(close);
                out.regions.push((range.clone(), start..out.text.len()));
                gap_start = range.end;
            }
            out.push_visible(text, gap_start..part.end);
            shown_end = part.end;
        }
        if shown_end < text.len() {
            out.left_out(shown_end..text.len());
        }
        out
    }
}

impl Redacted {
    /// Records `range` of the original text as left out.
    fn left_out(&mut self, range: Range<usize>) {
        let at = self.text.len();
        self.regions.push((range, at..at));
    }

    /// Appends `text[within]` with its control and invisible characters (not tabs or line
    /// breaks) made visible (`<U+200B>`, `<U+001B>`): a displayed line must not hide a
    /// character or drive the terminal.
    fn push_visible(&mut self, text: &str, within: Range<usize>) {
        let part = &text[within.clone()];
        // Printable ASCII, tabs and line breaks: nearly every part, copied as it is.
        let is_plain = |byte: u8| {
            (byte.wrapping_sub(b' ') <= b'~' - b' ')
                | (byte == b'\t')
                | (byte == b'\n')
                | (byte == b'\r')
        };
        if plain_run(part.as_bytes(), is_plain) == part.len() {
            self.text.push_str(part);
            return;
        }
        let mut kept = 0;
        for (offset, character) in part.char_indices() {
            if is_invisible(character) && !matches!(character, '\t' | '\n' | '\r') {
                self.text.push_str(&part[kept..offset]);
                let start = self.text.len();
                kept = offset + character.len_utf8();
                self.text.push_str(&escape_invisible(&part[offset..kept]));
                self.regions.push((
                    within.start + offset..within.start + kept,
                    start..self.text.len(),
                ));
            }
        }
        self.text.push_str(&part[kept..]);
    }
}

/// `ranges` sorted and merged where they overlap (or, with `touching`, also meet).
fn merged(mut ranges: Vec<Range<usize>>, touching: bool) -> Vec<Range<usize>> {
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end || (touching && range.start == last.end) => {
                last.end = last.end.max(range.end);
            }
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::secret_ranges;
    use proptest::prelude::*;

    /// Texts of secret shapes that meet and overlap.
    fn secret_shaped_texts() -> impl Strategy<Value = String> {
        let pieces = vec![
            "sk-proj-Ab3dE6gH9kL2mN5pQr",
            "AIzaSyB7nM3qW9eR5tY1uI8oP4",
            "x9Qa",
            "0123456789abcdef0123456789abcdef",
            "Zx9Cv8Bn7Mq2Wp4",
            "OPENAI_API_KEY",
            "TOKEN",
            "_",
            "-",
            "=",
            " = ",
            "\"",
            "'",
            "`",
            " ",
            "\t",
            "\n",
            "\r",
            "https://",
            "://",
            "u:",
            "p@",
            "@",
            ":",
            "/",
            "?key=",
            "&token=",
            ";",
            "#",
            "Bearer ",
            "bearer\t",
            ".",
            "~",
            "+",
            "$",
            "${",
            "(",
            "…",
            "é",
            "\u{a0}",
        ];
        prop::collection::vec(prop::sample::select(pieces), 0..24)
            .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Leaving out the tokens that lie in ranges masked anyway changes nothing once the
        /// ranges are merged with those, whatever the masked ranges.
        #[test]
        fn tokens_in_masked_ranges_change_nothing(
            text in secret_shaped_texts(),
            cuts in prop::collection::vec((0.0..1.0, 0usize..60), 0..8),
        ) {
            let masked = merged(
                cuts.into_iter()
                    .map(|(start, length): (f64, usize)| {
                        let start = (start * text.len() as f64) as usize;
                        start..(start + length).min(text.len())
                    })
                    .filter(|range| !range.is_empty())
                    .collect(),
                false,
            );
            let all = merged(masked.iter().cloned().chain(secret_ranges(&text)).collect(), false);
            let besides = merged(
                masked.iter().cloned().chain(secret_ranges_besides(&text, &masked)).collect(),
                false,
            );
            prop_assert_eq!(besides, all, "{:?}", text);
        }
    }

    /// Offsets mapped from a start are mapped as one at a time.
    #[test]
    fn offsets_mapped_from_a_start_are_mapped_alone() {
        let key = format!("sk-proj-{}", "Ab1".repeat(50));
        let text = format!("# c\nA=\"{key}\"\nX=1 {key}\u{200b}\nB=\"{key}\"\nC=2\n");
        let index = LineIndex::new(&text);
        let parsed = ParsedFile::parse(FileKind::EnvFile, &text);
        for masking in [
            Masking::of_file(&text, FileKind::EnvFile),
            Masking::of_lines(&text, &parsed, &index, [1..=2]),
        ] {
            let redacted = masking.redact(&text);
            for from in 0..=text.len() {
                let map = redacted.map_from(from);
                for offset in 0..=text.len() {
                    for is_end in [false, true] {
                        assert_eq!(map(offset, is_end), redacted.map(offset, is_end));
                    }
                }
            }
        }
    }

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

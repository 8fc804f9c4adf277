//! node `dotenv` 18 `parse()` (docs/loaders.md; run), following its `lib/main.js`: line
//! endings are normalised to `\n`, then one multi-line regular expression finds the
//! statements. Any `#` in an unquoted value starts a comment, backticks quote, and in
//! double quotes only `\n` and `\r` are expanded. No interpolation.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{DroppedCr, Entry, OutcomeOf, Reading};
use crate::syntax::simple_line::{self, SimpleLines};

/// JavaScript's `\s`: Unicode white space plus U+FEFF (so a BOM is skipped).
const JS_SPACE: &str = r"[\t\n\x0B\x0C\r \u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}]";

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    // The LINE regex of dotenv's lib/main.js, with `\s` spelled out as JavaScript reads it
    // and `\w` as ASCII.
    let pattern = r#"(?m)(?:^)S*(?:export\s+)?([A-Za-z0-9_.-]+)(?:S*=S*?|:S+?)(S*'(?:\\'|[^'])*'|S*"(?:\\"|[^"])*"|S*`(?:\\`|[^`])*`|[^#\r\n]+)?S*(?:#[^\n]*)?$"#
        .replace("S", JS_SPACE)
        .replace(r"\s", JS_SPACE);
    Regex::new(&pattern).expect("node dotenv LINE pattern is valid")
});

fn is_js_space(character: char) -> bool {
    character.is_whitespace() || character == '\u{feff}'
}

/// Reads `text` with its line endings made `\n` (`lines.replace(/\r\n?/mg, '\n')`);
/// `dropped` leads back to the original's offsets.
pub(super) fn load<'t>(
    text: &'t str,
    simple_lines: &'t SimpleLines,
    dropped: &DroppedCr,
) -> Reading<'t> {
    let mut read = Reading::with_capacity(simple_lines.line_count());
    let mut simple_lines = simple_lines.cursor();
    // `while ((match = LINE.exec(lines)) != null)`, stepping over what LINE cannot start
    // with: every match starts at a line start (`^`), and never at a blank or `#` line.
    let mut position = 0;
    while position < text.len() {
        let line_start = simple_line::is_line_start(text, position);
        if text.as_bytes()[position] == b'\n' {
            position += 1;
            continue;
        }
        if line_start {
            if text.as_bytes()[position] == b'#' {
                position = text[position..]
                    .find('\n')
                    .map_or(text.len(), |index| position + index);
                continue;
            }
            // An empty value is left to LINE: its `\s*` may run on to a quote on a later line.
            if let Some(line) = simple_lines.at(position)
                && !line.value(text).is_empty()
            {
                read.push_plain(line);
                position = line.end();
                continue;
            }
            if let Some((name, raw, end)) = assignment_line(text, position) {
                read.entries.push(Entry {
                    name: name.into(),
                    at: dropped.original_offset(position),
                    outcome: OutcomeOf::Value(decode(raw)),
                });
                position = end;
                continue;
            }
        }
        let Some(captures) = LINE.captures_at(text, position) else {
            break;
        };
        let (name, at, raw, end) = read_match(&captures);
        read.entries.push(Entry {
            name: name.into(),
            at: dropped.original_offset(at),
            outcome: OutcomeOf::Value(decode(raw)),
        });
        // A match is never empty (it holds a name), so this always moves on.
        position = end;
    }
    read
}

/// What a LINE match reads: the name, where its statement starts (after the blanks LINE
/// skips), the raw value, and where the match ends.
fn read_match<'t>(captures: &regex::Captures<'t>) -> (&'t str, usize, &'t str, usize) {
    let whole = captures.get(0).expect("group 0 always matches");
    let at = whole.start()
        + whole
            .as_str()
            .find(|character: char| !is_js_space(character))
            .unwrap_or(0);
    let name = captures.get(1).expect("LINE captures a name").as_str();
    let raw = captures.get(2).map_or("", |value| value.as_str());
    (name, at, raw, whole.end())
}

/// A line LINE can read only one way, read without it (the regex engine costs about
/// 0.1 µs a byte on a long line, and far more when a quote runs on over later lines): at
/// a line start, `[export<blanks>]NAME[<blanks>]=` then a value with something besides
/// white space on the line. The blanks before `=` are LINE's `\s*`, and its lazy `\s*?`
/// after `=` takes nothing (the value group takes the blanks). A value starting with a
/// quote or backtick is read by [`closing_quote`] when that quote closes somewhere and
/// LINE can end after it; otherwise, and for any other value, `[^#\r\n]+` takes the
/// value up to a `#` or the line end, and the rest of LINE matches from there. Returns
/// the name, the raw value and where LINE's match ends.
fn assignment_line(text: &str, start: usize) -> Option<(&str, &str, usize)> {
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |index| start + index);
    let line = &text[start..line_end];
    let mut rest = line;
    if let Some(after) = line.strip_prefix("export") {
        let named = after.trim_start_matches([' ', '\t']);
        if named.len() < after.len() {
            rest = named;
        }
    }
    let name_length = rest.find(|character: char| {
        !(character.is_ascii_alphanumeric() || matches!(character, '_' | '.' | '-'))
    })?;
    let value = rest[name_length..]
        .trim_start_matches([' ', '\t'])
        .strip_prefix('=')?;
    let first = value.trim_start_matches(is_js_space);
    if name_length == 0 || first.is_empty() {
        return None;
    }
    let name = &rest[..name_length];
    // `value` and `first` end the line: offsets in the text follow from their lengths.
    let value_start = line_end - value.len();
    if let Some(quote) = first
        .bytes()
        .next()
        .filter(|byte| matches!(byte, b'\'' | b'"' | b'`'))
        && let Some(end) = closing_quote(text, line_end - first.len(), quote)
    {
        return Some((name, &text[value_start..end.value], end.line));
    }
    let raw = &value[..value.find('#').unwrap_or(value.len())];
    Some((name, raw, line_end))
}

/// Where a quoted alternative of LINE ends: after the value's closing quote, and after
/// the match.
struct QuotedEnd {
    value: usize,
    line: usize,
}

/// LINE's quoted alternative for the quote at `open`: `q(?:\\q|[^q])*q` then
/// `\s*(?:#[^\n]*)?$`, as the regex engine's leftmost-first order tries it. The body
/// first takes every `\q` as an escape, so the first closing candidate is the first `q`
/// with no backslash before it; each escaped `q` before it is a candidate too, tried
/// from the last (a backslash read as `[^q]` lets its `q` close). `None` when no
/// candidate lets the rest of LINE match: then `[^#\r\n]+` reads the value.
fn closing_quote(text: &str, open: usize, quote: u8) -> Option<QuotedEnd> {
    let bytes = text.as_bytes();
    let body = open + 1;
    let mut close = None;
    let mut from = body;
    while let Some(index) = memchr::memchr(quote, &bytes[from..]) {
        let at = from + index;
        close = Some(at);
        if at == body || bytes[at - 1] != b'\\' {
            break;
        }
        from = at + 1;
    }
    // Every `q` before the one found has a backslash before it.
    let mut close = close?;
    loop {
        if let Some(line) = rest_of_line_matches(text, close + 1) {
            return Some(QuotedEnd {
                value: close + 1,
                line,
            });
        }
        close = body + memchr::memrchr(quote, &bytes[body..close])?;
    }
}

/// Where `\s*(?:#[^\n]*)?$` (multi-line, `\s` as JavaScript reads it) matching at
/// `from` ends, if it matches: the greedy `\s*` runs over line breaks, then a comment
/// runs to its line end; else the match backs off to the last line break it ran over.
fn rest_of_line_matches(text: &str, from: usize) -> Option<usize> {
    let blanks_end = text[from..]
        .find(|character: char| !is_line_space(character))
        .map_or(text.len(), |index| from + index);
    match text.as_bytes().get(blanks_end) {
        None => Some(text.len()),
        Some(b'#') => Some(
            memchr::memchr(b'\n', &text.as_bytes()[blanks_end..])
                .map_or(text.len(), |index| blanks_end + index),
        ),
        Some(_) => {
            memchr::memrchr(b'\n', &text.as_bytes()[from..blanks_end]).map(|index| from + index)
        }
    }
}

/// A character of [`JS_SPACE`], the class LINE is written with (JavaScript's `\s`, which
/// unlike `char::is_whitespace` leaves out U+0085).
fn is_line_space(character: char) -> bool {
    character != '\u{85}' && is_js_space(character)
}

fn decode(raw: &str) -> Cow<'_, str> {
    let value = raw.trim_matches(is_js_space);
    let maybe_quote = value.chars().next();
    // value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2')
    let unquoted = match maybe_quote {
        Some(quote @ ('\'' | '"' | '`')) if value.len() >= 2 && value.ends_with(quote) => {
            &value[1..value.len() - 1]
        }
        _ => value,
    };
    if maybe_quote == Some('"') && unquoted.contains('\\') {
        Cow::Owned(unquoted.replace("\\n", "\n").replace("\\r", "\r"))
    } else {
        Cow::Borrowed(unquoted)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// dotenv's own loop: `while ((match = LINE.exec(lines)) != null)`, nothing skipped.
    fn by_line_regex(text: &str) -> Vec<(String, usize, String)> {
        let mut loaded = Vec::new();
        let mut position = 0;
        while let Some(captures) = LINE.captures_at(text, position) {
            let (name, at, raw, end) = read_match(&captures);
            loaded.push((name.to_string(), at, decode(raw).into_owned()));
            position = end;
        }
        loaded
    }

    fn line() -> impl Strategy<Value = String> {
        let name = prop_oneof!["[AB_][AB0-9_.-]{0,2}", Just("export".to_string())];
        let quoted = "['\"`][ a-z#'\"`\\\\$=]{0,5}['\"`]?";
        // An escaped quote at the end: LINE may close the value there or at a later quote.
        let escaped_end = "['\"`][a-z]{0,1}\\\\['\"`][a-z ]{0,1}";
        let value = prop_oneof![
            "[a-z0-9_.]{0,4}",
            quoted,
            "[a-z]{1,2}['\"`#][a-z]{0,2}",
            escaped_end
        ];
        let after = prop_oneof![
            Just(""),
            Just(" "),
            Just("\t"),
            Just("  # c 'q"),
            Just(" #"),
            Just("x"),
            Just(" \u{a0}"),
            Just("\u{85}"),
            Just(" \n\u{85} ")
        ];
        prop_oneof![
            8 => (prop_oneof![Just(""), Just("export "), Just(" ")], name, prop_oneof![Just("="), Just(" = "), Just(":")], value, after)
                .prop_map(|(export, name, equals, value, after)| format!("{export}{name}{equals}{value}{after}")),
            1 => Just(String::new()),
            1 => Just("  ".to_string()),
            1 => "#[ a-z'\"]{0,4}",
            1 => " #[ a-z'\"]{0,4}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The lines read without LINE are read as LINE reads them, in any company.
        #[test]
        fn shortcuts_read_as_line_does(lines in prop::collection::vec(line(), 0..8), last_newline in any::<bool>()) {
            let mut text = lines.join("\n");
            if last_newline {
                text.push('\n');
            }
            let simple_lines = SimpleLines::new(&text);
            let model: Vec<(String, usize, String)> = load(&text, &simple_lines, &DroppedCr::default())
                .into_entries(&text, &DroppedCr::default())
                .into_iter()
                .map(|entry| {
                    let value = entry.outcome.value().expect("node dotenv always gives a value").to_string();
                    (entry.name.into_owned(), entry.at, value)
                })
                .collect();
            prop_assert_eq!(model, by_line_regex(&text), "{:?}", text);
        }
    }
}

//! python-dotenv 1.2.4 `load_dotenv()` (docs/loaders.md; run), following its `parser.py`:
//! a statement is `[export ]KEY[ ]=[ ]VALUE[ # comment]`; unparsable statements are
//! skipped with a warning and the next line is read; values are then interpolated
//! (`${VAR}` and `${VAR:-default}` only, in every quote style).

use std::borrow::Cow;
use std::collections::HashSet;

use super::{
    ByName, DroppedCr, Entry, ExpansionBudget, OutcomeOf, Reading, bom_length, skip_space,
};
use crate::syntax::simple_line::{SimpleLine, SimpleLines};

/// Python's `\s` (str patterns): Unicode white space plus the separators U+001C–U+001F.
fn is_space(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

fn is_blank(character: char) -> bool {
    is_space(character) && character != '\r' && character != '\n'
}

struct Reader<'a> {
    text: &'a str,
    position: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.position..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_while(&mut self, predicate: impl Fn(char) -> bool) -> &str {
        let start = self.position;
        self.position = self
            .rest()
            .find(|character| !predicate(character))
            .map_or(self.text.len(), |index| start + index);
        &self.text[start..self.position]
    }

    /// Skips to the next `\r` or `\n` (or the end) and returns what it skipped.
    fn skip_line(&mut self) -> &str {
        let start = self.position;
        self.position = memchr::memchr2(b'\r', b'\n', self.rest().as_bytes())
            .map_or(self.text.len(), |index| start + index);
        &self.text[start..self.position]
    }

    /// `_end_of_line`: blanks then a line break or the end.
    fn end_of_line(&mut self) -> bool {
        self.skip_while(is_blank);
        let rest = self.rest();
        for ending in ["\r\n", "\n", "\r"] {
            if rest.starts_with(ending) {
                self.position += ending.len();
                return true;
            }
        }
        rest.is_empty()
    }

    /// `_rest_of_line`, used to skip a statement that did not parse.
    fn skip_rest_of_line(&mut self) {
        self.skip_line();
        let rest = self.rest();
        let ending = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(!rest.is_empty())
        };
        self.position += ending;
    }

    /// A quoted value (python-dotenv 1.2.4, `re.DOTALL`): `'((?:\\.|[^'\\])*)'` or
    /// `"((?:\\.|[^"\\])*)"`. A backslash always escapes the next character (so `\\"`
    /// ends the value), the value may run over lines, and with no closing quote the
    /// statement is an error.
    fn quoted(&mut self, quote: u8) -> Option<&str> {
        let start = self.position + 1;
        let bytes = self.text.as_bytes();
        let mut index = start;
        loop {
            // A quote left open runs on to the end of the file: jump between the bytes
            // that matter instead of walking it character by character.
            index += memchr::memchr2(quote, b'\\', &bytes[index..])?;
            if bytes[index] == quote {
                self.position = index + 1;
                return Some(&self.text[start..index]);
            }
            let escaped = self.text[index + 1..].chars().next()?;
            index += 1 + escaped.len_utf8();
        }
    }
}

enum Parsed<'t> {
    /// A simple line, read as every loader reads it.
    Plain(&'t SimpleLine),
    Binding {
        name: Cow<'t, str>,
        value: Option<Cow<'t, str>>,
    },
    Comment,
    Blank,
    Error,
}

/// Reads `text` with universal newlines (Python opens the file so: `\r\n` and `\r`
/// arrive as `\n`); `dropped` leads back to the original's offsets.
pub(super) fn load<'t>(
    text: &'t str,
    simple_lines: &'t SimpleLines,
    dropped: &DroppedCr,
) -> Reading<'t> {
    interpolate(text, statements(text, simple_lines, dropped), dropped)
}

/// The statements of the normalized `text`, each with its offset in the original.
fn statements<'t>(
    text: &'t str,
    simple_lines: &'t SimpleLines,
    dropped: &DroppedCr,
) -> Vec<(usize, Parsed<'t>)> {
    let mut raw: Vec<(usize, Parsed)> = Vec::with_capacity(simple_lines.line_count());
    let mut simple_lines = simple_lines.cursor();
    let text_start = bom_length(text);
    let mut reader = Reader {
        text,
        position: text_start,
    };
    while reader.position < text.len() {
        let mark = reader.position;
        if let Some(line) = simple_lines.at(mark) {
            raw.push((mark, Parsed::Plain(line)));
            reader.position = line.end();
            continue;
        }
        let at = skip_space(text, mark, is_space);
        let parsed = parse_binding(&mut reader);
        if matches!(parsed, Parsed::Error) {
            // `except Error: reader.read_regex(_rest_of_line)` from where parsing stopped:
            // a quoted value that ran over lines has swallowed them.
            reader.skip_rest_of_line();
        }
        raw.push((dropped.original_offset(at), parsed));
    }
    raw
}

fn parse_binding(reader: &mut Reader) -> Parsed<'static> {
    reader.skip_while(is_space);
    if reader.rest().is_empty() {
        return Parsed::Blank;
    }
    if let Some(after) = reader.rest().strip_prefix("export") {
        let blanks = after.len() - after.trim_start_matches(is_blank).len();
        if blanks > 0 {
            reader.position += "export".len() + blanks;
        }
    }
    let name = match reader.peek() {
        Some('#') => {
            reader.skip_line();
            return if reader.end_of_line() {
                Parsed::Comment
            } else {
                Parsed::Error
            };
        }
        Some('\'') => {
            let rest = &reader.rest()[1..];
            match rest.find('\'') {
                Some(0) | None => return Parsed::Error,
                Some(length) => {
                    let name = rest[..length].to_string();
                    reader.position += length + 2;
                    name
                }
            }
        }
        _ => {
            let name = reader.skip_while(|character| {
                character != '=' && character != '#' && !is_space(character)
            });
            if name.is_empty() {
                return Parsed::Error;
            }
            name.to_string()
        }
    };
    reader.skip_while(is_blank);
    let value = if reader.peek() == Some('=') {
        reader.position += 1;
        let spaced = !reader.skip_while(is_blank).is_empty();
        // `KEY= # comment`: with white space after `=`, a `#` starts a comment (1.2.4).
        if spaced && reader.peek() == Some('#') {
            return finish(reader, name, Some(String::new()));
        }
        match parse_value(reader) {
            Some(value) => Some(value),
            None => return Parsed::Error,
        }
    } else {
        None
    };
    finish(reader, name, value)
}

/// `_comment`, then `_end_of_line`.
fn finish(reader: &mut Reader, name: String, value: Option<String>) -> Parsed<'static> {
    let before_comment = reader.position;
    reader.skip_while(is_blank);
    if reader.peek() == Some('#') {
        reader.skip_line();
    } else {
        reader.position = before_comment;
    }
    if !reader.end_of_line() {
        return Parsed::Error;
    }
    Parsed::Binding {
        name: name.into(),
        value: value.map(Cow::Owned),
    }
}

fn parse_value(reader: &mut Reader) -> Option<String> {
    match reader.peek() {
        Some(quote @ ('\'' | '"')) => {
            let raw = reader.quoted(quote as u8)?;
            Some(if quote == '\'' {
                decode_single(raw)
            } else {
                decode_double(raw)
            })
        }
        None | Some('\r' | '\n') => Some(String::new()),
        Some(_) => Some(without_comment(reader.skip_line()).to_string()),
    }
}

/// An unquoted value: `re.sub(r"\s+#.*", "", part).rstrip()`, cut before the white space
/// in front of the first `#` that has some.
fn without_comment(part: &str) -> &str {
    let cut = memchr::memchr_iter(b'#', part.as_bytes())
        .map(|hash| (hash, part[..hash].trim_end_matches(is_space).len()))
        .find(|&(hash, spaces_start)| spaces_start < hash)
        .map_or(part.len(), |(_, spaces_start)| spaces_start);
    part[..cut].trim_end_matches(is_space)
}

/// `_single_quote_escapes`: only `\\` and `\'`.
fn decode_single(raw: &str) -> String {
    decode(raw, |escaped| {
        matches!(escaped, '\\' | '\'').then_some(escaped)
    })
}

/// `_double_quote_escapes`: `\\ \' \" \a \b \f \n \r \t \v`.
fn decode_double(raw: &str) -> String {
    decode(raw, |escaped| match escaped {
        '\\' | '\'' | '"' => Some(escaped),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        _ => None,
    })
}

/// Backslashes are rare: the text between them is copied whole.
fn decode(raw: &str, escape: impl Fn(char) -> Option<char>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(backslash) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..backslash]);
        let after = &rest[backslash + 1..];
        match after
            .chars()
            .next()
            .and_then(|next| Some((escape(next)?, next.len_utf8())))
        {
            Some((decoded, length)) => {
                out.push(decoded);
                rest = &after[length..];
            }
            // A backslash that escapes nothing is kept, and what follows it is read on.
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `resolve_variables` with an empty `os.environ`: `${NAME}` and `${NAME:-default}`
/// from earlier bindings, unset gives "".
fn interpolate<'t>(
    text: &'t str,
    raw: Vec<(usize, Parsed<'t>)>,
    dropped: &DroppedCr,
) -> Reading<'t> {
    let mut read = Reading::with_capacity(raw.len());
    // The dict so far.
    let mut dict = ByName::default();
    let budget = ExpansionBudget::default();
    let mut any_bare = false;
    for (at, parsed) in raw {
        let (name, outcome) = match parsed {
            // No `$` to copy on a simple line, and every copy is charged to the entry
            // that made it (`budget.outcome` below), so the budget has no say here.
            Parsed::Plain(line) => {
                read.push_plain(line);
                continue;
            }
            Parsed::Binding {
                name,
                value: Some(value),
            } => {
                let resolved = if has_reference(&value) {
                    Cow::Owned(resolve(&value, |wanted| {
                        budget.open()?;
                        // Unparsable statements are kept under an empty name: not bindings.
                        let value = dict
                            .get(&read, text, wanted)
                            .filter(|_| !wanted.is_empty())?;
                        // A bare `NAME` is kept as `None`, which `${NAME}` reads as "".
                        budget.copy(value.unwrap_or(""))
                    }))
                } else {
                    value
                };
                (name, budget.outcome(resolved))
            }
            Parsed::Binding { name, value: None } => {
                any_bare = true;
                let reason = "a name without `=` is not set by load_dotenv";
                (name, OutcomeOf::Absent(reason.into()))
            }
            Parsed::Error => {
                let reason = "python-dotenv cannot parse the statement, warns and skips it";
                (Cow::Borrowed(""), OutcomeOf::Absent(reason.into()))
            }
            Parsed::Comment | Parsed::Blank => continue,
        };
        read.entries.push(Entry { name, at, outcome });
    }
    if !any_bare {
        return read;
    }
    // The dict keeps the last binding of a name: when that is a bare `NAME`, the
    // earlier values never reach the program.
    let mut loaded = read.into_entries(text, dropped);
    let mut seen = HashSet::new();
    let replaced: Vec<Cow<str>> = loaded
        .iter()
        .rev()
        .filter(|entry| !entry.name.is_empty() && seen.insert(&*entry.name))
        .filter(|last| last.outcome.value().is_none())
        .map(|last| last.name.clone())
        .collect();
    for name in replaced {
        for entry in loaded.iter_mut().filter(|entry| entry.name == name) {
            if matches!(entry.outcome, OutcomeOf::Value(_)) {
                entry.outcome = OutcomeOf::Absent(
                    format!(
                        "a later `{name}` line without `=` replaces it with no value in python-dotenv"
                    )
                    .into(),
                );
            }
        }
    }
    loaded.into()
}

/// Whether `value` holds a `${`: most values hold no `$` at all, which `memchr` finds
/// out faster than a substring search.
fn has_reference(value: &str) -> bool {
    let bytes = value.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|dollar| bytes.get(dollar + 1) == Some(&b'{'))
}

/// `\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}`
fn resolve<'a>(value: &str, mut known: impl FnMut(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let inner_start = start + 2;
        let Some(close) = rest[inner_start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &rest[inner_start..inner_start + close];
        let (name, default) = match inner.find(':') {
            None => (inner, None),
            Some(colon) if inner[colon..].starts_with(":-") => {
                (&inner[..colon], Some(&inner[colon + 2..]))
            }
            Some(_) => {
                // Not a variable reference for python-dotenv: keep `${` and go on.
                out.push_str("${");
                rest = &rest[inner_start..];
                continue;
            }
        };
        // `env.get(name, default)`, and a `None` found becomes "".
        let found = known(name).or(default).unwrap_or("");
        out.push_str(found);
        rest = &rest[inner_start + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::without_comment;

    proptest! {
        /// Python's `re.sub(r"\s+#.*", "", part).rstrip()`, with `\s` as Python reads it.
        #[test]
        fn an_unquoted_value_loses_its_comment_as_python_cuts_it(part in "[a#= \t\u{a0}\u{1c}\u{3000}é]{0,10}") {
            let comment = regex::Regex::new(r"[\s\x1c-\x1f]+#.*").unwrap();
            let expected = comment.replace(&part, "");
            let expected = expected.trim_end_matches(|character: char| {
                character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
            });
            prop_assert_eq!(without_comment(&part), expected);
        }
    }
}

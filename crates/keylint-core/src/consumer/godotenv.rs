//! Go `github.com/joho/godotenv` 1.5.1 `Load()` / `Read()`, following its `parser.go`
//! (checked live against the library by `scripts/conformance.sh`):
//!
//! - `\r\n` becomes `\n` in the whole file first; a lone `\r` ends an unquoted value.
//! - A name runs to the first `=` or `:` (`KEY: v` and `KEY:v` are accepted) and is
//!   checked byte by byte: letters, digits, `_`, `.` and blanks; anything else, a line
//!   break (a bare `KEY`) or a BOM included, is an error.
//! - Any error fails the whole file: `Load` returns it and sets nothing from that file.
//! - An unquoted value ends at the line break and is cut at the *last* blank-then-`#`.
//! - A quoted value runs to the next quote not preceded by a backslash, over lines, and
//!   loses every quote character at either end; the rest of the line is read as the next
//!   statement. Double-quoted values expand `\n` and `\r` and drop other backslashes.
//! - `$NAME`, `${NAME}` (upper-case names only) in unquoted and double-quoted values are
//!   taken from earlier lines of the same file, never the process environment; unset gives
//!   "". `${NAME:-default}` is not a default: `${NAME` is replaced and `:-default}` stays.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{
    Entry, ExpansionBudget, Failure, NormalizedNewlines, OutcomeOf, Reading, Reason, is_go_space,
};
use crate::syntax::simple_line::{Cursor, SimpleLines};

/// The file's values so far, for `$NAME`: godotenv looks names up in its own map.
type Values<'t> = HashMap<Cow<'t, str>, Cow<'t, str>>;

pub(super) fn load<'t>(original: &'t str, simple_lines: &SimpleLines) -> Reading<'t> {
    NormalizedNewlines::read_crlf_only(original, simple_lines, |text, simple_lines, dropped| {
        let mut loaded: Vec<Entry> = Vec::with_capacity(simple_lines.line_count());
        let result = parse(text, simple_lines.cursor(), &mut loaded);
        for entry in &mut loaded {
            entry.at = dropped.original_offset(entry.at);
        }
        let mut read = Reading::from(loaded);
        if let Err(failure) = result {
            let reason: Reason = format!(
                "godotenv cannot parse the file ({}), so Load returns an error and sets nothing from it",
                failure.message
            )
            .into();
            read.refuse(reason, dropped.original_offset(failure.at));
        }
        read
    })
}

fn parse<'t>(
    text: &'t str,
    mut simple_lines: Cursor,
    loaded: &mut Vec<Entry<'t>>,
) -> Result<(), Failure> {
    let mut values = Values::new();
    let budget = ExpansionBudget::default();
    let mut position = 0;
    loop {
        position = statement_start(text, position);
        if position >= text.len() {
            return Ok(());
        }
        let at = position;
        if let Some(line) = simple_lines.at(position)
            // godotenv cuts at the *last* blank-then-`#`: a comment holding another one
            // is not cut where the other loaders cut it.
            && line
                .comment()
                .is_none_or(|comment| !text[comment.start + 1..comment.end].contains('#'))
        {
            let name = Cow::Borrowed(line.name(text));
            let value = Cow::Borrowed(line.value(text));
            values.insert(name.clone(), value.clone());
            loaded.push(Entry {
                name,
                at,
                outcome: OutcomeOf::Value(value),
            });
            position = line.end();
            continue;
        }
        let (name, value_start) = locate_key_name(text, position)?;
        let (value, next) = extract_value(text, value_start, &values, &budget)
            .map_err(|message| Failure { at, message })?;
        let (name, value): (Cow<str>, Cow<str>) = (name.into(), value.into());
        let outcome = if name.is_empty() {
            OutcomeOf::Absent(
                "godotenv reads a last line without `=` as the value of an empty name, which it cannot set"
                    .into(),
            )
        } else {
            budget.outcome(value.clone())
        };
        values.insert(name.clone(), value);
        loaded.push(Entry { name, at, outcome });
        match next {
            Some(next) => position = next,
            None => return Ok(()),
        }
    }
}

/// `getStatementStart`: skip white space (line breaks included) and `#` comment lines.
fn statement_start(text: &str, mut position: usize) -> usize {
    loop {
        position = super::skip_space(text, position, char::is_whitespace);
        if !text[position..].starts_with('#') {
            return position;
        }
        match text[position..].find('\n') {
            Some(index) => position += index,
            None => return text.len(),
        }
    }
}

/// A byte of a name as godotenv checks it: `rune(byte)`, so the bytes of a UTF-8
/// character are judged as Latin-1 characters one by one.
fn name_byte_ok(byte: u8) -> bool {
    let latin1 = char::from(byte);
    byte == b'_' || byte == b'.' || latin1.is_alphanumeric()
}

/// `locateKeyName`: returns (name, where the value starts).
fn locate_key_name(text: &str, mut position: usize) -> Result<(String, usize), Failure> {
    let statement_at = position;
    if let Some(after) = text[position..].strip_prefix("export")
        && after.starts_with(is_go_space)
    {
        position = super::skip_space(text, position + "export".len(), is_go_space);
    }
    let bytes = text.as_bytes();
    for (offset, &byte) in bytes[position..].iter().enumerate() {
        if is_go_space(char::from(byte)) {
            continue;
        }
        match byte {
            b'=' | b':' => {
                let name = text[position..position + offset]
                    .trim_end_matches(char::is_whitespace)
                    .to_string();
                let value_start = super::skip_space(text, position + offset + 1, is_go_space);
                return Ok((name, value_start));
            }
            _ if name_byte_ok(byte) => {}
            _ => {
                return Err(Failure {
                    at: statement_at,
                    message: format!(
                        "unexpected character {:?} in variable name",
                        char::from(byte)
                    ),
                });
            }
        }
    }
    // No `=` or `:` before the end: the text is read as the value of an empty name.
    Ok((String::new(), position))
}

/// `extractVarValue`: returns (value, where the next statement starts; `None` at the end).
fn extract_value(
    text: &str,
    position: usize,
    values: &Values,
    budget: &ExpansionBudget,
) -> Result<(String, Option<usize>), String> {
    let source = &text[position..];
    let Some(quote @ (b'\'' | b'"')) = source.bytes().next() else {
        let end = source.find(['\n', '\r']).unwrap_or(source.len());
        if end == 0 && source.is_empty() {
            return Ok((String::new(), None));
        }
        let line = &source[..end];
        let characters: Vec<(usize, char)> = line.char_indices().collect();
        let cut = (1..characters.len())
            .rev()
            .find(|&index| characters[index].1 == '#' && is_go_space(characters[index - 1].1))
            .map_or(line.len(), |index| characters[index].0);
        let value = line[..cut].trim_matches(is_go_space);
        return Ok((
            expand_variables(value, values, budget),
            Some(position + end),
        ));
    };
    let bytes = source.as_bytes();
    for index in 1..bytes.len() {
        if bytes[index] != quote || bytes[index - 1] == b'\\' {
            continue;
        }
        let quote = char::from(quote);
        let value = source[..index].trim_matches(quote);
        let value = if quote == '"' {
            expand_variables(&expand_escapes(value), values, budget)
        } else {
            value.to_string()
        };
        return Ok((value, Some(position + index + 1)));
    }
    let line = source.split('\n').next().unwrap_or_default();
    Err(format!("unterminated quoted value {line}"))
}

/// `expandEscapes`: `\\.` (not a line break) with `\n` and `\r` turned into the
/// characters, then `\\([^$])` → the character: every other backslash goes.
fn expand_escapes(value: &str) -> String {
    let mut first = String::with_capacity(value.len());
    let mut characters = value.chars().peekable();
    while let Some(character) = characters.next() {
        match (character, characters.peek()) {
            ('\\', Some(&next)) if next != '\n' => {
                characters.next();
                match next {
                    'n' => first.push('\n'),
                    'r' => first.push('\r'),
                    _ => {
                        first.push('\\');
                        first.push(next);
                    }
                }
            }
            _ => first.push(character),
        }
    }
    let mut out = String::with_capacity(first.len());
    let mut characters = first.chars().peekable();
    while let Some(character) = characters.next() {
        match (character, characters.peek()) {
            ('\\', Some(&next)) if next != '$' => {
                characters.next();
                out.push(next);
            }
            _ => out.push(character),
        }
    }
    out
}

/// `expandVariables`: every match of `(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?`. An escaped match
/// loses its backslash; a match with a name becomes that name's value in the file so far
/// (or ""), while the file's `budget` of copies lasts; any other match stays.
fn expand_variables(value: &str, values: &Values, budget: &ExpansionBudget) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        let escaped = bytes[index] == b'\\' && bytes.get(index + 1) == Some(&b'$');
        if !escaped && bytes[index] != b'$' {
            index += 1;
            continue;
        }
        let start = index;
        index += usize::from(escaped) + 1;
        if bytes.get(index) == Some(&b'(') {
            index += 1;
        }
        if bytes.get(index) == Some(&b'{') {
            index += 1;
        }
        let name_start = index;
        while bytes
            .get(index)
            .is_some_and(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || *byte == b'_')
        {
            index += 1;
        }
        let name = &value[name_start..index];
        if bytes.get(index) == Some(&b'}') {
            index += 1;
        }
        out.push_str(&value[copied..start]);
        if escaped {
            out.push_str(&value[start + 1..index]);
        } else if name.is_empty() {
            out.push_str(&value[start..index]);
        } else if let Some(copied) = budget.copy(values.get(name).map_or("", |value| &**value)) {
            out.push_str(copied);
        }
        copied = index;
    }
    out.push_str(&value[copied..]);
    out
}

//! Docker Compose v2 reading `env_file:` or the project `.env`, from compose-go
//! `dotenv/parser.go` (docs/loaders.md; read from the source, then run unchanged): `export`, `KEY = v`,
//! `KEY: v` and `KEY:v` are accepted; only ` #` starts a comment; quotes may span
//! lines; after a closing quote the rest is read as a new statement; `$VAR`, `${VAR}`
//! and `$$` are interpolated in unquoted and double-quoted values. Any parse error
//! fails the whole file, so Compose does not start.

use std::cell::RefCell;

use super::interpolate::expand_compose;
use super::{
    ByName, Entry, ExpansionBudget, Failure, OutcomeOf, Reading, bom_length, is_go_space,
    skip_space,
};
use crate::syntax::simple_line::SimpleLines;

pub(super) fn load<'t>(text: &'t str, simple_lines: &'t SimpleLines) -> Reading<'t> {
    load_with_env(text, simple_lines, &|_| None)
}

/// As [`load`], with a project environment (the shell, then the project `.env`) that
/// `${VAR}` looks up before earlier lines of the same file, as compose-go does.
pub(super) fn load_with_env<'t>(
    text: &'t str,
    simple_lines: &'t SimpleLines,
    env: &dyn Fn(&str) -> Option<String>,
) -> Reading<'t> {
    let start = bom_length(text);
    let mut read = Reading::with_capacity(simple_lines.line_count());
    if let Err(failure) = parse(text, start, simple_lines, &mut read, env) {
        // compose-go returns the error and the project does not load: nothing reaches a container.
        let reason = format!("Compose refuses the whole file: {}", failure.message);
        read.refuse(reason.into(), failure.at);
    }
    read
}

fn parse<'t>(
    text: &'t str,
    mut position: usize,
    simple_lines: &'t SimpleLines,
    read: &mut Reading<'t>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), Failure> {
    let mut simple_lines = simple_lines.cursor();
    let last_by_name = RefCell::new(ByName::default());
    let budget = ExpansionBudget::default();
    loop {
        position = statement_start(text, position);
        if position >= text.len() {
            return Ok(());
        }
        let at = position;
        if let Some(line) = simple_lines.at(position) {
            read.push_plain(line);
            position = line.end();
            continue;
        }
        let (name, after_name, bare) = locate_key_name(text, position)?;
        if name.contains(' ') {
            return Err(Failure {
                at,
                message: "key cannot contain a space".to_string(),
            });
        }
        if bare {
            read.entries.push(Entry {
                name: name.into(),
                at,
                outcome: OutcomeOf::Absent(
                    "a bare name is taken from the shell or the project environment, if set there"
                        .into(),
                ),
            });
            position = after_name;
            continue;
        }
        let lookup = |wanted: &str| {
            budget.open()?;
            let value = env(wanted).or_else(|| {
                last_by_name
                    .borrow_mut()
                    .get(read, text, wanted)
                    .flatten()
                    .map(str::to_string)
            })?;
            budget.copy(&value).map(str::to_string)
        };
        let (value, next) =
            extract_value(text, after_name, &lookup).map_err(|message| Failure { at, message })?;
        read.entries.push(Entry {
            name: name.into(),
            at,
            outcome: budget.outcome(value.into()),
        });
        position = next;
    }
}

/// `getStatementStart`: skip white space (line breaks included) and `#` comment lines.
fn statement_start(text: &str, mut position: usize) -> usize {
    loop {
        position = skip_space(text, position, char::is_whitespace);
        if !text[position..].starts_with('#') {
            return position;
        }
        match text[position..].find('\n') {
            Some(index) => position += index,
            None => return text.len(),
        }
    }
}

/// `locateKeyName`: returns (name, where the value starts, bare key?).
fn locate_key_name(text: &str, mut position: usize) -> Result<(String, usize, bool), Failure> {
    let statement_at = position;
    let rest = &text[position..];
    if let Some(after) = rest.strip_prefix("export")
        && after.starts_with(char::is_whitespace)
    {
        position = skip_space(text, position + "export".len(), is_go_space);
    }
    let source = &text[position..];
    for (index, character) in source.char_indices() {
        if is_go_space(character) {
            continue;
        }
        match character {
            '=' | ':' | '\n' => {
                let name = source[..index]
                    .trim_end_matches(char::is_whitespace)
                    .to_string();
                let value_start = skip_space(text, position + index + 1, is_go_space);
                return Ok((name, value_start, character == '\n'));
            }
            '_' | '.' | '-' | '[' | ']' => {}
            other if other.is_alphanumeric() => {}
            other => {
                return Err(Failure {
                    at: statement_at,
                    message: format!("unexpected character {other:?} in a variable name"),
                });
            }
        }
    }
    // No `=`, `:` or line break before the end: compose-go reads the text as the value of
    // an empty name (case 22b of `resources/test/loader_cases.json`).
    Ok((String::new(), position, false))
}

/// `extractVarValue`: returns (value, position after it).
fn extract_value(
    text: &str,
    position: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, usize), String> {
    let source = &text[position..];
    let quote = match source.chars().next() {
        Some(quote @ ('\'' | '"')) => quote,
        _ => {
            let (line, next) = match source.find('\n') {
                Some(index) => (&source[..index], position + index + 1),
                None => (source, text.len()),
            };
            let value = line
                .split(" #")
                .next()
                .unwrap_or_default()
                .trim_end_matches(char::is_whitespace);
            return Ok((expand_compose(value, lookup)?, next));
        }
    };
    let bytes = source.as_bytes();
    let quote_byte = quote as u8;
    let unterminated = || "unterminated quoted value".to_string();
    let mut chars: Vec<u8> = Vec::new();
    let mut index = 1;
    loop {
        // Everything up to the next quote or backslash is kept as it is, in one copy.
        let run = memchr::memchr2(quote_byte, b'\\', &bytes[index..]).ok_or_else(unterminated)?;
        chars.extend_from_slice(&bytes[index..index + run]);
        index += run;
        if bytes[index] == quote_byte {
            break;
        }
        // A backslash escapes a quote (dropped); before anything else it stays.
        match bytes.get(index + 1) {
            None => return Err(unterminated()),
            Some(&escaped) if escaped == quote_byte => chars.push(escaped),
            Some(&escaped) => chars.extend_from_slice(&[b'\\', escaped]),
        }
        index += 2;
    }
    // Valid UTF-8 (only an ASCII backslash before a quote was left out), checked without
    // a copy; the lossy reading keeps a mistake here from panicking.
    let value = String::from_utf8(chars)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    let value = if quote == '"' {
        expand_compose(&expand_escapes(&value), lookup)?
    } else {
        value
    };
    Ok((value, position + index + 1))
}

/// compose-go's `expandEscapes`: `\a \b \f \n \r \t \v \" \\` as in Go, `\$` stays
/// escaped for interpolation (as `$$`), and `\0` with three octal digits is that
/// character; `\0` with other digits loses its `0`. Any other backslash stays, with the
/// character after it (`\x`, `\'`, `\ `, `\c`).
fn expand_escapes(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut characters = value.chars().peekable();
    while let Some(character) = characters.next() {
        if character != '\\' {
            out.push(character);
            continue;
        }
        let Some(next) = characters.next() else {
            out.push('\\');
            break;
        };
        match next {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '"' | '\\' => out.push(next),
            '$' => out.push_str("$$"),
            '0' => {
                let mut digits = String::new();
                while digits.len() < 3 && characters.peek().is_some_and(char::is_ascii_digit) {
                    digits.extend(characters.next());
                }
                match u32::from_str_radix(&digits, 8) {
                    Ok(code) if digits.len() == 3 && code <= 0xff => {
                        out.extend(char::from_u32(code));
                    }
                    _ => {
                        out.push('\\');
                        out.push_str(&digits);
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Outcome;

    /// What docker-compose v2.40.3 `config` gave for these double-quoted values.
    #[test]
    fn escapes_in_double_quotes_as_compose_reads_them() {
        let value = |text: &str| {
            super::super::load_env_file(super::super::Consumer::ComposeEnvFile, text)
                .remove(0)
                .outcome
        };
        for (text, expected) in [
            ("A=\"a\\xb\"\n", "a\\xb"),
            ("A=\"\\c\"\n", "\\c"),
            ("A=\"\\0\"\n", "\\"),
            ("A=\"\\012\"\n", "\\12"),
            ("A=\"\\0123\"\n", "S"),
            ("A=\"\\0477\"\n", "\\477"),
            ("A=\"\\0101x\"\n", "Ax"),
            ("A=\"\\'\\ \\\\\"\n", "\\'\\ \\"),
            ("A=\"\\t\\\"\"\n", "\t\""),
        ] {
            assert_eq!(
                value(text),
                Outcome::Value(expected.to_string()),
                "{text:?}"
            );
        }
    }
}

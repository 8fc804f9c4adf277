//! A POSIX shell sourcing the file (`set -a; . ./.env`), as bash 5.2 does
//! (loaders.md, RUN). The assignment is one shell word: quotes are removed, `\r` is an
//! ordinary character (so CRLF files leave it on every value), `$VAR` expands, and text
//! after a blank runs as a command instead of setting the variable.

use std::cell::{OnceCell, RefCell};

use super::{ExpansionBudget, LastByName, Loaded, Outcome};
use crate::syntax::simple_line;

pub(super) fn load(text: &str) -> Vec<Loaded> {
    let mut loaded: Vec<Loaded> = Vec::new();
    let last_by_name = RefCell::new(LastByName::default());
    let closing = ClosingBraces::default();
    let budget = ExpansionBudget::default();
    let mut position = 0;
    while position < text.len() {
        if let Some(line) = simple_line::at(text, position) {
            loaded.push(Loaded {
                name: line.name().to_string(),
                at: position,
                outcome: Outcome::Value(line.value().to_string()),
            });
            position = line.end;
            continue;
        }
        let line_end = text[position..]
            .find('\n')
            .map_or(text.len(), |index| position + index);
        let content = &text[position..line_end];
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let at = position + indent;
        let statement = &text[at..];
        if statement.starts_with('\n') || statement.is_empty() || statement.starts_with('#') {
            position = line_end + 1;
            continue;
        }
        let lookup = |wanted: &str| {
            budget.open()?;
            last_by_name
                .borrow_mut()
                .get(&loaded, wanted)
                .and_then(|entry| entry.outcome.value())
                .and_then(|value| budget.copy(value))
                .map(str::to_string)
        };
        let (entry, next) = read_statement(text, at, &lookup, &closing);
        if let Some(mut entry) = entry {
            if let Outcome::Value(value) = entry.outcome {
                entry.outcome = budget.outcome(value);
            }
            let stops = matches!(entry.outcome, Outcome::Refused(_));
            loaded.push(entry);
            if stops {
                // A syntax error aborts the `.` command: nothing after it is read.
                break;
            }
        }
        position = next;
    }
    loaded
}

fn is_name(text: &str) -> bool {
    let mut characters = text.chars();
    characters
        .next()
        .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
        && characters.all(|character| character == '_' || character.is_ascii_alphanumeric())
}

/// Reads one command starting at `at`; returns the entry (if it names a variable) and
/// where the next command starts.
fn read_statement(
    text: &str,
    at: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
    closing: &ClosingBraces,
) -> (Option<Loaded>, usize) {
    let mut start = at;
    if let Some(after) = text[at..].strip_prefix("export")
        && after.starts_with([' ', '\t'])
    {
        start = at + "export".len() + (after.len() - after.trim_start_matches([' ', '\t']).len());
    }
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |index| start + index);
    let Some(equals) = text[start..line_end].find('=') else {
        let word = text[start..line_end]
            .split([' ', '\t'])
            .next()
            .unwrap_or_default();
        let outcome = Outcome::Absent(format!(
            "the shell runs `{}` as a command",
            word.trim_end_matches('\r')
        ));
        return (
            Some(Loaded {
                name: word.to_string(),
                at,
                outcome,
            }),
            line_end + 1,
        );
    };
    let name = &text[start..start + equals];
    if !is_name(name) {
        let word = name
            .split([' ', '\t'])
            .next()
            .unwrap_or_default()
            .trim_start_matches('\u{feff}');
        let outcome = Outcome::Absent(
            "the shell does not read this line as an assignment and runs it as a command"
                .to_string(),
        );
        return (
            Some(Loaded {
                name: word.to_string(),
                at,
                outcome,
            }),
            line_end + 1,
        );
    }
    match read_word(text, start + equals + 1, lookup, closing) {
        Ok((value, after_word)) => {
            let rest_end = text[after_word..]
                .find('\n')
                .map_or(text.len(), |index| after_word + index);
            let rest = text[after_word..rest_end].trim_start_matches([' ', '\t']);
            let outcome = if rest.is_empty() || rest.starts_with('#') {
                Outcome::Value(value)
            } else {
                let command = rest.split([' ', '\t']).next().unwrap_or_default();
                Outcome::Absent(format!(
                    "the text after the blank runs as a command (`{command}`), and the variable is only set for it"
                ))
            };
            (
                Some(Loaded {
                    name: name.to_string(),
                    at,
                    outcome,
                }),
                rest_end + 1,
            )
        }
        Err(message) => (
            Some(Loaded {
                name: name.to_string(),
                at,
                outcome: Outcome::Refused(message),
            }),
            text.len(),
        ),
    }
}

/// One shell word: returns the value and the offset after the word.
fn read_word(
    text: &str,
    start: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
    closing: &ClosingBraces,
) -> Result<(String, usize), String> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut index = start;
    while index < bytes.len() {
        match bytes[index] {
            b' ' | b'\t' | b'\n' | b';' => break,
            b'\'' => {
                let close = text[index + 1..].find('\'').ok_or(
                    "the shell stops: unexpected end of file looking for the matching `'`",
                )?;
                value.push_str(&text[index + 1..index + 1 + close]);
                index += close + 2;
            }
            b'"' => {
                index += 1;
                loop {
                    match bytes.get(index) {
                        None => return Err(
                            "the shell stops: unexpected end of file looking for the matching `\"`"
                                .to_string(),
                        ),
                        Some(b'"') => {
                            index += 1;
                            break;
                        }
                        Some(b'\\')
                            if matches!(bytes.get(index + 1), Some(b'"' | b'\\' | b'$' | b'`')) =>
                        {
                            value.push(bytes[index + 1] as char);
                            index += 2;
                        }
                        Some(b'\\') if bytes.get(index + 1) == Some(&b'\n') => index += 2,
                        Some(b'$') => {
                            index = expand_dollar(text, index, lookup, closing, &mut value)
                        }
                        Some(_) => {
                            let character = text[index..].chars().next().unwrap_or_default();
                            value.push(character);
                            index += character.len_utf8();
                        }
                    }
                }
            }
            b'`' => {
                // Command substitution: the text runs as a command and the value gets its
                // output (nothing, for a key that is not a command).
                let close = text[index + 1..].find('`').ok_or(
                    "the shell stops: unexpected end of file looking for the matching backtick",
                )?;
                index += close + 2;
            }
            b'\\' => match bytes.get(index + 1) {
                Some(b'\n') => index += 2,
                Some(_) => {
                    let character = text[index + 1..].chars().next().unwrap_or_default();
                    value.push(character);
                    index += 1 + character.len_utf8();
                }
                None => index += 1,
            },
            b'$' => index = expand_dollar(text, index, lookup, closing, &mut value),
            _ => {
                let character = text[index..].chars().next().unwrap_or_default();
                value.push(character);
                index += character.len_utf8();
            }
        }
    }
    Ok((value, index))
}

/// The positions of every `}` of the file, found once: searching the rest of the file
/// for each `${` would be quadratic on `${${${…`.
#[derive(Default)]
struct ClosingBraces(OnceCell<Vec<usize>>);

impl ClosingBraces {
    /// The first `}` at or after `from`.
    fn next(&self, text: &str, from: usize) -> Option<usize> {
        let positions = self.0.get_or_init(|| {
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'}')
                .map(|(index, _)| index)
                .collect()
        });
        positions
            .get(positions.partition_point(|&position| position < from))
            .copied()
    }
}

fn expand_dollar(
    text: &str,
    index: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
    closing: &ClosingBraces,
    value: &mut String,
) -> usize {
    let rest = &text[index + 1..];
    if let Some(inner) = rest.strip_prefix('{')
        && let Some(close) = closing.next(text, index + 2).map(|at| at - (index + 2))
    {
        let reference = &inner[..close];
        let (name, default) = reference
            .split_once(":-")
            .map_or((reference, None), |(name, default)| (name, Some(default)));
        let found = lookup(name).filter(|found| !found.is_empty());
        value.push_str(&found.unwrap_or_else(|| default.unwrap_or_default().to_string()));
        return index + 2 + close + 1;
    }
    let name_len = rest
        .find(|character: char| character != '_' && !character.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if name_len == 0 {
        value.push('$');
        return index + 1;
    }
    value.push_str(&lookup(&rest[..name_len]).unwrap_or_default());
    index + 1 + name_len
}

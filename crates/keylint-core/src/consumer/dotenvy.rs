//! dotenvy 0.15.7 `from_path`/`dotenv()` (docs/loaders.md; run), ported from the crate's
//! `src/iter.rs` and `src/parse.rs`, with an empty process environment to start with.
//!
//! `from_path` strips one BOM, joins physical lines into logical ones while a quote is
//! open (`QuotedLines`), parses each (`parse_line`), and sets each variable unless it is
//! already set, so the first of two duplicates wins. `${VAR}` reads the process
//! environment first, which by then holds the first value of every earlier `VAR`. The
//! first bad line ends it all: that line and every line after it are never set.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use super::{ByName, Entry, ExpansionBudget, Keep, OutcomeOf, Reading, Reason, bom_length};
use crate::syntax::dotenv;
use crate::syntax::simple_line::{Cursor, SimpleLine, SimpleLines};

pub(super) fn load<'t>(text: &'t str, simple_lines: &'t SimpleLines) -> Reading<'t> {
    // `Iter::load` calls `remove_bom` first (`from_read_iter` does not).
    let body_start = bom_length(text);
    let mut lines = LogicalLines {
        text,
        position: body_start,
        simple_lines: simple_lines.cursor(),
    };
    // `apply_substitution`: `env::var(name)`, else the value of `name` parsed so far. With
    // an empty environment to start with, both are the first value read for `name`
    // (`Iter::load` sets a variable only when `env::var` fails).
    let environment = RefCell::new(ByName::keeping(Keep::First));
    let budget = ExpansionBudget::default();
    let mut read = Reading::with_capacity(simple_lines.line_count());
    while let Some(line) = lines.next() {
        let content = &text[line.range.clone()];
        if let Some(simple) = line.simple {
            read.push_simple(simple, &budget, text);
            continue;
        }
        let parsed = if line.unterminated {
            // `QuotedLines` reached the end of the file inside a quote, or right after a
            // `\` or a blank: `Error::LineParse(buf, buf.len())`.
            let name = match parse_name(content) {
                Ok(read) => read.map(|(name, _)| name),
                Err(error) => error.name,
            };
            Err(LineError {
                name,
                index: content.len(),
            })
        } else {
            parse_line(content, &mut |name| {
                let value = environment.borrow_mut().get(&read, text, name).flatten();
                budget.copy(value.unwrap_or_default()).unwrap_or_default()
            })
        };
        match parsed {
            Ok(None) => {}
            Ok(Some((name, value))) => {
                read.entries.push(Entry {
                    name: name.into(),
                    at: content_start(text, &line.range),
                    outcome: budget.outcome(value.into()),
                });
            }
            Err(error) => {
                stop_at(text, simple_lines, &line, &error, lines, &mut read.entries);
                break;
            }
        }
    }
    read
}

/// A logical line: physical lines joined while a quote was open, without its line ending
/// or the comment `QuotedLines` cuts off.
struct LogicalLine<'t> {
    range: Range<usize>,
    /// The end of the file came while a quote (or a `\` or a blank) was still open.
    unterminated: bool,
    /// The line is a simple one (`syntax/simple_line.rs`): dotenvy reads it as every loader does,
    /// and neither `eval_end_state` nor `parse_line` needs to look at it.
    simple: Option<&'t SimpleLine>,
}

/// `iter.rs` `QuotedLines`: reads physical lines (ending at `\n`) and joins them while
/// `eval_end_state` says a quote is open. A line whose first non-blank character is `#`
/// yields nothing; ` #` outside quotes cuts the rest of the line.
struct LogicalLines<'t> {
    text: &'t str,
    position: usize,
    simple_lines: Cursor<'t>,
}

impl<'t> Iterator for LogicalLines<'t> {
    type Item = LogicalLine<'t>;

    fn next(&mut self) -> Option<LogicalLine<'t>> {
        'logical: loop {
            let start = self.position;
            if start == self.text.len() {
                return None;
            }
            if let Some(simple) = self.simple_lines.at(start) {
                self.position = simple.end();
                let line = &self.text[start..simple.end()];
                let end = start + line.strip_suffix('\n').unwrap_or(line).len();
                return Some(LogicalLine {
                    range: start..end,
                    unterminated: false,
                    simple: Some(simple),
                });
            }
            let mut state = SplitState::Complete;
            let mut physical_start = start;
            loop {
                let physical_end = self.text[physical_start..]
                    .find('\n')
                    .map_or(self.text.len(), |index| physical_start + index + 1);
                self.position = physical_end;
                let physical = &self.text[physical_start..physical_end];
                if physical_start == start && physical.trim_start().starts_with('#') {
                    continue 'logical;
                }
                let end = match end_state(state, physical) {
                    LineEnd::CommentAt(index) => physical_start + index,
                    LineEnd::State(SplitState::Complete) => {
                        let buffer = &self.text[start..physical_end];
                        let without_newline = buffer
                            .strip_suffix('\n')
                            .map_or(buffer, |line| line.strip_suffix('\r').unwrap_or(line));
                        start + without_newline.len()
                    }
                    LineEnd::State(open) if physical_end < self.text.len() => {
                        state = open;
                        physical_start = physical_end;
                        continue;
                    }
                    LineEnd::State(_) => {
                        return Some(LogicalLine {
                            range: start..physical_end,
                            unterminated: true,
                            simple: None,
                        });
                    }
                };
                return Some(LogicalLine {
                    range: start..end,
                    unterminated: false,
                    simple: None,
                });
            }
        }
    }
}

/// `iter.rs` `ParseState`, without `Comment` (which ends the line at once: `LineEnd`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SplitState {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    WhiteSpace,
}

enum LineEnd {
    State(SplitState),
    /// A `#` after a blank, outside quotes: the line ends before it.
    CommentAt(usize),
}

/// `eval_end_state`: the state after one physical line, read from `state`. Note that a
/// blank switches to `WhiteSpace` and the next character back to `Complete`, so a file
/// ending in a blank with no final newline is an error (case 35 of `resources/test/loader_cases.json`).
///
/// Byte by byte: every character that matters is ASCII, and the bytes of any other
/// character act like one character would, except a Unicode blank seen in `Complete`,
/// which is decoded and skipped whole.
fn end_state(mut state: SplitState, physical: &str) -> LineEnd {
    let bytes = physical.as_bytes();
    let mut index = 0;
    loop {
        // Runs of bytes that leave the state as it is are skipped at once: inside quotes
        // up to the closing quote or a backslash, outside up to a character that matters.
        let rest = &bytes[index..];
        index += match state {
            SplitState::StrongOpen => memchr::memchr2(b'\'', b'\\', rest),
            SplitState::WeakOpen => memchr::memchr2(b'"', b'\\', rest),
            SplitState::Complete => rest.iter().position(|&byte| {
                matches!(
                    byte,
                    b'\\' | b'"' | b'\'' | b' ' | b'\t' | b'\x0b' | b'\x0c' | 0xc0..
                )
            }),
            _ => Some(0),
        }
        .unwrap_or(rest.len());
        let Some(&byte) = bytes.get(index) else {
            break;
        };
        index += 1;
        state = match (state, byte) {
            (SplitState::WhiteSpace, b'#') => return LineEnd::CommentAt(index - 1),
            (SplitState::WhiteSpace | SplitState::Complete, b'\\') => SplitState::Escape,
            (SplitState::WhiteSpace | SplitState::Complete, b'"') => SplitState::WeakOpen,
            (SplitState::WhiteSpace | SplitState::Complete, b'\'') => SplitState::StrongOpen,
            (SplitState::WhiteSpace | SplitState::Escape, _) => SplitState::Complete,
            // `c.is_whitespace() && c != '\n' && c != '\r'`
            (SplitState::Complete, b' ' | b'\t' | b'\x0b' | b'\x0c') => SplitState::WhiteSpace,
            (SplitState::Complete, 0xc0..) => {
                let character = physical[index - 1..].chars().next().unwrap_or_default();
                index += character.len_utf8() - 1;
                if character.is_whitespace() {
                    SplitState::WhiteSpace
                } else {
                    SplitState::Complete
                }
            }
            (SplitState::Complete, _) => SplitState::Complete,
            (SplitState::WeakOpen, b'\\') => SplitState::WeakOpenEscape,
            (SplitState::WeakOpen, b'"') | (SplitState::StrongOpen, b'\'') => SplitState::Complete,
            (SplitState::WeakOpen | SplitState::WeakOpenEscape, _) => SplitState::WeakOpen,
            (SplitState::StrongOpen, b'\\') => SplitState::StrongOpenEscape,
            (SplitState::StrongOpen | SplitState::StrongOpenEscape, _) => SplitState::StrongOpen,
        };
    }
    LineEnd::State(state)
}

/// `Error::LineParse`: where dotenvy gave up on a line, and the name it had read by then.
struct LineError<'t> {
    name: Option<&'t str>,
    /// The crate's index: a byte offset in the line for the name and `=`, a character
    /// offset in the value for the value, the value's length - 1 for an open quote.
    index: usize,
}

/// `parse.rs` `parse_line`: `[export ]NAME = VALUE`, white space as `char::is_whitespace`.
fn parse_line<'t, 'v>(
    line: &'t str,
    lookup: &mut impl FnMut(&str) -> &'v str,
) -> Result<Option<(&'t str, String)>, LineError<'t>> {
    let Some((name, value)) = parse_name(line)? else {
        return Ok(None);
    };
    if is_empty_or_comment(value) {
        return Ok(Some((name, String::new())));
    }
    let value = parse_value(value, lookup).map_err(|index| LineError {
        name: Some(name),
        index,
    })?;
    Ok(Some((name, value)))
}

/// The first half of `parse_line`: the name, and the value text after `=` and blanks.
/// None for a blank or comment line.
fn parse_name(line: &str) -> Result<Option<(&str, &str)>, LineError<'_>> {
    let mut parser = LineParser {
        rest: line.trim_end(),
        position: 0,
    };
    parser.skip_whitespace();
    if is_empty_or_comment(parser.rest) {
        return Ok(None);
    }
    let mut name = parser.name(None)?;
    parser.skip_whitespace();
    if name == "export" {
        // `export` is a prefix unless `=` follows it (`export=v` sets `export`).
        if parser.expect_equals(name).is_err() {
            name = parser.name(Some(name))?;
            parser.skip_whitespace();
            parser.expect_equals(name)?;
        }
    } else {
        parser.expect_equals(name)?;
    }
    parser.skip_whitespace();
    Ok(Some((name, parser.rest)))
}

fn is_empty_or_comment(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with('#')
}

/// `parse.rs` `LineParser`: the unread rest of the line and its byte offset.
struct LineParser<'t> {
    rest: &'t str,
    position: usize,
}

impl<'t> LineParser<'t> {
    fn error(&self, name: Option<&'t str>) -> LineError<'t> {
        LineError {
            name,
            index: self.position,
        }
    }

    fn skip_whitespace(&mut self) {
        let trimmed = self.rest.trim_start();
        self.position += self.rest.len() - trimmed.len();
        self.rest = trimmed;
    }

    /// `parse_key`: `[A-Za-z_][A-Za-z0-9_.]*`. `read` is the name read before, if any.
    fn name(&mut self, read: Option<&'t str>) -> Result<&'t str, LineError<'t>> {
        if !self
            .rest
            .starts_with(|character: char| character.is_ascii_alphabetic() || character == '_')
        {
            return Err(self.error(read));
        }
        let length = self
            .rest
            .find(|character: char| {
                !(character.is_ascii_alphanumeric() || character == '_' || character == '.')
            })
            .unwrap_or(self.rest.len());
        let (name, rest) = self.rest.split_at(length);
        self.position += length;
        self.rest = rest;
        Ok(name)
    }

    fn expect_equals(&mut self, name: &'t str) -> Result<(), LineError<'t>> {
        let Some(rest) = self.rest.strip_prefix('=') else {
            return Err(self.error(Some(name)));
        };
        self.rest = rest;
        self.position += 1;
        Ok(())
    }
}

/// `parse.rs` `SubstitutionMode`, with where the name being read starts.
#[derive(Clone, Copy)]
enum Substitution {
    None,
    /// `$NAME`: alphanumeric characters (Unicode, no `_`) from `start`.
    Block {
        start: usize,
    },
    /// `${NAME}`: anything from `start` up to `}`.
    EscapedBlock {
        start: usize,
    },
}

/// `parse.rs` `parse_value`. Err is the crate's index: the character offset where it
/// failed, or the value's byte length - 1 when a quote or `${` is still open at the end.
fn parse_value<'v>(input: &str, lookup: &mut impl FnMut(&str) -> &'v str) -> Result<String, usize> {
    let mut value = ValueBuilder::new(input);
    let mut strong_quote = false;
    let mut weak_quote = false;
    let mut escaped = false;
    let mut expecting_end = false;
    let mut substitution = Substitution::None;
    let mut end = input.len();
    let character_index = |byte: usize| input[..byte].chars().count();
    let mut position = 0;
    loop {
        // Characters that change nothing in the state the value is in are passed over at
        // once: all but the closing quote in `'…'`, all but `"`, `\` and `$` in `"…"`.
        if !expecting_end && !escaped && matches!(substitution, Substitution::None) {
            let rest = &input.as_bytes()[position..];
            position += if strong_quote {
                memchr::memchr(b'\'', rest)
            } else if weak_quote {
                memchr::memchr3(b'"', b'\\', b'$', rest)
            } else {
                rest.iter()
                    .position(|byte| matches!(byte, b'$' | b'\'' | b'"' | b'\\' | b' ' | b'\t'))
            }
            .unwrap_or(rest.len());
        }
        let Some(character) = input[position..].chars().next() else {
            break;
        };
        let index = position;
        let next = index + character.len_utf8();
        position = next;
        if expecting_end {
            // After an unquoted blank only blanks and a comment may follow (`k=v w` fails).
            match character {
                ' ' | '\t' => value.leave_out(index, next),
                '#' => {
                    end = index;
                    break;
                }
                _ => return Err(character_index(index)),
            }
        } else if escaped {
            escaped = false;
            match character {
                '\\' | '\'' | '"' | '$' | ' ' => {}
                'n' => value.replace(index, next, "\n"),
                _ => return Err(character_index(index)),
            }
        } else if strong_quote {
            if character == '\'' {
                strong_quote = false;
                value.leave_out(index, next);
            }
        } else if let Substitution::Block { start } | Substitution::EscapedBlock { start } =
            substitution
        {
            if character.is_alphanumeric() {
                value.leave_out(index, next);
            } else if let Substitution::EscapedBlock { .. } = substitution {
                if character == '}' {
                    substitution = Substitution::None;
                    value.replace(index, next, lookup(&input[start..index]));
                } else {
                    value.leave_out(index, next);
                }
            } else if character == '{' && start == index {
                substitution = Substitution::EscapedBlock { start: next };
                value.leave_out(index, next);
            } else {
                // The character that ends `$NAME` is kept as it is, even a quote (case 43).
                value.replace(index, index, lookup(&input[start..index]));
                if character == '$' {
                    substitution = Substitution::Block { start: next };
                    value.leave_out(index, next);
                } else {
                    substitution = Substitution::None;
                }
            }
        } else if character == '$' {
            substitution = Substitution::Block { start: next };
            value.leave_out(index, next);
        } else if weak_quote {
            match character {
                '"' => weak_quote = false,
                '\\' => escaped = true,
                _ => continue,
            }
            value.leave_out(index, next);
        } else {
            match character {
                '\'' => strong_quote = true,
                '"' => weak_quote = true,
                '\\' => escaped = true,
                ' ' | '\t' => expecting_end = true,
                _ => continue,
            }
            value.leave_out(index, next);
        }
    }
    // A trailing `\` is no error: the crate drops it (case 28).
    match substitution {
        Substitution::EscapedBlock { .. } => return Err(input.len().saturating_sub(1)),
        _ if strong_quote || weak_quote => return Err(input.len().saturating_sub(1)),
        Substitution::Block { start } => value.replace(end, end, lookup(&input[start..end])),
        Substitution::None => {}
    }
    Ok(value.finish(end))
}

/// A value built from its input: what is kept verbatim is copied as whole slices.
struct ValueBuilder<'i> {
    input: &'i str,
    output: String,
    /// Start of the input not yet copied, kept so far.
    kept_from: usize,
}

impl<'i> ValueBuilder<'i> {
    fn new(input: &'i str) -> ValueBuilder<'i> {
        ValueBuilder {
            input,
            output: String::with_capacity(input.len()),
            kept_from: 0,
        }
    }

    /// Leaves out the input at `index..next`.
    fn leave_out(&mut self, index: usize, next: usize) {
        self.output.push_str(&self.input[self.kept_from..index]);
        self.kept_from = next;
    }

    /// Puts `text` in place of the input at `index..next` (empty: inserts it).
    fn replace(&mut self, index: usize, next: usize, text: &str) {
        self.leave_out(index, next);
        self.output.push_str(text);
    }

    fn finish(mut self, end: usize) -> String {
        self.output.push_str(&self.input[self.kept_from..end]);
        self.output
    }
}

/// Where a line's entry is tied to keylint's statement: its first character that is
/// neither white space nor a BOM (`Statement::content_start`).
fn content_start(text: &str, range: &Range<usize>) -> usize {
    let line = &text[range.clone()];
    range.start
        + line
            .find(|character: char| !character.is_whitespace() && character != '\u{feff}')
            .unwrap_or(line.len())
}

/// `from_path` returns the first error (`item?` in `Iter::load`): the bad line is not
/// set and the iterator is never asked for the lines after it.
fn stop_at<'t>(
    text: &'t str,
    simple_lines: &SimpleLines,
    line: &LogicalLine,
    error: &LineError<'t>,
    later: LogicalLines,
    loaded: &mut Vec<Entry<'t>>,
) {
    let message = format!(
        "dotenvy cannot parse the line (at character {}), and `dotenv()` stops there",
        error.index
    );
    let at = content_start(text, &line.range);
    // The name dotenvy read, else the text where it expected one; a line of blanks at
    // the end of the file (an error too) has neither, and no statement to tie to.
    let name = error.name.unwrap_or_else(|| {
        text[at..line.range.end]
            .split(char::is_whitespace)
            .next()
            .unwrap_or_default()
    });
    if !name.is_empty() {
        loaded.push(Entry {
            name: name.into(),
            at,
            outcome: OutcomeOf::Refused(message.as_str().into()),
        });
    }
    // dotenvy never read anything after the bad line. Every later line, as keylint splits
    // them (so every statement start), gets the reason: an open quote at the end of the
    // file took in the lines after its own, so to dotenvy they were not even lines.
    let swallowed_after = if line.unterminated {
        Some(at)
    } else {
        later
            .last()
            .filter(|last| last.unterminated)
            .map(|last| content_start(text, &last.range))
    };
    // Built once: a bad line near the top leaves thousands of lines to give them to.
    let stopped: Reason = format!("never read: an earlier line stopped dotenvy ({message})").into();
    let swallowed: Reason =
        "never read: an earlier unterminated quote swallowed the rest of the file".into();
    let mut simple_lines = simple_lines.cursor();
    let (_, mut line_start) = dotenv::line_end(text, at);
    while line_start < text.len() {
        // A simple line starts its content at its start and ends at its `\n`.
        let (line_at, next) = match simple_lines.at(line_start) {
            Some(simple) => (line_start, simple.end()),
            None => {
                let (content_end, next) = dotenv::line_end(text, line_start);
                let line_at = content_start(text, &(line_start..content_end));
                if is_empty_or_comment(&text[line_at..content_end]) {
                    line_start = next;
                    continue;
                }
                (line_at, next)
            }
        };
        let reason = if swallowed_after.is_some_and(|quote_at| line_at > quote_at) {
            &swallowed
        } else {
            &stopped
        };
        loaded.push(Entry {
            name: Cow::Borrowed(""),
            at: line_at,
            outcome: OutcomeOf::Absent(reason.clone()),
        });
        line_start = next;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Consumer, Outcome, load_env_file};

    fn values(text: &str) -> Vec<(String, Outcome)> {
        load_env_file(Consumer::Dotenvy, text)
            .into_iter()
            .map(|entry| (entry.name, entry.outcome))
            .collect()
    }

    fn value(text: &str) -> Outcome {
        Outcome::Value(text.to_string())
    }

    #[test]
    fn references_to_unset_variables_are_empty_whatever_keylint_s_environment_holds() {
        // keylint's own process has PATH (and usually HOME); the crate's substitution
        // would read them (`env::var` first). `load_env_file` promises an empty one.
        assert!(std::env::var_os("PATH").is_some());
        assert_eq!(
            values("A=${HOME}\nB=\"$PATH:/bin\"\nC=x${USER}y\n"),
            vec![
                ("A".to_string(), value("")),
                ("B".to_string(), value(":/bin")),
                ("C".to_string(), value("xy")),
            ]
        );
    }

    #[test]
    fn a_reference_after_a_duplicate_reads_the_first_value() {
        // `from_path` has set the first `A`; the environment wins over the crate's own
        // map of values (which holds the last one).
        assert_eq!(
            values("A=first\nA=second\nB=${A}\nC=$A\n"),
            vec![
                ("A".to_string(), value("first")),
                ("A".to_string(), value("second")),
                ("B".to_string(), value("first")),
                ("C".to_string(), value("first")),
            ]
        );
    }

    #[test]
    fn the_first_error_stops_the_file() {
        let loaded = load_env_file(Consumer::Dotenvy, "A=1\nB=sk abc\nC=3\nD='open\nE=5\n");
        let outcomes: Vec<(&str, usize, &Outcome)> = loaded
            .iter()
            .map(|entry| (entry.name.as_str(), entry.at, &entry.outcome))
            .collect();
        let refused = "dotenvy cannot parse the line (at character 3), and `dotenv()` stops there";
        let stopped = format!("never read: an earlier line stopped dotenvy ({refused})");
        let swallowed = "never read: an earlier unterminated quote swallowed the rest of the file";
        assert_eq!(
            outcomes,
            vec![
                ("A", 0, &value("1")),
                ("B", 4, &Outcome::Refused(refused.to_string())),
                ("", 13, &Outcome::Absent(stopped.clone())),
                ("", 17, &Outcome::Absent(stopped)),
                ("", 25, &Outcome::Absent(swallowed.to_string())),
            ]
        );
    }
}

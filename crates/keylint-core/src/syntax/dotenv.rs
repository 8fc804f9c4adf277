//! A lossless `.env` reader.
//!
//! Every byte of the input belongs to exactly one [`Statement`], so concatenating the
//! statement spans gives back the input. The grammar is the common ground of the
//! dotenv loaders (python-dotenv, node dotenv, dotenvy, compose-go): `export`, `=`,
//! single/double/backtick quotes that may span lines, ` #` comments. What each loader
//! *does* with a statement is not decided here but in [`crate::consumer`]; this layer
//! only finds where names, values, quotes and comments are, byte for byte.

use std::ops::Range;

use super::simple_line::{SimpleLine, SimpleLines};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFile {
    /// A UTF-8 byte order mark at the start of the file.
    pub bom: Option<Range<usize>>,
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Whole statement, line ending included. Statements tile the file.
    pub span: Range<usize>,
    /// First byte that is not leading whitespace (or the BOM).
    pub content_start: usize,
    pub kind: StatementKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementKind {
    Blank,
    Comment,
    Assignment(EnvAssignment),
    /// Text that is not an assignment, e.g. a bare `KEY` or a half-typed line.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    Single,
    Double,
    Backtick,
}

impl Quote {
    #[must_use]
    pub fn from_char(character: char) -> Option<Quote> {
        match character {
            '\'' => Some(Quote::Single),
            '"' => Some(Quote::Double),
            '`' => Some(Quote::Backtick),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_char(self) -> char {
        match self {
            Quote::Single => '\'',
            Quote::Double => '"',
            Quote::Backtick => '`',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvAssignment {
    /// `export` and the blanks after it.
    pub export: Option<Range<usize>>,
    pub name: Range<usize>,
    /// The separator with the blanks around it: `=`, ` = `, `: `.
    pub separator: Range<usize>,
    /// `=` or `:`.
    pub separator_char: char,
    /// The value as written: quotes included, trailing blanks and comment excluded.
    pub value: Range<usize>,
    /// Opening quote of the value, if it starts with one.
    pub quote: Option<Quote>,
    /// For a quoted value: whether the quote closes.
    pub closed: bool,
    /// Text after a closing quote that is neither blank nor a comment (`"v"extra`).
    pub after_quote: Option<Range<usize>>,
    /// Blanks after the value.
    pub trailing_blanks: Range<usize>,
    /// ` # comment` (from the `#`), if any.
    pub comment: Option<Range<usize>>,
    /// `\n`, `\r\n`, `\r` or empty at the end of the file.
    pub line_ending: Range<usize>,
}

/// Blanks inside a line: space, tab and the other horizontal white space.
fn is_blank(character: char) -> bool {
    character != '\n' && character != '\r' && character.is_whitespace()
}

#[must_use]
pub fn parse(text: &str) -> EnvFile {
    parse_with(text, &SimpleLines::new(text))
}

/// [`parse`], with the simple lines of `text` already found.
pub(crate) fn parse_with(text: &str, simple_lines: &SimpleLines) -> EnvFile {
    let mut all = Vec::with_capacity(simple_lines.line_count());
    all.extend(statements(text, simple_lines));
    EnvFile {
        bom: bom(text),
        statements: all,
    }
}

fn bom(text: &str) -> Option<Range<usize>> {
    text.starts_with('\u{feff}')
        .then(|| 0..'\u{feff}'.len_utf8())
}

/// The statements of `text`, front to back, one at a time (what [`parse_with`] collects).
pub(crate) fn statements<'t>(
    text: &'t str,
    simple_lines: &'t SimpleLines,
) -> impl Iterator<Item = Statement> + 't {
    let mut simple_lines = simple_lines.cursor();
    let bom = bom(text);
    let mut position = 0;
    std::iter::from_fn(move || {
        if position >= text.len() {
            return None;
        }
        let statement = match simple_lines.at(position) {
            Some(line) => simple_statement(line),
            None => parse_statement(text, position, bom.as_ref().filter(|_| position == 0)),
        };
        position = statement.span.end;
        Some(statement)
    })
}

/// A simple line (most lines of most files), read without the general scanner.
fn simple_statement(line: &SimpleLine) -> Statement {
    let start = line.start();
    let name = line.name_range();
    let value = line.value_range();
    let comment = line.comment();
    Statement {
        span: start..line.end(),
        content_start: start,
        kind: StatementKind::Assignment(EnvAssignment {
            export: line.export().then_some(start..name.start),
            separator: name.end..value.start,
            name,
            separator_char: '=',
            quote: line.quote(),
            closed: line.quote().is_some(),
            after_quote: None,
            trailing_blanks: line.trailing_blanks(),
            comment,
            line_ending: line.content_end()..line.end(),
            value,
        }),
    }
}

/// End of the physical line (`\n`, `\r\n` or a lone `\r`) at `from`: (end of content, end
/// including the terminator).
pub(crate) fn line_end(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    match memchr::memchr2(b'\n', b'\r', &bytes[from..]).map(|at| from + at) {
        Some(index) if bytes[index] == b'\r' && bytes.get(index + 1) == Some(&b'\n') => {
            (index, index + 2)
        }
        Some(index) => (index, index + 1),
        None => (bytes.len(), bytes.len()),
    }
}

fn skip_blanks(text: &str, from: usize, limit: usize) -> usize {
    text[from..limit]
        .char_indices()
        .find(|&(_, character)| !is_blank(character) && character != '\u{feff}')
        .map_or(limit, |(index, _)| from + index)
}

fn parse_statement(text: &str, start: usize, bom: Option<&Range<usize>>) -> Statement {
    let (content_end, end) = line_end(text, start);
    let after_bom = bom.map_or(start, |bom| bom.end);
    let content_start = skip_blanks(text, after_bom, content_end);
    let rest = &text[content_start..content_end];
    let kind = if rest.is_empty() {
        StatementKind::Blank
    } else if rest.starts_with('#') {
        StatementKind::Comment
    } else {
        return parse_assignment(text, start, content_start, content_end, end);
    };
    Statement {
        span: start..end,
        content_start,
        kind,
    }
}

fn parse_assignment(
    text: &str,
    start: usize,
    content_start: usize,
    content_end: usize,
    end: usize,
) -> Statement {
    let other = Statement {
        span: start..end,
        content_start,
        kind: StatementKind::Other,
    };
    let mut name_start = content_start;
    let mut export = None;
    if let Some(after) = text[content_start..content_end].strip_prefix("export") {
        let blanks = after.len() - after.trim_start_matches(is_blank).len();
        if blanks > 0 && !after.trim_start_matches(is_blank).is_empty() {
            name_start = content_start + "export".len() + blanks;
            export = Some(content_start..name_start);
        }
    }
    let line = &text[name_start..content_end];
    let Some(name_len) =
        line.find(|character: char| character == '=' || character == ':' || is_blank(character))
    else {
        return other;
    };
    if name_len == 0 {
        return other;
    }
    let name = name_start..name_start + name_len;
    let separator_start = name.end;
    let separator_at = skip_blanks(text, separator_start, content_end);
    let separator_char = match text[separator_at..content_end].chars().next() {
        Some(character @ ('=' | ':')) => character,
        _ => return other,
    };
    // `KEY:value` with no blank is a name containing a colon for most loaders, but a
    // YAML-style separator for compose-go; keep it as a separator so rules can say so.
    let value_start = skip_blanks(text, separator_at + 1, content_end);
    let separator = separator_start..value_start;
    let mut assignment = EnvAssignment {
        export,
        name,
        separator,
        separator_char,
        value: value_start..value_start,
        quote: None,
        closed: false,
        after_quote: None,
        trailing_blanks: value_start..value_start,
        comment: None,
        line_ending: content_end..end,
    };
    let opening = text[value_start..content_end]
        .chars()
        .next()
        .and_then(Quote::from_char);
    let statement_end = match opening {
        Some(quote) => scan_quoted(text, value_start, quote, &mut assignment),
        None => {
            scan_unquoted(text, value_start, content_end, &mut assignment);
            end
        }
    };
    Statement {
        span: start..statement_end,
        content_start,
        kind: StatementKind::Assignment(assignment),
    }
}

fn scan_unquoted(
    text: &str,
    value_start: usize,
    content_end: usize,
    assignment: &mut EnvAssignment,
) {
    let line = &text[value_start..content_end];
    // A comment starts at `#` after a blank (python-dotenv, compose-go); node's
    // broader rule (any `#`) is the consumer's business.
    let comment_at = memchr::memchr_iter(b'#', line.as_bytes())
        .find(|&index| line[..index].chars().next_back().is_some_and(is_blank))
        .map(|index| value_start + index);
    let body_end = comment_at.unwrap_or(content_end);
    let value_end = value_start + text[value_start..body_end].trim_end_matches(is_blank).len();
    assignment.value = value_start..value_end;
    assignment.trailing_blanks = value_end..body_end;
    assignment.comment = comment_at.map(|at| at..content_end);
}

/// Scans a quoted value that may run over several lines. Returns the statement end.
fn scan_quoted(
    text: &str,
    value_start: usize,
    quote: Quote,
    assignment: &mut EnvAssignment,
) -> usize {
    assignment.quote = Some(quote);
    let bytes = text.as_bytes();
    let quote_byte = quote.as_char() as u8;
    // A backslash escapes the byte after it, except in backticks.
    let escape = if quote == Quote::Backtick {
        quote_byte
    } else {
        b'\\'
    };
    let mut index = value_start + 1;
    let mut close = None;
    while let Some(at) = bytes
        .get(index..)
        .and_then(|rest| memchr::memchr2(quote_byte, escape, rest))
    {
        if bytes[index + at] == quote_byte {
            close = Some(index + at);
            break;
        }
        index += at + 2;
    }
    let Some(close) = close else {
        // Unterminated: the statement is just this physical line, so a stray quote
        // does not swallow the rest of the file in keylint's own view.
        let (content_end, end) = line_end(text, value_start);
        let value_end = value_start
            + text[value_start..content_end]
                .trim_end_matches(is_blank)
                .len();
        assignment.value = value_start..value_end;
        assignment.trailing_blanks = value_end..content_end;
        assignment.line_ending = content_end..end;
        return end;
    };
    assignment.closed = true;
    let value_end = close + 1;
    assignment.value = value_start..value_end;
    let (content_end, end) = line_end(text, value_end);
    let after_blanks = skip_blanks(text, value_end, content_end);
    assignment.trailing_blanks = value_end..after_blanks;
    if after_blanks < content_end {
        if text[after_blanks..content_end].starts_with('#') {
            assignment.comment = Some(after_blanks..content_end);
        } else {
            let rest = &text[value_end..content_end];
            let comment_at = rest
                .find(" #")
                .or_else(|| rest.find("\t#"))
                .map(|index| value_end + index + 1);
            let body_end = comment_at.unwrap_or(content_end);
            let junk_end = value_end + text[value_end..body_end].trim_end_matches(is_blank).len();
            assignment.trailing_blanks = junk_end..body_end;
            assignment.after_quote = Some(value_end..junk_end);
            assignment.comment = comment_at.map(|at| at..content_end);
        }
    }
    assignment.line_ending = content_end..end;
    end
}

impl EnvAssignment {
    /// The value without its quotes, as written (no escapes decoded).
    #[must_use]
    pub fn unquoted_range(&self) -> Range<usize> {
        match self.quote {
            Some(_) if self.closed => self.value.start + 1..self.value.end - 1,
            Some(_) => self.value.start + 1..self.value.end,
            None => self.value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        parse(text)
            .statements
            .iter()
            .map(|statement| &text[statement.span.clone()])
            .collect()
    }

    #[test]
    fn simple_lines_read_as_the_general_scanner_reads_them() {
        let text = "A=1\nexport B='x y'\nC=\"\"\nD=\nF=x # it's ${Y}\nG=x  \nH='a b' \nI=\"\"   \nJ=\"x\"  # c d\nK=y  # c #\nE=a=b:c/d@e,f%g+h-i.j";
        let mut position = 0;
        while position < text.len() {
            let line =
                crate::syntax::simple_line::at(text, position).expect("every line is simple");
            let fast = simple_statement(&line);
            assert_eq!(fast, parse_statement(text, position, None));
            position = fast.span.end;
        }
    }

    #[test]
    fn statements_tile_the_input() {
        let text = "\u{feff}A=1\r\n# c\n\nexport B = \"x\ny\" # c\nC='unterminated\nD\n";
        assert_eq!(
            spans(text),
            vec![
                "\u{feff}A=1\r\n",
                "# c\n",
                "\n",
                "export B = \"x\ny\" # c\n",
                "C='unterminated\n",
                "D\n"
            ]
        );
    }

    #[test]
    fn finds_name_value_comment() {
        let text = "export OPENAI_API_KEY = \"sk-abc\"extra  # note\n";
        let file = parse(text);
        let StatementKind::Assignment(assignment) = &file.statements[0].kind else {
            panic!()
        };
        assert_eq!(&text[assignment.name.clone()], "OPENAI_API_KEY");
        assert_eq!(&text[assignment.separator.clone()], " = ");
        assert_eq!(&text[assignment.value.clone()], "\"sk-abc\"");
        assert_eq!(&text[assignment.after_quote.clone().unwrap()], "extra");
        assert_eq!(&text[assignment.comment.clone().unwrap()], "# note");
        assert!(assignment.export.is_some());
    }

    #[test]
    fn escapes_comments_and_line_endings_end_where_they_should() {
        let text = "A=\"x\\\"y\" # c\nB=`a\\`x\nD=x#y \t#z\r\nE=v\u{a0}#c\nF=1\rC='a\\";
        let found: Vec<_> = parse(text)
            .statements
            .into_iter()
            .map(|statement| {
                let StatementKind::Assignment(assignment) = statement.kind else {
                    panic!("{statement:?}")
                };
                let part = |range: Range<usize>| &text[range];
                (
                    part(assignment.value),
                    assignment.after_quote.map(part),
                    part(assignment.trailing_blanks),
                    assignment.comment.map(part),
                    part(assignment.line_ending),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("\"x\\\"y\"", None, " ", Some("# c"), "\n"),
                ("`a\\`", Some("x"), "", None, "\n"),
                ("x#y", None, " \t", Some("#z"), "\r\n"),
                ("v", None, "\u{a0}", Some("#c"), "\n"),
                ("1", None, "", None, "\r"),
                ("'a\\", None, "", None, ""),
            ]
        );
    }

    #[test]
    fn trailing_blanks_are_separate_from_the_value() {
        let text = "K=sk-abc \t# c\r\n";
        let StatementKind::Assignment(assignment) = &parse(text).statements[0].kind else {
            panic!()
        };
        assert_eq!(&text[assignment.value.clone()], "sk-abc");
        assert_eq!(&text[assignment.trailing_blanks.clone()], " \t");
        assert_eq!(&text[assignment.line_ending.clone()], "\r\n");
    }
}

//! bash sourcing the file (`set -a; . ./.env`), as bash 5.2 does (`scripts/conformance.sh`
//! compares it with real bash on the loader table's rows and on generated files).
//!
//! The file is read as bash reads it, one command at a time: words split at unquoted
//! blanks, `\r` an ordinary character (so CRLF files leave it on every value), quotes
//! removed and free to span lines, `\` escapes, `$VAR`, `${VAR}` and `${VAR:-default}`
//! expanded, backticks run a command (whose output, for a key or a word that is no
//! command, is nothing), `#` at the start of a word opens a comment. A command of
//! assignments only sets them; `NAME=value word` runs `word` with `NAME` set for it
//! alone; `export` sets each `NAME=value` argument and ignores the others. A quote (or
//! backtick, or `${`) left open is a syntax error: nothing from there on is read.
//! Not modelled: `$'…'`, `$"…"`, special parameters other than `$$`, operators (`|`,
//! `&`, `<`, `>`, parentheses), tilde and pathname expansion, word splitting beyond
//! dropping a command word that expands to nothing. `$$` (bash's process id, different
//! on every run) is kept as written.
//!
//! Work stays linear on any input: closing braces are found by binary search, a `${`
//! inside a default is text (the first `}` ends the default, as keylint reads it; bash
//! pairs nested braces), and `$VAR` copies are charged to the file's [`ExpansionBudget`].

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;

use super::{ByName, Entry, ExpansionBudget, Keep, OutcomeOf, Reading};
use crate::syntax::simple_line::SimpleLines;

pub(super) fn load<'t>(text: &'t str, simple_lines: &'t SimpleLines) -> Reading<'t> {
    let mut shell = Shell {
        text,
        read: Reading::with_capacity(simple_lines.line_count()),
        variables: RefCell::new(ByName::keeping(Keep::LastValue)),
        budget: ExpansionBudget::default(),
    };
    let mut simple_lines = simple_lines.cursor();
    let closing = ClosingBraces::default();
    let mut position = 0;
    while position < text.len() {
        if let Some(line) = simple_lines.at(position) {
            shell.read.push_simple(line, &shell.budget, text);
            position = line.end();
            continue;
        }
        if let Some((name, value, end)) = quoted_assignment(text, position) {
            shell.set(name.into(), value.into(), position);
            position = end;
            continue;
        }
        match Command::parse(text, position, &closing) {
            Ok(command) => {
                shell.run(text, &command, &closing);
                position = command.end;
            }
            Err(error) => {
                // A syntax error ends the `.` command: nothing after it is read.
                shell.read.entries.push(Entry {
                    name: statement_name(text, error.command_at).into(),
                    at: error.command_at,
                    outcome: OutcomeOf::Refused(error.message.into()),
                });
                break;
            }
        }
    }
    shell.read
}

struct Shell<'t> {
    text: &'t str,
    read: Reading<'t>,
    /// The variables set so far: the last value of each name in `read`.
    variables: RefCell<ByName<'t>>,
    budget: ExpansionBudget,
}

impl<'t> Shell<'t> {
    fn set(&mut self, name: Cow<'t, str>, value: Cow<'t, str>, at: usize) {
        let outcome = self.budget.outcome(value);
        self.read.entries.push(Entry { name, at, outcome });
    }

    fn absent(&mut self, name: &str, at: usize, why: String) {
        self.read.entries.push(Entry {
            name: Cow::Owned(name.to_string()),
            at,
            outcome: OutcomeOf::Absent(why.into()),
        });
    }

    fn expand(&self, pieces: &[Piece]) -> Expanded {
        let mut expanded = Expanded::default();
        for piece in pieces {
            match piece {
                Piece::Literal(literal) => expanded.text.push_str(literal),
                Piece::Variable { name, default } => {
                    if self.budget.open().is_none() {
                        continue;
                    }
                    let value = self
                        .variables
                        .borrow_mut()
                        .get(&self.read, self.text, name)
                        .flatten()
                        .filter(|value| !value.is_empty());
                    match (value, default) {
                        (Some(value), _) => {
                            expanded
                                .text
                                .push_str(self.budget.copy(value).unwrap_or_default());
                        }
                        (None, Some(default)) => {
                            let inner = self.expand(default);
                            expanded.text.push_str(&inner.text);
                            expanded.bad |= inner.bad;
                        }
                        (None, None) => {}
                    }
                }
                Piece::ProcessId => expanded.text.push_str("$$"),
                Piece::CommandOutput => {}
                Piece::BadSubstitution => expanded.bad = true,
            }
        }
        expanded
    }

    fn run(&mut self, text: &'t str, command: &Command, closing: &ClosingBraces) {
        let Some(first) = command.words.first() else {
            return;
        };
        let at = first.raw.start;
        let assignments: Vec<(&str, &Word)> = command
            .words
            .iter()
            .map_while(|word| assignment_name(text, word).map(|name| (name, word)))
            .collect();
        // A command word that is unquoted and expands to nothing is dropped.
        let rest: Vec<String> = command.words[assignments.len()..]
            .iter()
            .map(|word| (word, self.expand(&word.pieces)))
            .filter(|(word, expanded)| {
                word.quoted || !expanded.text.trim_matches([' ', '\t', '\n']).is_empty()
            })
            .map(|(_, expanded)| expanded.text)
            .collect();
        let Some(program) = rest.first() else {
            for (name, word) in assignments {
                let value_start = word.raw.start + name.len() + 1;
                let pieces = Word::parse(text, value_start, at, closing)
                    .map(|value| value.pieces)
                    .unwrap_or_default();
                let value = self.expand(&pieces);
                if value.bad {
                    self.absent(name, at, "bash reports a bad substitution".to_string());
                } else {
                    self.set(name.into(), value.text.into(), at);
                }
            }
            return;
        };
        for (name, _) in &assignments {
            self.absent(
                name,
                at,
                format!(
                    "the text after the blank runs as a command (`{}`), and the variable is only set for it",
                    crate::mask::escape_invisible(program)
                ),
            );
        }
        if program == "export" && assignments.is_empty() {
            for argument in &rest[1..] {
                match argument.split_once('=') {
                    Some((name, value)) if is_name(name) => {
                        self.set(name.to_string().into(), value.to_string().into(), at);
                    }
                    _ if is_name(argument) => self.absent(
                        argument,
                        at,
                        "`export NAME` marks the variable for export but gives it no value"
                            .to_string(),
                    ),
                    _ => {}
                }
            }
        } else if assignments.is_empty() {
            let name = statement_name(text, at);
            let line = &text[at..command.end];
            let why = if line.contains('=') {
                "the shell does not read this line as an assignment and runs it as a command"
                    .to_string()
            } else {
                format!(
                    "the shell runs `{}` as a command",
                    program.trim_end_matches('\r')
                )
            };
            self.absent(&name, at, why);
        }
    }
}

/// What a word expanded to.
#[derive(Default)]
struct Expanded {
    text: String,
    /// A `${…}` bash cannot expand: the command fails.
    bad: bool,
}

/// The parts of a word, before expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Variable {
        name: String,
        /// `${NAME:-default}`: used when `NAME` is unset or empty.
        default: Option<Vec<Piece>>,
    },
    ProcessId,
    /// A backtick command substitution.
    CommandOutput,
    BadSubstitution,
}

#[derive(Debug)]
struct Word {
    raw: Range<usize>,
    pieces: Vec<Piece>,
    /// Holds a quote: even empty, it stays an argument.
    quoted: bool,
}

#[derive(Debug)]
struct Command {
    words: Vec<Word>,
    /// After the newline or `;` that ends the command, or the end of the text.
    end: usize,
}

#[derive(Debug)]
struct SyntaxError {
    command_at: usize,
    message: String,
}

impl Command {
    fn parse(text: &str, start: usize, closing: &ClosingBraces) -> Result<Command, SyntaxError> {
        let bytes = text.as_bytes();
        let mut words = Vec::new();
        let mut index = start;
        let command_at = |words: &Vec<Word>, index: usize| {
            words.first().map_or(index, |word: &Word| word.raw.start)
        };
        loop {
            while matches!(bytes.get(index), Some(b' ' | b'\t')) {
                index += 1;
            }
            match bytes.get(index) {
                None => break,
                Some(b'\n' | b';') => {
                    index += 1;
                    break;
                }
                Some(b'#') => {
                    index = text[index..]
                        .find('\n')
                        .map_or(text.len(), |newline| index + newline);
                }
                Some(b'\\') if bytes.get(index + 1) == Some(&b'\n') => index += 2,
                Some(_) => {
                    let at = command_at(&words, index);
                    let word = Word::parse(text, index, at, closing)?;
                    index = word.raw.end;
                    words.push(word);
                }
            }
        }
        Ok(Command { words, end: index })
    }
}

impl Word {
    /// The word starting at `start`; `command_at` is where its command starts, for errors.
    fn parse(
        text: &str,
        start: usize,
        command_at: usize,
        closing: &ClosingBraces,
    ) -> Result<Word, SyntaxError> {
        let error = |what: &str| SyntaxError {
            command_at,
            message: format!(
                "the shell stops: unexpected end of file looking for the matching {what}"
            ),
        };
        let bytes = text.as_bytes();
        let mut pieces = Pieces::default();
        let mut quoted = false;
        let mut index = start;
        while let Some(&byte) = bytes.get(index) {
            match byte {
                b' ' | b'\t' | b'\n' | b';' => break,
                b'\\' => match text[index + 1..].chars().next() {
                    Some('\n') => index += 2,
                    Some(character) => {
                        pieces.push_char(character);
                        index += 1 + character.len_utf8();
                    }
                    None => {
                        pieces.push_char('\\');
                        index += 1;
                    }
                },
                b'\'' => {
                    let close = text[index + 1..].find('\'').ok_or_else(|| error("`'`"))?;
                    pieces.push_str(&text[index + 1..index + 1 + close]);
                    quoted = true;
                    index += close + 2;
                }
                b'"' => {
                    quoted = true;
                    index += 1;
                    loop {
                        match bytes.get(index) {
                            None => return Err(error("`\"`")),
                            Some(b'"') => {
                                index += 1;
                                break;
                            }
                            Some(b'\\') if bytes.get(index + 1) == Some(&b'\n') => index += 2,
                            Some(b'\\')
                                if matches!(
                                    bytes.get(index + 1),
                                    Some(b'"' | b'\\' | b'$' | b'`')
                                ) =>
                            {
                                pieces.push_char(char::from(bytes[index + 1]));
                                index += 2;
                            }
                            Some(b'$') => {
                                index = dollar(text, index, closing, &mut pieces, &error)?;
                            }
                            Some(b'`') => index = backtick(text, index, &mut pieces, &error)?,
                            Some(_) => {
                                let end = literal_end(bytes, index, |byte| {
                                    matches!(byte, b'"' | b'\\' | b'$' | b'`')
                                });
                                pieces.push_str(&text[index..end]);
                                index = end;
                            }
                        }
                    }
                }
                b'`' => index = backtick(text, index, &mut pieces, &error)?,
                b'$' => index = dollar(text, index, closing, &mut pieces, &error)?,
                _ => {
                    let end = literal_end(bytes, index, |byte| {
                        matches!(
                            byte,
                            b' ' | b'\t' | b'\n' | b';' | b'\\' | b'\'' | b'"' | b'`' | b'$'
                        )
                    });
                    pieces.push_str(&text[index..end]);
                    index = end;
                }
            }
        }
        Ok(Word {
            raw: start..index,
            pieces: pieces.0,
            quoted,
        })
    }
}

/// The end of the literal text from `from` (which is not `special`): up to the next
/// `special` byte, taken as one slice. The special bytes are ASCII, so it ends on a
/// character boundary.
fn literal_end(bytes: &[u8], from: usize, special: impl Fn(u8) -> bool) -> usize {
    bytes[from + 1..]
        .iter()
        .position(|&byte| special(byte))
        .map_or(bytes.len(), |length| from + 1 + length)
}

/// Pieces with adjacent literal text merged.
#[derive(Default)]
struct Pieces(Vec<Piece>);

impl Pieces {
    fn push_str(&mut self, text: &str) {
        match self.0.last_mut() {
            Some(Piece::Literal(literal)) => literal.push_str(text),
            _ => self.0.push(Piece::Literal(text.to_string())),
        }
    }

    fn push_char(&mut self, character: char) {
        self.push_str(character.encode_utf8(&mut [0; 4]));
    }
}

/// A backtick command substitution at `index`; returns the offset after it.
fn backtick(
    text: &str,
    index: usize,
    pieces: &mut Pieces,
    error: &dyn Fn(&str) -> SyntaxError,
) -> Result<usize, SyntaxError> {
    let bytes = text.as_bytes();
    let mut close = index + 1;
    loop {
        match bytes.get(close) {
            None => return Err(error("backtick")),
            Some(b'`') => break,
            Some(b'\\') => close += 2,
            Some(_) => close += 1,
        }
    }
    pieces.0.push(Piece::CommandOutput);
    Ok(close + 1)
}

/// The positions of every `}` of the file, found once: searching the rest of the file
/// for each `${` would be quadratic on `${${${…`.
#[derive(Default)]
struct ClosingBraces(OnceCell<Vec<usize>>);

impl ClosingBraces {
    /// The first `}` at or after `from`.
    fn next(&self, text: &str, from: usize) -> Option<usize> {
        let positions = self
            .0
            .get_or_init(|| memchr::memchr_iter(b'}', text.as_bytes()).collect());
        positions
            .get(positions.partition_point(|&position| position < from))
            .copied()
    }
}

/// A `$` expansion at `index`; returns the offset after it.
fn dollar(
    text: &str,
    index: usize,
    closing: &ClosingBraces,
    pieces: &mut Pieces,
    error: &dyn Fn(&str) -> SyntaxError,
) -> Result<usize, SyntaxError> {
    let rest = &text[index + 1..];
    if rest.starts_with('$') {
        pieces.0.push(Piece::ProcessId);
        return Ok(index + 2);
    }
    if let Some(inner) = rest.strip_prefix('{') {
        let close = closing.next(text, index + 2).ok_or_else(|| error("`}`"))? - (index + 2);
        let reference = &inner[..close];
        let piece = match reference.split_once(":-") {
            None if is_name(reference) => Piece::Variable {
                name: reference.to_string(),
                default: None,
            },
            Some((name, default)) if is_name(name) => {
                let default_start = index + 2 + name.len() + 2;
                Piece::Variable {
                    name: name.to_string(),
                    default: Some(default_pieces(
                        text,
                        default_start..default_start + default.len(),
                    )),
                }
            }
            _ => Piece::BadSubstitution,
        };
        pieces.0.push(piece);
        return Ok(index + 2 + close + 1);
    }
    let name_length = if rest.starts_with(|character: char| character.is_ascii_digit()) {
        1
    } else if rest
        .starts_with(|character: char| character == '_' || character.is_ascii_alphabetic())
    {
        rest.find(|character: char| character != '_' && !character.is_ascii_alphanumeric())
            .unwrap_or(rest.len())
    } else {
        0
    };
    if name_length == 0 {
        pieces.push_char('$');
        return Ok(index + 1);
    }
    pieces.0.push(Piece::Variable {
        name: rest[..name_length].to_string(),
        default: None,
    });
    Ok(index + 1 + name_length)
}

/// The default of `${NAME:-default}`: literal text and `$NAME` expansions. A `${` in
/// it is text: the default ends at the first `}`, so no `${` inside it is closed.
fn default_pieces(text: &str, range: Range<usize>) -> Vec<Piece> {
    let mut pieces = Pieces::default();
    let default = &text[range];
    let mut index = 0;
    while index < default.len() {
        if let Some(rest) = default[index..].strip_prefix('$') {
            let name_length = rest
                .find(|character: char| character != '_' && !character.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            if is_name(&rest[..name_length]) {
                pieces.0.push(Piece::Variable {
                    name: rest[..name_length].to_string(),
                    default: None,
                });
                index += 1 + name_length;
                continue;
            }
        }
        let character = default[index..].chars().next().unwrap_or_default();
        pieces.push_char(character);
        index += character.len_utf8();
    }
    pieces.0
}

fn is_name(text: &str) -> bool {
    let mut characters = text.chars();
    characters
        .next()
        .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
        && characters.all(|character| character == '_' || character.is_ascii_alphanumeric())
}

/// The `NAME` of a word written `NAME=…` (bash reads it as an assignment), if it is one.
fn assignment_name<'a>(text: &'a str, word: &Word) -> Option<&'a str> {
    let raw = &text[word.raw.clone()];
    let (name, _) = raw.split_once('=')?;
    is_name(name).then_some(name)
}

/// A command bash reads only one way, read without splitting it into words: at a
/// command's start, `NAME=` then a value in quotes that close on the same line and hold
/// nothing bash expands (`'…'`, or `"…"` without `$`, a backtick or a backslash), then
/// blanks and perhaps a `# comment`, to the line end. Returns the name, the value without
/// its quotes and where the next command starts.
fn quoted_assignment(text: &str, start: usize) -> Option<(&str, &str, usize)> {
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |index| start + index);
    let line = &text[start..line_end];
    let (name, value) = line.split_once('=')?;
    let quote = value
        .chars()
        .next()
        .filter(|quote| matches!(quote, '\'' | '"'))?;
    let close = 1 + value[1..].find(quote)?;
    let inside = &value[1..close];
    let after = &value[close + 1..];
    let blanks = after.trim_start_matches([' ', '\t']);
    let ends = blanks.is_empty() || (blanks.starts_with('#') && blanks.len() < after.len());
    let literal = quote == '\'' || !inside.contains(['$', '`', '\\']);
    (is_name(name) && literal && ends).then(|| (name, inside, (line_end + 1).min(text.len())))
}

/// The name a statement is about, for messages: its first word up to `=`.
fn statement_name(text: &str, at: usize) -> String {
    let first_word = text[at..]
        .split([' ', '\t', '\n'])
        .next()
        .unwrap_or_default();
    let name = first_word
        .split_once('=')
        .map_or(first_word, |(name, _)| name);
    name.trim_start_matches('\u{feff}').to_string()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Loaded, Outcome};
    use super::{ByName, ClosingBraces, Command, ExpansionBudget, Keep, Reading, RefCell, Shell};

    fn load(text: &str) -> Vec<Loaded> {
        super::super::load_env_file(super::super::Consumer::Shell, text)
    }

    /// What `env` shows after sourcing `text`: the last value of each name.
    fn environment(text: &str) -> Vec<(String, String)> {
        let mut environment: Vec<(String, String)> = Vec::new();
        for entry in load(text) {
            if let Outcome::Value(value) = entry.outcome {
                environment.retain(|(name, _)| *name != entry.name);
                environment.push((entry.name, value));
            }
        }
        environment.sort();
        environment
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// Each case is a file the conformance corpus once disagreed on with bash 5.2,
    /// reduced; the expected environments are what bash gave.
    #[test]
    fn reads_commands_as_bash_does() {
        for (text, expected) in [
            // `export` sets its NAME=value arguments and ignores the others.
            ("export A1= https://h.example/v1\n", &[("A1", "")][..]),
            ("export  _U=sk-abc p@ss:w0rd\n", &[("_U", "sk-abc")]),
            ("export A=1\nexport A = 2\n", &[("A", "1")]),
            // NAME=value word: `word` runs with NAME set for it alone.
            ("A=1\nA= value\n", &[("A", "1")]),
            // A command word that expands to nothing leaves a plain assignment.
            ("A1= `https://h.example/v1` \n", &[("A1", "")]),
            // A line that is not an assignment does not hide the value before it.
            (
                "V=p@ss:w0rd\n  V\t= 1234\nX=pre$V\n",
                &[("V", "p@ss:w0rd"), ("X", "prep@ss:w0rd")],
            ),
            // Quotes in a command run on over lines; left open, they stop the file.
            ("A=1\nAPP-DASH=\"x\nA=2\n", &[("A", "1")]),
            ("A=1\nB= \"x\nA=2\"\nC=3\n", &[("A", "1"), ("C", "3")]),
            ("A=\"abc`\"\nB=1\n", &[]),
            // A backslash before the newline joins the lines, also into one word.
            (
                "export _U=abc\\\nexport  B = \"x\"\n",
                &[("_U", "abcexport")],
            ),
            // `#` opens a comment only at the start of a word.
            ("A=#x\nB=b#c # d\n", &[("A", "#x"), ("B", "b#c")]),
            // `;` ends a command; `\r` is an ordinary character.
            ("A=1;B=$A\r\n", &[("A", "1"), ("B", "1\r")]),
            ("A=\nB=${A:-d$C}e\n", &[("A", ""), ("B", "de")]),
            ("B=${A:-ünï$C}\n", &[("B", "ünï")]),
            ("A='$$'\n", &[("A", "$$")]),
        ] {
            assert_eq!(environment(text), pairs(expected), "{text:?}");
        }
    }

    /// Nested defaults and runs of `${` are read in linear time (a `${` inside a default
    /// used to be parsed again at every level: minutes for 12,000 levels).
    #[test]
    fn hostile_nesting_is_read_in_linear_time() {
        let started = std::time::Instant::now();
        let nested = format!("A={}x{}\n", "${B:-".repeat(12_000), "}".repeat(12_000));
        assert_eq!(environment(&nested)[0].1.len(), 12_000 * 5 - 5 + 1 + 11_999);
        let open = format!("A={}\nB=1\n", "${".repeat(120_000));
        assert!(matches!(load(&open)[0].outcome, Outcome::Refused(_)));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn says_why_a_line_sets_nothing() {
        let outcome = |text: &str| load(text).remove(0).outcome;
        assert_eq!(
            outcome("KEY= sk-abc\n"),
            Outcome::Absent(
                "the text after the blank runs as a command (`sk-abc`), and the variable is only set for it"
                    .to_string()
            )
        );
        assert_eq!(
            outcome("KEY\n"),
            Outcome::Absent("the shell runs `KEY` as a command".to_string())
        );
        assert_eq!(
            outcome("export KEY\n"),
            Outcome::Absent(
                "`export NAME` marks the variable for export but gives it no value".to_string()
            )
        );
        assert_eq!(
            outcome("KEY=\"sk-abc\n"),
            Outcome::Refused(
                "the shell stops: unexpected end of file looking for the matching `\"`".to_string()
            )
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// A command read without splitting it into words is read as bash's words read it:
        /// one variable, the same value, and the next command where the words end.
        #[test]
        fn quoted_assignments_read_as_words_do(
            name in "[A_a1][A_1]{0,2}",
            quote in "['\"]",
            inside in "[a$'\"`\\\\ #;{}=]{0,4}",
            closed in prop::bool::weighted(0.8),
            after in prop_oneof![Just(""), Just(" "), Just("\t"), Just(" # c 'q"), Just("#c"), Just(" ;x"), Just("x"), Just(" \r")],
            next in prop_oneof![Just(""), Just("\n"), Just("\nB=1"), Just("\n'x'")],
        ) {
            let closing = if closed { quote.as_str() } else { "" };
            let text = format!("{name}={quote}{inside}{closing}{after}{next}");
            let Some((name, value, end)) = super::quoted_assignment(&text, 0) else {
                return Ok(());
            };
            let closing_braces = ClosingBraces::default();
            let command = Command::parse(&text, 0, &closing_braces).expect("a command");
            let mut shell = Shell {
                text: &text,
                read: Reading::default(),
                variables: RefCell::new(ByName::keeping(Keep::LastValue)),
                budget: ExpansionBudget::default(),
            };
            shell.run(&text, &command, &closing_braces);
            prop_assert_eq!(command.end, end, "{:?}", text);
            prop_assert_eq!(shell.read.entries.len(), 1, "{:?}", text);
            let entry = &shell.read.entries[0];
            prop_assert_eq!((&*entry.name, entry.at, entry.outcome.value()), (name, 0, Some(value)), "{:?}", text);
        }
    }
}

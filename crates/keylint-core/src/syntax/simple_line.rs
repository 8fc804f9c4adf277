//! Lines every loader reads the same way, recognised in one cheap pass so the `.env`
//! reader and the loader models can skip their general parsers for them: most lines of a
//! real `.env` are like this, and the general parsers (a backtracking regex for node
//! dotenv, char-by-char readers for the others) cost ten times more per line.
//!
//! A simple line is `[export ]NAME=VALUE[ # comment]` then `\n` or the end of the text,
//! with no indentation, `NAME` an ASCII identifier, and `VALUE` empty, a run of plain
//! characters, or plain characters and spaces inside `'…'` or `"…"`. Plain characters are
//! ASCII letters, digits and `_-./+=:@,%`: nothing any loader treats specially (no `#`,
//! `$`, backslash, quote or blank, and no `\r`). The comment is allowed after a non-empty
//! unquoted value and one space (compose-go cuts at `" #"`, not at a tab; dotenvy's line
//! joiner misses a comment after two blanks), and holds anything but `\r`. After a quoted
//! value, or more spaces, a comment of plain characters, spaces and `#` is allowed when a
//! `\n` ends it; and a quoted or non-empty value may have spaces after it when a `\n`
//! follows them. The dotenv loaders, Compose and a shell drop such spaces and comments
//! (dotenvy only with the `\n`: a blank last in the file is an error to it; godotenv
//! cuts at the last blank-then-`#`, so its model reads a comment holding a `#`),
//! `docker --env-file` keeps them. Read from the start of a line, every loader ends such a line where it
//! ends, with the value as written minus its quotes (docs/loaders.md, "The short version");
//! `docker --env-file` alone keeps the quotes, the `export ` and the comment. Whether a
//! loader is at the start of a line is for its model to know: after a quote left open, it
//! is not.

use std::ops::Range;

use super::dotenv::Quote;
use crate::helpers::plain_run;

/// One simple line, as offsets into its text: the rest follows from the syntax (the name
/// starts after `export `, the value after `=`). `u32` keeps
/// the table small; a text too long for it has no simple lines ([`at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SimpleLine {
    /// Offset of the line's first byte.
    start: u32,
    name_end: u32,
    /// After the value as written, quotes included.
    value_end: u32,
    /// After the blanks that follow the value: where the comment starts, if any.
    blanks_end: u32,
    /// Before the `\n`, or the end of the text.
    content_end: u32,
    /// Written with a leading `export `.
    export: bool,
    quote: Option<Quote>,
    /// Has a comment, from `blanks_end` to `content_end`.
    comment: bool,
    /// Ends with a `\n` (else at the end of the text).
    newline: bool,
}

impl SimpleLine {
    /// Offset of the line's first byte.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// The same line `by` bytes earlier in a text.
    fn moved_back(&self, by: u32) -> SimpleLine {
        SimpleLine {
            start: self.start - by,
            name_end: self.name_end - by,
            value_end: self.value_end - by,
            blanks_end: self.blanks_end - by,
            content_end: self.content_end - by,
            ..*self
        }
    }

    /// Offset just after the line's `\n`, or the end of the text.
    pub fn end(&self) -> usize {
        self.content_end as usize + usize::from(self.newline)
    }

    /// Written with a leading `export `.
    pub fn export(&self) -> bool {
        self.export
    }

    pub fn quote(&self) -> Option<Quote> {
        self.quote
    }

    pub fn name_range(&self) -> Range<usize> {
        let start = self.start() + if self.export { "export ".len() } else { 0 };
        start..self.name_end as usize
    }

    /// The value as written, quotes included, comment excluded.
    pub fn value_range(&self) -> Range<usize> {
        self.name_end as usize + 1..self.value_end as usize
    }

    /// `# comment`, from the `#` to the end of the line.
    pub fn comment(&self) -> Option<Range<usize>> {
        self.comment
            .then_some(self.blanks_end as usize..self.content_end as usize)
    }

    /// The spaces after the value, before a comment or the line's `\n` (empty when none).
    pub fn trailing_blanks(&self) -> Range<usize> {
        self.value_end as usize..self.blanks_end as usize
    }

    /// Before the line's `\n`, or the end of the text.
    pub fn content_end(&self) -> usize {
        self.content_end as usize
    }

    pub fn name<'a>(&self, text: &'a str) -> &'a str {
        &text[self.name_range()]
    }

    /// What a dotenv loader or a shell gives the program: the value without its quotes.
    pub fn value<'a>(&self, text: &'a str) -> &'a str {
        let range = self.value_range();
        match self.quote {
            Some(_) => &text[range.start + 1..range.end - 1],
            None => &text[range],
        }
    }
}

/// The simple lines of a text, found in one pass so the `.env` reader and every loader
/// model share them instead of each recognising them again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SimpleLines {
    /// By `start`.
    lines: Vec<SimpleLine>,
    /// Lines of the text, simple or not.
    line_count: usize,
}

impl SimpleLines {
    pub fn new(text: &str) -> SimpleLines {
        // Room for every line at once: most lines are simple.
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        let mut line_count = 0;
        let mut start = 0;
        while start < text.len() {
            // A simple line has found its end already.
            start = match at(text, start) {
                Some(line) => {
                    let next = line.end();
                    lines.push(line);
                    next
                }
                None => memchr::memchr(b'\n', &text.as_bytes()[start..])
                    .map_or(text.len(), |index| start + index + 1),
            };
            line_count += 1;
        }
        SimpleLines { lines, line_count }
    }

    /// The simple lines of `copy`, a copy of `original` with the `\r` of every `\r\n`
    /// dropped and a lone `\r` perhaps made `\n` (as [`SimpleLines::new`] would find them,
    /// `lines` being the original's). A simple line holds no `\r`, so only the lines of
    /// the original that hold one can read differently in the copy: the others keep
    /// their reading, moved back by the `\r`s dropped before them.
    pub fn of_copy(original: &str, lines: &SimpleLines, copy: &str) -> SimpleLines {
        let bytes = original.as_bytes();
        let mut found = Vec::with_capacity(lines.lines.len());
        let mut unchanged = lines.lines.iter().peekable();
        let mut dropped: u32 = 0;
        // The lines of the original that hold a `\r`, and of the copy made from them.
        let (mut changed, mut changed_copies) = (0, 0);
        let mut carriage_returns = memchr::memchr_iter(b'\r', bytes).peekable();
        while let Some(&first) = carriage_returns.peek() {
            let start = memchr::memrchr(b'\n', &bytes[..first]).map_or(0, |index| index + 1);
            let end = memchr::memchr(b'\n', &bytes[first..])
                .map_or(bytes.len(), |index| first + index + 1);
            while let Some(line) = unchanged.next_if(|line| line.start() < start) {
                found.push(line.moved_back(dropped));
            }
            let copy_start = start - dropped as usize;
            while let Some(at) = carriage_returns.next_if(|&at| at < end) {
                dropped += u32::from(bytes.get(at + 1) == Some(&b'\n'));
            }
            let copy_end = end - dropped as usize;
            let mut position = copy_start;
            changed += 1;
            while position < copy_end {
                position = match at(copy, position) {
                    Some(line) => {
                        found.push(line);
                        line.end()
                    }
                    None => memchr::memchr(b'\n', &copy.as_bytes()[position..])
                        .map_or(copy.len(), |index| position + index + 1),
                };
                changed_copies += 1;
            }
        }
        found.extend(unchanged.map(|line| line.moved_back(dropped)));
        SimpleLines {
            lines: found,
            // `lines` may be a stand-in (tests read with no simple lines at all).
            line_count: (lines.line_count + changed_copies).saturating_sub(changed),
        }
    }

    /// Lines of the text: room enough for what a reader finds per line, taken at once
    /// instead of growing (and copying) a table the size of the file a dozen times.
    pub fn line_count(&self) -> usize {
        self.line_count
    }

    /// A reader of the table for one pass over the text from front to back.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            lines: &self.lines,
            next: 0,
            asked: 0,
        }
    }
}

/// Looks simple lines up by where they start, in amortised constant time while the
/// positions asked for grow.
pub(crate) struct Cursor<'t> {
    lines: &'t [SimpleLine],
    /// The first line not before the last position asked for.
    next: usize,
    /// The last position asked for: every line before `next` starts before it.
    asked: usize,
}

impl<'t> Cursor<'t> {
    /// The simple line starting at `position`: only ever at the start of a line.
    pub fn at(&mut self, position: usize) -> Option<&'t SimpleLine> {
        if position < self.asked {
            self.next = self.lines.partition_point(|line| line.start() < position);
        }
        self.asked = position;
        while self
            .lines
            .get(self.next)
            .is_some_and(|line| line.start() < position)
        {
            self.next += 1;
        }
        self.lines
            .get(self.next)
            .filter(|line| line.start() == position)
    }
}

/// ASCII letters and digits, and `others` (byte tables: these run on every byte of most
/// files).
const fn alphanumeric_and(others: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    let mut index = 0;
    while index < others.len() {
        table[others[index] as usize] = true;
        index += 1;
    }
    table
}

/// Bytes of a plain value.
const PLAIN: [bool; 256] = alphanumeric_and(b"_-./+=:@,%");

/// Bytes of a plain value in quotes.
const PLAIN_OR_SPACE: [bool; 256] = alphanumeric_and(b"_-./+=:@,% ");

/// Bytes of a name after its first.
const NAME: [bool; 256] = alphanumeric_and(b"_");

/// Bytes of a comment that needs to end before the loaders' readings could differ.
const PLAIN_COMMENT: [bool; 256] = alphanumeric_and(b"_-./+=:@,% #");

/// Trailing blanks: spaces only.
const SPACE: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table
};

/// The simple line starting at `start`, if the line there is one.
pub(crate) fn at(text: &str, start: usize) -> Option<SimpleLine> {
    let bytes = text.as_bytes();
    let export = bytes[start..].starts_with(b"export ");
    let name_start = if export {
        start + "export ".len()
    } else {
        start
    };
    let first = *bytes.get(name_start)?;
    if !(first == b'_' || first.is_ascii_alphabetic()) {
        return None;
    }
    let name_end = name_start + count(&bytes[name_start..], &NAME);
    if bytes.get(name_end) != Some(&b'=') {
        return None;
    }
    let value_start = name_end + 1;
    let (quote, value_end) = match bytes.get(value_start) {
        Some(&quote @ (b'\'' | b'"')) => {
            let inner_start = value_start + 1;
            let inner_end = inner_start + count(&bytes[inner_start..], &PLAIN_OR_SPACE);
            if bytes.get(inner_end) != Some(&quote) {
                return None;
            }
            (Quote::from_char(char::from(quote)), inner_end + 1)
        }
        _ => {
            let end = value_start + count(&bytes[value_start..], &PLAIN);
            (None, end)
        }
    };
    let mut comment = false;
    let mut blanks_end = value_end;
    let mut content_end = value_end;
    let has_value = quote.is_some() || value_end > value_start;
    if has_value && bytes.get(value_end) == Some(&b' ') {
        blanks_end = value_end + count(&bytes[value_end..], &SPACE);
        content_end = match bytes.get(blanks_end) {
            Some(b'\n') => blanks_end,
            // After one space, dotenvy's line joiner (`eval_end_state`) sees the comment
            // and reads no further, so it may hold anything.
            Some(b'#') if quote.is_none() && blanks_end == value_end + 1 => {
                comment = true;
                memchr::memchr2(b'\n', b'\r', &bytes[blanks_end..])
                    .map_or(bytes.len(), |end| blanks_end + end)
            }
            // After two, or a closing quote, it reads the comment as part of the line: a
            // quote there would open a value running on to later lines, and a blank last
            // in the file would be an error.
            Some(b'#') => {
                comment = true;
                let end = blanks_end + count(&bytes[blanks_end..], &PLAIN_COMMENT);
                if bytes.get(end) != Some(&b'\n') {
                    return None;
                }
                end
            }
            _ => return None,
        };
    }
    let newline = match bytes.get(content_end) {
        None => false,
        Some(b'\n') => true,
        Some(_) => return None,
    };
    // Every offset is at most `content_end`.
    let offset = |offset: usize| u32::try_from(offset).ok();
    Some(SimpleLine {
        start: offset(start)?,
        name_end: offset(name_end)?,
        value_end: offset(value_end)?,
        blanks_end: offset(blanks_end)?,
        content_end: offset(content_end)?,
        export,
        quote,
        comment,
        newline,
    })
}

/// How many bytes at the start of `bytes` are in `table`.
fn count(bytes: &[u8], table: &[bool; 256]) -> usize {
    plain_run(bytes, |byte| table[usize::from(byte)])
}

/// Whether `offset` is at the start of a line of `text`.
pub(crate) fn is_line_start(text: &str, offset: usize) -> bool {
    offset == 0 || text.as_bytes().get(offset - 1) == Some(&b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_quoted_and_exported_lines() {
        let text = "A=b=c:d\nexport KEY='my app'\nB=\"x.y\"\nEMPTY=\n";
        let first = at(text, 0).unwrap();
        assert_eq!(
            (first.name(text), first.value(text), first.end()),
            ("A", "b=c:d", 8)
        );
        let second = at(text, 8).unwrap();
        assert!(second.export());
        assert_eq!((second.name(text), second.value(text)), ("KEY", "my app"));
        assert_eq!(&text[second.value_range()], "'my app'");
        let third = at(text, second.end()).unwrap();
        assert_eq!(
            (third.value(text), third.quote()),
            ("x.y", Some(Quote::Double))
        );
        let empty = at(text, third.end()).unwrap();
        assert_eq!(
            (empty.name(text), empty.value(text), empty.end()),
            ("EMPTY", "", text.len())
        );
        assert_eq!(at("A=1", 0).unwrap().end(), 3);
        let blanks = "A=b  \nB='x y' \n";
        let first = at(blanks, 0).unwrap();
        assert_eq!(
            (first.value(blanks), first.trailing_blanks(), first.end()),
            ("b", 3..5, 6)
        );
        let second = at(blanks, 6).unwrap();
        assert_eq!(
            (second.value(blanks), second.trailing_blanks(), second.end()),
            ("x y", 13..14, blanks.len())
        );
        let quoted = "A='x y'  # c #d\nB=b  #\n";
        let first = at(quoted, 0).unwrap();
        assert_eq!(
            (
                first.value(quoted),
                first.trailing_blanks(),
                first.comment()
            ),
            ("x y", 7..9, Some(9..15))
        );
        let second = at(quoted, first.end()).unwrap();
        assert_eq!(
            (second.value(quoted), second.comment()),
            ("b", Some(21..22))
        );
        let commented = "A=b # it's é $X\nB=1";
        let line = at(commented, 0).unwrap();
        assert_eq!(
            (line.value(commented), line.comment(), line.end()),
            ("b", Some(4..16), 17)
        );
    }

    #[test]
    fn the_table_holds_the_simple_line_of_every_line_start() {
        let text = "A=1\nB='x\nC=2\n\nexport D=\"y z\"\nE\nF=3";
        let lines = SimpleLines::new(text);
        let starts: Vec<usize> = lines.lines.iter().map(SimpleLine::start).collect();
        assert_eq!(starts, [0, 9, 14, 31]);
        let mut cursor = lines.cursor();
        for start in 0..text.len() {
            let expected = is_line_start(text, start)
                .then(|| at(text, start))
                .flatten();
            assert_eq!(cursor.at(start), expected.as_ref(), "{start}");
        }
        assert_eq!(cursor.at(9).map(|line| line.name(text)), Some("C"));
        assert_eq!(cursor.at(4), None);
    }

    proptest::proptest! {
        /// The table of a copy with other line endings, worked out from the original's,
        /// is the one found in the copy itself.
        #[test]
        fn a_copy_with_other_line_endings_has_the_table_it_would_find(
            lines in proptest::collection::vec("(export )?[AB]=[a-z' ]{0,3}( #c)?", 0..6),
            endings in proptest::collection::vec("\r?\n?|\r\r\n", 6),
            lone_too: bool,
        ) {
            let original: String = lines.iter().zip(&endings).map(|(line, end)| format!("{line}{end}")).collect();
            let copy = original.replace("\r\n", "\n");
            let copy = if lone_too { copy.replace('\r', "\n") } else { copy };
            let derived = SimpleLines::of_copy(&original, &SimpleLines::new(&original), &copy);
            let direct = SimpleLines::new(&copy);
            proptest::prop_assert_eq!(derived, direct, "{:?}", original);
        }
    }

    #[test]
    fn anything_a_loader_reads_its_own_way_is_not_simple() {
        for line in [
            "A=b c\n",
            "A=b\t#c\n",
            "A=b  # c \"x\n",
            "A=b ",
            "A= \n",
            "A=b \t\n",
            "A= #c\n",
            "A=\"b\" #c\"\n",
            "A=\"b\"  #c",
            "A=b  #c\\\n",
            "A=b #c\r\n",
            "A=b c #d\n",
            "A=b\r\n",
            "A='b\n",
            "A=\"b\"c\n",
            "A=\"b\" ",
            "A=$B\n",
            "A=\"a\\nb\"\n",
            "A='it''s'\n",
            " A=b\n",
            "A =b\n",
            "export  A=b\n",
            "1A=b\n",
            "A.B=c\n",
            "A:b\n",
            "A\n",
            "# A=b\n",
            "A=é\n",
            "A=`b`\n",
            "\u{feff}A=b\n",
        ] {
            assert_eq!(at(line, 0), None, "{line:?}");
        }
    }
}

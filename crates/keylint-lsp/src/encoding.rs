//! Position encodings: the only place that turns byte offsets into LSP positions and
//! back. `utf-8` when the client offers it, else UTF-16 (the LSP default).

use std::borrow::Cow;

use keylint_core::{ColumnUnit, LineColumn, LineIndex};
use ropey::Rope;
use tower_lsp_server::ls_types::{ClientCapabilities, Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// `utf-8` when the client lists it, else UTF-16 (which every client supports).
    #[must_use]
    pub fn negotiate(capabilities: &ClientCapabilities) -> Encoding {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    #[must_use]
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }
}

/// Byte offsets of one text ↔ positions.
pub struct PositionMap<'a> {
    text: &'a str,
    index: Cow<'a, LineIndex>,
    encoding: Encoding,
}

impl<'a> PositionMap<'a> {
    #[must_use]
    pub fn new(text: &'a str, encoding: Encoding) -> PositionMap<'a> {
        PositionMap {
            text,
            index: Cow::Owned(LineIndex::new(text)),
            encoding,
        }
    }

    /// The map of an open document's version, with the line index it keeps.
    #[must_use]
    pub fn of(snapshot: &'a crate::documents::Snapshot, encoding: Encoding) -> PositionMap<'a> {
        PositionMap {
            text: &snapshot.text,
            index: Cow::Borrowed(snapshot.index()),
            encoding,
        }
    }

    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let LineColumn { line, column } =
            self.index.position(self.text, offset, self.encoding.unit());
        Position::new(saturate(line), saturate(column))
    }

    #[must_use]
    pub fn range(&self, range: &std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// Byte offset of a position, clamped into the text.
    #[must_use]
    pub fn offset(&self, position: Position) -> usize {
        self.index.offset(
            self.text,
            LineColumn {
                line: position.line as usize,
                column: position.character as usize,
            },
            self.encoding.unit(),
        )
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Char index in `rope` of an LSP position, clamped: a line past the end is the end of
/// the text, a column past the end of its line is the end of the line (before its
/// terminator), a column inside a surrogate pair or a multi-byte character is rounded
/// down to the character's start.
#[must_use]
pub fn rope_char_index(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let line_slice = rope.line(line);
    let mut content_chars = line_slice.len_chars();
    // Exclude the terminator (\n, \r\n or \r).
    while content_chars > 0 {
        let last = line_slice.char(content_chars - 1);
        if last == '\n' || last == '\r' {
            content_chars -= 1;
        } else {
            break;
        }
    }
    let wanted = position.character as usize;
    let mut consumed = 0;
    for (index, character) in line_slice.chars().take(content_chars).enumerate() {
        let width = match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
        if consumed + width > wanted {
            return line_start + index;
        }
        consumed += width;
    }
    line_start + content_chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns_after_non_ascii() {
        let text = "# é😀\nKEY=v\n";
        let emoji_end = text.find('\n').unwrap();
        let utf16 = PositionMap::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(emoji_end), Position::new(0, 5));
        assert_eq!(utf16.offset(Position::new(0, 5)), emoji_end);
        let utf8 = PositionMap::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(emoji_end), Position::new(0, 8));
        assert_eq!(utf8.offset(Position::new(0, 8)), emoji_end);
        assert_eq!(utf8.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn rope_positions_clamp() {
        let rope = Rope::from_str("a😀b\r\nxy");
        assert_eq!(
            rope_char_index(&rope, Position::new(0, 3), Encoding::Utf16),
            2
        );
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(
            rope_char_index(&rope, Position::new(0, 2), Encoding::Utf16),
            1
        );
        assert_eq!(
            rope_char_index(&rope, Position::new(0, 99), Encoding::Utf16),
            3
        );
        assert_eq!(
            rope_char_index(&rope, Position::new(1, 1), Encoding::Utf8),
            6
        );
        assert_eq!(
            rope_char_index(&rope, Position::new(7, 0), Encoding::Utf8),
            7
        );
        assert_eq!(
            rope_char_index(&rope, Position::new(0, 5), Encoding::Utf8),
            2
        );
    }
}

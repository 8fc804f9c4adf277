//! Byte offsets to line/column positions.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as in the LSP specification, so the CLI and
//! the server agree on line numbers even in classic-Mac files.

/// A position: 0-based line, 0-based column in the unit the caller asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The unit columns are counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8 (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP `utf-16`, the default).
    Utf16,
    /// Unicode scalar values (the CLI and LSP `utf-32`).
    Scalar,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        // Without a `\r`, lines end only at `\n`. Lines are short: one iterator over all
        // of them, not a search started again per line, and room for them up front.
        if memchr::memchr(b'\r', bytes).is_none() {
            let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
            line_starts.push(0);
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|index| index + 1));
            return LineIndex { line_starts };
        }
        let mut line_starts = vec![0];
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&index| bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n'))
                .map(|index| index + 1),
        );
        LineIndex { line_starts }
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` (0-based) starts, if it exists.
    #[must_use]
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// 0-based line of a byte offset.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Position of a byte offset. An offset inside a multi-byte character counts as its start.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let line_text = &text[self.line_starts[line]..offset];
        let column = match unit {
            ColumnUnit::Utf8 => line_text.len(),
            ColumnUnit::Utf16 => line_text.chars().map(char::len_utf16).sum(),
            ColumnUnit::Scalar => line_text.chars().count(),
        };
        LineColumn { line, column }
    }

    /// Byte offset of a position; columns past the end of the line clamp to the line end
    /// (before its terminator), lines past the end clamp to the end of the text.
    #[must_use]
    pub fn offset(&self, text: &str, position: LineColumn, unit: ColumnUnit) -> usize {
        let Some(&start) = self.line_starts.get(position.line) else {
            return text.len();
        };
        let end = self
            .line_starts
            .get(position.line + 1)
            .copied()
            .unwrap_or(text.len());
        let line_text = text[start..end].trim_end_matches(['\n', '\r']);
        let mut consumed = 0;
        for (byte_index, character) in line_text.char_indices() {
            if consumed >= position.column {
                return start + byte_index;
            }
            consumed += match unit {
                ColumnUnit::Utf8 => character.len_utf8(),
                ColumnUnit::Utf16 => character.len_utf16(),
                ColumnUnit::Scalar => 1,
            };
        }
        start + line_text.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_start_after_each_break() {
        let starts = |text: &str| LineIndex::new(text).line_starts;
        assert_eq!(starts(""), [0]);
        assert_eq!(starts("\n"), [0, 1]);
        assert_eq!(starts("A=1\nB=2"), [0, 4]);
        assert_eq!(starts("A=1\nB=2\n\n"), [0, 4, 8, 9]);
        assert_eq!(starts("A=1\r\nB=2\rC=3\n"), [0, 5, 9, 13]);
        assert_eq!(starts("é\n😀\n"), [0, 3, 8]);
    }

    proptest::proptest! {
        /// A line starts after every `\n` and after every `\r` that no `\n` follows.
        #[test]
        fn lines_start_after_every_line_break(text in "[a\r\né=]{0,40}") {
            let bytes = text.as_bytes();
            let expected: Vec<usize> = std::iter::once(0)
                .chain((0..bytes.len()).filter_map(|at| {
                    let ends_line = bytes[at] == b'\n'
                        || (bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
                    ends_line.then_some(at + 1)
                }))
                .collect();
            proptest::prop_assert_eq!(LineIndex::new(&text).line_starts, expected);
        }
    }

    #[test]
    fn columns_count_scalars_and_utf16_units() {
        let text = "# é😀\nKEY=v\r\nX=1\rY=2";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let emoji_end = text.find('\n').unwrap();
        assert_eq!(
            index.position(text, emoji_end, ColumnUnit::Scalar),
            LineColumn { line: 0, column: 4 }
        );
        assert_eq!(
            index.position(text, emoji_end, ColumnUnit::Utf16),
            LineColumn { line: 0, column: 5 }
        );
        assert_eq!(
            index.position(text, emoji_end, ColumnUnit::Utf8),
            LineColumn { line: 0, column: 8 }
        );
        let y = text.rfind('Y').unwrap();
        assert_eq!(
            index.position(text, y, ColumnUnit::Scalar),
            LineColumn { line: 3, column: 0 }
        );
        assert_eq!(
            index.offset(text, LineColumn { line: 0, column: 5 }, ColumnUnit::Utf16),
            emoji_end
        );
        assert_eq!(
            index.offset(
                text,
                LineColumn {
                    line: 1,
                    column: 99
                },
                ColumnUnit::Utf16
            ),
            text.find('\r').unwrap()
        );
    }
}

//! Parsing only the parts of a file that can hold a read. Parsing is most of the cost of
//! reading code, and most of a file that reads one variable is other code: so the parser
//! is given the top-level items (from a line that starts at column 0 to the next such
//! line) that contain a marker, as tree-sitter "included ranges". The parts keep their
//! offsets, so every range reported is the file's own.
//!
//! An item boundary inside a multi-line string or comment would make a window start in
//! the middle of it; a cheap count of the delimiters before a boundary rejects those, and
//! a window parse with any syntax error is redone on the whole file. Only languages whose
//! multi-line strings have delimiters of their own are windowed (Python's triple quotes,
//! the backticks of JavaScript, TypeScript and Go): in Rust, Java and C# any string may
//! span lines, and a count of `"` would not tell.

use std::ops::Range;

use crate::Language;

/// How a language continues a statement on a line that starts at column 0, and which
/// delimiters open text that can span lines.
struct Layout {
    /// Line starts that continue the item above (`}`, `else:`), not begin a new one.
    continuations: &'static [&'static str],
    /// Delimiters that open and close a multi-line string or comment with the same text
    /// (`"""`, a backtick): an odd count before a line means the line is inside one.
    paired: &'static [&'static str],
    /// Comment openers and closers (`/*`, `*/`).
    block_comment: Option<(&'static str, &'static str)>,
}

fn layout(language: Language) -> Option<Layout> {
    match language {
        Language::Python => Some(Layout {
            continuations: &[
                ")", "]", "}", ".", "else", "elif", "except", "finally", "case",
            ],
            paired: &["\"\"\"", "'''"],
            block_comment: None,
        }),
        Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Go => {
            Some(Layout {
                continuations: &[
                    "}", ")", "]", ".", "?", ":", "&&", "||", "+", "catch", "else", "finally",
                ],
                paired: &["`"],
                block_comment: Some(("/*", "*/")),
            })
        }
        Language::Rust | Language::Java | Language::CSharp => None,
    }
}

/// Byte offsets of the starts of the lines of `text`.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'\n')
                .map(|(index, _)| index + 1),
        )
        .filter(|&start| start < text.len())
        .collect()
}

/// Whether the line at `start` begins a top-level item: text at column 0 that does not
/// continue the line above.
fn begins_item(text: &str, start: usize, layout: &Layout) -> bool {
    let line = &text[start..];
    let Some(first) = line.chars().next() else {
        return false;
    };
    !first.is_whitespace()
        && !layout
            .continuations
            .iter()
            .any(|prefix| line.starts_with(prefix))
}

/// Whether `offset` is outside every multi-line string and block comment, by counting
/// their delimiters before it (a count fooled by a delimiter inside a string only makes a
/// window start earlier, or fail to parse and fall back to the whole file).
fn outside_text(text: &str, offset: usize, layout: &Layout) -> bool {
    let before = &text[..offset];
    let paired = layout
        .paired
        .iter()
        .all(|delimiter| before.matches(delimiter).count() % 2 == 0);
    let comments = layout
        .block_comment
        .is_none_or(|(open, close)| before.matches(open).count() <= before.matches(close).count());
    paired && comments
}

/// The byte ranges to parse: the top-level items holding a marker, merged. `None` for the
/// whole file: a language not windowed, or windows that would be most of the file anyway.
pub(crate) fn windows(
    language: Language,
    text: &str,
    markers: &[&str],
) -> Option<Vec<Range<usize>>> {
    let layout = layout(language)?;
    let starts = line_starts(text);
    let line_of = |offset: usize| starts.partition_point(|&start| start <= offset) - 1;
    let mut hits: Vec<usize> = markers
        .iter()
        .flat_map(|marker| text.match_indices(marker).map(|(offset, _)| offset))
        .collect();
    hits.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for hit in hits {
        if windows.last().is_some_and(|window| window.contains(&hit)) {
            continue;
        }
        let line = line_of(hit);
        let start = (0..=line)
            .rev()
            .map(|index| starts[index])
            .find(|&start| {
                start == 0
                    || (begins_item(text, start, &layout) && outside_text(text, start, &layout))
            })
            .unwrap_or(0);
        let end = ((line + 1)..starts.len())
            .map(|index| starts[index])
            .find(|&start| begins_item(text, start, &layout) && outside_text(text, start, &layout))
            .unwrap_or(text.len());
        match windows.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    let covered: usize = windows.iter().map(|window| window.len()).sum();
    (covered * 10 < text.len() * 6).then_some(windows)
}

/// The windows as tree-sitter ranges (they start and end at line starts: column 0).
pub(crate) fn included_ranges(text: &str, windows: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    let row_of = |offset: usize| {
        text.as_bytes()[..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
    };
    windows
        .iter()
        .map(|window| tree_sitter::Range {
            start_byte: window.start,
            end_byte: window.end,
            start_point: tree_sitter::Point {
                row: row_of(window.start),
                column: 0,
            },
            end_point: if window.end == text.len() {
                let row = row_of(window.end);
                let column = window.end
                    - text[..window.end]
                        .rfind('\n')
                        .map_or(0, |newline| newline + 1);
                tree_sitter::Point { row, column }
            } else {
                tree_sitter::Point {
                    row: row_of(window.end),
                    column: 0,
                }
            },
        })
        .collect()
}

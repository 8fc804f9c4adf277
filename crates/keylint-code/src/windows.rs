//! Parsing only the parts of a file that can hold a read. Parsing is most of the cost of
//! reading code, and most of a file that reads one variable is other code: so the parser
//! is given the parts that contain a marker, as tree-sitter "included ranges". The parts
//! keep their offsets, so every range reported is the file's own.
//!
//! Python, JavaScript, TypeScript and Go are cut into top-level items (from a line that
//! starts at column 0 to the next such line). An item boundary inside a multi-line string
//! or comment would make a window start in the middle of it; a cheap count of the
//! delimiters before a boundary rejects those (their multi-line strings have delimiters
//! of their own: triple quotes, backticks). Rust, Java and C#, where any string may span
//! lines and everything sits in a class, are cut by their braces ([`block_windows`]).
//! Either way, a window parse with any syntax error is redone on the whole file.

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
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|index| index + 1))
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

/// The byte ranges to parse for the markers found at `hits` (in order), merged. `None`
/// for the whole file: windows the scan cannot be sure of, or that would be most of the
/// file anyway.
pub(crate) fn windows(language: Language, text: &str, hits: &[usize]) -> Option<Vec<Range<usize>>> {
    let windows = match layout(language) {
        Some(layout) => line_windows(text, hits, &layout),
        None => block_windows(language, text, hits)?,
    };
    let covered: usize = windows.iter().map(|window| window.len()).sum();
    (covered * 10 < text.len() * 6).then_some(windows)
}

/// The top-level items holding a hit, merged.
fn line_windows(text: &str, hits: &[usize], layout: &Layout) -> Vec<Range<usize>> {
    let starts = line_starts(text);
    let line_of = |offset: usize| starts.partition_point(|&start| start <= offset) - 1;
    let mut windows: Vec<Range<usize>> = Vec::new();
    for &hit in hits {
        if windows.last().is_some_and(|window| window.contains(&hit)) {
            continue;
        }
        let line = line_of(hit);
        let start = (0..=line)
            .rev()
            .map(|index| starts[index])
            .find(|&start| {
                start == 0
                    || (begins_item(text, start, layout) && outside_text(text, start, layout))
            })
            .unwrap_or(0);
        let end = ((line + 1)..starts.len())
            .map(|index| starts[index])
            .find(|&start| begins_item(text, start, layout) && outside_text(text, start, layout))
            .unwrap_or(text.len());
        match windows.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

/// The windows as tree-sitter ranges.
pub(crate) fn included_ranges(text: &str, windows: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    // Every line start, the one just past a final newline too: its row is the end's.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|index| index + 1))
        .collect();
    let point = |offset: usize| {
        let row = starts.partition_point(|&start| start <= offset) - 1;
        tree_sitter::Point {
            row,
            column: offset - starts[row],
        }
    };
    windows
        .iter()
        .map(|window| tree_sitter::Range {
            start_byte: window.start,
            end_byte: window.end,
            start_point: point(window.start),
            end_point: point(window.end),
        })
        .collect()
}

/// Rust, Java and C# are cut by their braces instead: the statements and members of a
/// block end at a `;` or a `}` at the block's own level, and the blocks are found by a
/// scan that skips strings, characters and comments as the language writes them. A
/// window is the member holding a marker; when that member opens a block holding the
/// marker (a class, an `impl`, a function), its header and closing brace are kept and
/// the cut goes on inside, [`MAX_DEPTH`] blocks deep.
const MAX_DEPTH: usize = 2;

/// A `{ … }` block the scan found, or the whole file (`open` 0, `close` its length).
struct Block {
    open: usize,
    close: usize,
    /// Where the statements and members inside end: just after the `{`, after each `;`
    /// or `}` at this level, and at the closing `}`.
    boundaries: Vec<usize>,
    /// Blocks opened directly at this level (not inside parentheses), in order.
    children: Vec<usize>,
}

/// What an open bracket is: a block, or a bracket (`(`, `[`, a `{` inside them) that
/// only has to close.
enum Open {
    Block(usize),
    Bracket(u8),
}

/// The blocks of `text`; `None` when the scan cannot be sure of them (brackets that do
/// not match, C# interpolated or raw strings and `#if`, whose braces it does not follow).
fn blocks(language: Language, text: &str) -> Option<Vec<Block>> {
    let bytes = text.as_bytes();
    let mut blocks = vec![Block {
        open: 0,
        close: bytes.len(),
        boundaries: vec![0],
        children: Vec::new(),
    }];
    let mut stack: Vec<Open> = Vec::new();
    let current = |stack: &[Open]| match stack.last() {
        None => Some(0),
        Some(Open::Block(block)) => Some(*block),
        Some(Open::Bracket(_)) => None,
    };
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let next = bytes.get(at + 1).copied();
        at = match byte {
            b'/' if next == Some(b'/') => memchr_or_end(b'\n', bytes, at),
            b'/' if next == Some(b'*') => block_comment(bytes, at, language == Language::Rust)?,
            b'"' if language == Language::CSharp && bytes[at..].starts_with(b"\"\"\"") => {
                return None;
            }
            b'"' if language == Language::Java && bytes[at..].starts_with(b"\"\"\"") => bytes
                [at + 3..]
                .windows(3)
                .position(|window| window == b"\"\"\"")
                .map(|end| at + 3 + end + 3)?,
            b'"' => quoted(bytes, at, b'"')?,
            b'\'' => character(bytes, at),
            b'r' if language == Language::Rust && starts_token(bytes, at) => raw_string(bytes, at),
            b'@' if language == Language::CSharp && next == Some(b'"') => verbatim(bytes, at + 1)?,
            b'$' | b'#' if language == Language::CSharp => {
                if matches!(next, Some(b'"' | b'@')) || bytes[at..].starts_with(b"#if") {
                    return None;
                }
                at + 1
            }
            b'(' | b'[' => {
                stack.push(Open::Bracket(if byte == b'(' { b')' } else { b']' }));
                at + 1
            }
            b')' | b']' => match stack.pop() {
                Some(Open::Bracket(closer)) if closer == byte => at + 1,
                _ => return None,
            },
            b'{' => {
                if let Some(parent) = current(&stack) {
                    let block = blocks.len();
                    blocks.push(Block {
                        open: at,
                        close: at,
                        boundaries: vec![at + 1],
                        children: Vec::new(),
                    });
                    blocks[parent].children.push(block);
                    stack.push(Open::Block(block));
                } else {
                    stack.push(Open::Bracket(b'}'));
                }
                at + 1
            }
            b'}' => {
                match stack.pop() {
                    Some(Open::Block(block)) => {
                        blocks[block].close = at;
                        blocks[block].boundaries.push(at);
                        let parent = current(&stack)?;
                        blocks[parent].boundaries.push(at + 1);
                    }
                    Some(Open::Bracket(b'}')) => {}
                    _ => return None,
                }
                at + 1
            }
            b';' => {
                if let Some(block) = current(&stack) {
                    blocks[block].boundaries.push(at + 1);
                }
                at + 1
            }
            _ => at + 1,
        };
    }
    if !stack.is_empty() {
        return None;
    }
    blocks[0].boundaries.push(bytes.len());
    Some(blocks)
}

/// The offset of the next `byte` at or after `from`, or the end.
fn memchr_or_end(byte: u8, bytes: &[u8], from: usize) -> usize {
    memchr::memchr(byte, &bytes[from..]).map_or(bytes.len(), |offset| from + offset)
}

/// Just after the `/* … */` at `at` (Rust's nest).
fn block_comment(bytes: &[u8], at: usize, nested: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut index = at;
    while index + 1 < bytes.len() {
        match (bytes[index], bytes[index + 1]) {
            (b'/', b'*') if depth == 0 || nested => {
                depth += 1;
                index += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                index += 2;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => index += 1,
        }
    }
    None
}

/// Just after the string or character opened by `quote` at `at` (`\` escapes).
fn quoted(bytes: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut index = at + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            found if found == quote => return Some(index + 1),
            _ => index += 1,
        }
    }
    None
}

/// Just after the character literal at `at` (`'x'`, `'\n'`, `'é'`), or after the `'` of
/// a Rust lifetime or label (`'a`).
fn character(bytes: &[u8], at: usize) -> usize {
    if bytes.get(at + 1) == Some(&b'\\') {
        return quoted(bytes, at, b'\'').unwrap_or(bytes.len());
    }
    let width = bytes.get(at + 1).map_or(1, |&first| match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    });
    if bytes.get(at + 1 + width) == Some(&b'\'') {
        at + 2 + width
    } else {
        at + 1
    }
}

/// Whether the `r` at `at` starts a token (`r"…"`, `br#"…"#`), not ends an identifier.
fn starts_token(bytes: &[u8], at: usize) -> bool {
    let identifier = |index: usize| bytes[index].is_ascii_alphanumeric() || bytes[index] == b'_';
    match at {
        0 => true,
        _ if !identifier(at - 1) => true,
        1 => matches!(bytes[0], b'b' | b'c'),
        _ => matches!(bytes[at - 1], b'b' | b'c') && !identifier(at - 2),
    }
}

/// Just after the Rust raw string at `at` (`r"…"`, `r#"…"#`), or after the `r` of an
/// identifier.
fn raw_string(bytes: &[u8], at: usize) -> usize {
    let hashes = bytes[at + 1..]
        .iter()
        .take_while(|&&byte| byte == b'#')
        .count();
    let quote = at + 1 + hashes;
    if bytes.get(quote) != Some(&b'"') {
        return at + 1;
    }
    let mut index = quote + 1;
    while index < bytes.len() {
        if bytes[index] == b'"'
            && bytes[index + 1..]
                .iter()
                .take(hashes)
                .filter(|&&byte| byte == b'#')
                .count()
                == hashes
        {
            return index + 1 + hashes;
        }
        index += 1;
    }
    bytes.len()
}

/// Just after the C# verbatim string whose `"` is at `quote` (`""` is a quote inside).
fn verbatim(bytes: &[u8], quote: usize) -> Option<usize> {
    let mut index = quote + 1;
    while index < bytes.len() {
        if bytes[index] == b'"' {
            if bytes.get(index + 1) == Some(&b'"') {
                index += 2;
                continue;
            }
            return Some(index + 1);
        }
        index += 1;
    }
    None
}

/// The parts of a brace language's file to parse for the marker `hits` (see [`blocks`]).
fn block_windows(language: Language, text: &str, hits: &[usize]) -> Option<Vec<Range<usize>>> {
    let blocks = blocks(language, text)?;
    let mut ranges = Vec::new();
    for &hit in hits {
        let mut block = &blocks[0];
        for depth in 0..=MAX_DEPTH {
            let boundaries = &block.boundaries;
            let after = boundaries.partition_point(|&boundary| boundary <= hit);
            let start = boundaries[after.saturating_sub(1)];
            let end = boundaries.get(after).copied().unwrap_or(block.close);
            let inner = block.children[..block
                .children
                .partition_point(|&child| blocks[child].open < hit)]
                .last()
                .map(|&child| &blocks[child])
                .filter(|child| child.open >= start && child.close > hit);
            match inner {
                Some(child) if depth < MAX_DEPTH => {
                    ranges.push(start..child.open + 1);
                    ranges.push(child.close..end);
                    block = child;
                }
                _ => {
                    ranges.push(start..end);
                    break;
                }
            }
        }
    }
    ranges.sort_unstable_by_key(|range| range.start);
    let mut windows: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match windows.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => windows.push(range),
        }
    }
    Some(windows)
}

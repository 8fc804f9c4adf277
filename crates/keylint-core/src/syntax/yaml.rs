//! YAML with exact byte spans, on top of `saphyr-parser`'s event stream.
//!
//! saphyr-parser is a maintained, pure-Rust YAML 1.2 parser that reports a marker for
//! every event (quoted scalars include their quotes; block scalars start at their
//! content), which is what fixes need. Aliases are kept as leaves and never expanded
//! (no billion-laughs blow-up); nesting is capped, and a syntax error keeps the
//! documents read so far.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

mod block;

/// Deeper nesting than this is reported as an error instead of being followed.
const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlFile {
    pub documents: Vec<Node>,
    /// Anchored nodes by anchor id, for `<<: *defaults` merges.
    pub anchors: HashMap<usize, Node>,
    /// The first syntax error, with the byte range it points at.
    pub error: Option<(Range<usize>, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: NodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Scalar {
        value: String,
        style: Style,
        tag: Option<String>,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    Alias(usize),
}

impl Node {
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .find(|(entry_key, _)| entry_key.as_str() == Some(key))
            .map(|(_, value)| value)
    }

    /// Key/value pairs of a mapping (empty for anything else).
    pub fn entries(&self) -> impl Iterator<Item = (&Node, &Node)> {
        let entries: &[(Node, Node)] = match &self.kind {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        };
        entries.iter().map(|(key, value)| (key, value))
    }

    /// Items of a sequence (empty for anything else).
    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Sequence(items) => items,
            _ => &[],
        }
    }

    /// The scalars under this node that are values, not mapping keys, in document order
    /// (aliases are leaves and skipped).
    #[must_use]
    pub fn value_scalars(&self) -> Vec<&Node> {
        fn collect<'a>(node: &'a Node, found: &mut Vec<&'a Node>) {
            match &node.kind {
                NodeKind::Scalar { .. } => found.push(node),
                NodeKind::Sequence(items) => {
                    for item in items {
                        collect(item, found);
                    }
                }
                NodeKind::Mapping(entries) => {
                    for (_, value) in entries {
                        collect(value, found);
                    }
                }
                NodeKind::Alias(_) => {}
            }
        }
        let mut found = Vec::new();
        collect(self, &mut found);
        found
    }

    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: Style::Plain, .. } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

/// Converts saphyr's character indices to byte offsets, walking forward.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    char_index: usize,
    byte_index: usize,
}

impl Offsets<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_index {
            self.char_index = 0;
            self.byte_index = 0;
        }
        let mut characters = self.text[self.byte_index..].chars();
        while self.char_index < char_index {
            let Some(character) = characters.next() else {
                break;
            };
            self.char_index += 1;
            self.byte_index += character.len_utf8();
        }
        self.byte_index
    }

    fn range(&mut self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..end
    }
}

enum Frame {
    Sequence {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
    },
}

#[must_use]
pub fn parse(text: &str) -> YamlFile {
    block::parse(text).unwrap_or_else(|| parse_events(text))
}

/// The general reader, on saphyr's events.
fn parse_events(text: &str) -> YamlFile {
    let mut offsets = Offsets {
        text,
        ascii: text.is_ascii(),
        char_index: 0,
        byte_index: 0,
    };
    let mut parser = Parser::new_from_str(text);
    let mut file = YamlFile {
        documents: Vec::new(),
        anchors: HashMap::new(),
        error: None,
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(error)) => {
                let at = offsets.byte(error.marker().index());
                let end = text[at..]
                    .chars()
                    .next()
                    .map_or(at, |character| at + character.len_utf8());
                file.error = Some((at..end, error.info().to_string()));
                break;
            }
        };
        let range = offsets.range(&span);
        let finished = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {
                None
            }
            Event::Alias(id) => Some(Node {
                span: range,
                kind: NodeKind::Alias(id),
            }),
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let span = if matches!(style, Style::Literal | Style::Folded) {
                    // The marker's end includes the next line's indentation.
                    range.start
                        ..range.start + text[range.clone()].trim_end_matches([' ', '\t']).len()
                } else {
                    range
                };
                let tag = tag.map(|tag| format!("{}{}", tag.handle, tag.suffix));
                let node = Node {
                    span,
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        style,
                        tag,
                    },
                };
                if anchor > 0 {
                    file.anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                file.error = Some((range, format!("nested deeper than {MAX_DEPTH} levels")));
                break;
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Sequence {
                    start: range.start,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Mapping {
                    start: range.start,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (start, anchor, kind) = match stack.pop() {
                    Some(Frame::Sequence {
                        start,
                        anchor,
                        items,
                    }) => (start, anchor, NodeKind::Sequence(items)),
                    Some(Frame::Mapping {
                        start,
                        anchor,
                        entries,
                        ..
                    }) => (start, anchor, NodeKind::Mapping(entries)),
                    None => continue,
                };
                let node = Node {
                    span: start..range.end.max(start),
                    kind,
                };
                if anchor > 0 {
                    file.anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            None => file.documents.push(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
    file
}

/// Byte offset of the `|` or `>` indicator of a block scalar whose content starts at `content_start`.
#[must_use]
pub fn block_indicator(text: &str, content_start: usize) -> Option<usize> {
    let before = &text[..content_start];
    let header_end = before.trim_end_matches([' ', '\t', '\n', '\r']).len();
    let line_start = before[..header_end]
        .rfind('\n')
        .map_or(0, |index| index + 1);
    let header = &before[line_start..header_end];
    let header = header
        .find(" #")
        .map_or(header, |comment| &header[..comment]);
    header.rfind(['|', '>']).map(|index| line_start + index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes_and_cover_quotes() {
        let text = "a:\n  é: \"sk-x\"\n  b: |\n    v\n  c: [1, 'q']\n";
        let file = parse(text);
        assert!(file.error.is_none());
        let root = &file.documents[0];
        let inner = root.get("a").unwrap();
        let (key, value) = inner.entries().next().unwrap();
        assert_eq!(&text[key.span.clone()], "é");
        assert_eq!(&text[value.span.clone()], "\"sk-x\"");
        let block = inner.get("b").unwrap();
        assert_eq!(block.as_str(), Some("v\n"));
        assert_eq!(&text[block.span.clone()], "v\n");
        assert_eq!(
            &text[block_indicator(text, block.span.start).unwrap()..][..1],
            "|"
        );
        assert_eq!(
            &text[inner.get("c").unwrap().items()[1].span.clone()],
            "'q'"
        );
    }

    #[test]
    fn errors_and_depth_do_not_panic() {
        assert!(parse("a: [\n").error.is_some());
        assert!(parse(&"[".repeat(10_000)).error.is_some());
        let laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n";
        assert!(parse(laughs).error.is_none());
    }
}

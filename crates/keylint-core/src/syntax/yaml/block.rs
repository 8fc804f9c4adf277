//! A direct reader for the block YAML most configuration files are written in: one
//! document, block mappings and sequences, one-line plain and quoted scalars without
//! escapes, one-line flow sequences of such scalars, comments. It gives exactly what the
//! `saphyr-parser` path gives, spans included (a property test compares them), and
//! `None` for anything else (other characters than printable ASCII, tabs, `\r`, anchors,
//! aliases, tags, block scalars, flow mappings, escapes, multi-line scalars, sequences
//! at their key's indentation, document markers, errors), which that path then reads.

use std::collections::HashMap;

use super::{MAX_DEPTH, Node, NodeKind, Style, YamlFile};
use crate::helpers::plain_run;

pub(super) fn parse(text: &str) -> Option<YamlFile> {
    let is_read = |byte: u8| byte == b'\n' || (b' '..=b'~').contains(&byte);
    if plain_run(text.as_bytes(), is_read) < text.len() {
        return None;
    }
    let reader = Reader {
        text,
        bytes: text.as_bytes(),
    };
    let (first, 0) = reader.next_content(0)? else {
        return None;
    };
    let (root, None) = reader.collection(first, 0, 0, false)? else {
        return None;
    };
    Some(YamlFile {
        documents: vec![root],
        anchors: HashMap::new(),
        error: None,
    })
}

/// The next line with content: where its content starts and its indentation; `None` at
/// the end of the text.
type Next = Option<(usize, usize)>;

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
}

/// Characters that cannot start a plain scalar (or start something this reader leaves
/// to saphyr).
fn is_indicator(byte: u8) -> bool {
    b"-?:,[]{}#&*!|>'\"%@`".contains(&byte)
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b'/')
}

fn scalar(span: std::ops::Range<usize>, value: &str, style: Style) -> Node {
    Node {
        span,
        kind: NodeKind::Scalar {
            value: value.to_string(),
            style,
            tag: None,
        },
    }
}

impl Reader<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn skip_spaces(&self, mut at: usize) -> usize {
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        at
    }

    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |end| at + end)
    }

    /// Whether nothing but a comment is left on the line at `at` (spaces skipped).
    fn at_line_end(&self, at: usize) -> bool {
        match self.byte(at) {
            None | Some(b'\n') => true,
            Some(b'#') => at > 0 && self.bytes[at - 1] == b' ',
            Some(_) => false,
        }
    }

    /// After a closing quote or bracket at `at - 1`: where its token ends (spaces and a
    /// comment included, as saphyr's marker ends) when only they follow on the line.
    fn token_end(&self, at: usize) -> Option<usize> {
        let after = self.skip_spaces(at);
        match self.byte(after) {
            None | Some(b'\n') => Some(after),
            Some(b'#') if after > at => Some(self.line_end(after)),
            Some(_) => None,
        }
    }

    fn next_content(&self, mut line: usize) -> Next {
        while line < self.bytes.len() {
            let content = self.skip_spaces(line);
            match self.byte(content) {
                None => return None,
                Some(b'\n' | b'#') => line = self.line_end(content) + 1,
                Some(_) => return Some((content, content - line)),
            }
        }
        None
    }

    /// The next content after the line of `at`, which must not continue what ended there
    /// (a line indented deeper than `indent`).
    fn next_not_deeper(&self, at: usize, indent: usize) -> Option<Next> {
        let next = self.next_content(self.line_end(at) + 1);
        match next {
            Some((_, deeper)) if deeper > indent => None,
            _ => Some(next),
        }
    }

    fn end_of(&self, next: Next) -> usize {
        next.map_or(self.bytes.len(), |(content, _)| content)
    }

    /// A plain key and the offset of the `:` after it that makes it one.
    fn key(&self, at: usize) -> Option<(Node, usize)> {
        let first = self.byte(at)?;
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let length = self.bytes[at..]
            .iter()
            .position(|&byte| !is_key_byte(byte))
            .unwrap_or(self.bytes.len() - at);
        let colon = at + length;
        if length >= 1024
            || self.byte(colon) != Some(b':')
            || !matches!(self.byte(colon + 1), None | Some(b' ' | b'\n'))
        {
            return None;
        }
        Some((
            scalar(at..colon, &self.text[at..colon], Style::Plain),
            colon,
        ))
    }

    /// A block sequence (`sequence`) or mapping at `indent`, from its first entry at
    /// `start` up to the first line indented less, and that line.
    fn collection(
        &self,
        start: usize,
        indent: usize,
        depth: usize,
        sequence: bool,
    ) -> Option<(Node, Next)> {
        // A flow sequence inside counts one level deeper.
        if depth + 1 >= MAX_DEPTH {
            return None;
        }
        let (mut items, mut entries) = (Vec::new(), Vec::new());
        let mut at = start;
        let next = loop {
            let next = if sequence {
                let (item, next) = self.item(at, indent, depth)?;
                items.push(item);
                next
            } else {
                let (entry, next) = self.entry(at, indent, depth)?;
                entries.push(entry);
                next
            };
            match next {
                Some((content, same))
                    if same == indent && (self.bytes[content] == b'-') == sequence =>
                {
                    at = content;
                }
                Some((_, less)) if less < indent => break next,
                None => break None,
                Some(_) => return None,
            }
        };
        let kind = if sequence {
            NodeKind::Sequence(items)
        } else {
            NodeKind::Mapping(entries)
        };
        let node = Node {
            span: start..self.end_of(next),
            kind,
        };
        Some((node, next))
    }

    /// A `key: value` entry of a mapping at `indent`.
    fn entry(&self, at: usize, indent: usize, depth: usize) -> Option<((Node, Node), Next)> {
        let (key, colon) = self.key(at)?;
        let value_at = self.skip_spaces(colon + 1);
        if !self.at_line_end(value_at) {
            let value = self.inline_value(value_at)?;
            return Some(((key, value), self.next_not_deeper(value_at, indent)?));
        }
        let next = self.next_content(self.line_end(value_at) + 1);
        let (value, next) = match next {
            Some((content, deeper)) if deeper > indent => {
                self.collection(content, deeper, depth + 1, self.bytes[content] == b'-')?
            }
            Some((content, same)) if same == indent && self.bytes[content] == b'-' => {
                return None;
            }
            _ => (scalar(colon..colon, "", Style::Plain), next),
        };
        Some(((key, value), next))
    }

    /// A `- value` item of a sequence at `indent`.
    fn item(&self, at: usize, indent: usize, depth: usize) -> Option<(Node, Next)> {
        if self.byte(at + 1) != Some(b' ') {
            return None;
        }
        let item_at = self.skip_spaces(at + 1);
        if self.at_line_end(item_at) {
            return None;
        }
        if self.key(item_at).is_some() {
            return self.collection(item_at, indent + (item_at - at), depth + 1, false);
        }
        let value = self.inline_value(item_at)?;
        Some((value, self.next_not_deeper(item_at, indent)?))
    }

    /// A scalar or flow sequence that is all the rest of its line (but a comment).
    fn inline_value(&self, at: usize) -> Option<Node> {
        match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, after) = self.quoted(at)?;
                let end = self.token_end(after)?;
                Some(Node {
                    span: at..end,
                    ..node
                })
            }
            b'[' => self.flow_sequence(at),
            byte if is_indicator(byte) => None,
            _ => {
                let line = &self.bytes[at..self.line_end(at)];
                // The value ends at a ` #` comment; a `: ` or a final `:` before it would
                // make the line a mapping entry.
                let mut end = line.len();
                for stop in memchr::memchr2_iter(b' ', b':', line) {
                    match (line[stop], line.get(stop + 1)) {
                        (b' ', Some(b'#')) => {
                            end = stop;
                            break;
                        }
                        (b':', None | Some(b' ')) => return None,
                        _ => {}
                    }
                }
                let value = self.text[at..at + end].trim_end_matches(' ');
                Some(scalar(at..at + value.len(), value, Style::Plain))
            }
        }
    }

    /// A quoted scalar closed on its line without escapes, and the offset after its
    /// closing quote.
    fn quoted(&self, at: usize) -> Option<(Node, usize)> {
        let quote = self.bytes[at];
        let line_end = self.line_end(at);
        let close = at + 1 + memchr::memchr(quote, &self.bytes[at + 1..line_end])?;
        let value = &self.text[at + 1..close];
        let style = if quote == b'"' {
            if value.contains('\\') {
                return None;
            }
            Style::DoubleQuoted
        } else {
            if self.byte(close + 1) == Some(b'\'') {
                return None;
            }
            Style::SingleQuoted
        };
        Some((scalar(at..close + 1, value, style), close + 1))
    }

    fn flow_sequence(&self, start: usize) -> Option<Node> {
        let mut items = Vec::new();
        let mut at = self.skip_spaces(start + 1);
        if self.byte(at)? != b']' {
            loop {
                let item = match self.byte(at)? {
                    b'"' | b'\'' => {
                        let (node, after) = self.quoted(at)?;
                        let end = self.skip_spaces(after);
                        Node {
                            span: at..end,
                            ..node
                        }
                    }
                    byte if is_indicator(byte) => return None,
                    _ => {
                        let length = self.bytes[at..]
                            .iter()
                            .position(|byte| {
                                matches!(
                                    byte,
                                    b',' | b'[' | b']' | b'{' | b'}' | b':' | b'#' | b'\n'
                                )
                            })
                            .unwrap_or(self.bytes.len() - at);
                        let value = self.text[at..at + length].trim_end_matches(' ');
                        // saphyr refuses a word starting `-` before a flow indicator.
                        if value.contains(" -") {
                            return None;
                        }
                        scalar(at..at + value.len(), value, Style::Plain)
                    }
                };
                at = self.skip_spaces(item.span.end);
                items.push(item);
                match self.byte(at)? {
                    b',' => {
                        at = self.skip_spaces(at + 1);
                        if self.byte(at)? == b']' {
                            return None;
                        }
                    }
                    b']' => break,
                    _ => return None,
                }
            }
        }
        let end = self.token_end(at + 1)?;
        Some(Node {
            span: start..end,
            kind: NodeKind::Sequence(items),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::parse_events;

    /// Renders a YAML text of the shapes this reader takes from a stream of choices:
    /// nested mappings and sequences with varied indentation, scalars in every style this
    /// reader knows, comments and blank lines, words that may hold characters that break
    /// those shapes.
    struct Render<'a> {
        choices: &'a [u8],
        at: usize,
        out: String,
    }

    impl Render<'_> {
        fn pick(&mut self, count: u8) -> u8 {
            let choice = self.choices.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            choice % count
        }

        fn word(&mut self) -> String {
            const PLAIN: &[u8] = b"abkz_09.-/";
            const ANY: &[u8] = b"ab_9 :#'\"[]{},&*!|>-=./\\?%@`~";
            let alphabet = if self.pick(4) == 0 { ANY } else { PLAIN };
            let length = 1 + self.pick(6);
            (0..length)
                .map(|_| {
                    char::from(
                        alphabet[usize::from(self.pick(u8::try_from(alphabet.len()).unwrap()))],
                    )
                })
                .collect()
        }

        fn scalar(&mut self) -> String {
            match self.pick(6) {
                0 => format!("\"{}\"", self.word()),
                1 => format!("'{}'", self.word()),
                2 => {
                    let words: Vec<String> = (0..self.pick(3)).map(|_| self.word()).collect();
                    format!(
                        "[{}]",
                        words.join(if self.pick(2) == 0 { ", " } else { " ,  " })
                    )
                }
                _ => self.word(),
            }
        }

        fn line_end(&mut self) {
            match self.pick(8) {
                0 => self.out.push_str(" # note"),
                1 => self.out.push_str("  "),
                2 => self.out.push_str("#x"),
                _ => {}
            }
            self.out.push('\n');
            match self.pick(10) {
                0 => self.out.push('\n'),
                1 => self.out.push_str("  # aside\n"),
                2 => self.out.push_str("#\n"),
                _ => {}
            }
        }

        fn indent(&mut self, indent: usize) {
            self.out.push_str(&" ".repeat(indent));
        }

        fn mapping(&mut self, indent: usize, depth: usize, inline_first: bool) {
            for entry in 0..1 + self.pick(3) {
                if entry > 0 || !inline_first {
                    self.indent(indent);
                }
                let key = self.word();
                if self.pick(4) > 0 {
                    self.out.push('k');
                }
                self.out.push_str(&key);
                self.out.push(':');
                self.value(indent, depth);
            }
        }

        fn value(&mut self, indent: usize, depth: usize) {
            let choice = if depth < 4 {
                self.pick(5)
            } else {
                self.pick(2)
            };
            match choice {
                0 => {
                    let scalar = self.scalar();
                    self.out.push(' ');
                    self.out.push_str(&scalar);
                    self.line_end();
                }
                1 => self.line_end(),
                2 => {
                    self.line_end();
                    let step = 1 + usize::from(self.pick(3));
                    self.mapping(indent + step, depth + 1, false);
                }
                _ => {
                    self.line_end();
                    let step = usize::from(self.pick(3));
                    self.sequence(indent + step, depth + 1);
                }
            }
        }

        fn sequence(&mut self, indent: usize, depth: usize) {
            for _ in 0..1 + self.pick(3) {
                self.indent(indent);
                let gap = 1 + usize::from(self.pick(2));
                self.out.push('-');
                self.out.push_str(&" ".repeat(gap));
                if self.pick(2) == 0 {
                    self.mapping(indent + 1 + gap, depth + 1, true);
                } else {
                    let scalar = self.scalar();
                    self.out.push_str(&scalar);
                    self.line_end();
                }
            }
        }
    }

    pub(super) fn text(choices: &[u8], edits: &[(usize, u8)]) -> String {
        let mut render = Render {
            choices,
            at: 0,
            out: String::new(),
        };
        render.mapping(0, 0, false);
        let mut text = render.out.into_bytes();
        for &(at, byte) in edits {
            if text.is_empty() {
                break;
            }
            let at = at % text.len();
            match byte % 3 {
                0 => {
                    text.remove(at);
                }
                _ => text.insert(at, b" :#-'\"[],\n"[usize::from(byte) % 10]),
            }
        }
        String::from_utf8(text).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// Whatever this reader reads, it reads as the saphyr path does.
        #[test]
        fn reads_as_saphyr(
            choices in proptest::collection::vec(any::<u8>(), 0..160),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        ) {
            let text = text(&choices, &edits);
            if let Some(file) = super::parse(&text) {
                prop_assert_eq!(file, parse_events(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn leaves_deep_nesting_to_saphyr() {
        for levels in [super::MAX_DEPTH - 2, super::MAX_DEPTH - 1, super::MAX_DEPTH] {
            let mut text: String = (0..levels)
                .map(|level| format!("{}a:\n", " ".repeat(level)))
                .collect();
            text.push_str(&" ".repeat(levels));
            text.push_str("b: [c]\n");
            assert_eq!(super::super::parse(&text), parse_events(&text), "{levels}");
        }
    }

    #[test]
    fn reads_edge_cases_as_saphyr() {
        for text in [
            "a: b\n---\nc: d\n",
            "a:\n  - x\n  b: y\n",
            "a:\n- x\n",
            "a: b\n  c\n",
            "a: b # c\n  d\n",
            "a: [b, c]x\n",
            "a: [b, c] # d\n",
            "a: [b,]\n",
            "a: [b # c\n  ]\n",
            "a: 'it''s'\n",
            "a: \"x\\ty\"\n",
            "a: \"x\" y\n",
            "a: \"x\"# y\n",
            "a:#b\n",
            "a: b: c\n",
            "a: b:\n",
            "a: b:c\n",
            "- a\n",
            "a:\n  b\n",
            "a: -b\n",
            "  a: b\nc: d\n",
            "a:\n    b: c\n  d: e\n",
            "a: b\r\n",
            "a: b\tc\n",
            "a: é\n",
            "",
            "# only\n",
        ] {
            assert_eq!(super::super::parse(text), parse_events(text), "{text:?}");
        }
    }

    #[test]
    fn reads_the_usual_shapes() {
        let text = "services:\n  app:\n    image: example/app:1.0   # pinned\n    env_file: [.env, \"x y\" ]\n    environment:\n      - A=\"x\"\n      - B=y # c\n\n  other:\n    environment:\n      KEY: 'v'  # c\n      EMPTY:\n# end\nspec:\n  containers:\n    - name: app\n      env:\n        - name: K\n          value: \"v\" \n    - b\n";
        let file = super::parse(text).expect("read without saphyr");
        assert_eq!(file, parse_events(text));
    }
}

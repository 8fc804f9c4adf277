//! `$VAR` / `${VAR}` interpolation, as compose-go's `template` package reads it.

use std::ops::Range;

/// One `$…` reference in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolation {
    /// Byte range of the whole reference (`${VAR:-x}`), relative to the scanned text.
    pub range: Range<usize>,
    pub name: String,
    /// `:-`, `-`, `:?`, `?`, `:+`, `+`, or empty for a plain reference.
    pub operator: &'static str,
    /// Text after the operator (the default, the error message or the alternative).
    pub argument: String,
}

impl Interpolation {
    /// The reference has a fallback or fails loudly on its own, so an unset variable is not a silent mistake.
    #[must_use]
    pub fn is_guarded(&self) -> bool {
        !self.operator.is_empty()
    }

    /// Byte range of the name (`VAR` in `${VAR:-x}` or `$VAR`), relative to the scanned
    /// text.
    #[must_use]
    pub fn name_range(&self) -> Range<usize> {
        let braced = self.range.len() > self.name.len() + 1;
        let start = self.range.start + if braced { 2 } else { 1 };
        start..start + self.name.len()
    }

    /// Where [`Interpolation::argument`] starts, relative to the scanned text.
    #[must_use]
    pub fn argument_start(&self) -> usize {
        self.name_range().end + self.operator.len()
    }
}

const OPERATORS: [&str; 6] = [":-", ":?", ":+", "-", "?", "+"];

fn is_name_start(character: char) -> bool {
    character == '_' || character.is_ascii_alphabetic()
}

fn is_name_char(character: char) -> bool {
    character == '_' || character.is_ascii_alphanumeric()
}

/// Finds the references in `text`; `$$` is an escaped dollar and yields nothing.
#[must_use]
pub fn find_interpolations(text: &str) -> Vec<Interpolation> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    // Closing braces are paired in one pass up front: looking for each `${`'s partner on
    // its own would rescan the rest of the text per reference (quadratic on `${${${…`).
    let mut closes: Option<BracePairs> = None;
    let mut index = 0;
    // Every reference starts at a `$`.
    while let Some(dollar) = memchr::memchr(b'$', &bytes[index..]) {
        index += dollar;
        match bytes.get(index + 1) {
            Some(b'$') => index += 2,
            Some(b'{') => {
                let pairs = closes.get_or_insert_with(|| BracePairs::new(bytes));
                let Some(close) = pairs.close_of(index + 1) else {
                    index += 2;
                    continue;
                };
                let inner = &text[index + 2..close];
                let name_len = inner
                    .find(|character: char| !is_name_char(character))
                    .unwrap_or(inner.len());
                let (name, rest) = inner.split_at(name_len);
                let operator = OPERATORS
                    .iter()
                    .find(|operator| rest.starts_with(**operator))
                    .copied();
                if !name.is_empty() && (rest.is_empty() || operator.is_some()) {
                    let operator = operator.unwrap_or("");
                    found.push(Interpolation {
                        range: index..close + 1,
                        name: name.to_string(),
                        operator,
                        argument: rest[operator.len()..].to_string(),
                    });
                }
                index = close + 1;
            }
            Some(&next) if is_name_start(next as char) => {
                let name_len = text[index + 1..]
                    .find(|character: char| !is_name_char(character))
                    .unwrap_or(text.len() - index - 1);
                found.push(Interpolation {
                    range: index..index + 1 + name_len,
                    name: text[index + 1..index + 1 + name_len].to_string(),
                    operator: "",
                    argument: String::new(),
                });
                index += 1 + name_len;
            }
            _ => index += 1,
        }
    }
    found
}

/// Every `{` paired with the `}` that closes it (nesting counted), found in one pass.
struct BracePairs {
    /// (open, close), sorted by open.
    pairs: Vec<(usize, usize)>,
}

impl BracePairs {
    fn new(bytes: &[u8]) -> BracePairs {
        let mut open = Vec::new();
        let mut pairs = Vec::new();
        for (index, byte) in bytes.iter().enumerate() {
            match byte {
                b'{' => open.push(index),
                b'}' => {
                    if let Some(start) = open.pop() {
                        pairs.push((start, index));
                    }
                }
                _ => {}
            }
        }
        pairs.sort_unstable();
        BracePairs { pairs }
    }

    fn close_of(&self, open: usize) -> Option<usize> {
        self.pairs
            .binary_search_by_key(&open, |&(start, _)| start)
            .ok()
            .map(|found| self.pairs[found].1)
    }
}

/// `${A:-${B:-…}}` nested deeper than this is not followed: real files nest once or twice,
/// and following a hostile file's thousands of levels would take time and stack in
/// proportion.
pub const MAX_NESTING: usize = 32;

/// Expands references the way compose-go does, looking names up with `lookup`.
/// `$$` becomes `$`; an unset plain reference becomes empty. `Err` carries the
/// message of a `${VAR:?message}` whose variable is unset, or says that the references
/// nest deeper than [`MAX_NESTING`].
pub fn expand_compose(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    expand_nested(text, lookup, 0)
}

fn expand_nested(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<String, String> {
    if depth > MAX_NESTING {
        return Err(format!(
            "`${{…}}` references nested more than {MAX_NESTING} levels deep: keylint does not follow them"
        ));
    }
    let expand = |argument: &str| expand_nested(argument, lookup, depth + 1);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut index = 0;
    let references = find_interpolations(text);
    let mut references = references.into_iter().peekable();
    while index < text.len() {
        if let Some(reference) = references
            .peek()
            .filter(|reference| reference.range.start == index)
        {
            out.push_str(&text[last..index]);
            let value = lookup(&reference.name);
            let is_set = value.is_some();
            let is_empty = value.as_deref().is_none_or(str::is_empty);
            let expanded = match reference.operator {
                "" => value.unwrap_or_default(),
                ":-" if is_empty => expand(&reference.argument)?,
                "-" if !is_set => expand(&reference.argument)?,
                ":?" if is_empty => {
                    return Err(format!(
                        "required variable {} is missing a value: {}",
                        reference.name, reference.argument
                    ));
                }
                "?" if !is_set => {
                    return Err(format!(
                        "required variable {} is missing a value: {}",
                        reference.name, reference.argument
                    ));
                }
                ":+" => {
                    if is_empty {
                        String::new()
                    } else {
                        expand(&reference.argument)?
                    }
                }
                "+" => {
                    if is_set {
                        expand(&reference.argument)?
                    } else {
                        String::new()
                    }
                }
                _ => value.unwrap_or_default(),
            };
            out.push_str(&expanded);
            index = reference.range.end;
            last = index;
            references.next();
        } else if text[index..].starts_with("$$") {
            out.push_str(&text[last..index]);
            out.push('$');
            index += 2;
            last = index;
        } else {
            // On to the next `$`, where the next reference or `$$` can start.
            index = memchr::memchr(b'$', &text.as_bytes()[index + 1..])
                .map_or(text.len(), |dollar| index + 1 + dollar);
        }
    }
    out.push_str(&text[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_guarded_and_plain_references() {
        let found = find_interpolations("a ${A} $B ${C:-x} ${D:?need D} $$E ${F-${G}}");
        let summary: Vec<(&str, &str)> = found
            .iter()
            .map(|reference| (reference.name.as_str(), reference.operator))
            .collect();
        assert_eq!(
            summary,
            vec![("A", ""), ("B", ""), ("C", ":-"), ("D", ":?"), ("F", "-")]
        );
    }

    #[test]
    fn name_ranges_point_at_the_name() {
        let text = "${A_1:-d} $B ${C}";
        let found = find_interpolations(text);
        assert_eq!(&text[found[0].name_range()], "A_1");
        assert_eq!(
            &text[found[0].argument_start()..found[0].range.end - 1],
            "d"
        );
        assert_eq!(&text[found[1].name_range()], "B");
        assert_eq!(&text[found[2].name_range()], "C");
    }

    #[test]
    fn expands_like_compose() {
        let lookup = |name: &str| (name == "SET").then(|| "v".to_string());
        assert_eq!(
            expand_compose("x${SET}y$SET$$z${UNSET:-d}", &lookup).unwrap(),
            "xvyv$zd"
        );
        assert!(expand_compose("${UNSET:?boom}", &lookup).is_err());
    }

    #[test]
    fn hostile_nesting_and_unclosed_braces_are_bounded() {
        let lookup = |_: &str| None;
        let depth = 12_000;
        let nested = format!("{}x{}", "${B:-".repeat(depth), "}".repeat(depth));
        let error = expand_compose(&nested, &lookup).unwrap_err();
        assert!(error.contains("nested more than 32 levels"), "{error}");
        let shallow = format!(
            "{}x{}",
            "${B:-".repeat(MAX_NESTING),
            "}".repeat(MAX_NESTING)
        );
        assert_eq!(expand_compose(&shallow, &lookup).unwrap(), "x");
        // 240 KB of `${` without a closing brace: no reference, found in one pass.
        assert!(find_interpolations(&"${".repeat(120_000)).is_empty());
        let closed_at_end = format!("{}}}", "${".repeat(120_000));
        assert_eq!(find_interpolations(&closed_at_end).len(), 0);
    }
}

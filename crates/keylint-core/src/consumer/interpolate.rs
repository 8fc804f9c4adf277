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
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] != b'$' {
            index += 1;
            continue;
        }
        match bytes.get(index + 1) {
            Some(b'$') => index += 2,
            Some(b'{') => {
                let Some(close) = matching_brace(text, index + 1) else {
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

fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in text.as_bytes()[open..].iter().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + offset);
                }
            }
            _ => {}
        }
    }
    None
}

/// Expands references the way compose-go does, looking names up with `lookup`.
/// `$$` becomes `$`; an unset plain reference becomes empty. `Err` carries the
/// message of a `${VAR:?message}` whose variable is unset.
pub fn expand_compose(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
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
                ":-" if is_empty => expand_compose(&reference.argument, lookup)?,
                "-" if !is_set => expand_compose(&reference.argument, lookup)?,
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
                        expand_compose(&reference.argument, lookup)?
                    }
                }
                "+" => {
                    if is_set {
                        expand_compose(&reference.argument, lookup)?
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
            index += text[index..].chars().next().map_or(1, char::len_utf8);
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
    fn expands_like_compose() {
        let lookup = |name: &str| (name == "SET").then(|| "v".to_string());
        assert_eq!(
            expand_compose("x${SET}y$SET$$z${UNSET:-d}", &lookup).unwrap(),
            "xvyv$zd"
        );
        assert!(expand_compose("${UNSET:?boom}", &lookup).is_err());
    }
}

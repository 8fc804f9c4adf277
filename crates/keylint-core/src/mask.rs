//! Masking secrets for display. Every value keylint shows that may be a
//! secret goes through [`mask_secret`]; there is no other way to render one.

/// Characters of a secret that must stay hidden besides the shown prefix and tail.
const MIN_HIDDEN: usize = 8;

/// Masks a secret: known prefix + `…` + last 4 characters + length, for example
/// `sk-proj-…x9Qa (164 chars)`. A value with no known prefix shows at most its last 4
/// characters; a value shorter than 12 characters shows only its length.
#[must_use]
pub fn mask_secret(value: &str) -> String {
    let length = value.chars().count();
    let plural = if length == 1 { "char" } else { "chars" };
    match mask_body(value) {
        Some(body) => format!("{body} ({length} {plural})"),
        None => format!("({length} {plural})"),
    }
}

/// The masked text without the length: `sk-proj-…x9Qa`, `…x9Qa`, `…`; `None` for values
/// shorter than 12 characters, which show only their length.
#[must_use]
pub fn mask_body(value: &str) -> Option<String> {
    let length = value.chars().count();
    if length < 12 {
        return None;
    }
    let prefix = crate::provider::KEY_PREFIXES
        .iter()
        .find(|prefix| value.starts_with(**prefix))
        .copied()
        .unwrap_or("");
    let prefix_chars = prefix.chars().count();
    let (prefix, tail) = if length >= prefix_chars + 4 + MIN_HIDDEN {
        (prefix, last_chars(value, 4))
    } else if length >= 4 + MIN_HIDDEN {
        ("", last_chars(value, 4))
    } else {
        ("", "")
    };
    Some(format!("{prefix}…{}", escape_invisible(tail)))
}

/// The last `count` characters of `value` (all of it when shorter).
fn last_chars(value: &str, count: usize) -> &str {
    let start = value
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(value.len(), |(at, _)| at);
    &value[start..]
}

/// Makes invisible and control characters visible: `\r`, `\t`, `\n`, `<NBSP>`,
/// `<BOM>`, `<U+200B>`. Everything else is kept as is.
#[must_use]
pub fn escape_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{a0}' => out.push_str("<NBSP>"),
            '\u{feff}' => out.push_str("<BOM>"),
            other if is_invisible(other) => out.push_str(&format!("<U+{:04X}>", other as u32)),
            other => out.push(other),
        }
    }
    out
}

/// Characters a reader cannot see in an editor but a program receives: control
/// characters, non-ASCII spaces, zero-width characters, bidi controls and the BOM.
#[must_use]
pub fn is_invisible(character: char) -> bool {
    matches!(character,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{a0}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180e}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{206f}'
        | '\u{3000}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_by_prefix_tail_and_length() {
        let key = format!("sk-proj-{}x9Qa", "A".repeat(152));
        assert_eq!(mask_secret(&key), "sk-proj-…x9Qa (164 chars)");
        assert_eq!(
            mask_secret("0123456789abcdef0123456789abcdef"),
            "…cdef (32 chars)"
        );
        assert_eq!(mask_secret("sk-abc"), "(6 chars)");
        assert_eq!(mask_secret("sk-proj-abcdefgh"), "…efgh (16 chars)");
        assert_eq!(mask_secret("abcdefghijkl"), "…ijkl (12 chars)");
        assert_eq!(mask_secret("abcdefghijk"), "(11 chars)");
        assert_eq!(mask_secret("sk-abcdefghijk\r"), "sk-…ijk\\r (15 chars)");
    }

    #[test]
    fn invisible_characters_are_named() {
        assert_eq!(
            escape_invisible("a\u{200b}b\u{a0}\u{feff}\t"),
            "a<U+200B>b<NBSP><BOM>\\t"
        );
        assert_eq!(escape_invisible("é ü"), "é ü");
    }
}

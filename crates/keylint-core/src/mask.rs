//! Masking secrets for display. This module is the one path every string takes before
//! it leaves keylint:
//!
//! - [`mask_secret`] renders a value known to be secret (`sk-proj-…x9Qa (164 chars)`);
//! - [`redact`] finds what is secret-shaped *anywhere* in a string (a key in a name, in a
//!   loader's refusal text, in a URL, split over lines) and masks just that;
//! - [`for_display`] is [`redact`] plus visible control characters, for one-line fields
//!   such as paths, names and messages.
//!
//! Secret-shaped means: a token with a provider key prefix, 32+ hex digits, a long token
//! that mixes letters and digits the way random keys do, the password of a URL, the value
//! of a secret query parameter (`?key=`, `token=`), the token after `Bearer`, and the value
//! of a `NAME=value` whose name says secret.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::helpers::{contains_ignore_ascii_case, plain_run, trim_wrapping};
use crate::provider::{KEY_PREFIX_START, KEY_PREFIXES, key_shape};

/// Characters of a secret that must stay hidden besides the shown prefix and tail.
const MIN_HIDDEN: usize = 8;

/// Masks a secret: known prefix + `…` + last 4 characters + length, for example
/// `sk-proj-…x9Qa (164 chars)`. A value with no known prefix shows at most its last 4
/// characters; a value shorter than 12 characters shows only its length.
#[must_use]
pub fn mask_secret(value: &str) -> String {
    let length = value.chars().count();
    let plural = if length == 1 { "char" } else { "chars" };
    let mut masked = String::new();
    if push_mask_body(&mut masked, value) {
        masked.push(' ');
    }
    for piece in ["(", itoa::Buffer::new().format(length), " ", plural, ")"] {
        masked.push_str(piece);
    }
    masked
}

/// The masked text without the length: `sk-proj-…x9Qa`, `…x9Qa`, `…`; `None` for values
/// shorter than 12 characters, which show only their length.
#[must_use]
pub fn mask_body(value: &str) -> Option<String> {
    let mut body = String::new();
    push_mask_body(&mut body, value).then_some(body)
}

/// Appends [`mask_body`]`(value)` to `out`; `false`, with nothing appended, when it is
/// `None`.
pub(crate) fn push_mask_body(out: &mut String, value: &str) -> bool {
    let length = value.chars().count();
    if length < 12 {
        return false;
    }
    // The list is searched only for values that start as a prefix does, which most do not.
    let prefix = if KEY_PREFIX_START[usize::from(value.as_bytes()[0])] {
        KEY_PREFIXES
            .iter()
            .find(|prefix| value.starts_with(**prefix))
            .copied()
            .unwrap_or("")
    } else {
        ""
    };
    let prefix_chars = prefix.chars().count();
    let (prefix, tail) = if length >= prefix_chars + 4 + MIN_HIDDEN {
        (prefix, last_chars(value, 4))
    } else if length >= 4 + MIN_HIDDEN {
        ("", last_chars(value, 4))
    } else {
        ("", "")
    };
    out.reserve(prefix.len() + '…'.len_utf8() + tail.len());
    out.push_str(prefix);
    out.push('…');
    push_escaped(out, tail);
    true
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
    push_escaped(&mut out, text);
    out
}

/// Appends [`escape_invisible`]`(text)` to `out`.
fn push_escaped(out: &mut String, text: &str) {
    // Printable ASCII, most of what is escaped (a mask's last characters), is copied whole.
    let plain = printable_ascii_run(text.as_bytes());
    out.push_str(&text[..plain]);
    for character in text[plain..].chars() {
        match character {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{a0}' => out.push_str("<NBSP>"),
            '\u{feff}' => out.push_str("<BOM>"),
            other if is_invisible(other) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "<U+{:04X}>", other as u32);
            }
            other => out.push(other),
        }
    }
}

/// Characters a reader cannot see in an editor but a program receives: control
/// characters, non-ASCII spaces, zero-width characters, bidi controls and the BOM.
#[must_use]
pub fn is_invisible(character: char) -> bool {
    // Most characters are ASCII: the ranges below hold its controls but tab and line feed.
    if character.is_ascii() {
        return character.is_ascii_control() && !matches!(character, '\t' | '\n');
    }
    matches!(character,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{a0}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180e}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{206f}'
        | '\u{3000}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}')
}

/// Whether a variable's name says it holds a secret (`*_KEY`, `*_TOKEN`, `*_SECRET`,
/// `*PASSWORD*`, `*_CREDENTIALS`, and looser spellings of those words).
#[must_use]
pub fn is_secret_name(name: &str) -> bool {
    holds_secret_word(name.as_bytes())
}

/// Whether `bytes` hold one of [`SECRET_WORDS`] in any case. One pass, the words compared
/// only where one can start: names are judged for every assignment and every `NAME=` of
/// every message.
fn holds_secret_word(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(at, &byte)| {
        SECRET_WORD_START[usize::from(byte)]
            && SECRET_WORDS.iter().any(|word| {
                bytes[at..]
                    .get(..word.len())
                    .is_some_and(|here| here.eq_ignore_ascii_case(word.as_bytes()))
            })
    })
}

/// The words a secret's name holds ([`is_secret_name`]), in upper case.
const SECRET_WORDS: [&str; 7] = [
    "KEY",
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "CREDENTIAL",
    "AUTH",
];

/// The first letters of [`SECRET_WORDS`], in both cases.
const SECRET_WORD_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    while index < SECRET_WORDS.len() {
        let first = SECRET_WORDS[index].as_bytes()[0];
        table[first as usize] = true;
        table[first.to_ascii_lowercase() as usize] = true;
        index += 1;
    }
    table
};

/// Whether a value must be masked as a whole wherever it is shown: it has a provider
/// key's shape (quotes, blanks and a `Bearer ` around it allowed) or is one random token.
/// A value that only *holds* a secret (a URL with a password, a line swallowed by an open
/// quote) is shown through [`redact`], which masks just that part.
#[must_use]
pub fn is_secret_value(value: &str) -> bool {
    let bare = trim_wrapping(value, |character: char| {
        character.is_whitespace()
            || is_invisible(character)
            || matches!(character, '"' | '\'' | '`' | '“' | '”' | '‘' | '’')
    });
    let bare = bare.strip_prefix("Bearer ").unwrap_or(bare);
    key_shape(bare).is_some() || (bare.bytes().all(is_token_byte) && is_secret_token(bare))
}

/// `text` with everything secret-shaped in it masked (see the module docs); the rest,
/// line breaks included, is kept as is. Masked text stays masked when redacted again.
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in ranges {
        out.push_str(&text[last..range.start]);
        out.push_str(&mask_secret(&text[range.clone()]));
        last = range.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// [`redact`], then control and invisible characters made visible: for one-line fields
/// (paths, names, messages) that must not move a terminal's cursor or hide a character.
#[must_use]
pub fn for_display(text: &str) -> Cow<'_, str> {
    let redacted = redact(text);
    if any_needs_escape(&redacted, false) {
        Cow::Owned(escape_invisible(&redacted))
    } else {
        redacted
    }
}

/// [`redact`] for multi-line text (reports, hover, error chains): each line as by
/// [`for_display`], line breaks kept.
#[must_use]
pub fn for_display_lines(text: &str) -> Cow<'_, str> {
    let redacted = redact(text);
    if !any_needs_escape(&redacted, true) {
        return redacted;
    }
    let lines: Vec<String> = redacted.split('\n').map(escape_invisible).collect();
    Cow::Owned(lines.join("\n"))
}

fn needs_escape(character: char) -> bool {
    matches!(character, '\r' | '\n' | '\t') || is_invisible(character)
}

/// Whether a character of `text` (other than `\n` when `lines`) [`needs_escape`].
fn any_needs_escape(text: &str, lines: bool) -> bool {
    // Printable ASCII, nearly all of a message, is skipped in one search; a control byte
    // is judged alone, and only the characters beyond ASCII are decoded.
    let bytes = text.as_bytes();
    let mut index = 0;
    loop {
        index += printable_ascii_run(&bytes[index..]);
        let Some(&byte) = bytes.get(index) else {
            return false;
        };
        if byte.is_ascii() {
            if byte.is_ascii_control() && !(lines && byte == b'\n') {
                return true;
            }
            index += 1;
        } else {
            let character = text[index..].chars().next().unwrap_or_default();
            if needs_escape(character) {
                return true;
            }
            index += character.len_utf8();
        }
    }
}

/// The length of the printable ASCII (`' '..='~'`) that starts `bytes`.
#[must_use]
pub fn printable_ascii_run(bytes: &[u8]) -> usize {
    plain_run(bytes, |byte| byte.wrapping_sub(b' ') <= b'~' - b' ')
}

/// `scheme://user:PASSWORD@host`: the password (the user and host stay readable).
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z][a-z0-9+.\-]*://[^\s/?#@:]*:([^\s/?#@]+)@")
        .expect("valid pattern")
});
/// `?key=VALUE`, `&access_token=VALUE`…: query and form parameters that carry a secret.
static SECRET_PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[?&;](?:api[_\-]?key|key|access[_\-]?token|token|secret|password|passwd|pwd|sig|signature|auth)=([^&#\s<>`'\x22]+)")
        .expect("valid pattern")
});
/// `Bearer VALUE`.
static BEARER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)bearer[ \t]+([A-Za-z0-9._~+/=\-]{8,})").expect("valid pattern")
});

/// The byte ranges of `text` that are secret-shaped, sorted and merged.
#[must_use]
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    secret_ranges_besides(text, &[])
}

/// [`secret_ranges`] of a text whose `masked` ranges (sorted, apart) are masked anyway,
/// less tokens that lie in one of them. Merged with those ranges where they overlap, the
/// result is the same: a token never meets another range, it can only overlap it (a token
/// is a whole run of token bytes; every other shape starts after a byte that no token ends
/// with and stops at a byte that no token starts with).
#[must_use]
pub(crate) fn secret_ranges_besides(text: &str, masked: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut ranges: Vec<Range<usize>> = long_tokens(bytes, masked)
        .filter(|token| is_secret_token(&text[token.clone()]))
        .collect();
    // The regexes and the `NAME=value` scan only run where what they need occurs at all.
    // A password in a URL needs a `@`, the others a `=`: most messages hold neither.
    if let Some(first) = memchr::memchr2(b'@', b'=', bytes) {
        if may_hold_url_password(bytes) {
            ranges.extend(captures(&URL_PASSWORD, text));
        }
        if memchr::memchr(b'=', &bytes[first..]).is_some() {
            if may_hold_secret_parameter(bytes) {
                ranges.extend(captures(&SECRET_PARAMETER, text));
            }
            ranges.extend(secret_named_values(text));
        }
    }
    if contains_ignore_ascii_case(text, "bearer") {
        ranges.extend(captures(&BEARER, text));
    }
    // Most texts hold nothing secret.
    if ranges.is_empty() {
        return ranges;
    }
    ranges.retain(|range| !is_masked_or_reference(&text[range.clone()]));
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    // Merged in place: each range joins the last one kept when it meets it.
    ranges.dedup_by(|range, last| {
        let meets = range.start <= last.end;
        if meets {
            last.end = last.end.max(range.end);
        }
        meets
    });
    ranges
}

/// The whole tokens (`[A-Za-z0-9_-]+`) of `bytes` that are at least [`MIN_SECRET_TOKEN`]
/// long, in order: the only ones that can be secret; but not those in a range of `masked`
/// (sorted, apart) that a non-token byte ends. Such a token fills a window of
/// [`MIN_SECRET_TOKEN`] bytes, so each window is read from its end back to its last
/// non-token byte, and the next one starts after that byte: where words are short, most
/// bytes are never looked at.
fn long_tokens<'a>(
    bytes: &'a [u8],
    masked: &'a [Range<usize>],
) -> impl Iterator<Item = Range<usize>> + 'a {
    // `at` starts the text or follows a non-token byte.
    let mut at = 0;
    let mut masked = masked.iter().peekable();
    std::iter::from_fn(move || {
        while let Some(window) = bytes.get(at..at + MIN_SECRET_TOKEN) {
            if let Some(last) = window.iter().rposition(|&byte| !is_token_byte(byte)) {
                at += last + 1;
                continue;
            }
            // A whole window of token bytes after a non-token byte: a long token starts here.
            // In a masked range whose end no token crosses, it lies in the range, as every
            // token after it there does: the walk goes on after the range.
            while masked.next_if(|range| range.end <= at).is_some() {}
            if let Some(range) = masked.peek()
                && range.start <= at
                && bytes
                    .get(range.end)
                    .is_none_or(|&byte| !is_token_byte(byte))
            {
                at = range.end + 1;
                continue;
            }
            let start = at;
            let end = bytes[start + MIN_SECRET_TOKEN..]
                .iter()
                .position(|&byte| !is_token_byte(byte))
                .map_or(bytes.len(), |length| start + MIN_SECRET_TOKEN + length);
            at = end + 1;
            return Some(start..end);
        }
        None
    })
}

/// Whether [`URL_PASSWORD`] may match: `://`, and the `@` that ends a password, which
/// most texts with a URL lack.
fn may_hold_url_password(bytes: &[u8]) -> bool {
    memchr::memchr(b'@', bytes).is_some()
        && memchr::memchr_iter(b':', bytes).any(|colon| bytes[colon + 1..].starts_with(b"//"))
}

/// Whether [`SECRET_PARAMETER`] may match in a text with a `=`: one of `?&;` followed by
/// the first letter of one of its names, or by a non-ASCII character (case-insensitive `k`
/// and `s` also match the Kelvin sign and the long s).
fn may_hold_secret_parameter(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(b'?', b'&', b';', bytes).any(|at| {
        bytes.get(at + 1).is_some_and(|&next| {
            !next.is_ascii()
                || matches!(next.to_ascii_lowercase(), b'a' | b'k' | b't' | b's' | b'p')
        })
    })
}

/// The values of [`named_values`] whose name says secret.
fn secret_named_values(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    named_values(text, is_secret_name).map(|(_, value)| value)
}

/// `NAME=VALUE` (optionally quoted, blanks around `=`) in free text whose name is `wanted`,
/// as the ranges of the name and the value, left to right, each search going on after the
/// value: what the pattern `(?-u:\b)([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*["']?([^\s"'`]+)`
/// finds (a test checks it). Found from each `=` back to its name and on to its value: a
/// text holds far fewer `=` than name characters (a regex search for capture groups per
/// match is slow, and in a whole file nearly every line matches).
fn named_values<'t>(
    text: &'t str,
    wanted: impl Fn(&str) -> bool + 't,
) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + 't {
    let bytes = text.as_bytes();
    let is_blank = |byte: &&u8| matches!(byte, b' ' | b'\t');
    // Where the last value found ends: a name before it lies in that value (a name is a
    // whole run of word characters, and a value ends at a blank or a quote).
    let mut searched = 0;
    // Where the last value starts whose end is not known: a value is only read to its end
    // when its name is wanted, or when the next name may lie in it.
    let mut unread = None;
    memchr::memchr_iter(b'=', bytes).filter_map(move |equals| {
        let name_end = equals - bytes[..equals].iter().rev().take_while(is_blank).count();
        let name_start = bytes[..name_end]
            .iter()
            .rposition(|&byte| !(byte.is_ascii_alphanumeric() || byte == b'_'))
            .map_or(0, |before| before + 1);
        let first = *bytes[name_start..name_end].first()?;
        if let Some(start) = unread.take() {
            // A blank or quote before the name and not before the value ends the value
            // before the name (a line break, mostly); otherwise the value is read.
            let stop = name_start.checked_sub(1).filter(|&before| {
                before >= start
                    && bytes[before].is_ascii()
                    && VALUE_STOPS[usize::from(bytes[before])]
            });
            if stop.is_none() {
                searched = value_end(text, start);
            }
        }
        if name_start < searched || !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let mut value_start = equals + 1 + bytes[equals + 1..].iter().take_while(is_blank).count();
        if matches!(bytes.get(value_start), Some(b'"' | b'\'')) {
            value_start += 1;
        }
        if !wanted(&text[name_start..name_end]) {
            unread = Some(value_start);
            return None;
        }
        let value_end = value_end(text, value_start);
        if value_end == value_start {
            return None;
        }
        searched = value_end;
        Some((name_start..name_end, value_start..value_end))
    })
}

/// Where a value of [`named_values`] that starts at `from` ends: at the first white space,
/// quote or backtick. Values are mostly ASCII keys, judged a byte at a time by a table.
fn value_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(stop) = next_value_stop(&bytes[at..]) {
        at += stop;
        if bytes[at].is_ascii() {
            return at;
        }
        let character = text[at..].chars().next().unwrap_or_default();
        if character.is_whitespace() {
            return at;
        }
        at += character.len_utf8();
    }
    text.len()
}

/// The first of [`VALUE_STOPS`] in `bytes`: the printable ASCII other than quotes that
/// starts it (most of a key) is skipped in one [`plain_run`].
fn next_value_stop(bytes: &[u8]) -> Option<usize> {
    let plain = plain_run(bytes, |byte| {
        (byte.wrapping_sub(b'!') <= b'~' - b'!') & (byte != b'"') & (byte != b'\'') & (byte != b'`')
    });
    bytes[plain..]
        .iter()
        .position(|&byte| VALUE_STOPS[usize::from(byte)])
        .map(|stop| plain + stop)
}

/// The bytes that end a value ([`value_end`]): ASCII white space as `char::is_whitespace`
/// sees it (tab to carriage return, space), quotes and the backtick; and every byte
/// beyond ASCII, whose character decides.
const VALUE_STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] =
            matches!(byte as u8, b'\t'..=b'\r' | b' ' | b'"' | b'\'' | b'`') || byte >= 0x80;
        byte += 1;
    }
    table
};

fn captures<'t>(pattern: &'static Regex, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
    pattern
        .captures_iter(text)
        .filter_map(|found| found.get(1))
        .map(|value| value.range())
}

/// Already masked (`sk-…x9Qa`, `(12 chars)`) or a reference (`${VAR}`, `$VAR`): nothing to hide.
fn is_masked_or_reference(value: &str) -> bool {
    // Keys are ASCII: most values are judged without a search for `…`.
    (!value.is_ascii() && value.contains('…')) || value.starts_with('$') || value.starts_with('(')
}

fn is_token_byte(byte: u8) -> bool {
    TOKEN_BYTES[usize::from(byte)]
}

/// `[A-Za-z0-9_-]` as a byte table: every message is cut into tokens byte by byte.
const TOKEN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] =
            (byte as u8).is_ascii_alphanumeric() || byte as u8 == b'-' || byte as u8 == b'_';
        byte += 1;
    }
    table
};

/// Prefix-less tokens shorter than this are never taken for a secret by their shape.
const MIN_RANDOM_TOKEN: usize = 16;

/// No token shorter than this is secret-shaped: the shortest prefix plus the characters
/// a mask hides (the other shapes are longer). Most tokens of a message are words, and
/// this answers for them before the prefix table is searched.
const MIN_SECRET_TOKEN: usize = {
    let mut shortest = MIN_RANDOM_TOKEN;
    let mut index = 0;
    while index < KEY_PREFIXES.len() {
        let length = KEY_PREFIXES[index].len() + MIN_HIDDEN;
        if length < shortest {
            shortest = length;
        }
        index += 1;
    }
    shortest
};

/// The [`KEY_PREFIXES`] a token can hold (no blank) that start with no other one: a
/// token holds a prefix at some place exactly when it holds one of these there (a test
/// checks the list).
const INNER_PREFIXES: [&str; 4] = ["sk-", "AIza", "gsk_", "xai-"];

/// The length of the [`INNER_PREFIXES`] that `bytes` hold at `at`, which is at least 4
/// bytes before their end.
fn inner_prefix_at(bytes: &[u8], at: usize) -> Option<usize> {
    if !KEY_PREFIX_START[usize::from(bytes[at])] {
        return None;
    }
    let word = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    INNER_PREFIX_WORDS
        .iter()
        .find(|&&(prefix, mask, _)| word & mask == prefix)
        .map(|&(.., length)| length)
}

/// [`INNER_PREFIXES`] as little-endian words of their (up to four) bytes, with the mask of
/// those bytes and their length: each is compared in one step.
const INNER_PREFIX_WORDS: [(u32, u32, usize); 4] = {
    let mut words = [(0, 0, 0); 4];
    let mut index = 0;
    while index < INNER_PREFIXES.len() {
        let bytes = INNER_PREFIXES[index].as_bytes();
        assert!(bytes.len() <= 4, "an inner prefix fits in a word");
        let (mut word, mut mask, mut at) = (0u32, 0u32, 0);
        while at < bytes.len() {
            word |= (bytes[at] as u32) << (8 * at);
            mask |= 0xff << (8 * at);
            at += 1;
        }
        words[index] = (word, mask, bytes.len());
        index += 1;
    }
    words
};

/// A token (`[A-Za-z0-9_-]+`) that is, or holds, a key: a provider prefix followed by a
/// key body, 32+ hex digits (UUIDs included), or a long token that mixes upper- and
/// lower-case letters and digits as often as random text does (identifiers and words
/// change character class far less often).
fn is_secret_token(token: &str) -> bool {
    if token.len() < MIN_SECRET_TOKEN {
        return false;
    }
    // A token holds no blank, so the prefix `Bearer ` never matches in it, and every
    // other prefix starts with an inner one: the prefixes are compared only after one.
    let bytes = token.as_bytes();
    if inner_prefix_at(bytes, 0).is_some()
        && let Some(prefix) = KEY_PREFIXES
            .iter()
            .find(|prefix| token.starts_with(**prefix))
    {
        return token.len() >= prefix.len() + MIN_HIDDEN;
    }
    // A prefix may also sit inside a token (`u001bsk-proj-…`, `nsk-…` after an escape).
    // Its first occurrence leaves the most after it, so any occurrence will do, and one of
    // the shortest prefixes asks least. Looked for only where a prefix can start: keys are
    // long, and this runs on every byte of them.
    if (1..=token.len() - MIN_SECRET_TOKEN).any(|at| {
        inner_prefix_at(bytes, at).is_some_and(|length| token.len() - at >= length + MIN_HIDDEN)
    }) {
        return true;
    }
    // Both shapes below need more characters than that (32 hex digits, 16 alphanumerics).
    if token.len() < MIN_RANDOM_TOKEN {
        return false;
    }
    // Both remaining shapes are judged in one pass over the token.
    let (mut hex_digits, mut only_hex) = (0, true);
    // `previous` and `seen` hold classes as bits: 0 before the first alphanumeric.
    let (mut length, mut seen, mut changes, mut previous) = (0, 0, 0, 0);
    for &byte in bytes {
        let traits = BYTE_TRAITS[usize::from(byte)];
        hex_digits += usize::from(traits & HEX_DIGIT != 0);
        only_hex &= traits & (HEX_DIGIT | DASH) != 0;
        let class = traits & (LOWER | UPPER | DIGIT);
        if class == 0 {
            continue;
        }
        seen |= class;
        length += 1;
        changes += usize::from(previous != 0 && previous != class);
        previous = class;
    }
    if hex_digits >= 32 && only_hex {
        return true;
    }
    // Random base62 text changes class (lower, upper, digit) at ~62% of its alphanumeric
    // characters' neighbours; camelCase names with a version number, at under 30%.
    length >= MIN_RANDOM_TOKEN && seen == LOWER | UPPER | DIGIT && changes * 100 >= length * 40
}

/// What [`is_secret_token`] asks of each byte of a token, as bits of [`BYTE_TRAITS`].
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
const HEX_DIGIT: u8 = 8;
const DASH: u8 = 16;

const BYTE_TRAITS: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let value = byte as u8;
        table[byte] = match value {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b'-' => DASH,
            _ => 0,
        } | if value.is_ascii_hexdigit() {
            HEX_DIGIT
        } else {
            0
        };
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `count` texts of up to 23 pieces of `alphabet`, from a fixed pseudo-random walk
    /// (xorshift), so a failure is reproducible.
    fn random_texts<'a>(alphabet: &'a [&str], count: usize) -> impl Iterator<Item = String> + 'a {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..count).map(move |_| {
            (0..next() % 24)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
    }

    #[test]
    fn long_tokens_are_the_long_runs_of_token_bytes() {
        let alphabet = [
            "a",
            "Z",
            "9",
            "-",
            "_",
            "abcdefghij",
            "sk-proj-",
            " ",
            "=",
            "…",
            "é",
            "\n",
            ".",
        ];
        let mut found = 0;
        for text in random_texts(&alphabet, 20_000) {
            let bytes = text.as_bytes();
            let mut expected = Vec::new();
            let mut start = 0;
            for end in (0..=bytes.len())
                .filter(|&at| bytes.get(at).is_none_or(|&byte| !is_token_byte(byte)))
            {
                if end - start >= MIN_SECRET_TOKEN {
                    expected.push(start..end);
                }
                start = end + 1;
            }
            assert_eq!(
                long_tokens(bytes, &[]).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            found += expected.len();
        }
        assert!(found > 5_000, "the walk makes long tokens: {found}");
    }

    #[test]
    fn inner_prefixes_start_every_prefix_a_token_holds() {
        for prefix in KEY_PREFIXES.iter().filter(|prefix| !prefix.contains(' ')) {
            assert!(
                INNER_PREFIXES.iter().any(|inner| prefix.starts_with(inner)),
                "{prefix}"
            );
        }
        for inner in INNER_PREFIXES {
            assert!(KEY_PREFIXES.contains(&inner), "{inner}");
        }
    }

    /// Where the pre-check of secret parameters says no, the search it spares finds
    /// nothing: on random text around what the search looks for, and on real messages.
    #[test]
    fn the_parameter_pre_check_misses_nothing() {
        let alphabet = [
            "?",
            "&",
            ";",
            "=",
            " = ",
            "\t",
            " ",
            "key",
            "Token",
            "api-key",
            "access_TOKEN",
            "SECRET",
            "passwd",
            "pwd",
            "sig",
            "Auth",
            "\u{17f}ecret",
            "\u{212a}ey",
            "x",
            "A_",
            "_",
            "9",
            "https://u:p@h",
            "`",
            "\"",
            "'",
            "…",
            "$",
            "sk-proj-",
            "é",
            "PASSWORD",
            "MODEL",
            "\n",
        ];
        let real = [
            "ALLOWED_HOSTS has blanks around `=`: docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; python-dotenv and node dotenv read it — write `ALLOWED_HOSTS=…`",
            "ANTHROPIC_API_KEY contains `=`, which keys never contain (sk-ant-api03-…mHnm, 230 chars, as dotenvy and a shell (`set -a; . .env`) read it) — copy the key again",
            "SECRET_KEY has blanks around `=`: … — write `SECRET_KEY=…`",
            "URL=https://h.example/v1?key=AIzaSyB7nM3qW9eR5tY1uI8oP4aS6dF2gH0jK5l&x=1",
            "DB_PASSWORD = hunter2 and API_TOKEN=\"abc\"",
        ];
        let mut parameters = 0;
        let texts = random_texts(&alphabet, 50_000).chain(real.map(str::to_string));
        for text in texts {
            if text.contains('=') && may_hold_secret_parameter(text.as_bytes()) {
                parameters += 1;
            } else {
                assert_eq!(captures(&SECRET_PARAMETER, &text).count(), 0, "{text:?}");
            }
        }
        // Both answers are common: the walk tests both sides.
        assert!((5_000..45_000).contains(&parameters), "{parameters}");
        assert!(!may_hold_secret_parameter(real[0].as_bytes()));
    }

    /// Where the pre-check of URL passwords says no, the search it spares finds nothing.
    #[test]
    fn the_url_password_pre_check_misses_nothing() {
        let alphabet = [
            "https://", "://", "u:", "P4ss@", "@", ":", "/", "x", " ", "\n", "?", "#", "é", "-",
        ];
        let (mut urls, mut passwords) = (0, 0);
        for text in random_texts(&alphabet, 50_000) {
            let found = captures(&URL_PASSWORD, &text).count();
            if may_hold_url_password(text.as_bytes()) {
                urls += 1;
                passwords += usize::from(found > 0);
            } else {
                assert_eq!(found, 0, "{text:?}");
            }
        }
        // Both answers are common, and the search finds passwords: the walk tests both sides.
        assert!((5_000..45_000).contains(&urls), "{urls}");
        assert!(passwords > 500, "{passwords}");
    }

    /// Texts of runs of `run` (a pattern), the `characters` a chunked search must stop at
    /// or pass, and any characters.
    fn runs_and_characters(
        run: &'static str,
        characters: Vec<&'static str>,
    ) -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => run,
                1 => prop::sample::select(characters).prop_map(str::to_string),
                1 => any::<String>(),
            ],
            0..6,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The one pass over a name finds what a search for each word finds.
        #[test]
        fn a_secret_name_holds_a_secret_word(
            pieces in prop::collection::vec(
                prop::sample::select(vec![
                    "key", "KeY", "ke", "TOKEN", "toke", "Secret", "secre", "PASSWORD", "passwd",
                    "pass", "Credential", "credentia", "AUTH", "aut", "_", "A", "x", "9", "é",
                    "\u{212a}ey",
                ]),
                0..8,
            ),
        ) {
            let name = pieces.concat();
            prop_assert_eq!(
                is_secret_name(&name),
                SECRET_WORDS.iter().any(|word| contains_ignore_ascii_case(&name, word)),
                "{:?}", name
            );
        }

        /// The chunked skip of a value's plain bytes stops where a search byte by byte does.
        #[test]
        fn next_value_stop_is_a_search_for_a_stop(
            text in runs_and_characters("[!-~]{0,40}", vec![
                "\t", "\r", " ", "\"", "'", "`", "\u{0}", "\u{7f}", "é", "…", "\u{a0}",
            ]),
        ) {
            let expected = text.bytes().position(|byte| VALUE_STOPS[usize::from(byte)]);
            prop_assert_eq!(next_value_stop(text.as_bytes()), expected, "{:?}", text);
        }

        /// The chunked skip of printable ASCII misses no character that needs escaping.
        #[test]
        fn any_needs_escape_is_a_search_for_a_character_to_escape(
            text in runs_and_characters("[ -~]{0,40}", vec![
                "\n", "\r", "\t", "\u{0}", "\u{1b}", "\u{7f}", "\u{80}", "\u{a0}",
                "\u{ad}", "é", "—", "…", "\u{200b}", "\u{2028}", "\u{feff}", "界",
            ]),
            lines in any::<bool>(),
        ) {
            let expected = text
                .chars()
                .any(|character| needs_escape(character) && !(lines && character == '\n'));
            prop_assert_eq!(any_needs_escape(&text, lines), expected, "{:?}", text);
        }

        /// Without a prefix, a token is secret when it is 32+ hex digits (and `-`), or has
        /// 16+ alphanumerics of all three classes that change class at 40% of neighbours.
        #[test]
        fn a_token_without_a_prefix_is_hex_or_random(
            pieces in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "Z", "9", "f", "E", "0", "-", "_", "abcdef", "0123", "Qw3", "camelCase",
                    "V2",
                ]),
                2..24,
            ),
        ) {
            let token = pieces.concat();
            let class = |byte: &u8| (byte.is_ascii_lowercase(), byte.is_ascii_uppercase());
            let alphanumeric: Vec<u8> =
                token.bytes().filter(u8::is_ascii_alphanumeric).collect();
            let hex = token.bytes().filter(u8::is_ascii_hexdigit).count() >= 32
                && token.bytes().all(|byte| byte.is_ascii_hexdigit() || byte == b'-');
            let changes = alphanumeric
                .windows(2)
                .filter(|pair| class(&pair[0]) != class(&pair[1]))
                .count();
            let random = alphanumeric.len() >= MIN_RANDOM_TOKEN
                && alphanumeric.iter().any(u8::is_ascii_lowercase)
                && alphanumeric.iter().any(u8::is_ascii_uppercase)
                && alphanumeric.iter().any(u8::is_ascii_digit)
                && changes * 100 >= alphanumeric.len() * 40;
            prop_assert_eq!(
                is_secret_token(&token),
                token.len() >= MIN_SECRET_TOKEN && (hex || random),
                "{:?}", token
            );
        }
    }

    #[test]
    fn named_values_are_what_the_pattern_finds() {
        let pattern =
            Regex::new(r#"(?-u:\b)([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*["']?([^\s"'`]+)"#)
                .expect("valid pattern");
        let alphabet = [
            "A", "k", "_", "9", "=", " ", "\t", "\"", "'", "`", "\n", "-", "$", "é", "\u{a0}",
            "\u{2003}", "KEY", "x=", " = ", "\"\"",
        ];
        let mut with_pairs = 0;
        for text in random_texts(&alphabet, 20_000) {
            let expected: Vec<(Range<usize>, Range<usize>)> = pattern
                .captures_iter(&text)
                .filter_map(|found| Some((found.get(1)?.range(), found.get(2)?.range())))
                .collect();
            assert_eq!(
                named_values(&text, |_| true).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            with_pairs += usize::from(!expected.is_empty());
        }
        assert!(with_pairs > 5_000, "the walk finds pairs: {with_pairs}");
    }

    /// Values whose name is not wanted are read to their end only when needed: the pairs
    /// found are still the wanted ones of all pairs.
    #[test]
    fn named_values_of_wanted_names_are_those_of_all_names() {
        let alphabet = [
            "A", "k", "_", "9", "=", " ", "\t", "\"", "'", "`", "\n", "\r", "-", "$", "é",
            "\u{a0}", "\u{2003}", "KEY", "TOKEN", "x=", " = ", "\"\"", ":", "/",
        ];
        let mut wanted_pairs = 0;
        for text in random_texts(&alphabet, 50_000) {
            let wanted = |name: &str| name.contains('K');
            let expected: Vec<(Range<usize>, Range<usize>)> = named_values(&text, |_| true)
                .filter(|(name, _)| wanted(&text[name.clone()]))
                .collect();
            assert_eq!(
                named_values(&text, wanted).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            wanted_pairs += expected.len();
        }
        assert!(
            wanted_pairs > 2_000,
            "the walk finds wanted pairs: {wanted_pairs}"
        );
    }

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

    /// The shared leak check allows a mask's prefix; it keeps its own list (it depends on
    /// no keylint crate), which must be this one.
    #[test]
    fn the_leak_check_allows_exactly_the_prefixes_the_masker_shows() {
        assert_eq!(
            keylint_test_support::SHOWN_PREFIXES,
            crate::provider::KEY_PREFIXES
        );
    }

    /// A fabricated key of the OpenAI project shape (not a real key).
    fn project_key() -> String {
        format!(
            "sk-proj-{}T3BlbkFJ{}x9Qa",
            "Ab3dE6gH9kL2mN5p".repeat(4),
            "qR8sT1uV4wX7yZ0b".repeat(4)
        )
    }

    #[test]
    fn redact_finds_keys_anywhere() {
        let key = project_key();
        for text in [
            format!("variable '{key} ' contains whitespaces"),
            format!("the text after the blank runs as a command (`{key}`)"),
            format!("{key} is not a name the SDK reads"),
            format!("\\u001b{key}"),
            format!("a\\n{key}"),
        ] {
            let redacted = redact(&text);
            keylint_test_support::Secrets::new([&key]).assert_no_leak("redacted", &redacted);
            assert!(
                redacted.contains("sk-proj-…x9Qa (164 chars)") || redacted.contains("…x9Qa"),
                "{redacted}"
            );
        }
        // The masked form is stable.
        let once = redact(&key).into_owned();
        assert_eq!(redact(&once), once);
    }

    #[test]
    fn redact_urls_parameters_bearer_and_named_values() {
        assert_eq!(
            redact("postgres://app:hunter2pass@db:5432/app"),
            "postgres://app:(11 chars)@db:5432/app"
        );
        let gemini = format!("AIza{}", "Sy9bX2cV5nM8qW1eR4tY7uI0oP3aS6dF9g");
        assert_eq!(
            redact(&format!(
                "https://generativelanguage.googleapis.com/v1?key={gemini}"
            )),
            format!(
                "https://generativelanguage.googleapis.com/v1?key={}",
                mask_secret(&gemini)
            )
        );
        assert_eq!(
            redact("Authorization: Bearer abcdefgh123"),
            "Authorization: Bearer (11 chars)"
        );
        assert_eq!(redact("DB_PASSWORD=hunter2"), "DB_PASSWORD=(7 chars)");
        assert_eq!(
            redact("0123456789abcdef0123456789abcdef"),
            "…cdef (32 chars)"
        );
    }

    #[test]
    fn redact_keeps_ordinary_text() {
        for text in [
            "OPENAI_API_KEY is not a name the official SDK reads — did you mean OPENAI_APIKEY?",
            "AZURE_OPENAI_API_VERSION_2024_02_15 src/App2/Config/OpenAiSettings.cs",
            "gpt-4o-mini-2024-07-18 claude-3-5-sonnet-20241022 Claude3Opus20240229",
            "examples/broken-app/deploy/prod.env:4:1 OPENAI_API_KEY=${OPENAI_API_KEY}",
            "org-AbCdEf proj_abc sk-ant- `sk-…` sk-proj-…x9Qa (164 chars)",
            "https://user@localhost:11434/v1 and https://api.openai.com/v1?api-version=2024-10-21",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn display_escapes_control_characters() {
        assert_eq!(for_display("a\u{1b}[31mb.env"), "a<U+001B>[31mb.env");
        assert_eq!(for_display_lines("x\ny\u{1b}"), "x\ny<U+001B>");
        for plain in ["a b~!", "é ü", "x\ny"] {
            let lines = for_display_lines(plain);
            assert!(matches!(lines, Cow::Borrowed(_)), "{plain:?}");
        }
        assert!(matches!(for_display("é ü"), Cow::Borrowed(_)));
        for text in [
            "a\tb",
            "a\rb",
            "a\nb",
            "a\u{7f}b",
            "a\u{200b}b",
            "é\u{feff}",
        ] {
            assert!(matches!(for_display(text), Cow::Owned(_)), "{text:?}");
        }
        assert!(matches!(for_display_lines("é\n\u{200b}"), Cow::Owned(_)));
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

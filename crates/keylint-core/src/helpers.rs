//! Small helpers shared by several modules of the core.

/// Whether `text` contains the (non-empty, ASCII) `word` in any letter case.
#[must_use]
pub(crate) fn contains_ignore_ascii_case(text: &str, word: &str) -> bool {
    let (haystack, needle) = (text.as_bytes(), word.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = haystack.len().checked_sub(needle.len()) else {
        return false;
    };
    // Compared only where the first letter matches: this runs over whole files.
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let starts = &haystack[..=last_start];
    let matches_at = |at: usize| haystack[at + 1..at + needle.len()].eq_ignore_ascii_case(rest);
    // memchr's set-up costs more than it saves on short texts such as names.
    if starts.len() < 64 {
        starts
            .iter()
            .enumerate()
            .any(|(at, &byte)| (byte == lower || byte == upper) && matches_at(at))
    } else {
        memchr::memchr2_iter(lower, upper, starts).any(matches_at)
    }
}

/// The length of the run at the start of `bytes` whose bytes are all `is_plain`. Whole
/// chunks are judged without a branch per byte, which the compiler turns into vector
/// instructions: texts are searched for the rare byte that needs a closer look.
pub(crate) fn plain_run(bytes: &[u8], is_plain: impl Fn(u8) -> bool) -> usize {
    const CHUNK: usize = 16;
    let whole = bytes
        .chunks_exact(CHUNK)
        .take_while(|chunk| chunk.iter().fold(true, |all, &byte| all & is_plain(byte)))
        .count()
        * CHUNK;
    whole
        + bytes[whole..]
            .iter()
            .position(|&byte| !is_plain(byte))
            .unwrap_or(bytes.len() - whole)
}

/// `text.trim_matches(wrapping)`. The rules and the secret checks ask it of every value
/// each loader gets, and most start and end with an ASCII character that is not wrapping:
/// those are returned as they are, without decoding the characters.
pub(crate) fn trim_wrapping(text: &str, wrapping: impl Fn(char) -> bool) -> &str {
    let kept = |byte: Option<&u8>| {
        byte.is_some_and(|&byte| byte.is_ascii() && !wrapping(char::from(byte)))
    };
    if kept(text.as_bytes().first()) && kept(text.as_bytes().last()) {
        text
    } else {
        text.trim_matches(wrapping)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Values left as they are by their end bytes are the ones `trim_matches` leaves.
        #[test]
        fn trim_wrapping_is_trim_matches(text in "[a\" '`“”‘’\t\u{0B}\u{85}\u{A0}é]{0,6}") {
            prop_assert_eq!(
                trim_wrapping(&text, crate::rules::helpers::is_wrapping),
                text.trim_matches(crate::rules::helpers::is_wrapping)
            );
        }
    }

    #[test]
    fn finds_a_word_in_any_case_anywhere() {
        assert!(contains_ignore_ascii_case("OPENAI_API_KEY", "key"));
        assert!(contains_ignore_ascii_case("my_Token", "TOKEN"));
        assert!(contains_ignore_ascii_case("key", "KEY"));
        assert!(contains_ignore_ascii_case("a Bearer x", "bearer"));
        assert!(!contains_ignore_ascii_case("KE", "KEY"));
        assert!(!contains_ignore_ascii_case("K_E_Y", "KEY"));
        assert!(!contains_ignore_ascii_case("", "KEY"));
        assert!(!contains_ignore_ascii_case("éKE", "KEY"));
        assert!(contains_ignore_ascii_case("éKEYé", "key"));
    }
}

//! Small helpers shared by several modules of the core.

/// Whether `text` contains the (non-empty, ASCII) `word` in any letter case.
#[must_use]
pub(crate) fn contains_ignore_ascii_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
}

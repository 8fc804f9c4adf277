//! The names a source file mentions anywhere in its text, read or not: a safety net for
//! reads the parser cannot resolve (a settings loader that looks names up from a dict, a
//! loop over a list of names, a template). A name the code mentions may well be read, so
//! keylint does not call it a misspelling the program never reads.

use std::collections::HashSet;

/// The variable-like words of `text`: runs of ASCII letters, digits and `_` that hold an
/// `_` and an upper-case letter (`OPENAI_APIKEY`, `AzureOpenAI__ApiKey`), each once.
/// Plain words and lower-case identifiers are left out: env names are written that way,
/// and keeping every identifier would cost memory on large trees.
///
/// Every such word holds an `_`: the scan jumps from one `_` to the next and
/// looks at the word around it. Every byte of a multi-byte character is outside the ASCII
/// word bytes, so words start and end on character boundaries. A word is copied only the
/// first time.
#[must_use]
pub fn mentioned_names(text: &str) -> HashSet<String> {
    let bytes = text.as_bytes();
    let mut names = HashSet::new();
    let mut from = 0;
    for underscore in memchr::memchr_iter(b'_', bytes) {
        if underscore < from {
            continue;
        }
        // `from` is 0 or the end of the last word: the word starts after it.
        let start = bytes[from..underscore]
            .iter()
            .rposition(|&byte| !is_word_byte(byte))
            .map_or(from, |before| from + before + 1);
        let end = bytes[underscore..]
            .iter()
            .position(|&byte| !is_word_byte(byte))
            .map_or(bytes.len(), |after| underscore + after);
        let word = &text[start..end];
        if word.len() >= 4
            && !bytes[start].is_ascii_digit()
            && word.bytes().any(|byte| byte.is_ascii_uppercase())
            && !names.contains(word)
        {
            names.insert(word.to_string());
        }
        from = end;
    }
    names
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::mentioned_names;

    #[test]
    fn variable_like_words_anywhere_in_the_text() {
        let text = "KEYS = {\"openai\": \"OPENAI_APIKEY\"}\nfor n in ['AzureOpenAI__ApiKey', 'x_y']:\n    # 1_000 DEBUG snake_case\n    f\"{PREFIX}_API_KEY\"\n";
        let mut found: Vec<String> = mentioned_names(text).into_iter().collect();
        found.sort_unstable();
        assert_eq!(found, ["AzureOpenAI__ApiKey", "OPENAI_APIKEY", "_API_KEY"]);
    }
}

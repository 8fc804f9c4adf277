//! The names a source file mentions anywhere in its text, read or not: a safety net for
//! reads the parser cannot resolve (a settings loader that looks names up from a dict, a
//! loop over a list of names, a template). A name the code mentions may well be read, so
//! keylint does not call it a misspelling the program never reads.

use std::collections::HashSet;

/// The variable-like words of `text`: runs of ASCII letters, digits and `_` that hold an
/// `_` and an upper-case letter (`OPENAI_APIKEY`, `AzureOpenAI__ApiKey`), each once.
/// Plain words and lower-case identifiers are left out: env names are written that way,
/// and keeping every identifier would cost memory on large trees.
#[must_use]
pub fn mentioned_names(text: &str) -> HashSet<&str> {
    text.split(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .filter(|word| {
            word.len() >= 4
                && word.contains('_')
                && word.bytes().any(|byte| byte.is_ascii_uppercase())
                && !word.as_bytes()[0].is_ascii_digit()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mentioned_names;

    #[test]
    fn variable_like_words_anywhere_in_the_text() {
        let text = "KEYS = {\"openai\": \"OPENAI_APIKEY\"}\nfor n in ['AzureOpenAI__ApiKey', 'x_y']:\n    # 1_000 DEBUG snake_case\n    f\"{PREFIX}_API_KEY\"\n";
        let mut found: Vec<&str> = mentioned_names(text).into_iter().collect();
        found.sort_unstable();
        assert_eq!(found, ["AzureOpenAI__ApiKey", "OPENAI_APIKEY", "_API_KEY"]);
    }
}

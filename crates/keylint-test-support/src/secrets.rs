//! The fabricated secrets a test looks for, and where they come from.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use crate::leak::{self, Form, Leak, Needle};
use crate::{LEAK_WINDOW, SHOWN_PREFIXES};

/// Secrets that no output may show, with every window of each (plain and base64) indexed
/// for the scan.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: Vec<String>,
    needles: HashMap<String, Needle>,
}

impl Secrets {
    /// These exact values (any text: keys, passwords, tokens). Values shorter than
    /// [`LEAK_WINDOW`] characters have no window to look for.
    pub fn new<I, S>(values: I) -> Secrets
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut values: Vec<String> = values.into_iter().map(Into::into).collect();
        values.sort();
        values.dedup();
        let mut needles = HashMap::new();
        for (index, value) in values.iter().enumerate() {
            index_windows(&mut needles, index, value);
        }
        Secrets { values, needles }
    }

    /// Every key-shaped token in `text`, also inside base64 tokens (Kubernetes Secret
    /// `data:`): a known key prefix (`sk-proj-`, `sk-ant-api03-`, `AIza`, …) followed by at
    /// least 20 key characters, 32 hex digits (Azure), or 80–90 letters and digits holding
    /// `JQQJ99` (Azure's long form).
    #[must_use]
    pub fn in_text(text: &str) -> Secrets {
        Secrets::new(key_shaped_tokens(text))
    }

    /// Every key-shaped token in the files under `root` (as [`Secrets::in_text`]),
    /// skipping `.git`, `target` and `node_modules`.
    #[must_use]
    pub fn in_dir(root: &Path) -> Secrets {
        let mut tokens = Vec::new();
        for path in files_under(root) {
            if let Ok(bytes) = std::fs::read(&path) {
                tokens.extend(key_shaped_tokens(&String::from_utf8_lossy(&bytes)));
            }
        }
        Secrets::new(tokens)
    }

    /// These secrets and those of `other`.
    #[must_use]
    pub fn with(self, other: &Secrets) -> Secrets {
        Secrets::new(self.values.into_iter().chain(other.values.iter().cloned()))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The secrets, sorted; a [`Leak`]'s `secret` indexes this.
    #[must_use]
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Every place where `output` shows a window of a secret, merged per secret and form.
    #[must_use]
    pub fn leaks(&self, label: &str, output: &str) -> Vec<Leak> {
        leak::scan(self, label, output)
    }

    /// Panics with a masked report of every leak in `output`. Also panics when there is no
    /// secret to look for, so a fixture that plants none cannot pass vacuously.
    pub fn assert_no_leak(&self, label: &str, output: &str) {
        self.assert_none_leaked([(label, output)]);
    }

    /// [`Secrets::assert_no_leak`] over several labelled outputs, reporting all leaks at once.
    pub fn assert_none_leaked<I, L, O>(&self, outputs: I)
    where
        I: IntoIterator<Item = (L, O)>,
        L: AsRef<str>,
        O: AsRef<str>,
    {
        assert!(
            !self.is_empty(),
            "the leak check has no secret to look for: the fixture plants none"
        );
        let report: Vec<String> = outputs
            .into_iter()
            .flat_map(|(label, output)| self.leaks(label.as_ref(), output.as_ref()))
            .map(|leak| leak.to_string())
            .collect();
        assert!(
            report.is_empty(),
            "{} leak(s) of a secret:\n{}",
            report.len(),
            report.join("\n")
        );
    }

    pub(crate) fn needle(&self, window: &str) -> Option<&Needle> {
        self.needles.get(window)
    }

    pub(crate) fn value(&self, index: usize) -> &str {
        &self.values[index]
    }
}

/// The known prefix `value` starts with, which a mask may show.
pub(crate) fn shown_prefix(value: &str) -> &'static str {
    SHOWN_PREFIXES
        .iter()
        .find(|prefix| value.starts_with(**prefix))
        .copied()
        .unwrap_or("")
}

/// Indexes the windows of one secret that no output may show: every [`LEAK_WINDOW`]
/// characters not wholly inside its shown prefix, and the same over its base64 encoding
/// at each of the three byte alignments it can have inside a longer encoded value.
fn index_windows(needles: &mut HashMap<String, Needle>, secret: usize, value: &str) {
    let prefix = shown_prefix(value);
    let characters: Vec<(usize, char)> = value.char_indices().collect();
    let prefix_chars = prefix.chars().count();
    for start in 0..=characters.len().saturating_sub(LEAK_WINDOW) {
        let end = start + LEAK_WINDOW;
        if end > characters.len() || end <= prefix_chars {
            continue;
        }
        let to = characters.get(end).map_or(value.len(), |&(at, _)| at);
        needles
            .entry(value[characters[start].0..to].to_string())
            .or_insert(Needle {
                secret,
                form: Form::Plain,
                range: start..end,
            });
    }
    let bytes = value.as_bytes();
    for shift in 0..3 {
        let mut shifted = vec![0u8; shift];
        shifted.extend_from_slice(bytes);
        let encoded = STANDARD_NO_PAD.encode(&shifted);
        // Character `i` encodes bits 6i..6i+6, so bytes 6i/8 ..= (6i+5)/8 of `shifted`.
        let byte_span = |i: usize| (6 * i / 8, (6 * i + 5) / 8);
        let set_by_secret = |i: usize| {
            let (first, last) = byte_span(i);
            first >= shift && last < shift + bytes.len()
        };
        for start in 0..encoded.len().saturating_sub(LEAK_WINDOW - 1) {
            let end = start + LEAK_WINDOW;
            if !(start..end).all(set_by_secret) || byte_span(end - 1).1 < shift + prefix.len() {
                continue;
            }
            needles
                .entry(encoded[start..end].to_string())
                .or_insert(Needle {
                    secret,
                    form: Form::Base64,
                    range: byte_span(start).0 - shift..byte_span(end - 1).1 + 1 - shift,
                });
        }
    }
}

fn is_key_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || character == '-' || character == '_'
}

fn is_key_shaped(token: &str) -> bool {
    let prefix = shown_prefix(token);
    if !prefix.is_empty() && prefix != "Bearer " {
        return token.len() >= prefix.len() + 20;
    }
    let alphanumeric = token
        .chars()
        .all(|character| character.is_ascii_alphanumeric());
    (token.len() == 32 && token.chars().all(|character| character.is_ascii_hexdigit()))
        || ((80..=90).contains(&token.len()) && alphanumeric && token.contains("JQQJ99"))
}

fn key_shaped_tokens(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|character: char| !is_key_character(character))
        .filter(|token| is_key_shaped(token))
        .map(str::to_string)
        .collect();
    for token in text.split(|character: char| {
        !(character.is_ascii_alphanumeric() || matches!(character, '+' | '/' | '='))
    }) {
        if token.len() < 20 {
            continue;
        }
        let decoded = STANDARD
            .decode(token)
            .or_else(|_| STANDARD_NO_PAD.decode(token));
        if let Ok(decoded) = decoded {
            let decoded = String::from_utf8_lossy(&decoded);
            found.extend(
                decoded
                    .split(|character: char| !is_key_character(character))
                    .filter(|token| is_key_shaped(token))
                    .map(str::to_string),
            );
        }
    }
    found
}

fn files_under(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let name = entry.file_name();
            if !matches!(name.to_str(), Some(".git" | "target" | "node_modules")) {
                files.extend(files_under(&path));
            }
        } else if kind.is_file() {
            files.push(path);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENAI: &str =
        "sk-proj-Qw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpT3BlbkFJAsDfGhJkLzXcVbNmQwErTyUiOp";
    const AZURE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    #[test]
    fn finds_key_shaped_tokens_and_keys_inside_base64() {
        let gemini = format!("AIza{}", "Xy9".repeat(12));
        let anthropic = format!("sk-ant-api03-{}AA", "Zx9Cv8Bn7Mq6".repeat(6));
        let encoded = STANDARD.encode(format!("Bearer {anthropic}\n"));
        let text = format!(
            "OPENAI_API_KEY=\"{OPENAI}\"\nk: {AZURE}\nurl: https://x/?key={gemini}&a=1\ndata:\n  KEY: {encoded}\nshort=sk-proj-abc\nOPENAI_ORG_ID=org-abcdefghijklmnopqrstuvwx\n"
        );
        let secrets = Secrets::in_text(&text);
        let mut expected = vec![
            OPENAI.to_string(),
            AZURE.to_string(),
            gemini,
            anthropic.clone(),
        ];
        expected.sort();
        assert_eq!(secrets.values(), expected.as_slice());
    }

    #[test]
    fn finds_the_secrets_of_a_directory() {
        let dir = std::env::temp_dir().join(format!("keylint-secrets-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("k8s")).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".env"), format!("OPENAI_API_KEY={OPENAI}\n")).unwrap();
        std::fs::write(dir.join("k8s/azure.yaml"), format!("key: {AZURE}\n")).unwrap();
        std::fs::write(dir.join(".git/config"), "ffffffffffffffffffffffffffffffff").unwrap();
        let secrets = Secrets::in_dir(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(secrets.values(), [AZURE, OPENAI]);
    }
}

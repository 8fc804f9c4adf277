//! KL503 hardcoded-secret: a real-looking provider key written into a committed YAML file.

use std::ops::Range;

use crate::assignment::Origin;
use crate::consumer::Outcome;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::mask_secret;
use crate::provider::{self, KeyKind, Provider, is_key_byte};
use crate::rules::{Context, FixAvailability, Rule, is_key_name, with_fix};
use crate::source::FileKind;
use crate::syntax::yaml::{Node, NodeKind, Style};

pub(crate) struct HardcodedSecret;

impl Rule for HardcodedSecret {
    const CODE: &'static str = "KL503";
    const NAME: &'static str = "hardcoded-secret";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A real-looking key literal in a committed Compose, Kubernetes or workflow file";
    const DOC: &'static str = r#"
## What it does
Finds provider keys written into a committed Compose file, Kubernetes manifest (also
base64 in a Secret's `data:`), Helm values or GitHub Actions workflow: anywhere in a
value, including `run:` scripts and URLs. Env files are not checked (they are where keys
belong, and are usually gitignored); neither are files the project's `.gitignore`
excludes.

Only keys that look real are reported: the provider's prefix, length and characters,
OpenAI's `T3BlbkFJ` marker, and random-looking text after the prefix (Shannon entropy).
`sk-fake…`, `sk-aaaa…`, `test-key`, `fake` and hand-typed sequences
(`0123456789abcdef…`) are not secrets. A 32-hex value counts as an Azure key only when
its variable's name says it is a key.

## Why is this bad?
Everyone who can read the repository, its forks and its history can use the key, and
scanners harvest public repositories for them within minutes. Providers revoke leaked
keys, which then fail with 401. Removing the line is not enough: the key stays in the
history and must be rotated.

## Example
```yaml
services:
  api:
    environment:
      OPENAI_API_KEY: sk-proj-…
```

Use instead:
```yaml
services:
  api:
    environment:
      OPENAI_API_KEY: ${OPENAI_API_KEY}   # set in the gitignored .env
```

## Fix safety
The fix replaces the key with a reference: `${NAME}` in a Compose file,
`${{ secrets.NAME }}` in a workflow. It is unsafe because the value must then be
provided (in `.env`, or as a repository secret) before the program works again, and
because the key must still be rotated. Kubernetes manifests get no fix: how secrets
reach a cluster differs from one project to the next.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.parsed.kind == FileKind::EnvFile || !ctx.is_committed {
            return;
        }
        let Some(yaml) = &ctx.parsed.yaml else {
            return;
        };
        let mut scalars = Vec::new();
        for document in &yaml.documents {
            value_scalars(ctx.text, document, None, false, &mut scalars);
        }
        for scalar in scalars {
            let written = ctx.slice(scalar.node.span.clone());
            for (offset, token) in key_tokens(written) {
                // Cheap tests first: most tokens are words, not keys.
                if token.len() < provider::SHORTEST_KEY
                    || !provider::key_shape(token).is_some_and(|shape| shape.length_ok)
                {
                    continue;
                }
                let range =
                    scalar.node.span.start + offset..scalar.node.span.start + offset + token.len();
                let assignment = ctx.assignments().iter().find(|assignment| {
                    assignment.value_range.start <= range.start
                        && range.end <= assignment.value_range.end
                        && assignment
                            .yaml_outcome
                            .as_ref()
                            .and_then(Outcome::value)
                            .map(str::trim)
                            == Some(token)
                });
                // The key is the whole value of a variable, or of a mapping entry
                // (`apiKey: sk-…` in Helm values); inside a script it has no name.
                let whole_value =
                    assignment.is_some() || scalar.node.as_str().map(str::trim) == Some(token);
                let name = assignment
                    .map(|assignment| assignment.name.as_str())
                    .or(scalar.key.filter(|_| whole_value));
                let Some(kind) = secret_kind(token, whole_value && name.is_some_and(is_key_name))
                else {
                    continue;
                };
                let diagnostic = Self::diagnostic(
                    Self::SEVERITY,
                    range.clone(),
                    message(ctx.parsed.kind, name, kind, token),
                );
                // A plain scalar in a flow collection cannot take the `{…}` of a reference.
                let fix = name
                    .filter(|_| {
                        whole_value
                            && !(scalar.in_flow && scalar_style(scalar.node) == Some(Style::Plain))
                    })
                    .and_then(|name| reference_fix(ctx.parsed.kind, name, range));
                out.push(match fix {
                    Some(fix) => with_fix(diagnostic, fix),
                    None => diagnostic,
                });
            }
        }
        // Secret `data:` is base64: the key is only visible decoded.
        for assignment in ctx.assignments() {
            if assignment.origin != Origin::SecretData {
                continue;
            }
            let Some(decoded) = assignment.yaml_outcome.as_ref().and_then(Outcome::value) else {
                continue;
            };
            let key = decoded.trim();
            let Some(kind) = secret_kind(key, is_key_name(&assignment.name)) else {
                continue;
            };
            out.push(Self::diagnostic(
                Self::SEVERITY,
                assignment.value_range.clone(),
                message(ctx.parsed.kind, Some(&assignment.name), kind, key),
            ));
        }
    }
}

/// A scalar value with the mapping key it belongs to.
struct ValueScalar<'a> {
    node: &'a Node,
    key: Option<&'a str>,
    /// Inside `{…}` or `[…]`, where a plain scalar cannot hold `{`, `}` or `,`.
    in_flow: bool,
}

/// Every scalar value long enough to hold a key (never a mapping key), with its key;
/// aliases are checked where the anchor is written.
fn value_scalars<'a>(
    text: &str,
    node: &'a Node,
    key: Option<&'a str>,
    in_flow: bool,
    found: &mut Vec<ValueScalar<'a>>,
) {
    match &node.kind {
        // A shorter scalar holds no key of the right length.
        NodeKind::Scalar { .. } if node.span.len() >= provider::SHORTEST_KEY => {
            found.push(ValueScalar { node, key, in_flow });
        }
        NodeKind::Scalar { .. } => {}
        NodeKind::Sequence(items) => {
            let in_flow = in_flow || is_flow(text, node);
            // A list item is not the value of its parent key (`command: [--key, sk-…]`).
            for item in items {
                value_scalars(text, item, None, in_flow, found);
            }
        }
        NodeKind::Mapping(entries) => {
            let in_flow = in_flow || is_flow(text, node);
            for (entry_key, value) in entries {
                value_scalars(text, value, entry_key.as_str(), in_flow, found);
            }
        }
        NodeKind::Alias(_) => {}
    }
}

/// Flow collections are the ones whose span starts with their bracket; a block
/// collection's span starts at its first entry (or `-`).
fn is_flow(text: &str, node: &Node) -> bool {
    text.get(node.span.start..)
        .is_some_and(|rest| rest.starts_with(['{', '[']))
}

fn scalar_style(node: &Node) -> Option<Style> {
    match &node.kind {
        NodeKind::Scalar { style, .. } => Some(*style),
        _ => None,
    }
}

/// Maximal runs of the characters keys are made of, with their offsets. Those characters
/// are ASCII, so runs of their bytes are the same runs, found without decoding the text.
fn key_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes[at..].iter().position(|&byte| is_key_byte(byte))?;
        let length = bytes[start..]
            .iter()
            .position(|&byte| !is_key_byte(byte))
            .unwrap_or(bytes.len() - start);
        at = start + length;
        Some((start, &text[start..at]))
    })
}

/// The kind of a value that is a real-looking key: the provider's shape (with OpenAI's
/// marker) and random-looking text after the prefix. A bare 32-hex value is an Azure key
/// only when `named_as_key` (hashes and ids look the same).
fn secret_kind(value: &str, named_as_key: bool) -> Option<KeyKind> {
    let shape = provider::key_shape(value)?;
    if !shape.length_ok || !shape.charset_ok || shape.has_marker == Some(false) {
        return None;
    }
    if shape.kind == KeyKind::Azure && !named_as_key {
        return None;
    }
    let body = &value[shape.prefix.len()..];
    let threshold = if body.chars().all(|character| character.is_ascii_hexdigit()) {
        // 32 random hex digits average about 3.7 bits per character.
        3.0
    } else {
        3.5
    };
    (shannon_entropy(body) >= threshold && !looks_made_up(body)).then_some(shape.kind)
}

/// Text typed by hand to look like a key: a repeated block (`0123456789abcdef` twice)
/// or mostly ascending runs (`abcdefgh…`, `123456…`), which pass an entropy test.
fn looks_made_up(body: &str) -> bool {
    let bytes = body.as_bytes();
    let repeated = (1..=bytes.len() / 2).any(|period| {
        bytes.len().is_multiple_of(period)
            && bytes.chunks(period).all(|chunk| chunk == &bytes[..period])
    });
    let ascending = bytes
        .windows(2)
        .filter(|pair| pair[1] == pair[0].wrapping_add(1))
        .count();
    repeated || ascending * 2 > bytes.len()
}

/// Bits per character of `text`.
fn shannon_entropy(text: &str) -> f64 {
    // Keys are ASCII: those characters are counted in a table, any other in a short list.
    let mut ascii = [0usize; 128];
    let mut other: Vec<(char, usize)> = Vec::new();
    let mut total = 0usize;
    for character in text.chars() {
        if character.is_ascii() {
            ascii[character as usize] += 1;
        } else if let Some((_, count)) = other.iter_mut().find(|(seen, _)| *seen == character) {
            *count += 1;
        } else {
            other.push((character, 1));
        }
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    let term = |count: usize| {
        let probability = count as f64 / total;
        -probability * probability.log2()
    };
    // A key's characters mostly occur once or a few times: the term of each such count
    // is worked out once, not once per character.
    let mut small_counts: [Option<f64>; 8] = [None; 8];
    ascii
        .into_iter()
        .chain(other.into_iter().map(|(_, count)| count))
        .filter(|&count| count > 0)
        .map(|count| match small_counts.get_mut(count) {
            Some(known) => *known.get_or_insert_with(|| term(count)),
            None => term(count),
        })
        .sum()
}

fn message(kind: FileKind, name: Option<&str>, key_kind: KeyKind, key: &str) -> String {
    // Written into one buffer: a key in a committed file is reported wherever it is.
    let mut message = String::with_capacity(320);
    if let Some(name) = name {
        message.push_str(name);
        message.push_str(" holds a hardcoded ");
    } else {
        message.push_str("this value contains a hardcoded ");
    }
    message.push_str(key_kind.description());
    message.push_str(" (");
    message.push_str(&mask_secret(key));
    message.push_str(") in a committed file: anyone who can read the repository can use it — ");
    message.push_str(match key_kind.provider() {
        Provider::AzureOpenAi => "regenerate it in the Azure portal",
        _ => "revoke it and create a new one",
    });
    message.push_str(" (deleting the line leaves it in the history), then ");
    let reference = name.and_then(|name| reference(kind, name));
    match (kind, reference) {
        (FileKind::Compose, Some(reference)) => {
            message.push_str("move it to the gitignored `.env` and write `");
            message.push_str(&reference);
            message.push_str("` here");
        }
        (FileKind::Compose, None) => message
            .push_str("move it to the gitignored `.env` and reference it with `${NAME}`"),
        (FileKind::Workflow, Some(reference)) => {
            message.push_str("store it as a repository secret and write `");
            message.push_str(&reference);
            message.push_str("` here");
        }
        (FileKind::Workflow, None) => message.push_str(
            "store it as a repository secret and reference it with `${{ secrets.NAME }}`",
        ),
        _ => message.push_str("keep it in a secret store (a Secret created outside the repository, sealed-secrets, external-secrets)"),
    }
    message
}

/// A name usable as `${NAME}` and as a GitHub secret name.
fn is_reference_name(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
        && characters.all(|character| character == '_' || character.is_ascii_alphanumeric())
        && !name.to_ascii_uppercase().starts_with("GITHUB_")
}

/// What replaces the key: `${NAME}` in Compose, which interpolates every value, and
/// `${{ secrets.NAME }}` in a workflow (secret names are upper case, `_` for `-`).
fn reference(kind: FileKind, name: &str) -> Option<String> {
    match kind {
        FileKind::Compose if is_reference_name(name) => Some(format!("${{{name}}}")),
        FileKind::Workflow => {
            let secret = name.to_ascii_uppercase().replace('-', "_");
            is_reference_name(&secret).then(|| format!("${{{{ secrets.{secret} }}}}"))
        }
        _ => None,
    }
}

/// Replaces the key with its [`reference`].
fn reference_fix(kind: FileKind, name: &str, range: Range<usize>) -> Option<Fix> {
    let replacement = reference(kind, name)?;
    Some(Fix::unsafe_(
        format!("Replace the key with `{replacement}`"),
        vec![Edit::replace(range, replacement)],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{MemoryProject, check, check_in_project};
    use proptest::prelude::*;

    proptest! {
        /// The entropy counted in a table is the one counted per distinct character (up
        /// to the order of the sum).
        #[test]
        fn entropy_is_counted_per_distinct_character(text in "[a-zA-Z0-9_\\-é界]{0,60}") {
            let mut counts = std::collections::BTreeMap::new();
            for character in text.chars() {
                *counts.entry(character).or_insert(0usize) += 1;
            }
            let total = text.chars().count() as f64;
            let expected: f64 = counts
                .values()
                .map(|&count| -(count as f64 / total) * (count as f64 / total).log2())
                .sum();
            prop_assert!((super::shannon_entropy(&text) - expected).abs() < 1e-9);
        }
    }

    /// Fabricated random-looking text (xorshift), never a real key.
    fn random(length: usize, seed: u64, alphabet: &str) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize]
            })
            .collect()
    }

    const BASE62: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    fn openai_key(seed: u64) -> String {
        format!(
            "sk-proj-{}{}{}",
            random(74, seed, BASE62),
            crate::provider::OPENAI_MARKER,
            random(74, seed + 1, BASE62)
        )
    }

    #[test]
    fn compose_keys_get_an_interpolation() {
        let key = openai_key(1);
        insta::assert_snapshot!(check("KL503", "compose.yaml", &format!("services:\n  api:\n    environment:\n      OPENAI_API_KEY: \"{key}\"\n")), @r#"
        4:24-4:188 error KL503: OPENAI_API_KEY holds a hardcoded OpenAI project key (sk-proj-…vuAF (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then move it to the gitignored `.env` and write `${OPENAI_API_KEY}` here
          fix (unsafe): Replace the key with `${OPENAI_API_KEY}` => services:\n  api:\n    environment:\n      OPENAI_API_KEY: "${OPENAI_API_KEY}"\n
        "#);
        insta::assert_snapshot!(check("KL503", "compose.yaml", &format!("services:\n  api:\n    environment:\n      - OPENAI_API_KEY={key}\n")), @r"
        4:24-4:188 error KL503: OPENAI_API_KEY holds a hardcoded OpenAI project key (sk-proj-…vuAF (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then move it to the gitignored `.env` and write `${OPENAI_API_KEY}` here
          fix (unsafe): Replace the key with `${OPENAI_API_KEY}` => services:\n  api:\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n
        ");
    }

    #[test]
    fn no_fix_where_the_reference_would_break_the_yaml() {
        let key = openai_key(8);
        insta::assert_snapshot!(check("KL503", "compose.yaml", &format!("services:\n  api:\n    environment: {{OPENAI_API_KEY: {key}}}\n")), @"3:35-3:199 error KL503: OPENAI_API_KEY holds a hardcoded OpenAI project key (sk-proj-…Oax3 (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then move it to the gitignored `.env` and write `${OPENAI_API_KEY}` here");
        insta::assert_snapshot!(check("KL503", "charts/app/values.yaml", &format!("llm:\n  apiKey: {key}\n")), @"2:11-2:175 error KL503: apiKey holds a hardcoded OpenAI project key (sk-proj-…Oax3 (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then keep it in a secret store (a Secret created outside the repository, sealed-secrets, external-secrets)");
    }

    #[test]
    fn workflow_keys_get_a_repository_secret() {
        let key = openai_key(2);
        insta::assert_snapshot!(check("KL503", ".github/workflows/ci.yml", &format!("jobs:\n  test:\n    env:\n      OPENAI_API_KEY: {key}\n")), @r"
        4:23-4:187 error KL503: OPENAI_API_KEY holds a hardcoded OpenAI project key (sk-proj-…XFiE (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then store it as a repository secret and write `${{ secrets.OPENAI_API_KEY }}` here
          fix (unsafe): Replace the key with `${{ secrets.OPENAI_API_KEY }}` => jobs:\n  test:\n    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n
        ");
        insta::assert_snapshot!(check("KL503", ".github/workflows/ci.yml", &format!("jobs:\n  test:\n    steps:\n      - uses: some/action@v1\n        with:\n          openai-api-key: '{key}'\n")), @r"
        6:28-6:192 error KL503: openai-api-key holds a hardcoded OpenAI project key (sk-proj-…XFiE (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then store it as a repository secret and write `${{ secrets.OPENAI_API_KEY }}` here
          fix (unsafe): Replace the key with `${{ secrets.OPENAI_API_KEY }}` => jobs:\n  test:\n    steps:\n      - uses: some/action@v1\n        with:\n          openai-api-key: '${{ secrets.OPENAI_API_KEY }}'\n
        ");
        insta::assert_snapshot!(check("KL503", ".github/workflows/ci.yml", &format!("jobs:\n  test:\n    steps:\n      - run: |\n          curl -H \"Authorization: Bearer {key}\" https://api.openai.com/v1/models\n")), @"5:42-5:206 error KL503: this value contains a hardcoded OpenAI project key (sk-proj-…XFiE (164 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then store it as a repository secret and reference it with `${{ secrets.NAME }}`");
    }

    #[test]
    fn kubernetes_keys_including_base64_data() {
        use base64::Engine as _;
        let azure = random(32, 3, "0123456789abcdef");
        let gemini = format!("AIza{}", random(35, 4, BASE62));
        let encoded = base64::engine::general_purpose::STANDARD.encode(&gemini);
        insta::assert_snapshot!(check("KL503", "k8s/secret.yaml", &format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ndata:\n  GEMINI_API_KEY: {encoded}\nstringData:\n  AZURE_OPENAI_API_KEY: {azure}\n")), @"
        6:19-6:71 error KL503: GEMINI_API_KEY holds a hardcoded Google API key (AIza…6r6W (39 chars)) in a committed file: anyone who can read the repository can use it — revoke it and create a new one (deleting the line leaves it in the history), then keep it in a secret store (a Secret created outside the repository, sealed-secrets, external-secrets)
        8:25-8:57 error KL503: AZURE_OPENAI_API_KEY holds a hardcoded Azure OpenAI key (…8f52 (32 chars)) in a committed file: anyone who can read the repository can use it — regenerate it in the Azure portal (deleting the line leaves it in the history), then keep it in a secret store (a Secret created outside the repository, sealed-secrets, external-secrets)
        ");
    }

    #[test]
    fn near_misses() {
        let low_entropy = format!(
            "sk-proj-{}{}{}",
            "A".repeat(74),
            crate::provider::OPENAI_MARKER,
            "b".repeat(74)
        );
        let no_marker = format!("sk-proj-{}", random(156, 5, BASE62));
        let hash = random(32, 6, "0123456789abcdef");
        let sequence = format!(
            "sk-proj-{}{}{}",
            "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2),
            crate::provider::OPENAI_MARKER,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(3)
        );
        insta::assert_snapshot!(check("KL503", ".github/workflows/ci.yml", &format!("jobs:\n  test:\n    env:\n      OPENAI_API_KEY: {low_entropy}\n      ANTHROPIC_API_KEY: sk-fake-key\n      GEMINI_API_KEY: fake\n      AZURE_OPENAI_API_KEY: test-key\n      OTHER: {no_marker}\n      CHECKSUM: {hash}\n      AZURE_OPENAI_KEY: 0123456789abcdef0123456789abcdef\n      OPENAI_KEY: {sequence}\n      REAL: ${{{{ secrets.OPENAI_API_KEY }}}}\n")), @"");
        insta::assert_snapshot!(check("KL503", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n"), @"");
        // Env files and gitignored files are where keys belong.
        let key = openai_key(7);
        insta::assert_snapshot!(check("KL503", ".env", &format!("OPENAI_API_KEY={key}\n")), @"");
        let ignored = MemoryProject::default().ignoring("compose.override.yaml");
        insta::assert_snapshot!(check_in_project("KL503", "compose.override.yaml", &format!("services:\n  api:\n    environment:\n      OPENAI_API_KEY: {key}\n"), &ignored), @"");
    }
}

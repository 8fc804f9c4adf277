//! KL304 malformed-key: a key that is truncated, has stray characters, lacks its marker,
//! or includes `Bearer `.

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::is_invisible;
use crate::provider::{self, KeyKind, KeyShape, Provider};
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::{Expectation, detail, judge_key, key_range};
use crate::rules::{Context, FixAvailability, Rule, with_fix};

pub(crate) struct MalformedKey;

impl Rule for MalformedKey {
    const CODE: &'static str = "KL304";
    const NAME: &'static str = "malformed-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A key that is truncated, has stray characters, lacks its marker, or includes `Bearer `";
    const DOC: &'static str = r#"
## What it does
Checks a key against the shape of its provider's keys (prefix, characters, a tolerant
length range, OpenAI's `T3BlbkFJ` marker) and reports:
- a `Bearer ` prefix pasted with the key (error);
- characters keys never contain, such as `.`, `/`, `;` or `=` (error), or several keys
  separated by commas (warning);
- a ` # comment` read as part of the key, as `docker run --env-file` does (error when
  docker is known to read the file);
- a key far shorter than its provider's keys, i.e. truncated (error), or one longer than
  any, such as two keys pasted together (error) or something pasted with it (warning);
- an OpenAI key without the `T3BlbkFJ` marker (warning: the marker is not guaranteed).

Quotes, blanks and invisible characters are left to KL101, KL102 and KL103; placeholders and
empty values to KL301 and KL302; a key of another provider to KL303. Keys next to an
endpoint on a local or unknown host, which accepts any value, are not checked.

## Why is this bad?
The provider compares the whole string: a key missing its last characters, or with a
character picked up while copying it, is a different key and the request fails with
`401 invalid_api_key`. The SDKs add `Bearer ` themselves, so a key stored with it is sent
as `Bearer Bearer sk-…`.

## Example
```shell
OPENAI_API_KEY=Bearer sk-proj-…
```

Use instead:
```shell
OPENAI_API_KEY=sk-proj-…
```

## Fix safety
Removing the `Bearer ` prefix is safe: no key starts with it, and the SDK adds it again.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let expected = match ctx.expectation(index) {
                Expectation::AnyKey => continue,
                Expectation::Provider { provider, .. } => Some(provider),
                Expectation::Unknown if ctx.is_key_like(index) => None,
                Expectation::Unknown => continue,
            };
            let Some((judgement, key)) =
                judge_key(ctx, index, |key| flaw(ctx, index, key, expected).is_some())
            else {
                continue;
            };
            let Some(flaw) = flaw(ctx, index, &key, expected) else {
                continue;
            };
            let name = &assignment.name;
            let key_shown = detail(&judgement, &key);
            let (certain, message) = match flaw {
                Flaw::Bearer => (
                    true,
                    format!(
                        "{name} includes the `Bearer ` prefix ({key_shown}): the SDK adds it itself and sends `Bearer Bearer …`, which is rejected with 401 — remove the prefix"
                    ),
                ),
                Flaw::KeyList => (
                    false,
                    format!(
                        "{name} holds several keys separated by commas ({key_shown}): the official SDK sends the whole text as one key — keep one key here"
                    ),
                ),
                Flaw::Stray(character) => (
                    true,
                    format!(
                        "{name} contains `{character}`, which keys never contain ({key_shown}) — copy the key again"
                    ),
                ),
                Flaw::Comment => (
                    true,
                    format!(
                        "{} reads the ` # comment` after {name} as part of the key ({key_shown}) — move the comment to a line of its own",
                        judgement.who()
                    ),
                ),
                Flaw::TwoKeys => (
                    true,
                    format!("{name} looks like two keys pasted together ({key_shown}) — keep one"),
                ),
                Flaw::Truncated { kind, min } => (
                    true,
                    format!(
                        "{name} looks truncated ({key_shown}): {}s are at least {min} characters long — copy the whole key again",
                        kind.description()
                    ),
                ),
                Flaw::TooLong { kind, max } => (
                    false,
                    format!(
                        "{name} is longer than any {} ({key_shown}; at most {max} expected) — check that nothing was pasted with it",
                        kind.description()
                    ),
                ),
                Flaw::NoMarker => (
                    false,
                    format!(
                        "{name} lacks the `{}` marker OpenAI keys carry ({key_shown}) — check that it is a whole OpenAI key",
                        provider::OPENAI_MARKER
                    ),
                ),
            };
            let severity = if certain && !ctx.is_test_context {
                judgement.severity
            } else {
                Severity::Warning
            };
            let diagnostic = Self::diagnostic(severity, key_range(ctx, assignment), message);
            let fix = (flaw == Flaw::Bearer)
                .then(|| bearer_removal(ctx, assignment.value_range.clone()))
                .flatten();
            out.push(match fix {
                Some(fix) => with_fix(diagnostic, fix),
                None => diagnostic,
            });
        }
        keep_first_at_each_spot(out, start);
    }
}

/// What is wrong with a key's shape, most telling first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flaw {
    Bearer,
    KeyList,
    Stray(char),
    /// ` # comment` kept in the value (docker --env-file keeps everything after `=`).
    Comment,
    TwoKeys,
    Truncated {
        kind: KeyKind,
        min: usize,
    },
    TooLong {
        kind: KeyKind,
        max: usize,
    },
    NoMarker,
}

/// Characters a key is checked for after KL101/KL102/KL103 have had theirs.
fn is_other_rules_business(character: char) -> bool {
    character.is_whitespace()
        || is_invisible(character)
        || matches!(character, '"' | '\'' | '`' | '“' | '”' | '‘' | '’')
}

fn is_key_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || matches!(character, '-' | '_')
}

/// `Bearer sk-…` → the length of `Bearer ` with its blanks.
/// A value that is only the word (a shell splits `KEY=Bearer sk-…` at the blank).
fn is_bearer_alone(key: &str) -> bool {
    key.eq_ignore_ascii_case("bearer")
}

fn bearer_prefix(key: &str) -> Option<usize> {
    let word = key.get(..6)?;
    let rest = &key[6..];
    let after = rest.trim_start_matches([' ', '\t']);
    (word.eq_ignore_ascii_case("bearer") && after.len() < rest.len() && !after.is_empty())
        .then(|| key.len() - after.len())
}

/// The shape of `key` when it is checked: the expected provider's (a bare `sk-` prefix
/// only when the variable is OpenAI's by name), never another provider's (KL303).
fn checked_shape(
    ctx: &Context,
    index: usize,
    key: &str,
    expected: Option<Provider>,
) -> Option<KeyShape> {
    let shape = ctx.key_shape(index, key)?;
    let provider = shape.kind.provider();
    match expected {
        Some(expected) => (provider == expected).then_some(shape),
        None => (shape.prefix != "sk-" && !shape.prefix.is_empty()).then_some(shape),
    }
}

/// What is wrong with `key`, one of the keys assignment `index` holds.
fn flaw(ctx: &Context, index: usize, key: &str, expected: Option<Provider>) -> Option<Flaw> {
    if key.is_empty() || ctx.filler(index, key).is_some() {
        return None;
    }
    if bearer_prefix(key).is_some() || is_bearer_alone(key) {
        return Some(Flaw::Bearer);
    }
    let shape = checked_shape(ctx, index, key, expected)?;
    // Most keys are key characters only (the shape's charset): no `,`, `#` or stray
    // character, and their bytes count them.
    let plain = shape.charset_ok;
    if !plain {
        if key.contains(',')
            && key
                .split(',')
                .all(|part| provider::key_shape(part.trim()).is_some())
        {
            return Some(Flaw::KeyList);
        }
        if key
            .split_once('#')
            .is_some_and(|(before, _)| before.ends_with(char::is_whitespace))
        {
            return Some(Flaw::Comment);
        }
        if let Some(stray) = key
            .chars()
            .find(|&character| !is_key_char(character) && !is_other_rules_business(character))
        {
            return Some(Flaw::Stray(stray));
        }
    }
    // Many OpenAI-compatible services hand out bare `sk-` keys too (DeepSeek, proxies):
    // without OpenAI's marker its length says nothing, only that it may not be OpenAI's.
    if shape.prefix == "sk-" && shape.has_marker == Some(false) {
        return Some(Flaw::NoMarker);
    }
    let (min, max) = provider::key_length_range(&shape);
    let length = if plain {
        key.len()
    } else {
        key.chars()
            .filter(|&character| is_key_char(character))
            .count()
    };
    if length < min {
        return Some(Flaw::Truncated {
            kind: shape.kind,
            min,
        });
    }
    if length > max {
        let body = &key[shape.prefix.len()..];
        return Some(if !shape.prefix.is_empty() && body.contains(shape.prefix) {
            Flaw::TwoKeys
        } else {
            Flaw::TooLong {
                kind: shape.kind,
                max,
            }
        });
    }
    // Admin keys are KL305's business.
    if shape.has_marker == Some(false) && shape.kind != KeyKind::OpenAiAdmin {
        return Some(Flaw::NoMarker);
    }
    None
}

/// Deletes `Bearer ` (and the blanks after it) at the start of the written value.
fn bearer_removal(ctx: &Context, range: std::ops::Range<usize>) -> Option<Fix> {
    let raw = ctx.slice(range.clone());
    let quote = raw
        .chars()
        .next()
        .filter(|character| matches!(character, '"' | '\''))
        .map_or(0, char::len_utf8);
    let length = bearer_prefix(&raw[quote..])?;
    let start = range.start + quote;
    Some(Fix::safe(
        "Remove the `Bearer ` prefix",
        vec![Edit::delete(start..start + length)],
    ))
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::provider::OPENAI_MARKER;
    use crate::rules::test_support::{check, check_with};

    /// Fabricated key characters: varied, so they do not read as a placeholder.
    fn body(length: usize) -> String {
        "Q1w2E3r4T5y6".chars().cycle().take(length).collect()
    }

    fn openai_key() -> String {
        format!("sk-proj-{}{OPENAI_MARKER}{}", body(74), body(74))
    }

    #[test]
    fn bearer_prefix_is_removed() {
        insta::assert_snapshot!(check("KL304", ".env", "OPENAI_API_KEY=Bearer sk-proj-abc\n"), @r"
        1:16-1:34 error KL304: OPENAI_API_KEY includes the `Bearer ` prefix (…-abc, 18 chars): the SDK adds it itself and sends `Bearer Bearer …`, which is rejected with 401 — remove the prefix
          fix (safe): Remove the `Bearer ` prefix => OPENAI_API_KEY=sk-proj-abc\n
        ");
        insta::assert_snapshot!(check("KL304", ".env", "OPENAI_API_KEY=\"Bearer sk-proj-abc\"\n"), @r#"
        1:17-1:35 error KL304: OPENAI_API_KEY includes the `Bearer ` prefix (…-abc, 18 chars): the SDK adds it itself and sends `Bearer Bearer …`, which is rejected with 401 — remove the prefix
          fix (safe): Remove the `Bearer ` prefix => OPENAI_API_KEY="sk-proj-abc"\n
        "#);
    }

    #[test]
    fn stray_characters_and_lists() {
        let key = openai_key();
        let text = format!(
            "OPENAI_API_KEY={}.{}\nANTHROPIC_API_KEY=sk-ant-api03-{};\n",
            &key[..100],
            &key[100..],
            body(90)
        );
        insta::assert_snapshot!(check("KL304", ".env", &text), @"
        1:16-1:181 error KL304: OPENAI_API_KEY contains `.`, which keys never contain (sk-proj-…y6Q1, 165 chars) — copy the key again
        2:19-2:123 warning KL304: ANTHROPIC_API_KEY contains `;`, which keys never contain (sk-ant-api03-…2E3;, 104 chars, as python-dotenv, node dotenv, dotenvy and Compose read it) — copy the key again
        ");
        insta::assert_snapshot!(check("KL304", ".env", &format!("OPENAI_API_KEY={key},{key}\n")), @"1:16-1:345 warning KL304: OPENAI_API_KEY holds several keys separated by commas (sk-proj-…y6Q1, 329 chars): the official SDK sends the whole text as one key — keep one key here");
    }

    #[test]
    fn comment_kept_by_docker() {
        let text = format!("OPENAI_API_KEY={} # prod\n", openai_key());
        insta::assert_snapshot!(check("KL304", ".env", &text), @"");
        insta::assert_snapshot!(check_with("KL304", ".env", &text, &[Consumer::DockerEnvFile]), @"1:16-1:180 error KL304: docker --env-file reads the ` # comment` after OPENAI_API_KEY as part of the key (sk-proj-…prod, 171 chars) — move the comment to a line of its own");
    }

    #[test]
    fn truncated_long_and_unmarked() {
        let key = openai_key();
        let text = format!(
            "OPENAI_API_KEY={}\nGEMINI_API_KEY=AIza{}\nANTHROPIC_API_KEY=sk-ant-api03-{}\n",
            &key[..40],
            body(20),
            body(40)
        );
        insta::assert_snapshot!(check("KL304", ".env", &text), @"
        1:16-1:56 error KL304: OPENAI_API_KEY looks truncated (sk-proj-…E3r4, 40 chars): OpenAI project keys are at least 60 characters long — copy the whole key again
        2:16-2:40 error KL304: GEMINI_API_KEY looks truncated (AIza…E3r4, 24 chars): Google API keys are at least 30 characters long — copy the whole key again
        3:19-3:72 error KL304: ANTHROPIC_API_KEY looks truncated (sk-ant-api03-…Q1w2, 53 chars): Anthropic API keys are at least 60 characters long — copy the whole key again
        ");
        insta::assert_snapshot!(check("KL304", ".env", &format!("OPENAI_API_KEY={key}{key}\n")), @"1:16-1:344 error KL304: OPENAI_API_KEY looks like two keys pasted together (sk-proj-…y6Q1, 328 chars) — keep one");
        insta::assert_snapshot!(check("KL304", ".env", &format!("OPENAI_API_KEY=sk-proj-{}\nAZURE_OPENAI_API_KEY=sk-{}\n", body(150), body(32))), @"1:16-1:174 warning KL304: OPENAI_API_KEY lacks the `T3BlbkFJ` marker OpenAI keys carry (sk-proj-…w2E3, 158 chars) — check that it is a whole OpenAI key");
        // A bare `sk-` key of some OpenAI-compatible service: not called truncated.
        insta::assert_snapshot!(check("KL304", ".env", &format!("OPENAI_API_KEY=sk-{}\n", body(32))), @"1:16-1:51 warning KL304: OPENAI_API_KEY lacks the `T3BlbkFJ` marker OpenAI keys carry (sk-…E3r4, 35 chars) — check that it is a whole OpenAI key");
        insta::assert_snapshot!(check("KL304", ".github/workflows/ci.yml", &format!("jobs:\n  t:\n    env:\n      OPENAI_API_KEY: {}\n", &key[..40])), @"4:23-4:63 warning KL304: OPENAI_API_KEY looks truncated (sk-proj-…E3r4, 40 chars): OpenAI project keys are at least 60 characters long — copy the whole key again");
    }

    #[test]
    fn near_misses() {
        // Whole keys, other rules' business (quotes, blanks, placeholders, another
        // provider's key), keys for a local endpoint, other services' `sk-` keys.
        let key = openai_key();
        let text = format!(
            "OPENAI_API_KEY=\"{key}\"\nANTHROPIC_API_KEY=sk-ant-api03-{}\nGEMINI_API_KEY=AIza{}\nAZURE_OPENAI_API_KEY=0123456789abcdef0123456789abcdef\n",
            body(95),
            body(35)
        );
        insta::assert_snapshot!(check("KL304", ".env", &text), @"");
        insta::assert_snapshot!(check("KL304", ".env", &format!("OPENAI_API_KEY={key} \nANTHROPIC_API_KEY=sk-ant-...\nGEMINI_API_KEY={key}\n")), @"");
        insta::assert_snapshot!(check("KL304", ".env", "OPENAI_API_KEY=sk-1234abcd\nOPENAI_BASE_URL=http://localhost:4000\n"), @"");
        insta::assert_snapshot!(check("KL304", ".env", &format!("DEEPSEEK_API_KEY=sk-{}\nOPENROUTER_API_KEY=sk-or-v1-{}\n", "a1".repeat(16), "c".repeat(64))), @"");
    }
}

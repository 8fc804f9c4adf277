//! KL101 quotes-kept: quote characters that reach the program as part of the value.

use crate::consumer::Outcome;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::mask_body;
use crate::rules::{Context, FixAvailability, Rule, Syntax, push_names, with_fix};

pub(crate) struct QuotesKept;

impl Rule for QuotesKept {
    const CODE: &'static str = "KL101";
    const NAME: &'static str = "quotes-kept";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str = "Quotes that reach the program: Compose list form, docker --env-file, curly or mismatched quotes";
    const DOC: &'static str = r#"
## What it does
Finds values whose quote characters are not removed by the program that reads them,
so the application receives `"sk-…"` with the quotes: Compose `environment:` in list
form (`- KEY="value"`), a quoted value in a file read by `docker run --env-file`,
curly quotes (`“…”`) pasted from a document, and mismatched quotes (`'value"`).

## Why is this bad?
The provider compares the whole string. A key with two extra quote characters is a
different key, and the request fails with `401 invalid_api_key` although the key itself
is right. Which loaders strip quotes (`docs/loaders.md` in the keylint repository): every
dotenv library and Compose's `env_file:` do; `docker run --env-file` and the Compose list form
do not.

Quoting in a `.env` is deliberate syntax that every dotenv library understands, so a
quoted value is reported for `docker run --env-file` only when keylint sees docker read
the file (a `--env-file` in a Makefile, script or README).

## Example
```yaml
services:
  api:
    environment:
      - OPENAI_API_KEY="sk-proj-…"
```

Use instead:
```yaml
services:
  api:
    environment:
      - OPENAI_API_KEY=sk-proj-…
```

## Fix safety
Removing the quotes is safe when the value inside needs no quoting (no blanks, `#`,
`$`, quotes or backslashes): every consumer then receives the same value, without the
quotes.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            // Most values end in no quote for any loader: nothing to judge.
            if !ctx.any_outcome(index, |outcome| {
                outcome.value().is_some_and(may_be_quote_end)
            }) {
                continue;
            }
            let raw = ctx.slice(assignment.value_range.clone());
            let syntax = if is_matched_straight_pair(raw) && !assignment.origin.is_yaml() {
                Syntax::Deliberate
            } else {
                Syntax::Accidental
            };
            let is_yaml = assignment.origin.is_yaml();
            let Some(judgement) = ctx.judge(index, syntax, |_, outcome| {
                kept_quotes(outcome).filter(|_| !(is_yaml && ends_a_quotation(outcome)))
            }) else {
                continue;
            };
            // Quotes only docker keeps, inside a comment the other loaders cut off
            // (`A=v # it's "x"`), matter only where docker is seen to read the file.
            let only_docker = judgement
                .broken
                .iter()
                .all(|(consumer, _)| *consumer == crate::consumer::Consumer::DockerEnvFile);
            let rest_of_line = ctx.text[assignment.value_range.start..]
                .split('\n')
                .next()
                .unwrap_or_default();
            if only_docker && !ctx.consumers.is_known() && rest_of_line.contains(" #") {
                continue;
            }
            let (_, shown) = &judgement.broken[0];
            // Written into one buffer: quoted values are among the most frequent findings.
            let mut message = String::with_capacity(160);
            let broken = judgement.broken.iter().map(|(consumer, _)| *consumer);
            if judgement.is_yaml() {
                message.push_str("the program receives ");
                message.push_str(&assignment.name);
                message.push_str(" with literal quotes (");
                message.push_str(shown);
                message.push_str(
                    if assignment.origin == crate::assignment::Origin::ComposeList {
                        ") — use the map form or drop the quotes"
                    } else {
                        ") — drop the inner quotes"
                    },
                );
            } else if judgement.fine.is_empty() {
                if judgement.broken.len() > 1 {
                    message.push_str("every loader");
                } else {
                    push_names(&mut message, broken);
                }
                message.push_str(" keeps the quotes of ");
                message.push_str(&assignment.name);
                message.push_str(" (");
                message.push_str(shown);
                message.push_str(") — remove them");
            } else {
                push_names(&mut message, broken);
                message.push_str(" passes ");
                message.push_str(&assignment.name);
                message.push_str(" with its quotes (");
                message.push_str(shown);
                message.push_str("); ");
                push_names(&mut message, judgement.fine.iter().copied());
                message.push_str(" strip them — remove the quotes");
            }
            let diagnostic =
                Self::diagnostic(judgement.severity, assignment.value_range.clone(), message);
            out.push(match removal(ctx, assignment.value_range.clone()) {
                Some(fix) => with_fix(diagnostic, fix),
                None => diagnostic,
            });
        }
    }
}

const QUOTES: [char; 7] = ['"', '\'', '`', '“', '”', '‘', '’'];

fn is_matched_straight_pair(raw: &str) -> bool {
    raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
}

/// Whether the one quote at an end of a YAML value closes (or opens) a quotation the
/// value itself holds (`is:issue -reason:"not planned"`): YAML delivers the text as
/// written, so those quotes are what the author meant, not a wrapper left behind.
fn ends_a_quotation(outcome: &Outcome) -> bool {
    let Some(value) = outcome.value() else {
        return false;
    };
    let straight = |character: Option<char>| character.filter(|c| matches!(c, '"' | '\''));
    match (
        straight(value.chars().next()),
        straight(value.chars().next_back()),
    ) {
        (Some(quote), None) | (None, Some(quote)) => value.matches(quote).count() % 2 == 0,
        _ => false,
    }
}

/// Whether `value` may start or end with one of [`QUOTES`], by its end bytes: asked of
/// every value each loader gets, and most end in neither. The curly quotes are
/// `E2 80 98`..`E2 80 9D` in UTF-8.
fn may_be_quote_end(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes
        .first()
        .is_some_and(|byte| matches!(byte, b'"' | b'\'' | b'`' | 0xE2))
        || bytes
            .last()
            .is_some_and(|byte| matches!(byte, b'"' | b'\'' | b'`' | 0x98..=0x9D))
}

/// What the program gets when the value starts or ends with a quote character.
#[inline]
fn kept_quotes(outcome: &Outcome) -> Option<String> {
    let value = outcome.value()?;
    if !may_be_quote_end(value) {
        return None;
    }
    quoted(value)
}

/// [`kept_quotes`] of a value that may start or end with a quote.
fn quoted(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    let last = value.chars().next_back()?;
    if !QUOTES.contains(&first) && !QUOTES.contains(&last) {
        return None;
    }
    let inner = value.trim_matches(QUOTES);
    let length = value.chars().count();
    let inner_length = inner.chars().count();
    // A lone `${NAME}` is not a secret: show it, since interpolation runs first and the
    // quotes stay around whatever it expands to.
    let references = crate::consumer::find_interpolations(inner);
    if let [reference] = references.as_slice()
        && reference.range == (0..inner.len())
    {
        return Some(format!(
            "{value}: the value of {} plus {} quote characters",
            reference.name,
            length - inner_length
        ));
    }
    // Written into one buffer: this runs for every loader that keeps the quotes.
    let mut shown = String::with_capacity(64);
    if QUOTES.contains(&first) {
        shown.push(first);
    }
    match mask_body(inner) {
        Some(body) => shown.push_str(&body),
        None => shown.push('…'),
    }
    if QUOTES.contains(&last) && length > 1 {
        shown.push(last);
    }
    shown.push_str(", ");
    shown.push_str(itoa::Buffer::new().format(length));
    shown.push_str(" chars instead of ");
    shown.push_str(itoa::Buffer::new().format(inner_length));
    Some(shown)
}

/// Deletes quote characters at both ends of the written value when what is inside needs
/// no quoting, so every consumer gets the same value afterwards.
fn removal(ctx: &Context, range: std::ops::Range<usize>) -> Option<Fix> {
    let raw = ctx.slice(range.clone());
    let first = raw.chars().next()?;
    let last = raw.chars().next_back()?;
    let leading = QUOTES.contains(&first);
    let trailing = QUOTES.contains(&last) && raw.chars().count() > 1;
    if !leading && !trailing {
        // The quote the program keeps is outside what keylint reads as the value
        // (`a=b\t#“` for Compose): no edit inside the range would remove it.
        return None;
    }
    let inner_start = range.start + if leading { first.len_utf8() } else { 0 };
    let inner_end = range.end - if trailing { last.len_utf8() } else { 0 };
    let inner = ctx.text.get(inner_start..inner_end)?;
    let needs_quoting = inner.is_empty()
        || inner.contains(|character: char| {
            character.is_whitespace()
                || QUOTES.contains(&character)
                || matches!(character, '#' | '$' | '\\')
        });
    if needs_quoting {
        return None;
    }
    let mut edits = Vec::new();
    if leading {
        edits.push(Edit::delete(range.start..inner_start));
    }
    if trailing {
        edits.push(Edit::delete(inner_end..range.end));
    }
    Some(Fix::safe("Remove the quotes", edits))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_parsed, check_with};

    proptest! {
        /// The byte test lets through every value that starts or ends with a quote.
        #[test]
        fn quote_ends_pass_the_byte_test(value in "[\"'`“”‘’a-z é€\u{2018}-\u{201F}]{0,6}") {
            let quoted = value.starts_with(super::QUOTES) || value.ends_with(super::QUOTES);
            prop_assert!(!quoted || super::may_be_quote_end(&value));
        }
    }

    #[test]
    fn compose_list_form_keeps_quotes() {
        insta::assert_snapshot!(check("KL101", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=\"sk-abc\"\n      - 'B=\"x\"'\n"), @r#"
        4:24-4:32 error KL101: the program receives OPENAI_API_KEY with literal quotes ("…", 8 chars instead of 6) — use the map form or drop the quotes
          fix (safe): Remove the quotes => services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-abc\n      - 'B="x"'\n
        5:12-5:15 error KL101: the program receives B with literal quotes ("…", 3 chars instead of 1) — use the map form or drop the quotes
          fix (safe): Remove the quotes => services:\n  api:\n    environment:\n      - OPENAI_API_KEY="sk-abc"\n      - 'B=x'\n
        "#);
    }

    #[test]
    fn docker_env_file_keeps_quotes_only_when_docker_reads_it() {
        let text = "OPENAI_API_KEY=\"sk-abc\"\n";
        insta::assert_snapshot!(check("KL101", ".env", text), @"");
        insta::assert_snapshot!(check_with("KL101", ".env", text, &[Consumer::DockerEnvFile]), @r#"
        1:16-1:24 error KL101: docker --env-file keeps the quotes of OPENAI_API_KEY ("…", 8 chars instead of 6) — remove them
          fix (safe): Remove the quotes => OPENAI_API_KEY=sk-abc\n
        "#);
    }

    #[test]
    fn quotes_in_a_comment_only_docker_keeps_need_docker_seen() {
        let text = "A=value # it's \"quoted\"\n";
        insta::assert_snapshot!(check("KL101", ".env", text), @"");
        insta::assert_snapshot!(check_with("KL101", ".env", text, &[Consumer::DockerEnvFile]), @r#"1:3-1:8 error KL101: docker --env-file keeps the quotes of A (…oted", 21 chars instead of 20) — remove them"#);
    }

    #[test]
    fn curly_quotes_break_every_loader() {
        insta::assert_snapshot!(check("KL101", ".env", "OPENAI_API_KEY=“sk-abc”\n"), @r"
        1:16-1:24 error KL101: every loader keeps the quotes of OPENAI_API_KEY (“…”, 8 chars instead of 6) — remove them
          fix (safe): Remove the quotes => OPENAI_API_KEY=sk-abc\n
        ");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL101", ".env", "A=\"sk-abc\"\nB='x y'\nC=it's\n"), @"");
        insta::assert_snapshot!(check_parsed("KL101", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: \"sk-abc\"\n"), @"");
        insta::assert_snapshot!(check_parsed("KL101", "compose.yaml", "services:\n  api:\n    environment:\n      - C=a\"b\n"), @"");
        insta::assert_snapshot!(check_with("KL101", ".env", "A=\"sk-abc\"\n", &[Consumer::PythonDotenv, Consumer::ComposeEnvFile]), @"");
    }

    #[test]
    fn a_yaml_value_may_end_with_a_quotation_it_holds() {
        // A search query whose last term is quoted: the quotes are the query's own (Q).
        // A stray quote (R) and a wrapped value (S) are still caught.
        let workflow = "on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      Q: 'is:issue -reason:\"not planned\"'\n      R: 'a \"b\" c\"'\n      S: '\"x\"'\n";
        insta::assert_snapshot!(check_parsed("KL101", ".github/workflows/m.yml", workflow), @r#"
        7:10-7:20 error KL101: the program receives R with literal quotes (…", 8 chars instead of 7) — drop the inner quotes
        8:10-8:15 error KL101: the program receives S with literal quotes ("…", 3 chars instead of 1) — drop the inner quotes
        "#);
    }
}

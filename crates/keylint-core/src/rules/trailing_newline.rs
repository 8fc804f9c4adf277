//! KL104 trailing-newline: a key that reaches the program with a newline at its end.

use std::ops::Range;

use crate::assignment::{Assignment, Origin};
use crate::consumer::Outcome;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::escape_invisible;
use crate::rules::helpers::reencoded_secret;
use crate::rules::{Context, FixAvailability, Rule, Syntax, with_fix};
use crate::syntax::dotenv::{EnvAssignment, Quote, StatementKind};
use crate::syntax::yaml::block_indicator;

pub(crate) struct TrailingNewline;

/// What a trailing newline does to the request, for every message.
const CONSEQUENCE: &str = "httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request";

impl Rule for TrailingNewline {
    const CODE: &'static str = "KL104";
    const NAME: &'static str = "trailing-newline";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A value that ends in a newline: YAML `|` block, base64 Secret data, a `\\n` escape";
    const DOC: &'static str = r#"
## What it does
Finds API keys that the program receives with a newline at the end: a YAML block
scalar `|` or `>` (which keeps the final line break), Kubernetes Secret `data:` whose
base64 was made with `echo` instead of `echo -n`, a `"…\n"` escape in YAML, and a
double-quoted `.env` value ending in `\n`, which python-dotenv, node dotenv, dotenvy
and Compose turn into a real newline.

Only key-like variables are checked: a PEM certificate or a multi-line text ends in a
newline on purpose.

## Why is this bad?
An API key goes into an HTTP header, where a newline is illegal: httpx (the transport
of the OpenAI Python SDK) raises `LocalProtocolError: Illegal header value`, requests
raises `InvalidHeader`, and a server that gets the raw bytes rejects the key with
`401 invalid_api_key`.

## Example
```yaml
env:
  OPENAI_API_KEY: |
    sk-proj-…
```

Use instead:
```yaml
env:
  OPENAI_API_KEY: |-
    sk-proj-…
```

## Fix safety
All fixes are safe: `|` and `>` become `|-` and `>-` (strip the final line break), a
Secret's data is re-encoded without the newline, and a trailing `\n` escape is deleted.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            match &assignment.origin {
                Origin::EnvFile { statement } => {
                    let Some(env) = &ctx.parsed.env else { continue };
                    if let StatementKind::Assignment(written) = &env.statements[*statement].kind
                        && let Some(diagnostic) = env_escape(ctx, index, assignment, written)
                    {
                        out.push(diagnostic);
                    }
                }
                _ => {
                    if let Some(diagnostic) = yaml_value(ctx, index, assignment) {
                        out.push(diagnostic);
                    }
                }
            }
        }
    }
}

fn ends_with_newline(value: &str) -> bool {
    value.ends_with(['\n', '\r'])
}

/// The `\n` / `\r` escapes (or raw line breaks) just before the closing quote of
/// `inside`, the text between the quotes.
fn trailing_newline_escapes(ctx: &Context, inside: &Range<usize>) -> Range<usize> {
    let text = ctx.slice(inside.clone());
    let mut end = text.len();
    loop {
        let before = &text[..end];
        if let Some(rest) = before
            .strip_suffix("\\n")
            .or_else(|| before.strip_suffix("\\r"))
        {
            // `\\n` is an escaped backslash followed by `n`, not a newline escape.
            let backslashes = rest.len() - rest.trim_end_matches('\\').len();
            if backslashes.is_multiple_of(2) {
                end = rest.len();
                continue;
            }
        }
        if let Some(rest) = before
            .strip_suffix('\n')
            .or_else(|| before.strip_suffix('\r'))
        {
            end = rest.len();
            continue;
        }
        break;
    }
    inside.start + end..inside.end
}

fn env_escape(
    ctx: &Context,
    index: usize,
    assignment: &Assignment,
    written: &EnvAssignment,
) -> Option<Diagnostic> {
    if written.quote != Some(Quote::Double) || !written.closed {
        return None;
    }
    let escapes = trailing_newline_escapes(ctx, &written.unquoted_range());
    // Only keys: a PEM certificate or a text ends in a newline on purpose.
    if escapes.is_empty()
        || escapes.start == written.unquoted_range().start
        || !ctx.is_key_like(index)
    {
        return None;
    }
    // The quotes are deliberate: docker keeps them (KL101) and is judged only when known.
    let judgement = ctx.judge_value(index, Syntax::Deliberate, |_, outcome| {
        let value = outcome.value()?;
        if ends_with_newline(value) {
            Some("a trailing newline")
        } else if value.ends_with("\\n") || value.ends_with("\\r") {
            Some("a literal `\\n`")
        } else {
            None
        }
        .map(str::to_string)
    })?;
    let mut clauses: Vec<String> = Vec::new();
    for effect in ["a trailing newline", "a literal `\\n`"] {
        let consumers: Vec<_> = judgement
            .broken
            .iter()
            .filter(|(_, what)| what == effect)
            .map(|(consumer, _)| *consumer)
            .collect();
        let verb = if consumers.len() == 1 {
            "gives"
        } else {
            "give"
        };
        if !consumers.is_empty() {
            clauses.push(format!(
                "{} {verb} the key {effect}",
                crate::rules::join_names(consumers)
            ));
        }
    }
    let message = format!(
        "{} ends with a `\\n` escape: {}; {CONSEQUENCE} — remove it",
        escape_invisible(&assignment.name),
        clauses.join(" and ")
    );
    Some(with_fix(
        TrailingNewline::diagnostic(judgement.severity, escapes.clone(), message),
        Fix::safe("Remove the trailing `\\n`", vec![Edit::delete(escapes)]),
    ))
}

fn yaml_value(ctx: &Context, index: usize, assignment: &Assignment) -> Option<Diagnostic> {
    let value = assignment.yaml_outcome.as_ref().and_then(Outcome::value)?;
    if !ends_with_newline(value) || value.trim().is_empty() || !ctx.is_key_like(index) {
        return None;
    }
    let name = escape_invisible(&assignment.name);
    if assignment.origin == Origin::SecretData {
        let message = format!(
            "{name} in this Secret decodes with a trailing newline (encoded with `echo` instead of `echo -n`?): the key gets the newline, and {CONSEQUENCE} — re-encode it without the newline"
        );
        let diagnostic =
            TrailingNewline::diagnostic(Severity::Error, assignment.value_range.clone(), message);
        let trimmed = value.trim_end_matches(['\n', '\r']);
        return Some(match reencoded_secret(ctx, assignment, trimmed) {
            Some(edit) => with_fix(
                diagnostic,
                Fix::safe("Re-encode the value without the newline", vec![edit]),
            ),
            None => diagnostic,
        });
    }
    let raw = ctx.slice(assignment.value_range.clone());
    if raw.starts_with('"') && raw.ends_with('"') && raw.len() >= 2 {
        let inside = assignment.value_range.start + 1..assignment.value_range.end - 1;
        let escapes = trailing_newline_escapes(ctx, &inside);
        let message = format!(
            "{name} ends with a `\\n` escape, so the key gets a trailing newline: {CONSEQUENCE} — remove it"
        );
        let diagnostic = TrailingNewline::diagnostic(Severity::Error, escapes.clone(), message);
        return Some(if escapes.is_empty() {
            diagnostic
        } else {
            with_fix(
                diagnostic,
                Fix::safe("Remove the trailing `\\n`", vec![Edit::delete(escapes)]),
            )
        });
    }
    let Some(header) = block_header(ctx, assignment.value_range.start) else {
        return Some(TrailingNewline::diagnostic(
            Severity::Error,
            assignment.value_range.clone(),
            format!(
                "{name} ends with a newline, so the key gets it too: {CONSEQUENCE} — remove it"
            ),
        ));
    };
    let style = char::from(ctx.text.as_bytes()[header.start]);
    let digits: String = ctx
        .slice(header.clone())
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let replacement = format!("{style}{digits}-");
    let message = format!(
        "{name} is a `{}` block, which keeps the final line break, so the key gets a trailing newline: {CONSEQUENCE} — use `{replacement}`",
        ctx.slice(header.clone())
    );
    Some(with_fix(
        TrailingNewline::diagnostic(Severity::Error, header.clone(), message),
        Fix::safe(
            format!("Use `{replacement}` to strip the final line break"),
            vec![Edit::replace(header, replacement)],
        ),
    ))
}

/// The `|2+`-style header of the block scalar whose content starts at `content_start`:
/// only when nothing but blanks and a comment follow it on its line, so a `>` inside a
/// quoted value is never taken for one.
fn block_header(ctx: &Context, content_start: usize) -> Option<Range<usize>> {
    let indicator = block_indicator(ctx.text, content_start)
        .filter(|&at| matches!(ctx.text.as_bytes()[at], b'|' | b'>'))?;
    // The header: `|`, then an optional indentation digit and chomping indicator, either order.
    let modifiers = ctx.text[indicator + 1..]
        .bytes()
        .take_while(|byte| byte.is_ascii_digit() || matches!(byte, b'+' | b'-'))
        .count();
    let header = indicator..indicator + 1 + modifiers;
    let (rest_of_line, _) = ctx.text.get(header.end..content_start)?.split_once('\n')?;
    let rest_of_line = rest_of_line.trim_matches([' ', '\t', '\r']);
    (rest_of_line.is_empty() || rest_of_line.starts_with('#')).then_some(header)
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with, fix_all};

    #[test]
    fn yaml_block_scalars() {
        insta::assert_snapshot!(check("KL104", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: |\n        sk-abc\n      ANTHROPIC_API_KEY: >+\n        sk-ant-abc\n\n      GEMINI_API_KEY: |2 # note\n          AIza-abc\n"), @r"
        4:23-4:24 error KL104: OPENAI_API_KEY is a `|` block, which keeps the final line break, so the key gets a trailing newline: httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — use `|-`
          fix (safe): Use `|-` to strip the final line break => services:\n  api:\n    environment:\n      OPENAI_API_KEY: |-\n        sk-abc\n      ANTHROPIC_API_KEY: >+\n        sk-ant-abc\n\n      GEMINI_API_KEY: |2 # note\n          AIza-abc\n
        6:26-6:28 error KL104: ANTHROPIC_API_KEY is a `>+` block, which keeps the final line break, so the key gets a trailing newline: httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — use `>-`
          fix (safe): Use `>-` to strip the final line break => services:\n  api:\n    environment:\n      OPENAI_API_KEY: |\n        sk-abc\n      ANTHROPIC_API_KEY: >-\n        sk-ant-abc\n\n      GEMINI_API_KEY: |2 # note\n          AIza-abc\n
        9:23-9:25 error KL104: GEMINI_API_KEY is a `|2` block, which keeps the final line break, so the key gets a trailing newline: httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — use `|2-`
          fix (safe): Use `|2-` to strip the final line break => services:\n  api:\n    environment:\n      OPENAI_API_KEY: |\n        sk-abc\n      ANTHROPIC_API_KEY: >+\n        sk-ant-abc\n\n      GEMINI_API_KEY: |2- # note\n          AIza-abc\n
        ");
        insta::assert_snapshot!(check("KL104", "k8s/deploy.yaml", "kind: Deployment\nspec:\n  containers:\n    - env:\n        - name: OPENAI_API_KEY\n          value: \"sk-abc\\n\"\n"), @r#"
        6:25-6:27 error KL104: OPENAI_API_KEY ends with a `\n` escape, so the key gets a trailing newline: httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — remove it
          fix (safe): Remove the trailing `\n` => kind: Deployment\nspec:\n  containers:\n    - env:\n        - name: OPENAI_API_KEY\n          value: "sk-abc"\n
        "#);
        // An escape in a double-quoted list item: reported, but the `>` is not a block header.
        insta::assert_snapshot!(check("KL104", "compose.yaml", "services:\n  api:\n    environment:\n      - \"OPENAI_API_KEY=sk-a>b\\n\"\n"), @"4:25-4:33 error KL104: OPENAI_API_KEY ends with a newline, so the key gets it too: httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — remove it");
    }

    #[test]
    fn secret_data_decoding_with_a_newline() {
        // `echo sk-abc | base64`
        insta::assert_snapshot!(check("KL104", "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: \"c2stYWJjCg==\"\n"), @r#"
        6:19-6:33 error KL104: OPENAI_API_KEY in this Secret decodes with a trailing newline (encoded with `echo` instead of `echo -n`?): the key gets the newline, and httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — re-encode it without the newline
          fix (safe): Re-encode the value without the newline => apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: "c2stYWJj"\n
        "#);
    }

    #[test]
    fn env_newline_escape() {
        let text = "OPENAI_API_KEY=\"sk-abc\\n\"\n";
        insta::assert_snapshot!(check("KL104", ".env", text), @r#"
        1:23-1:25 error KL104: OPENAI_API_KEY ends with a `\n` escape: python-dotenv, node dotenv, dotenvy and Compose give the key a trailing newline and a shell (`set -a; . .env`) gives the key a literal `\n`; httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — remove it
          fix (safe): Remove the trailing `\n` => OPENAI_API_KEY="sk-abc"\n
        "#);
        insta::assert_snapshot!(check_with("KL104", ".env", text, &[Consumer::ComposeEnvFile]), @r#"
        1:23-1:25 error KL104: OPENAI_API_KEY ends with a `\n` escape: Compose gives the key a trailing newline; httpx (the OpenAI Python SDK) raises `Illegal header value` and other clients fail the request — remove it
          fix (safe): Remove the trailing `\n` => OPENAI_API_KEY="sk-abc"\n
        "#);
        insta::assert_snapshot!(check_with("KL104", ".env", text, &[Consumer::DockerEnvFile]), @"");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL104", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: |-\n        sk-abc\n      TLS_CERT: |\n        -----BEGIN CERTIFICATE-----\n        abc\n        -----END CERTIFICATE-----\n      PRIVATE_KEY: |\n        -----BEGIN PRIVATE KEY-----\n        abc\n        -----END PRIVATE KEY-----\n      SYSTEM_PROMPT: |\n        Be nice.\n"), @"");
        insta::assert_snapshot!(check("KL104", ".env", "OPENAI_API_KEY='sk-abc\\n'\nGREETING=\"hi\\n\"\nOPENAI_ORG_ID=\"org-abc\\\\n\"\nANTHROPIC_API_KEY=\"sk-ant-a\\\\n\"\n"), @"");
        insta::assert_snapshot!(check("KL104", "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: c2stYWJj\n  ca.crt: LS0tLS1CRUdJTgphYmMKLS0tLS1FTkQK\n"), @"");
    }

    #[test]
    fn fixes_are_idempotent_and_leave_nothing_to_report() {
        let cases: Vec<(&str, &str, &[Consumer])> = vec![
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      OPENAI_API_KEY: |+\n        sk-abc\n\n      GEMINI_API_KEY: >2\n          AIza-abc\n",
                &[],
            ),
            (
                "k8s/secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: c2stYWJjCg==\n",
                &[],
            ),
            (".env", "OPENAI_API_KEY=\"sk-abc\\n\\r\\n\"\n", &[]),
        ];
        for (path, text, consumers) in cases {
            let fixed = fix_all("KL104", path, text, consumers);
            assert_ne!(fixed, text, "{text:?} has a fix");
            assert_eq!(fix_all("KL104", path, &fixed, consumers), fixed);
            assert_eq!(
                check_with("KL104", path, &fixed, consumers),
                "",
                "after fixing {text:?}"
            );
        }
    }
}

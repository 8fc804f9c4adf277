//! KL302 empty-value: an API key variable that is empty or holds `None`, `null`, `undefined`.

use crate::assignment::Origin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::{Expectation, judge_key};
use crate::rules::{Context, FixAvailability, Rule};
use crate::source::FileKind;

pub(crate) struct EmptyValue;

impl Rule for EmptyValue {
    const CODE: &'static str = "KL302";
    const NAME: &'static str = "empty-value";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "An empty, `None`, `null` or `undefined` key";
    const DOC: &'static str = r#"
## What it does
Finds a provider's API key variable (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, …) whose value
is empty, or the text `None`, `null`, `undefined` or `nil` (a value printed by a program
that had no key). It judges what each loader reads: for `OPENAI_API_KEY=#abc`, node dotenv
reads an empty value (it takes `#abc` as a comment) while python-dotenv, dotenvy, Compose
and docker keep `#abc`, and the message says so.

Always a warning: an empty key in a real file often means "this provider is not used".
Not reported: templates; a YAML `null` or a Compose bare `- OPENAI_API_KEY` (both take the
value from the shell); `${VAR}` references; `env:` defaults in Helm values and similar YAML,
which are set at install time; and `None`-like words next to an endpoint on a local or
unknown host, which takes any dummy key.

## Why is this bad?
With an empty key the SDK either refuses to start ("The api_key client option must be
set") or sends an empty `Authorization` header, and the provider answers `401`. The text
`None` is sent as a four-letter key and fails the same way.

## Example
```shell
OPENAI_API_KEY=None
```

Use instead:
```shell
OPENAI_API_KEY=sk-proj-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            // Helm values and the like hold defaults that are set at install time.
            if assignment.origin == Origin::YamlEnvMap && ctx.parsed.kind == FileKind::OtherYaml {
                continue;
            }
            let provider = match ctx.expectation(index) {
                Expectation::Unknown => continue,
                Expectation::AnyKey => None,
                Expectation::Provider { provider, .. } => Some(provider),
            };
            // A local or unknown host takes `none` as well as any other dummy key.
            let judged =
                |key: &str| emptiness(key).is_some() && (provider.is_some() || key.is_empty());
            let Some((judgement, key)) = judge_key(ctx, index, judged) else {
                continue;
            };
            let Some(what) = emptiness(&key) else {
                continue;
            };
            let name = &assignment.name;
            let consequence = match provider {
                Some(provider) => format!("requests to {} fail with 401", provider.display_name()),
                None => "the SDK starts without a key".to_string(),
            };
            let message = if judgement.fine.is_empty() {
                format!(
                    "{name} is {what}: {consequence} — set the key, or delete the line if this provider is not used"
                )
            } else {
                let comment = ctx.slice(assignment.value_range.clone()).starts_with('#');
                let (verb, takes) = if judgement.broken.len() == 1 {
                    ("reads", "it takes")
                } else {
                    ("read", "they take")
                };
                let (send, do_not) = if judgement.fine.len() == 1 {
                    ("sends", "does not")
                } else {
                    ("send", "do not")
                };
                if comment {
                    format!(
                        "the loaders disagree: {} {verb} {name} as {what} ({} the `#…` as a comment), while {} {send} the `#…` text as the key — put the key here, or move the comment to a line of its own",
                        judgement.broken_names(),
                        takes,
                        judgement.fine_names()
                    )
                } else {
                    format!(
                        "the loaders disagree: {} {verb} {name} as {what}, {} {do_not} — set the key so that every loader reads it",
                        judgement.broken_names(),
                        judgement.fine_names()
                    )
                }
            };
            out.push(Self::diagnostic(
                Self::SEVERITY,
                assignment.value_range.clone(),
                message,
            ));
        }
        keep_first_at_each_spot(out, start);
    }
}

/// Words programs print for a missing value, which end up pasted as the value.
const NO_VALUE_WORDS: [&str; 4] = ["None", "null", "undefined", "nil"];

/// "empty" or "the text `None`" when `key` is no key at all.
fn emptiness(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("empty".to_string());
    }
    NO_VALUE_WORDS
        .iter()
        .find(|word| key.eq_ignore_ascii_case(word))
        .map(|word| format!("the text `{word}`, not a key"))
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn empty_and_none() {
        insta::assert_snapshot!(check("KL302", ".env", "OPENAI_API_KEY=\nANTHROPIC_API_KEY=None\nGEMINI_API_KEY=\"\"\nAZURE_OPENAI_API_KEY=  # not used\n"), @"
        1:16-1:16 warning KL302: OPENAI_API_KEY is empty: requests to OpenAI fail with 401 — set the key, or delete the line if this provider is not used
        2:19-2:23 warning KL302: ANTHROPIC_API_KEY is the text `None`, not a key: requests to Anthropic fail with 401 — set the key, or delete the line if this provider is not used
        3:16-3:18 warning KL302: GEMINI_API_KEY is empty: requests to Google Gemini fail with 401 — set the key, or delete the line if this provider is not used
        4:24-4:34 warning KL302: the loaders disagree: python-dotenv, node dotenv, dotenvy and a shell (`set -a; . .env`) read AZURE_OPENAI_API_KEY as empty (they take the `#…` as a comment), while Compose sends the `#…` text as the key — put the key here, or move the comment to a line of its own
        ");
        insta::assert_snapshot!(check("KL302", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: \"\"\n      ANTHROPIC_API_KEY: null\n      GEMINI_API_KEY: ~\n"), @"4:23-4:25 warning KL302: OPENAI_API_KEY is empty: requests to OpenAI fail with 401 — set the key, or delete the line if this provider is not used");
        insta::assert_snapshot!(check("KL302", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=\n      - ANTHROPIC_API_KEY\n"), @"4:24-4:24 warning KL302: OPENAI_API_KEY is empty: requests to OpenAI fail with 401 — set the key, or delete the line if this provider is not used");
    }

    #[test]
    fn loaders_disagree_on_a_hash() {
        insta::assert_snapshot!(check("KL302", ".env", "OPENAI_API_KEY=#abc\n"), @"1:16-1:20 warning KL302: the loaders disagree: node dotenv and dotenvy read OPENAI_API_KEY as empty (they take the `#…` as a comment), while python-dotenv, Compose and a shell (`set -a; . .env`) send the `#…` text as the key — put the key here, or move the comment to a line of its own");
        insta::assert_snapshot!(check_with("KL302", ".env", "OPENAI_API_KEY=#abc\n", &[Consumer::PythonDotenv]), @"");
        insta::assert_snapshot!(check_with("KL302", ".env", "OPENAI_API_KEY=#abc\n", &[Consumer::NodeDotenv, Consumer::PythonDotenv]), @"1:16-1:20 warning KL302: the loaders disagree: node dotenv reads OPENAI_API_KEY as empty (it takes the `#…` as a comment), while python-dotenv sends the `#…` text as the key — put the key here, or move the comment to a line of its own");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL302", ".env.example", "OPENAI_API_KEY=\n"), @"");
        insta::assert_snapshot!(check("KL302", "chart/values.yaml", "env:\n  OPENAI_API_KEY: \"\"\n"), @"");
        insta::assert_snapshot!(check("KL302", ".env", "OPENAI_API_KEY=none\nOPENAI_BASE_URL=http://localhost:8000/v1\n"), @"");
        insta::assert_snapshot!(check("KL302", ".env", "OPENAI_API_KEY=${OPENAI_API_KEY}\nDEBUG=\nOPENAI_ORG_ID=\nSOME_API_KEY=\nOPENAI_API_KEY_2=\n"), @"");
        insta::assert_snapshot!(check("KL302", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY:\n      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY:-}\n"), @"");
    }
}

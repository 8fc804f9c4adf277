//! KL203 alias-variable: a name only some programs read, not the official SDK.

use crate::assignment::Origin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::provider;
use crate::rules::duplicate_variable::push_once;
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct AliasVariable;

impl Rule for AliasVariable {
    const CODE: &'static str = "KL203";
    const NAME: &'static str = "alias-variable";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A name only some programs read (`OPENAI_ORGANIZATION` vs the SDK's `OPENAI_ORG_ID`)";
    const DOC: &'static str = r#"
## What it does
Points out variable names that some programs read but the official SDK does not:
`OPENAI_ORGANIZATION` (LiteLLM, aider) where the SDK reads `OPENAI_ORG_ID`,
`OPENAI_API_BASE` (openai-python before 1.0, LangChain) where it reads `OPENAI_BASE_URL`,
`AZURE_OPENAI_KEY` where it reads `AZURE_OPENAI_API_KEY`, and the like. It is a warning
when the SDK's name is not set beside it in the same file (or Compose service), since a
program using the SDK then gets nothing; otherwise it is only worth knowing.

`GOOGLE_API_KEY` is always only informational: google-genai reads it (and prefers it
over `GEMINI_API_KEY`).

## Why is this bad?
Which name works depends on the program and its version. An app that moved to the
current SDK, or a second tool reading the same `.env`, silently loses the organization,
base URL or key, and requests fail with `401`, `mismatched_organization` or go to the
wrong host.

## Example
```shell
OPENAI_ORGANIZATION=org-…
```

Use instead:
```shell
OPENAI_ORG_ID=org-…
OPENAI_ORGANIZATION=org-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for assignment in ctx.assignments() {
            if matches!(
                assignment.origin,
                Origin::SecretData | Origin::SecretStringData
            ) {
                continue;
            }
            let Some(known) = provider::variable(&assignment.name) else {
                continue;
            };
            let Some(canonical) = known.alias_of else {
                continue;
            };
            let canonical_set = ctx.assignments().iter().any(|other| {
                other.name == canonical
                    && other.scope == assignment.scope
                    && other.origin.is_yaml() == assignment.origin.is_yaml()
            });
            let sdk_reads_it = provider::SDK_READS_ALIAS.contains(&known.name);
            let (severity, message) = if canonical_set || sdk_reads_it {
                (
                    Self::SEVERITY,
                    format!(
                        "{} is read by {}; the official SDK reads {canonical}",
                        assignment.name, known.read_by
                    ),
                )
            } else {
                (
                    Severity::Warning,
                    format!(
                        "{} is read only by {}; the official SDK reads {canonical}, which is not set here — set {canonical} too",
                        assignment.name, known.read_by
                    ),
                )
            };
            push_once(
                out,
                Self::diagnostic(severity, assignment.name_range.clone(), message),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn alias_without_the_sdk_name() {
        insta::assert_snapshot!(check("KL203", ".env", "OPENAI_ORGANIZATION=org-abc\nOPENAI_API_BASE=https://api.openai.com/v1\n"), @"
        1:1-1:20 warning KL203: OPENAI_ORGANIZATION is read only by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID, which is not set here — set OPENAI_ORG_ID too
        2:1-2:16 warning KL203: OPENAI_API_BASE is read only by openai-python before 1.0, LangChain and LiteLLM; the official SDK reads OPENAI_BASE_URL, which is not set here — set OPENAI_BASE_URL too
        ");
    }

    #[test]
    fn alias_beside_the_sdk_name() {
        insta::assert_snapshot!(check("KL203", ".env", "OPENAI_ORG_ID=org-abc\nOPENAI_ORGANIZATION=org-abc\n"), @"2:1-2:20 info KL203: OPENAI_ORGANIZATION is read by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID");
        insta::assert_snapshot!(check("KL203", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: org-abc\n      OPENAI_ORGANIZATION: org-abc\n  worker:\n    environment:\n      - OPENAI_ORGANIZATION=org-abc\n"), @"
        5:7-5:26 info KL203: OPENAI_ORGANIZATION is read by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID
        8:9-8:28 warning KL203: OPENAI_ORGANIZATION is read only by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID, which is not set here — set OPENAI_ORG_ID too
        ");
    }

    #[test]
    fn google_api_key_is_read_by_the_sdk() {
        insta::assert_snapshot!(check("KL203", ".env", "GOOGLE_API_KEY=AIza-abc\n"), @"1:1-1:15 info KL203: GOOGLE_API_KEY is read by google-genai (which prefers it over GEMINI_API_KEY) and LangChain; the official SDK reads GEMINI_API_KEY");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL203", ".env", "OPENAI_API_KEY=sk-abc\nOPENAI_ORG_ID=org-abc\nOPENAI_BASE_URL=https://api.openai.com/v1\nANTHROPIC_API_KEY=sk-ant-abc\n"), @"");
    }
}

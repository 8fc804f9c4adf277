//! KL203 alias-variable: a name only some programs read, not the official SDK.

use crate::assignment::Origin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::provider;
use crate::rules::helpers::keep_first_at_each_spot;
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
`AZURE_OPENAI_KEY` where it reads `AZURE_OPENAI_API_KEY`, and the like. Many apps read
these names with their own code, so this is only worth knowing, unless the project's code
reads the SDK's name (by name, or by creating an SDK client that reads it by default) and
that name is not set beside the alias in the same file (or Compose service): then the
program gets nothing, and it is a warning naming the line that reads it. An empty alias
(a slot to fill in) or one that only passes its own name through
(`OPENAI_API_BASE=${OPENAI_API_BASE:-}`) stays informational: it holds nothing to lose.
Nothing is said when the project's code reads the alias itself.

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
        let start = out.len();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
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
            let code = ctx.project.code();
            // The program reads this very name: using it is right for this program.
            if code.is_read(&assignment.name) {
                continue;
            }
            let canonical_set = ctx.assignments().iter().any(|other| {
                other.name == canonical
                    && other.scope == assignment.scope
                    && other.origin.is_yaml() == assignment.origin.is_yaml()
            });
            let sdk_reads_it = provider::SDK_READS_ALIAS.contains(&known.name);
            // Worth a warning only with evidence that the program reads the other name.
            let evidence = code
                .reads_of(canonical)
                .first()
                .map(|read| read.reads(canonical));
            let (severity, message) = match evidence {
                Some(reads) if !canonical_set && !sdk_reads_it && !sets_nothing(ctx, index) => (
                    Severity::Warning,
                    format!(
                        "{} is read only by {}, but {reads}, which is not set here — set {canonical} too",
                        assignment.name, known.read_by
                    ),
                ),
                _ => (
                    Self::SEVERITY,
                    format!(
                        "{} is read by {}; the official SDK reads {canonical}",
                        assignment.name, known.read_by
                    ),
                ),
            };
            out.push(Self::diagnostic(
                severity,
                assignment.name_range.clone(),
                message,
            ));
        }
        keep_first_at_each_spot(out, start);
    }
}

/// An empty alias (`OPENAI_API_BASE=`, a slot to fill in) or one that only passes the
/// same name through (`OPENAI_API_BASE=${OPENAI_API_BASE:-}`) holds nothing the program
/// could lose: the warning belongs where a value is set.
fn sets_nothing(ctx: &Context, index: usize) -> bool {
    let assignment = &ctx.assignments()[index];
    let raw = ctx.slice(assignment.value_range.clone());
    let references = crate::consumer::find_interpolations(raw);
    if let [reference] = references.as_slice() {
        return reference.range == (0..raw.len())
            && reference.name == assignment.name
            && reference.argument.is_empty();
    }
    ctx.some_value(index).is_none_or(str::is_empty)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{MemoryProject, check, check_in_project};

    #[test]
    fn alias_without_evidence_is_only_worth_knowing() {
        insta::assert_snapshot!(check("KL203", ".env", "OPENAI_ORGANIZATION=org-abc\nOPENAI_API_BASE=https://api.openai.com/v1\n"), @"
        1:1-1:20 info KL203: OPENAI_ORGANIZATION is read by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID
        2:1-2:16 info KL203: OPENAI_API_BASE is read by openai-python before 1.0, LangChain and LiteLLM; the official SDK reads OPENAI_BASE_URL
        ");
    }

    #[test]
    fn alias_when_the_code_reads_the_sdk_name() {
        let project = MemoryProject::default().reading("OPENAI_ORG_ID", "app/main.py", 4);
        insta::assert_snapshot!(check_in_project("KL203", ".env", "OPENAI_ORGANIZATION=org-abc\nOPENAI_API_BASE=https://api.openai.com/v1\n", &project), @"
        1:1-1:20 warning KL203: OPENAI_ORGANIZATION is read only by LiteLLM and aider, but app/main.py:4 reads OPENAI_ORG_ID, which is not set here — set OPENAI_ORG_ID too
        2:1-2:16 info KL203: OPENAI_API_BASE is read by openai-python before 1.0, LangChain and LiteLLM; the official SDK reads OPENAI_BASE_URL
        ");
        insta::assert_snapshot!(check_in_project("KL203", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: org-abc\n      OPENAI_ORGANIZATION: org-abc\n  worker:\n    environment:\n      - OPENAI_ORGANIZATION=org-abc\n", &project), @"
        5:7-5:26 info KL203: OPENAI_ORGANIZATION is read by LiteLLM and aider; the official SDK reads OPENAI_ORG_ID
        8:9-8:28 warning KL203: OPENAI_ORGANIZATION is read only by LiteLLM and aider, but app/main.py:4 reads OPENAI_ORG_ID, which is not set here — set OPENAI_ORG_ID too
        ");
    }

    #[test]
    fn an_empty_or_passed_through_alias_is_only_worth_knowing() {
        let project = MemoryProject::default().reading("OPENAI_BASE_URL", "app/embed.py", 48);
        // An empty slot and a pass-through of the same name; another name or a default
        // with a value is still a warning.
        insta::assert_snapshot!(check_in_project("KL203", ".env", "OPENAI_API_BASE=\n", &project), @"1:1-1:16 info KL203: OPENAI_API_BASE is read by openai-python before 1.0, LangChain and LiteLLM; the official SDK reads OPENAI_BASE_URL");
        insta::assert_snapshot!(check_in_project("KL203", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_BASE=${OPENAI_API_BASE:-}\n      - OPENAI_API_BASE=${OTHER_BASE}\n  worker:\n    environment:\n      OPENAI_API_BASE: ${OPENAI_API_BASE:-https://proxy.example/v1}\n", &project), @"
        4:9-4:24 info KL203: OPENAI_API_BASE is read by openai-python before 1.0, LangChain and LiteLLM; the official SDK reads OPENAI_BASE_URL
        5:9-5:24 warning KL203: OPENAI_API_BASE is read only by openai-python before 1.0, LangChain and LiteLLM, but app/embed.py:48 reads OPENAI_BASE_URL, which is not set here — set OPENAI_BASE_URL too
        8:7-8:22 warning KL203: OPENAI_API_BASE is read only by openai-python before 1.0, LangChain and LiteLLM, but app/embed.py:48 reads OPENAI_BASE_URL, which is not set here — set OPENAI_BASE_URL too
        ");
    }

    #[test]
    fn alias_the_code_reads_itself_is_not_reported() {
        let project = MemoryProject::default()
            .reading("OPENAI_ORG_ID", "app/main.py", 4)
            .reading("OPENAI_ORGANIZATION", "app/litellm_config.py", 2);
        insta::assert_snapshot!(check_in_project("KL203", ".env", "OPENAI_ORGANIZATION=org-abc\n", &project), @"");
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

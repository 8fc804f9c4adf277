//! KL403 conflicting-org: two organization variables with different values.

use crate::diagnostic::{Diagnostic, Severity};
use crate::mask::mask_secret;
use crate::provider::{self, Role};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct ConflictingOrg;

impl Rule for ConflictingOrg {
    const CODE: &'static str = "KL403";
    const NAME: &'static str = "conflicting-org";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "Two organization variables with different values";
    const DOC: &'static str = r#"
## What it does
Finds two *different* organization variables (`OPENAI_ORG_ID`, `OPENAI_ORGANIZATION`,
`OPENAI_ORGANIZATION_ID`) in the same file (and the same Compose service, Kubernetes
object or workflow job) that hold different values. A variable set twice is
`duplicate-variable` (KL202), not this rule.

## Why is this bad?
Programs read different names: the official SDK reads `OPENAI_ORG_ID`, LiteLLM and
aider read `OPENAI_ORGANIZATION`. With two values, two programs of the same project
send different `OpenAI-Organization` headers, and the one whose organization does not
own the key fails with `401 mismatched_organization`, which is hard to trace back.

## Example
```dotenv
OPENAI_ORG_ID=org-AbC123…
OPENAI_ORGANIZATION=org-XyZ789…
```

Use instead:
```dotenv
OPENAI_ORG_ID=org-AbC123…
OPENAI_ORGANIZATION=org-AbC123…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.is_template {
            return;
        }
        // The definition of each organization variable that wins in its scope: the last.
        let mut winners: Vec<usize> = Vec::new();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            if !ctx
                .variable(&assignment.name)
                .is_some_and(|known| known.role == Role::Organization)
            {
                continue;
            }
            winners.retain(|&earlier| {
                let other = &ctx.assignments()[earlier];
                other.name != assignment.name || other.scope != assignment.scope
            });
            winners.push(index);
        }
        winners.sort_by_key(|&index| ctx.assignments()[index].value_range.start);
        for (position, &later) in winners.iter().enumerate() {
            let assignment = &ctx.assignments()[later];
            let Some(value) = org_value(ctx, later) else {
                continue;
            };
            let conflict = winners[..position].iter().find_map(|&earlier| {
                let other = &ctx.assignments()[earlier];
                let other_value = org_value(ctx, earlier)?;
                (other.scope == assignment.scope
                    && other.name != assignment.name
                    && other_value != value)
                    .then_some((other, other_value))
            });
            let Some((other, other_value)) = conflict else {
                continue;
            };
            let line = ctx.text[..other.name_range.start].matches('\n').count() + 1;
            let message = format!(
                "{} ({}, read by {}) differs from {} ({}, read by {}) on line {line}: those programs send different `OpenAI-Organization` headers, and the one whose organization does not own the key fails with `mismatched_organization` — give both the same `org-…` id",
                assignment.name,
                shorten(value, other_value),
                read_by(&assignment.name),
                other.name,
                shorten(other_value, value),
                read_by(&other.name),
            );
            out.push(Self::diagnostic(
                Self::SEVERITY,
                assignment.value_range.clone(),
                message,
            ));
        }
    }
}

/// The organization a program gets, without quotes and blanks; `None` when empty or
/// interpolated, which cannot conflict with anything keylint can see.
fn org_value<'a>(ctx: &'a Context, index: usize) -> Option<&'a str> {
    let value = ctx.some_value(index)?.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
    });
    (!value.is_empty() && !value.contains('$')).then_some(value)
}

/// Who reads a variable, for the message.
fn read_by(name: &str) -> &'static str {
    provider::variable(name).map_or("this project", |known| known.read_by)
}

/// Enough of an organization id to tell it from `other`: the first 8 characters, more
/// when both start alike. A value shaped like a key is masked instead.
fn shorten(value: &str, other: &str) -> String {
    if provider::key_shape(value).is_some() {
        return mask_secret(value);
    }
    let common = value
        .chars()
        .zip(other.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let shown = 8.max(common + 1);
    if value.chars().count() <= shown {
        format!("`{value}`")
    } else {
        format!("`{}…`", value.chars().take(shown).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn two_org_variables_with_different_ids() {
        insta::assert_snapshot!(check("KL403", ".env", "OPENAI_ORG_ID=org-AbCdEf0123456789\nOPENAI_API_KEY=sk-abc\nOPENAI_ORGANIZATION=\"org-XyZ0123456789\"\nOPENAI_ORGANIZATION_ID=org-AbCdEf0123456780\n"), @"
        3:21-3:40 warning KL403: OPENAI_ORGANIZATION (`org-XyZ0…`, read by LiteLLM and aider) differs from OPENAI_ORG_ID (`org-AbCd…`, read by the official SDK) on line 1: those programs send different `OpenAI-Organization` headers, and the one whose organization does not own the key fails with `mismatched_organization` — give both the same `org-…` id
        4:24-4:44 warning KL403: OPENAI_ORGANIZATION_ID (`org-AbCdEf0123456780`, read by some applications) differs from OPENAI_ORG_ID (`org-AbCdEf0123456789`, read by the official SDK) on line 1: those programs send different `OpenAI-Organization` headers, and the one whose organization does not own the key fails with `mismatched_organization` — give both the same `org-…` id
        ");
    }

    #[test]
    fn compose_services_are_separate_scopes() {
        insta::assert_snapshot!(check("KL403", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: org-one\n      OPENAI_ORGANIZATION: org-two\n  worker:\n    environment:\n      OPENAI_ORGANIZATION: org-three\n"), @"5:28-5:35 warning KL403: OPENAI_ORGANIZATION (`org-two`, read by LiteLLM and aider) differs from OPENAI_ORG_ID (`org-one`, read by the official SDK) on line 4: those programs send different `OpenAI-Organization` headers, and the one whose organization does not own the key fails with `mismatched_organization` — give both the same `org-…` id");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL403", ".env", "OPENAI_ORG_ID=org-abc\nOPENAI_ORGANIZATION=org-abc\nOPENAI_ORGANIZATION_ID=\n"), @"");
        insta::assert_snapshot!(check("KL403", ".env", "OPENAI_ORG_ID=org-one\nOPENAI_ORG_ID=org-two\nOPENAI_ORGANIZATION=${OPENAI_ORG_ID}\n"), @"");
        insta::assert_snapshot!(check("KL403", ".env.example", "OPENAI_ORG_ID=org-one\nOPENAI_ORGANIZATION=org-two\n"), @"");
    }
}

//! KL305 admin-key: an organization admin key where an API key is expected.

use crate::diagnostic::{Diagnostic, Severity};
use crate::provider::KeyKind;
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::{Expectation, detail, judge_key, key_range, sure_shape};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct AdminKey;

impl Rule for AdminKey {
    const CODE: &'static str = "KL305";
    const NAME: &'static str = "admin-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "An admin key (`sk-admin-`, `sk-ant-admin01-`) where an API key is expected";
    const DOC: &'static str = r#"
## What it does
Finds an organization admin key in a variable the SDK sends to the model endpoints: an
OpenAI `sk-admin-…` key in `OPENAI_API_KEY`, an Anthropic `sk-ant-admin01-…` key in
`ANTHROPIC_API_KEY`. Admin keys in variables of their own (`OPENAI_ADMIN_KEY`) are fine.

## Why is this bad?
Admin keys manage the organization (users, projects, invites, usage and cost reports).
The model endpoints (`/v1/chat/completions`, `/v1/messages`) do not accept them and
answer `401`. They are also far more powerful than a project key: keeping one in an
app's `.env` widens what a leak exposes.

## Example
```shell
OPENAI_API_KEY=sk-admin-…
```

Use instead:
```shell
OPENAI_API_KEY=sk-proj-…
OPENAI_ADMIN_KEY=sk-admin-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let Expectation::Provider {
                provider: expected, ..
            } = ctx.expectation(index)
            else {
                continue;
            };
            let admin = |key: &str| {
                ctx.filler(index, key)
                    .is_none()
                    .then(|| sure_shape(ctx, index, key))
                    .flatten()
                    .map(|shape| shape.kind)
                    .filter(|kind| {
                        matches!(kind, KeyKind::OpenAiAdmin | KeyKind::AnthropicAdmin)
                            && kind.provider() == expected
                    })
            };
            let Some((judgement, key)) = judge_key(ctx, index, |key| admin(key).is_some()) else {
                continue;
            };
            let Some(kind) = admin(&key) else { continue };
            let message = format!(
                "{} holds an {} ({}): admin keys manage the organization and the model endpoints reject them with 401 — use a project API key here and keep the admin key in a variable of its own",
                assignment.name,
                kind.description(),
                detail(&judgement, &key)
            );
            out.push(Self::diagnostic(
                judgement.severity,
                key_range(ctx, assignment),
                message,
            ));
        }
        keep_first_at_each_spot(out, start);
    }
}

#[cfg(test)]
mod tests {
    use crate::provider::OPENAI_MARKER;
    use crate::rules::test_support::check;

    fn openai_admin_key() -> String {
        format!(
            "sk-admin-{}{OPENAI_MARKER}{}",
            "A".repeat(70),
            "b".repeat(70)
        )
    }

    fn anthropic_admin_key() -> String {
        format!("sk-ant-admin01-{}-{}AA", "C".repeat(80), "d".repeat(10))
    }

    #[test]
    fn admin_keys_in_api_key_variables() {
        let text = format!(
            "OPENAI_API_KEY={}\nANTHROPIC_API_KEY={}\n",
            openai_admin_key(),
            anthropic_admin_key()
        );
        insta::assert_snapshot!(check("KL305", ".env", &text), @"
        1:16-1:173 error KL305: OPENAI_API_KEY holds an OpenAI admin key (sk-admin-…bbbb, 157 chars): admin keys manage the organization and the model endpoints reject them with 401 — use a project API key here and keep the admin key in a variable of its own
        2:19-2:127 error KL305: ANTHROPIC_API_KEY holds an Anthropic admin key (sk-ant-admin01-…ddAA, 108 chars): admin keys manage the organization and the model endpoints reject them with 401 — use a project API key here and keep the admin key in a variable of its own
        ");
        let text = format!(
            "services:\n  api:\n    environment:\n      - OPENAI_API_KEY={}\n",
            openai_admin_key()
        );
        insta::assert_snapshot!(check("KL305", "compose.yaml", &text), @"4:24-4:181 error KL305: OPENAI_API_KEY holds an OpenAI admin key (sk-admin-…bbbb, 157 chars): admin keys manage the organization and the model endpoints reject them with 401 — use a project API key here and keep the admin key in a variable of its own");
    }

    #[test]
    fn near_misses() {
        // Admin keys in their own variables, the other provider's admin key (KL303),
        // templates and placeholders.
        let text = format!(
            "OPENAI_ADMIN_KEY={}\nANTHROPIC_ADMIN_KEY={}\nOPENAI_API_KEY={}\n",
            openai_admin_key(),
            anthropic_admin_key(),
            anthropic_admin_key()
        );
        insta::assert_snapshot!(check("KL305", ".env", &text), @"");
        insta::assert_snapshot!(check("KL305", ".env.example", &format!("OPENAI_API_KEY={}\n", openai_admin_key())), @"");
        insta::assert_snapshot!(check("KL305", ".env", "OPENAI_API_KEY=sk-admin-...\n"), @"");
    }
}

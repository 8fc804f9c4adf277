//! KL401 org-id-format: a project id or an organization name in an organization variable.

use crate::diagnostic::{Diagnostic, Severity};
use crate::provider::Role;
use crate::rules::helpers::{IdMistake, check_ids};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct OrgIdFormat;

impl Rule for OrgIdFormat {
    const CODE: &'static str = "KL401";
    const NAME: &'static str = "org-id-format";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A project id (`proj_…`) or an organization name in an organization variable";
    const DOC: &'static str = r#"
## What it does
Finds an organization variable (`OPENAI_ORG_ID`, and the `OPENAI_ORGANIZATION` /
`OPENAI_ORGANIZATION_ID` aliases) whose value is not an organization id: a project id
(`proj_…`), an API key, or the organization's display *name* (`Acme Inc`).

An empty value and an interpolation (`${OPENAI_ORG_ID}`) are not reported: no header is
sent, or the value comes from elsewhere. In CI workflows and test env files
(`.env.test`), which usually talk to a mock server, it is a warning.

There is no automatic fix: whether a project id belongs in `OPENAI_PROJECT_ID` or the
organization id was simply mistyped is the user's call.

## Why is this bad?
The program sends the value as the `OpenAI-Organization` header. OpenAI only accepts
the organization's id, `org-` followed by letters and digits, as shown on the
organization settings page; anything else makes every request fail although the API
key is right.

## Example
```dotenv
OPENAI_API_KEY=sk-proj-…
OPENAI_ORG_ID=proj_AbC123…
```

Use instead:
```dotenv
OPENAI_API_KEY=sk-proj-…
OPENAI_ORG_ID=org-AbC123…
OPENAI_PROJECT_ID=proj_AbC123…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let found = check_ids(ctx, Role::Organization, |name, mistake| match mistake {
            IdMistake::OtherKindOfId => format!(
                "{name} holds a project id (`proj_…`), not an organization id, and OpenAI rejects it as the `OpenAI-Organization` header — move it to OPENAI_PROJECT_ID and put the `org-…` id here"
            ),
            IdMistake::ApiKey(masked) => format!(
                "{name} holds an API key ({masked}), not an organization id — put the key in OPENAI_API_KEY and the `org-…` id here"
            ),
            IdMistake::NotAnId => format!(
                "{name} is not an organization id (`org-…`): it is sent as the `OpenAI-Organization` header and OpenAI rejects the request — use the id from the organization settings page, not the organization's name"
            ),
        });
        for (severity, range, message) in found {
            out.push(Self::diagnostic(severity, range, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    #[test]
    fn project_id_name_and_key_in_org_variable() {
        insta::assert_snapshot!(check("KL401", ".env", "OPENAI_ORG_ID=proj_AbCdEf0123456789\nOPENAI_ORGANIZATION=\"Acme Inc\"\nOPENAI_ORGANIZATION_ID=sk-proj-abcdefghijklmnop\n"), @"
        1:15-1:36 error KL401: OPENAI_ORG_ID holds a project id (`proj_…`), not an organization id, and OpenAI rejects it as the `OpenAI-Organization` header — move it to OPENAI_PROJECT_ID and put the `org-…` id here
        2:21-2:31 error KL401: OPENAI_ORGANIZATION is not an organization id (`org-…`): it is sent as the `OpenAI-Organization` header and OpenAI rejects the request — use the id from the organization settings page, not the organization's name
        3:24-3:48 error KL401: OPENAI_ORGANIZATION_ID holds an API key (sk-proj-…mnop (24 chars)), not an organization id — put the key in OPENAI_API_KEY and the `org-…` id here
        ");
    }

    #[test]
    fn yaml_values_are_judged_as_written() {
        insta::assert_snapshot!(check("KL401", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: my-org\n  worker:\n    environment:\n      - OPENAI_ORGANIZATION=proj_x\n"), @"
        4:22-4:28 error KL401: OPENAI_ORG_ID is not an organization id (`org-…`): it is sent as the `OpenAI-Organization` header and OpenAI rejects the request — use the id from the organization settings page, not the organization's name
        7:29-7:35 error KL401: OPENAI_ORGANIZATION holds a project id (`proj_…`), not an organization id, and OpenAI rejects it as the `OpenAI-Organization` header — move it to OPENAI_PROJECT_ID and put the `org-…` id here
        ");
        insta::assert_snapshot!(check("KL401", ".github/workflows/ci.yml", "jobs:\n  test:\n    env:\n      OPENAI_ORG_ID: fake-org\n"), @"4:22-4:30 warning KL401: OPENAI_ORG_ID is not an organization id (`org-…`): it is sent as the `OpenAI-Organization` header and OpenAI rejects the request — use the id from the organization settings page, not the organization's name");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL401", ".env", "OPENAI_ORG_ID=org-AbCdEf0123456789\nOPENAI_ORGANIZATION=\nOPENAI_ORGANIZATION_ID=${ORG}\nOPENAI_PROJECT_ID=proj_abc\nORG=Acme Inc\n"), @"");
        insta::assert_snapshot!(check("KL401", ".env.example", "OPENAI_ORG_ID=your-org-id\n"), @"");
        insta::assert_snapshot!(check("KL401", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: ${OPENAI_ORG_ID}\n      OPENAI_ORGANIZATION:\n"), @"");
        insta::assert_snapshot!(check("KL401", ".github/workflows/ci.yml", "jobs:\n  test:\n    env:\n      OPENAI_ORG_ID: ${{ secrets.OPENAI_ORG_ID }}\n"), @"");
    }
}

//! KL402 project-id-format: an organization id or a name in a project variable.

use crate::diagnostic::{Diagnostic, Severity};
use crate::provider::Role;
use crate::rules::helpers::{IdMistake, check_ids};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct ProjectIdFormat;

impl Rule for ProjectIdFormat {
    const CODE: &'static str = "KL402";
    const NAME: &'static str = "project-id-format";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "An organization id (`org-…`) or a name in a project variable";
    const DOC: &'static str = r#"
## What it does
Finds a project variable (`OPENAI_PROJECT_ID`, and the `OPENAI_PROJECT` alias) whose
value is not a project id: an organization id (`org-…`), an API key, or the project's
display *name* (`My Project`).

An empty value and an interpolation (`${OPENAI_PROJECT_ID}`) are not reported. In CI
workflows and test env files (`.env.test`), which usually talk to a mock server, it is
a warning.

There is no automatic fix: whether an organization id belongs in `OPENAI_ORG_ID` or
the project id was simply mistyped is the user's call.

## Why is this bad?
The program sends the value as the `OpenAI-Project` header. OpenAI only accepts the
project's id, `proj_` followed by letters and digits, as shown on the project's settings
page; anything else makes every request fail although the API key is right.

## Example
```dotenv
OPENAI_API_KEY=sk-proj-…
OPENAI_PROJECT_ID=org-AbC123…
```

Use instead:
```dotenv
OPENAI_API_KEY=sk-proj-…
OPENAI_ORG_ID=org-AbC123…
OPENAI_PROJECT_ID=proj_AbC123…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let found = check_ids(ctx, Role::Project, |name, mistake| match mistake {
            IdMistake::OtherKindOfId => format!(
                "{name} holds an organization id (`org-…`), not a project id, and OpenAI rejects it as the `OpenAI-Project` header — move it to OPENAI_ORG_ID and put the `proj_…` id here"
            ),
            IdMistake::ApiKey(masked) => format!(
                "{name} holds an API key ({masked}), not a project id — put the key in OPENAI_API_KEY and the `proj_…` id here"
            ),
            IdMistake::NotAnId => format!(
                "{name} is not a project id (`proj_…`): it is sent as the `OpenAI-Project` header and OpenAI rejects the request — use the id from the project's settings page, not the project's name"
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
    fn org_id_name_and_key_in_project_variable() {
        insta::assert_snapshot!(check("KL402", ".env", "OPENAI_PROJECT_ID=org-AbCdEf0123456789\nOPENAI_PROJECT='My Project'\n"), @"
        1:19-1:39 error KL402: OPENAI_PROJECT_ID holds an organization id (`org-…`), not a project id, and OpenAI rejects it as the `OpenAI-Project` header — move it to OPENAI_ORG_ID and put the `proj_…` id here
        2:16-2:28 error KL402: OPENAI_PROJECT is not a project id (`proj_…`): it is sent as the `OpenAI-Project` header and OpenAI rejects the request — use the id from the project's settings page, not the project's name
        ");
        insta::assert_snapshot!(check("KL402", "k8s/deploy.yaml", "kind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: OPENAI_PROJECT_ID\n              value: sk-proj-abcdefghijklmnop\n"), @"11:22-11:46 error KL402: OPENAI_PROJECT_ID holds an API key (sk-proj-…mnop (24 chars)), not a project id — put the key in OPENAI_API_KEY and the `proj_…` id here");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL402", ".env", "OPENAI_PROJECT_ID=proj_AbCdEf0123456789\nOPENAI_PROJECT=\nOPENAI_ORG_ID=org-abc\nPROJECT=My Project\n"), @"");
        insta::assert_snapshot!(check("KL402", ".env.sample", "OPENAI_PROJECT_ID=your project id\n"), @"");
        insta::assert_snapshot!(check("KL402", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_PROJECT_ID=${OPENAI_PROJECT_ID:-}\n"), @"");
    }
}

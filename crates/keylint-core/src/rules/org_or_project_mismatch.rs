//! KL602 org-or-project-mismatch: a valid key sent with another account's organization
//! or project.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct OrgOrProjectMismatch;

impl Rule for OrgOrProjectMismatch {
    const CODE: &'static str = "KL602";
    const NAME: &'static str = "org-or-project-mismatch";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "The key is valid, but the organization or project sent with it is not its own (only with --probe)";
    const DOC: &'static str = r"
## What it does
With `--probe`, the key is probed with and without the configured `OpenAI-Organization`
/ `OpenAI-Project` headers. When the key works alone but is rejected with them
(401 `mismatched_organization`, or a project the key does not belong to), the
organization or project variable is the culprit, not the key.

## Why is this bad?
The OpenAI SDKs send `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` with every request; a
stale id makes a good key fail with `401`.

## Example
```sh
OPENAI_API_KEY=sk-proj-…x9Qa
OPENAI_ORG_ID=org-from-another-account
```

Use instead (or remove the line: a project key does not need it):
```sh
OPENAI_API_KEY=sk-proj-…x9Qa
OPENAI_ORG_ID=org-of-this-key
```
";
    const VERDICTS: &'static [Verdict] = &[Verdict::OrgMismatch, Verdict::ProjectMismatch];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

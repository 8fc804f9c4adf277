//! KL603 no-permission: a valid key the provider does not let do this.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct NoPermission;

impl Rule for NoPermission {
    const CODE: &'static str = "KL603";
    const NAME: &'static str = "no-permission";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "The key is valid but may not do this: restricted key, region, API disabled (only with --probe)";
    const DOC: &'static str = r"
## What it does
With `--probe`, reports a key the provider recognizes but answers with `403`: a
restricted OpenAI key without the `models:read` scope, an unsupported region, or an
API not enabled for the Google project.

## Why is this bad?
The key itself is fine, so replacing it is the wrong cure; its permissions are not.
A restricted key may still work for the calls the program makes, which is why this is
a warning.

## Example
A restricted key without `models:read`:
```sh
OPENAI_API_KEY=sk-proj-…r3st
```

Use instead a key with the permissions the program needs (granted on the provider's
keys page):
```sh
OPENAI_API_KEY=sk-proj-…full
```
";
    const VERDICTS: &'static [Verdict] = &[Verdict::NoPermission];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

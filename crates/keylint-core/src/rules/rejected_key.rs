//! KL601 rejected-key: the provider does not accept the key the program sends.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct RejectedKey;

impl Rule for RejectedKey {
    const CODE: &'static str = "KL601";
    const NAME: &'static str = "rejected-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "The provider rejects the key: unknown, revoked or deactivated (only with --probe)";
    const DOC: &'static str = r#"
## What it does
With `--probe` (or the editor's probe command), asks the provider's cheapest
authenticated read (`GET …/models`, no tokens spent) whether the key works, and reports
the key when the provider answers that it does not know it (401 `invalid_api_key`,
Anthropic `authentication_error`, Gemini `API_KEY_INVALID`, Azure `Access denied due to
invalid subscription key`) or that its account or organization is deactivated.

The probe sends the key the way the program that reads the file receives it. When that
differs from the key as written (`docker run --env-file` keeps the quotes, a shell keeps
a `\r`) and the program's value is rejected, keylint also asks about the key itself and
says so: "the key itself is valid, but docker --env-file passes it with its quotes, so
the program's request fails".

## Why is this bad?
The file is well-formed, but every request the program makes with this key fails with
`401`.

## Example
```sh
OPENAI_API_KEY=sk-proj-…old1   # revoked in the dashboard
```

Use instead a current key from the provider's keys page:
```sh
OPENAI_API_KEY=sk-proj-…new2
```
"#;
    const VERDICTS: &'static [Verdict] = &[Verdict::InvalidKey, Verdict::Deactivated];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

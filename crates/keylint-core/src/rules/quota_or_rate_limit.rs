//! KL604 quota-or-rate-limit: a valid key whose account cannot serve requests now.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct QuotaOrRateLimit;

impl Rule for QuotaOrRateLimit {
    const CODE: &'static str = "KL604";
    const NAME: &'static str = "quota-or-rate-limit";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "The key is valid but out of quota or credit, or rate-limited right now (only with --probe)";
    const DOC: &'static str = r"
## What it does
With `--probe`, reports `429` answers: `insufficient_quota` (no credit left, the
account needs billing) apart from plain rate limiting (wait and retry).

## Why is this bad?
The key is valid; the account is not able to serve requests right now, so the
program's calls fail with `429`.

## Example
```sh
OPENAI_API_KEY=sk-proj-…x9Qa   # the organization has no credit left
```

Use instead a key of an account with quota (or add credit on the provider's billing
page):
```sh
OPENAI_API_KEY=sk-proj-…paid
```
";
    const VERDICTS: &'static [Verdict] = &[Verdict::QuotaExhausted, Verdict::RateLimited];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

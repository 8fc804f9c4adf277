//! KL605 probe-unknown: the probe could not tell whether the key works.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct ProbeUnknown;

impl Rule for ProbeUnknown {
    const CODE: &'static str = "KL605";
    const NAME: &'static str = "probe-unknown";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "The probe could not tell: network, TLS, timeout, 5xx, or the key was not sent (only with --probe)";
    const DOC: &'static str = r"
## What it does
With `--probe`, reports a key whose probe did not give an answer about the key: no
network, a TLS or DNS failure, a timeout, a `5xx`, an unexpected answer, keylint's own
rate limit, or a base URL keylint refused to send the key to (a host from the
workspace that is not the provider's official host and not allowed with `--allow-host`).

## Why is this bad?
It is not: `unknown` never means the key is bad, so this is only an info. The message
says what happened and what to do; for a refused base URL, nothing was sent.

## Example
```sh
OPENAI_BASE_URL=https://proxy.example/v1   # not an official OpenAI host
OPENAI_API_KEY=sk-proj-…x9Qa
```

Use instead, to probe through the proxy, a host you trust explicitly on the command
line (never from the workspace):
```sh
keylint lint --probe --allow-host proxy.example
```
";
    const VERDICTS: &'static [Verdict] = &[Verdict::Unknown];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

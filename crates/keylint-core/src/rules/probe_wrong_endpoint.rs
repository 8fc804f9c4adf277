//! KL606 probe-wrong-endpoint: the base URL does not answer like the provider's API.

use crate::diagnostic::{Diagnostic, Severity};
use crate::probed::Verdict;
use crate::rules::{Context, FixAvailability, Rule, report_probed};

pub(crate) struct ProbeWrongEndpoint;

impl Rule for ProbeWrongEndpoint {
    const CODE: &'static str = "KL606";
    const NAME: &'static str = "probe-wrong-endpoint";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "The base URL is not the provider's API: 404, Azure resource or deployment not found (only with --probe)";
    const DOC: &'static str = r"
## What it does
With `--probe`, reports a key whose base URL does not answer like the provider's API:
a `404` for the models list, an Azure resource that does not exist, or an OpenAI base
URL without `/v1`.

## Why is this bad?
The key was not judged; the requests of the program go to the wrong place.

## Example
```sh
OPENAI_BASE_URL=https://api.openai.com
```

Use instead:
```sh
OPENAI_BASE_URL=https://api.openai.com/v1
```
";
    const VERDICTS: &'static [Verdict] = &[Verdict::WrongEndpoint];

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        report_probed::<Self>(ctx, out);
    }
}

//! KL404 endpoint-key-mismatch: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct EndpointKeyMismatch;

impl Rule for EndpointKeyMismatch {
    const CODE: &'static str = "KL404";
    const NAME: &'static str = "endpoint-key-mismatch";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "An Azure endpoint with an OpenAI `sk-` key, or an Azure key with api.openai.com";
    const DOC: &'static str = r#"
## What it does
TODO

## Why is this bad?
TODO

## Example
```
TODO
```

Use instead:
```
TODO
```
"#;

    fn check(_ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}

//! KL303 wrong-provider-key: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct WrongProviderKey;

impl Rule for WrongProviderKey {
    const CODE: &'static str = "KL303";
    const NAME: &'static str = "wrong-provider-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "Another provider's key in a provider's variable (an Anthropic key in OPENAI_API_KEY)";
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

//! KL102 whitespace-in-value: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct WhitespaceInValue;

impl Rule for WhitespaceInValue {
    const CODE: &'static str = "KL102";
    const NAME: &'static str = "whitespace-in-value";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "Leading or trailing space or tab that survives parsing, or whitespace inside quotes";
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

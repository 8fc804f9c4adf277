//! KL302 empty-value: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct EmptyValue;

impl Rule for EmptyValue {
    const CODE: &'static str = "KL302";
    const NAME: &'static str = "empty-value";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "An empty, `None`, `null` or `undefined` key";
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

//! KL105 unterminated-quote: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct UnterminatedQuote;

impl Rule for UnterminatedQuote {
    const CODE: &'static str = "KL105";
    const NAME: &'static str = "unterminated-quote";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A quote that never closes; every loader reads something different";
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

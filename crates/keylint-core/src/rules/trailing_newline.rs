//! KL104 trailing-newline: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct TrailingNewline;

impl Rule for TrailingNewline {
    const CODE: &'static str = "KL104";
    const NAME: &'static str = "trailing-newline";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A value that ends in a newline: YAML `|` block, base64 Secret data, a `\n` escape";
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

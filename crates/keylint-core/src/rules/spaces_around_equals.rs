//! KL106 spaces-around-equals: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct SpacesAroundEquals;

impl Rule for SpacesAroundEquals {
    const CODE: &'static str = "KL106";
    const NAME: &'static str = "spaces-around-equals";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str = "`KEY = value`, `export KEY=`, `KEY: value` where the consumer keeps the spaces or refuses the line";
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

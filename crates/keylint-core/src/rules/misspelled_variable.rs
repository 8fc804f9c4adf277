//! KL201 misspelled-variable: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct MisspelledVariable;

impl Rule for MisspelledVariable {
    const CODE: &'static str = "KL201";
    const NAME: &'static str = "misspelled-variable";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A near-miss of a known variable name (`OPENAI_APIKEY`, lowercase) that no SDK reads";
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

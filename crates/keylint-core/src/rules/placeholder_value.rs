//! KL301 placeholder-value: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct PlaceholderValue;

impl Rule for PlaceholderValue {
    const CODE: &'static str = "KL301";
    const NAME: &'static str = "placeholder-value";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A placeholder (`sk-...`, `your-api-key-here`, `<KEY>`, `changeme`) in a real env file";
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

//! KL501 unresolved-interpolation: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct UnresolvedInterpolation;

impl Rule for UnresolvedInterpolation {
    const CODE: &'static str = "KL501";
    const NAME: &'static str = "unresolved-interpolation";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "Compose `${VAR}` with no value in the project `.env` and no default";
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

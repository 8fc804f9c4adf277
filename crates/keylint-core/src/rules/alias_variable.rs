//! KL203 alias-variable: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct AliasVariable;

impl Rule for AliasVariable {
    const CODE: &'static str = "KL203";
    const NAME: &'static str = "alias-variable";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A name only some programs read (`OPENAI_ORGANIZATION` vs the SDK's `OPENAI_ORG_ID`)";
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

//! KL305 admin-key: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct AdminKey;

impl Rule for AdminKey {
    const CODE: &'static str = "KL305";
    const NAME: &'static str = "admin-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "An admin key (`sk-admin-`, `sk-ant-admin01-`) where an API key is expected";
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

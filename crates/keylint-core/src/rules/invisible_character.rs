//! KL103 invisible-character: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct InvisibleCharacter;

impl Rule for InvisibleCharacter {
    const CODE: &'static str = "KL103";
    const NAME: &'static str = "invisible-character";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "\r (CRLF), NBSP, zero-width characters, a BOM or control characters in a name or value";
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

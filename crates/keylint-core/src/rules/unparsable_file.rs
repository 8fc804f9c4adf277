//! KL001 unparsable-file: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct UnparsableFile;

impl Rule for UnparsableFile {
    const CODE: &'static str = "KL001";
    const NAME: &'static str = "unparsable-file";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A file keylint cannot read as .env or YAML (binary, UTF-16, broken YAML, Helm templates)";
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

//! KL502 missing-env-file: TODO(stub) — being implemented.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct MissingEnvFile;

impl Rule for MissingEnvFile {
    const CODE: &'static str = "KL502";
    const NAME: &'static str = "missing-env-file";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "An `env_file:` path that does not exist";
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

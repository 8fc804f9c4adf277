//! KL204 unset-variable: a provider key the code reads that the project sets nowhere.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, Rule};
use crate::source::FileKind;

pub(crate) struct UnsetVariable;

impl Rule for UnsetVariable {
    const CODE: &'static str = "KL204";
    const NAME: &'static str = "unset-variable";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A provider key the code reads that no env file, Compose `environment:` or workflow sets";
    const DOC: &'static str = r#"
## What it does
Looks at the project's source code for the API-key variables it reads (`os.environ["X"]`,
`process.env.X`, `os.Getenv("X")`, `env::var("X")`, or an SDK client that reads its key
by default, such as `OpenAI()` reading `OPENAI_API_KEY`), and reports each one that no
env file, Compose `environment:`, Kubernetes `env:` or workflow `env:` of the project
sets. It is reported in the env file the code loads (`load_dotenv()`, `dotenv/config`,
`godotenv.Load()`, `dotenvy::dotenv()`), at its first line, naming where the key is read.

Templates (`.env.example`) do not count as setting a variable: a program never reads
them. Projects that do not load an env file get nothing from this rule (the key comes
from the shell or the deployment, which keylint cannot see).

## Why is this bad?
The program starts without the key, and its first request fails with `401` ("You didn't
provide an API key"), or a client library refuses to start. The mistake is often a name
that was renamed in the code but not in `.env`.

## Example
```python
# app/main.py
load_dotenv()
client = anthropic.Anthropic()   # reads ANTHROPIC_API_KEY
```
```shell
# .env
OPENAI_API_KEY=sk-proj-…
```

Use instead:
```shell
# .env
OPENAI_API_KEY=sk-proj-…
ANTHROPIC_API_KEY=sk-ant-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.parsed.kind != FileKind::EnvFile || ctx.is_template {
            return;
        }
        let code = ctx.project.code();
        let Some(load) = code.loads_of(ctx.path).into_iter().next() else {
            return;
        };
        let mut names: Vec<&str> = code
            .names()
            .filter(|name| ctx.key_variable_provider(name).is_some())
            .collect();
        names.sort_unstable();
        for name in names {
            if ctx.project.is_set_anywhere(name)
                || ctx
                    .assignments()
                    .iter()
                    .any(|assignment| assignment.name == name)
            {
                continue;
            }
            let reads = code.reads_of(name);
            let Some(first) = reads.first() else {
                continue;
            };
            out.push(Self::diagnostic(
                Self::SEVERITY,
                0..0,
                format!(
                    "{}, but no env file, Compose `environment:` or workflow of the project sets it — add it here ({} loads this file)",
                    first.reads(name),
                    load.evidence
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{MemoryProject, check_in_project};

    fn project() -> MemoryProject {
        MemoryProject::default()
            .reading("ANTHROPIC_API_KEY", "app/main.py", 7)
            .reading("OPENAI_API_KEY", "app/main.py", 8)
            .reading("DATABASE_URL", "app/db.py", 3)
            .loading(Consumer::PythonDotenv, "app/main.py", 5)
    }

    #[test]
    fn a_key_the_code_reads_and_nothing_sets() {
        insta::assert_snapshot!(check_in_project("KL204", ".env", "OPENAI_API_KEY=sk-abc\n", &project()), @"1:1-1:1 info KL204: app/main.py:7 reads ANTHROPIC_API_KEY, but no env file, Compose `environment:` or workflow of the project sets it — add it here (python-dotenv in app/main.py:5 loads this file)");
    }

    #[test]
    fn near_misses() {
        // Set elsewhere in the project (a Compose file, another env file).
        let mut elsewhere = project();
        elsewhere.set_names.insert("ANTHROPIC_API_KEY".to_string());
        insta::assert_snapshot!(check_in_project("KL204", ".env", "OPENAI_API_KEY=sk-abc\n", &elsewhere), @"");
        // A file no code loads, and a template.
        insta::assert_snapshot!(check_in_project("KL204", "deploy/prod.env", "A=1\n", &project()), @"");
        insta::assert_snapshot!(check_in_project("KL204", ".env.example", "A=1\n", &project()), @"");
        // No code loads an env file at all.
        let no_load = MemoryProject::default().reading("ANTHROPIC_API_KEY", "app/main.py", 7);
        insta::assert_snapshot!(check_in_project("KL204", ".env", "A=1\n", &no_load), @"");
    }
}

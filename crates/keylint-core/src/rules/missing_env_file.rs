//! KL502 missing-env-file: an `env_file:` path that does not exist.

use crate::diagnostic::{Diagnostic, Severity};
use crate::hints::compose_env_file_entries;
use crate::project::sibling;
use crate::rules::{Context, FixAvailability, Rule};
use crate::source::FileKind;

pub(crate) struct MissingEnvFile;

impl Rule for MissingEnvFile {
    const CODE: &'static str = "KL502";
    const NAME: &'static str = "missing-env-file";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str = "An `env_file:` path that does not exist";
    const DOC: &'static str = r#"
## What it does
Checks that every file a Compose service lists under `env_file:` (a path, a list of
paths, or `{path, required}` entries) exists, relative to the compose file.

Nothing is reported for `required: false` entries. A missing file that is gitignored,
or that has a template beside it (`api.env.example`, `.sample`, `.template`, `.dist`),
is only an info: each checkout is expected to create it.

## Why is this bad?
Compose refuses to start a project whose required env file is missing
(`env file … not found`). When the path is merely wrong, the keys meant for the
container never reach it.

## Example
```yaml
services:
  api:
    env_file: ./config/api.env   # the file is ./api.env
```

Use instead:
```yaml
services:
  api:
    env_file:
      - path: ./api.env
        required: false   # only if the service can run without it
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.parsed.kind != FileKind::Compose {
            return;
        }
        let Some(yaml) = &ctx.parsed.yaml else {
            return;
        };
        // Services mostly list the same files: each path as written is looked up once.
        let mut judged: foldhash::HashMap<&str, Option<(Severity, String)>> =
            foldhash::HashMap::default();
        for entry in compose_env_file_entries(yaml) {
            let Some(written) = entry.path.as_str() else {
                continue;
            };
            // An interpolated path is only known at run time.
            if !entry.required || written.trim().is_empty() || written.contains('$') {
                continue;
            }
            let verdict = judged
                .entry(written)
                .or_insert_with(|| missing(ctx, written));
            if let Some((severity, message)) = verdict {
                out.push(Self::diagnostic(
                    *severity,
                    entry.path.span.clone(),
                    message.clone(),
                ));
            }
        }
    }
}

/// The severity and message for the env file `written` when it does not exist.
fn missing(ctx: &Context, written: &str) -> Option<(Severity, String)> {
    let path = sibling(ctx.path, written);
    if ctx.project.exists(&path) {
        return None;
    }
    let template = TEMPLATE_SUFFIXES
        .iter()
        .map(|suffix| format!("{written}{suffix}"))
        .find(|candidate| ctx.project.exists(&sibling(ctx.path, candidate)));
    Some(if let Some(template) = template {
        (
            Severity::Info,
            format!(
                "env file `{written}` does not exist yet: create it from `{template}` before `docker compose up`, which refuses to start without it"
            ),
        )
    } else if ctx.project.is_ignored(&path) {
        (
            Severity::Info,
            format!(
                "env file `{written}` does not exist; it is gitignored, so every checkout must create it before `docker compose up`, which refuses to start without it — or mark it `required: false`"
            ),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "Compose refuses to start: env file `{written}` not found — create it, correct the path, or list it as `{{path: {written}, required: false}}` if the service can run without it"
            ),
        )
    })
}

/// Names of the template a missing env file is usually created from: `X.example` for `X`.
const TEMPLATE_SUFFIXES: [&str; 4] = [".example", ".sample", ".template", ".dist"];

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{MemoryProject, check_in_project};

    const COMPOSE: &str = "services:\n  api:\n    env_file: ./api.env\n  worker:\n    env_file:\n      - .env\n      - \"deploy/worker.env\"\n      - path: ./local.env\n        required: false\n      - path: ./override.env\n        required: true\n";

    #[test]
    fn missing_files_by_how_sure_keylint_is() {
        let project = MemoryProject::default()
            .with_file(".env.example", "OPENAI_API_KEY=\n")
            .ignoring("deploy/worker.env");
        insta::assert_snapshot!(check_in_project("KL502", "compose.yaml", COMPOSE, &project), @"
        3:15-3:24 warning KL502: Compose refuses to start: env file `./api.env` not found — create it, correct the path, or list it as `{path: ./api.env, required: false}` if the service can run without it
        6:9-6:13 info KL502: env file `.env` does not exist yet: create it from `.env.example` before `docker compose up`, which refuses to start without it
        7:9-7:28 info KL502: env file `deploy/worker.env` does not exist; it is gitignored, so every checkout must create it before `docker compose up`, which refuses to start without it — or mark it `required: false`
        10:15-10:29 warning KL502: Compose refuses to start: env file `./override.env` not found — create it, correct the path, or list it as `{path: ./override.env, required: false}` if the service can run without it
        ");
    }

    #[test]
    fn paths_are_relative_to_the_compose_file() {
        let project = MemoryProject::default().with_file("deploy/api.env", "A=1\n");
        insta::assert_snapshot!(check_in_project("KL502", "deploy/compose.yaml", "services:\n  api:\n    env_file: api.env\n  worker:\n    env_file: [../shared.env]\n", &project), @"5:16-5:29 warning KL502: Compose refuses to start: env file `../shared.env` not found — create it, correct the path, or list it as `{path: ../shared.env, required: false}` if the service can run without it");
    }

    #[test]
    fn near_misses() {
        let project = MemoryProject::default()
            .with_file("api.env", "A=1\n")
            .with_file(".env", "A=1\n")
            .with_file("deploy/worker.env", "A=1\n")
            .with_file("override.env", "A=1\n");
        insta::assert_snapshot!(check_in_project("KL502", "compose.yaml", COMPOSE, &project), @"");
        insta::assert_snapshot!(check_in_project("KL502", "compose.yaml", "services:\n  api:\n    env_file: ${ENV_FILE}\n", &MemoryProject::default()), @"");
        insta::assert_snapshot!(check_in_project("KL502", "k8s/app.yaml", "services:\n  api:\n    env_file: ./api.env\napiVersion: v1\n", &MemoryProject::default()), @"");
    }
}

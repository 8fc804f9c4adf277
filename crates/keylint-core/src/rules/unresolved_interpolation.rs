//! KL501 unresolved-interpolation: a Compose `${VAR}` that nothing gives a value.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::consumer::{Loaded, Outcome, find_interpolations};
use crate::diagnostic::{Diagnostic, Severity};
use crate::project::sibling;
use crate::rules::{ComposeEnv, Context, FixAvailability, Rule, is_key_name};
use crate::source::FileKind;
use crate::syntax::yaml::Node;

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
Checks every `${VAR}` and `$VAR` in a Compose file against the project `.env` beside it
(and the files given with `--env-file`). It reports a reference without a default
when the `.env` does not define the variable, or defines a key variable as empty.

When there is no `.env` at all the values may come from the shell or CI, so an
unguarded reference is only an info. Guarded references (`${VAR:-default}`,
`${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+x}`, `${VAR+x}`), `$$`
escapes and the usual shell variables (`HOME`, `USER`, `PWD`, `PATH`, `UID`, `GID`,
`HOSTNAME`, `SHELL`) are never reported.

## Why is this bad?
Compose replaces an unset variable with an empty string and starts anyway, with only
`The "OPENAI_API_KEY" variable is not set. Defaulting to a blank string.` in its output.
The container then sends an empty key and every request fails with 401. Note that
`env_file:` does not feed `${…}`: only the project `.env` and the shell do.

## Example
```yaml
# .env holds OPENAI_KEY=sk-proj-…
services:
  api:
    environment:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
```

Use instead:
```yaml
# .env holds OPENAI_API_KEY=sk-proj-…
services:
  api:
    environment:
      OPENAI_API_KEY: ${OPENAI_API_KEY:?set OPENAI_API_KEY in .env}
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.parsed.kind != FileKind::Compose || ctx.is_template {
            return;
        }
        let Some(yaml) = &ctx.parsed.yaml else {
            return;
        };
        // Read the env files only once a reference needs them: most Compose files have
        // none, and the server lints a file again on every edit.
        let sources = OnceCell::new();
        // Compose interpolates every value, never a mapping key; an anchored value is
        // checked once, where it is written (aliases are skipped).
        let scalars = yaml.documents.iter().flat_map(Node::value_scalars);
        let mut hints_left = MAX_SIMILAR_NAME_HINTS;
        for scalar in scalars {
            let written = ctx.slice(scalar.span.clone());
            for reference in find_interpolations(written) {
                let name = reference.name.as_str();
                if reference.is_guarded() || SHELL_VARIABLES.contains(&name) {
                    continue;
                }
                let shown = &written[reference.range.clone()];
                let range = scalar.span.start + reference.range.start
                    ..scalar.span.start + reference.range.end;
                let Some(sources) = sources.get_or_init(|| EnvSources::load(ctx)) else {
                    return;
                };
                let key_like = is_key_name(name) || ctx.key_variable_provider(name).is_some();
                let diagnostic = match sources.lookup(name) {
                    Lookup::Set | Lookup::FromShell => continue,
                    Lookup::Empty if !key_like => continue,
                    Lookup::Empty => Self::diagnostic(
                        Severity::Warning,
                        range,
                        format!(
                            "{name} is empty in {}, so `{shown}` gives the container an empty key and its requests fail with 401 — put the key there",
                            sources.names()
                        ),
                    ),
                    Lookup::Unset if sources.files.is_empty() => Self::diagnostic(
                        Severity::Info,
                        range,
                        format!(
                            "`{shown}` has no default and there is no `{}` beside this file: unless the shell or CI sets {name}, the container gets an empty value — write `${{{name}:?{name} is required}}` to stop Compose instead",
                            sources.project_env
                        ),
                    ),
                    Lookup::Unset => {
                        let hint = (hints_left > 0)
                            .then(|| {
                                hints_left -= 1;
                                sources.similar_name(name)
                            })
                            .flatten()
                            .map(|similar| format!(" (it defines {similar}: a typo?)"))
                            .unwrap_or_default();
                        Self::diagnostic(
                            Severity::Warning,
                            range,
                            format!(
                                "`{shown}` is not set in {}{hint}: unless the shell sets {name}, the container gets an empty value (Compose warns `The \"{name}\" variable is not set. Defaulting to a blank string.`) — define it there or add a default",
                                sources.names()
                            ),
                        )
                    }
                };
                out.push(diagnostic);
            }
        }
    }
}

/// Variables every shell exports (or that users set by habit, like `UID`), which a
/// Compose file may rely on without a `.env` entry.
const SHELL_VARIABLES: [&str; 8] = [
    "HOME", "USER", "PWD", "PATH", "UID", "GID", "HOSTNAME", "SHELL",
];

/// Unset references per file that get a "did you mean" hint: each compares the name with
/// every defined one, so a file of thousands of unset references would cost their product.
const MAX_SIMILAR_NAME_HINTS: usize = 100;

/// Jaro-Winkler similarity from which a defined name is offered as the likely intended one
/// (`OPENAI_KEY` for `OPENAI_API_KEY`).
const SIMILAR: f64 = 0.9;

/// What the files Compose interpolates from say about a variable.
enum Lookup {
    Set,
    Empty,
    /// Listed as a bare `NAME`: the value is taken from the shell on purpose.
    FromShell,
    Unset,
}

/// The project `.env` and the `--env-file` files that exist, as Compose reads them.
struct EnvSources {
    /// The project `.env` path, for messages.
    project_env: String,
    /// (path, variables, the last entry of each name) of each file that exists.
    files: Vec<(String, Arc<ComposeEnv>, foldhash::HashMap<String, usize>)>,
}

impl EnvSources {
    /// `None` when Compose refuses one of the files: the project does not start at all,
    /// and the env file's own diagnostics say why.
    fn load(ctx: &Context) -> Option<EnvSources> {
        let project_env = sibling(ctx.path, ".env");
        let mut files = Vec::new();
        for path in std::iter::once(&project_env).chain(&ctx.settings.compose_env_files) {
            let Some(env) = ctx.compose_env(path) else {
                continue;
            };
            if env
                .loaded
                .iter()
                .any(|entry| matches!(entry.outcome, Outcome::Refused(_)))
            {
                return None;
            }
            let last: foldhash::HashMap<String, usize> = env
                .loaded
                .iter()
                .enumerate()
                .map(|(position, entry)| (entry.name.clone(), position))
                .collect();
            files.push((path.to_string_lossy().into_owned(), env, last));
        }
        Some(EnvSources {
            project_env: project_env.to_string_lossy().into_owned(),
            files,
        })
    }

    fn lookup(&self, name: &str) -> Lookup {
        let mut found = Lookup::Unset;
        for (_, env, last) in &self.files {
            match last.get(name).map(|&position| &env.loaded[position]) {
                Some(Loaded {
                    outcome: Outcome::Value(value),
                    ..
                }) if !value.is_empty() => return Lookup::Set,
                Some(Loaded {
                    outcome: Outcome::Value(_),
                    ..
                }) => found = Lookup::Empty,
                Some(_) if matches!(found, Lookup::Unset) => found = Lookup::FromShell,
                _ => {}
            }
        }
        found
    }

    /// A variable the files define that is spelled almost like `name`.
    fn similar_name(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .flat_map(|(_, env, _)| &env.loaded)
            .filter(|entry| entry.name != name && entry.outcome.value().is_some())
            .map(|entry| (strsim::jaro_winkler(&entry.name, name), entry.name.as_str()))
            .filter(|(similarity, _)| *similarity >= SIMILAR)
            .max_by(|(a, _), (b, _)| a.total_cmp(b))
            .map(|(_, similar)| similar)
    }

    /// "`.env`" or "`.env` and `ci.env`".
    fn names(&self) -> String {
        let names: Vec<String> = self
            .files
            .iter()
            .map(|(path, ..)| format!("`{path}`"))
            .collect();
        match names.as_slice() {
            [rest @ .., last] if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.concat(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::rules::test_support::{MemoryProject, check_in_project};

    const COMPOSE: &str = "services:\n  api:\n    image: \"app:${TAG}\"\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n";

    #[test]
    fn unset_in_the_project_env_is_a_warning() {
        let compose = "services:\n  api:\n    image: 'app:$TAG'\n    command: [\"serve\", \"--model=${MODEL}\"]\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY}\n";
        let project = MemoryProject::default()
            .with_file(".env", "OPENAI_KEY=sk-abc\nANTHROPIC_API_KEY=\nMODEL=\n");
        insta::assert_snapshot!(check_in_project("KL501", "compose.yaml", compose, &project), @r#"
        3:17-3:21 warning KL501: `$TAG` is not set in `.env`: unless the shell sets TAG, the container gets an empty value (Compose warns `The "TAG" variable is not set. Defaulting to a blank string.`) — define it there or add a default
        6:23-6:40 warning KL501: `${OPENAI_API_KEY}` is not set in `.env` (it defines OPENAI_KEY: a typo?): unless the shell sets OPENAI_API_KEY, the container gets an empty value (Compose warns `The "OPENAI_API_KEY" variable is not set. Defaulting to a blank string.`) — define it there or add a default
        7:26-7:46 warning KL501: ANTHROPIC_API_KEY is empty in `.env`, so `${ANTHROPIC_API_KEY}` gives the container an empty key and its requests fail with 401 — put the key there
        "#);
    }

    #[test]
    fn without_a_project_env_it_is_only_info() {
        insta::assert_snapshot!(check_in_project("KL501", "deploy/compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n    labels:\n      note: |\n        key is $OPENAI_API_KEY\n", &MemoryProject::default()), @"
        4:24-4:41 info KL501: `${OPENAI_API_KEY}` has no default and there is no `deploy/.env` beside this file: unless the shell or CI sets OPENAI_API_KEY, the container gets an empty value — write `${OPENAI_API_KEY:?OPENAI_API_KEY is required}` to stop Compose instead
        7:16-7:31 info KL501: `$OPENAI_API_KEY` has no default and there is no `deploy/.env` beside this file: unless the shell or CI sets OPENAI_API_KEY, the container gets an empty value — write `${OPENAI_API_KEY:?OPENAI_API_KEY is required}` to stop Compose instead
        ");
    }

    #[test]
    fn env_files_given_on_the_command_line_count() {
        let mut project = MemoryProject::default().with_file("ci.env", "OPENAI_API_KEY=sk-abc\n");
        project.settings.compose_env_files = vec![PathBuf::from("ci.env")];
        let compose = "services:\n  api:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n      TAG: ${TAG}\n";
        insta::assert_snapshot!(check_in_project("KL501", "compose.yaml", compose, &project), @r#"5:12-5:18 warning KL501: `${TAG}` is not set in `ci.env`: unless the shell sets TAG, the container gets an empty value (Compose warns `The "TAG" variable is not set. Defaulting to a blank string.`) — define it there or add a default"#);
    }

    #[test]
    fn near_misses() {
        let project = MemoryProject::default().with_file(".env", "OPENAI_API_KEY=sk-abc\nTAG\n");
        insta::assert_snapshot!(check_in_project("KL501", "compose.yaml", "services:\n  api:\n    image: app:${TAG}\n    user: \"${UID}:${GID}\"\n    volumes:\n      - $HOME/.cache:/cache\n    command: sh -c 'echo $$PATH ${{ not.compose }}'\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n      MODEL: ${MODEL:-gpt-4o}\n      ORG: ${ORG-}\n      REQUIRED: ${REQUIRED:?set it}\n      ALT: ${ALT:+x}\n      ${NOT_A_VALUE}: key\n", &project), @"");
        insta::assert_snapshot!(check_in_project("KL501", "compose.example.yaml", COMPOSE, &MemoryProject::default()), @"");
        insta::assert_snapshot!(check_in_project("KL501", ".github/workflows/ci.yml", "jobs:\n  a:\n    env:\n      K: ${OPENAI_API_KEY}\n", &MemoryProject::default()), @"");
        let refused = MemoryProject::default().with_file(".env", "A=\"x\n");
        insta::assert_snapshot!(check_in_project("KL501", "compose.yaml", COMPOSE, &refused), @"");
    }
}

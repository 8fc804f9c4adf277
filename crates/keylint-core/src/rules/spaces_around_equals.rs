//! KL106 spaces-around-equals: blanks around `=`, a `:` separator or `export` that some
//! consumers do not read as an assignment.

use crate::assignment::{Assignment, Origin};
use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::escape_invisible;
use crate::rules::{Context, FixAvailability, Rule, Syntax, push_names, with_fix};
use crate::syntax::dotenv::{EnvAssignment, StatementKind};

pub(crate) struct SpacesAroundEquals;

impl Rule for SpacesAroundEquals {
    const CODE: &'static str = "KL106";
    const NAME: &'static str = "spaces-around-equals";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str = "`KEY = value`, `export KEY=`, `KEY: value` where the consumer keeps the spaces or refuses the line";
    const DOC: &'static str = r#"
## What it does
Finds assignments whose separator some consumers do not accept: blanks before `=`
(`KEY = value`, `KEY\t=value`), a YAML-style colon (`KEY: value`,
`KEY:value`) in an env file, `export KEY=value` in a file read by
`docker run --env-file`, and a Compose `environment:` item written `- KEY = value`.

## Why is this bad?
The dotenv libraries accept `KEY = value`, but `docker run --env-file` exits with
`variable 'KEY ' contains whitespaces` and a shell (`set -a; . .env`) runs `KEY` as a
command, so the variable is never set. With a colon the loaders disagree completely:
python-dotenv skips the line, node dotenv reads `KEY: value` but not `KEY:value`,
dotenvy stops reading the file, docker exits or drops the variable, and Compose
accepts both (`docs/loaders.md` in the keylint repository). Compose
refuses an `environment:` list item whose name ends in a blank ("declared with a
trailing space"), so the service does not start.

In a file keylint sees nobody read, blanks around `=` that only docker and a shell
trip over (every dotenv library and Compose read the line) are info: most env files are
read by a library or Compose. Once keylint sees docker or a shell read the file (a
`--env-file` or `. ./.env` in a Makefile, script or README), they are an error.

`export` is deliberate shell syntax that every dotenv library understands, so it is
reported only when keylint sees `docker run --env-file` read the file.

## Example
```
OPENAI_API_KEY = sk-proj-…
```

Use instead:
```
OPENAI_API_KEY=sk-proj-…
```

## Fix safety
Replacing the separator with a bare `=` is safe: the consumers that already read the
assignment get the same value, and the others now read it too. Removing `export ` is
offered only when docker is the only known consumer, since a shell script may rely on it.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            if assignment.origin == Origin::ComposeList {
                if let Some(diagnostic) = compose_item(ctx, assignment) {
                    out.push(diagnostic);
                }
                continue;
            }
            let Some(written) = env_assignment(ctx, assignment) else {
                continue;
            };
            if let Some(diagnostic) = separator(ctx, index, assignment, written) {
                out.push(diagnostic);
            }
            if let Some(diagnostic) = export(ctx, index, assignment, written) {
                out.push(diagnostic);
            }
        }
    }
}

fn env_assignment<'a>(ctx: &'a Context, assignment: &Assignment) -> Option<&'a EnvAssignment> {
    let Origin::EnvFile { statement } = assignment.origin else {
        return None;
    };
    match &ctx.parsed.env.as_ref()?.statements[statement].kind {
        StatementKind::Assignment(written) => Some(written),
        _ => None,
    }
}

/// The consumers a separator other than a bare `=` can break (cases 8, 29,
/// 29b and 36 of `resources/test/loader_cases.json`); each is reported only when its outcome confirms it. Compose accepts every
/// form, and the dotenv libraries accept blanks around `=`.
fn affected_by(written: &EnvAssignment, separator: &str) -> &'static [Consumer] {
    let blank_before = separator
        .chars()
        .next()
        .is_some_and(|first| first != written.separator_char);
    match written.separator_char {
        ':' => &[
            Consumer::PythonDotenv,
            Consumer::NodeDotenv,
            Consumer::Dotenvy,
            Consumer::DockerEnvFile,
            Consumer::Shell,
        ],
        _ if blank_before => &[Consumer::DockerEnvFile, Consumer::Shell],
        // `KEY= value`: a blank after `=` only is a leading blank in the value (KL102).
        _ => &[],
    }
}

/// What a consumer that does not read the assignment does instead.
fn failure(consumer: Consumer, outcome: &Outcome) -> Option<&'static str> {
    Some(match (consumer, outcome) {
        (_, Outcome::Value(_)) => return None,
        (Consumer::DockerEnvFile, Outcome::Refused(_)) => "refuses the file (`docker run` exits)",
        (Consumer::DockerEnvFile, Outcome::Absent(_)) => "silently drops the variable",
        (Consumer::Shell, Outcome::Absent(_)) => {
            "runs the line as a command instead of setting the variable"
        }
        (Consumer::Dotenvy, _) => "stops reading the file there",
        (_, Outcome::Absent(_)) => "skips the line",
        (_, Outcome::Refused(_)) => "refuses the file",
    })
}

fn separator(
    ctx: &Context,
    index: usize,
    assignment: &Assignment,
    written: &EnvAssignment,
) -> Option<Diagnostic> {
    let separator = ctx.slice(written.separator.clone());
    // Most lines: nothing to look at.
    if separator == "=" {
        return None;
    }
    // `https://host` on a line of its own is a stray URL, not a colon assignment.
    let is_variable_name = assignment
        .name
        .chars()
        .all(|character| character.is_ascii_alphanumeric() || matches!(character, '_' | '.' | '-'));
    let is_url = ctx.slice(written.value.clone()).starts_with("//");
    if written.separator_char == ':' && (!is_variable_name || is_url) {
        return None;
    }
    let affected = affected_by(written, separator);
    let judgement = ctx.judge_value(index, Syntax::Accidental, |consumer, outcome| {
        if !affected.contains(&consumer) {
            return None;
        }
        failure(consumer, outcome).map(str::to_string)
    })?;
    let name = escape_invisible(&assignment.name);
    // Written into one buffer: no string per loader's effect.
    let mut message = String::with_capacity(200);
    message.push_str(&name);
    message.push_str(if written.separator_char == ':' {
        " is set with `:` instead of `=`: "
    } else {
        " has blanks around `=`: "
    });
    judgement.push_effects(&mut message, |_| None);
    if !judgement.fine.is_empty() {
        message.push_str("; ");
        push_names(&mut message, judgement.fine.iter().copied());
        message.push_str(if judgement.fine.len() == 1 {
            " reads it"
        } else {
            " read it"
        });
    }
    message.push_str(" — write `");
    message.push_str(&name);
    message.push_str("=…`");
    let severity = if ctx.breaks_only_unseen_readers(&judgement) {
        Severity::Info
    } else {
        judgement.severity
    };
    let diagnostic = SpacesAroundEquals::diagnostic(severity, written.separator.clone(), message);
    Some(with_fix(
        diagnostic,
        Fix::safe(
            "Replace the separator with `=`",
            vec![Edit::replace(written.separator.clone(), "=")],
        ),
    ))
}

fn export(
    ctx: &Context,
    index: usize,
    assignment: &Assignment,
    written: &EnvAssignment,
) -> Option<Diagnostic> {
    let range = written.export.clone()?;
    let judgement = ctx.judge(index, Syntax::Deliberate, |consumer, outcome| {
        (consumer == Consumer::DockerEnvFile && outcome.value().is_none())
            .then(|| "refuses it".to_string())
    })?;
    let message = format!(
        "docker --env-file does not understand `export`: `docker run` exits (variable 'export {}' contains whitespaces) — remove `export `",
        escape_invisible(&assignment.name)
    );
    let diagnostic = SpacesAroundEquals::diagnostic(judgement.severity, range.clone(), message);
    if ctx.judged == [Consumer::DockerEnvFile] {
        return Some(with_fix(
            diagnostic,
            Fix::safe("Remove `export`", vec![Edit::delete(range)]),
        ));
    }
    Some(diagnostic)
}

/// Compose `- KEY = value`: compose-go refuses a name that ends in a blank.
fn compose_item(ctx: &Context, assignment: &Assignment) -> Option<Diagnostic> {
    let name = ctx.slice(assignment.name_range.clone());
    let trimmed = name.trim_end_matches([' ', '\t']);
    if trimmed.len() == name.len() || trimmed.is_empty() {
        return None;
    }
    let value = ctx.slice(assignment.value_range.clone());
    let start = assignment.name_range.start + trimmed.len();
    let end =
        assignment.value_range.start + (value.len() - value.trim_start_matches([' ', '\t']).len());
    // Offsets are exact only when the item has no YAML escapes: check before editing.
    if ctx.text.get(start..end)?.trim_matches([' ', '\t']) != "=" {
        return None;
    }
    let trimmed = escape_invisible(trimmed);
    let message = format!(
        "Compose refuses `{trimmed} =`: the variable is declared with a trailing space, so the service does not start — write `{trimmed}=…`"
    );
    Some(with_fix(
        SpacesAroundEquals::diagnostic(Severity::Error, start..end, message),
        Fix::safe(
            "Replace the separator with `=`",
            vec![Edit::replace(start..end, "=")],
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_parsed, check_with, fix_all};

    #[test]
    fn blanks_around_equals_break_docker_and_a_shell() {
        let text = "OPENAI_API_KEY = sk-abc\nB\t=x\nC =\n";
        // Nobody is seen reading the file and only docker and a shell trip: info.
        insta::assert_snapshot!(check("KL106", ".env", text), @r"
        1:15-1:18 info KL106: OPENAI_API_KEY has blanks around `=`: docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose read it — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\nB\t=x\nC =\n
        2:2-2:4 info KL106: B has blanks around `=`: docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose read it — write `B=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY = sk-abc\nB=x\nC =\n
        3:2-3:4 info KL106: C has blanks around `=`: docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose read it — write `C=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY = sk-abc\nB\t=x\nC=\n
        ");
        insta::assert_snapshot!(check_with("KL106", ".env", text, &[Consumer::DockerEnvFile]), @r"
        1:15-1:18 error KL106: OPENAI_API_KEY has blanks around `=`: docker --env-file refuses the file (`docker run` exits) — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\nB\t=x\nC =\n
        2:2-2:4 error KL106: B has blanks around `=`: docker --env-file refuses the file (`docker run` exits) — write `B=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY = sk-abc\nB=x\nC =\n
        3:2-3:4 error KL106: C has blanks around `=`: docker --env-file refuses the file (`docker run` exits) — write `C=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY = sk-abc\nB\t=x\nC=\n
        ");
        insta::assert_snapshot!(check_with("KL106", ".env", "OPENAI_API_KEY = sk-abc\n", &[Consumer::Shell, Consumer::PythonDotenv]), @r"
        1:15-1:18 error KL106: OPENAI_API_KEY has blanks around `=`: a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; python-dotenv reads it — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL106", ".env", text, &[Consumer::ComposeEnvFile]), @"");
    }

    #[test]
    fn yaml_style_colon() {
        insta::assert_snapshot!(check("KL106", ".env", "OPENAI_API_KEY : sk-abc\n"), @r"
        1:15-1:18 warning KL106: OPENAI_API_KEY is set with `:` instead of `=`: python-dotenv skips the line, node dotenv skips the line, dotenvy stops reading the file there, docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; Compose reads it — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check("KL106", ".env", "OPENAI_API_KEY: sk-abc\nB:x\n"), @r"
        1:15-1:17 warning KL106: OPENAI_API_KEY is set with `:` instead of `=`: python-dotenv skips the line, dotenvy stops reading the file there, docker --env-file refuses the file (`docker run` exits) and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; node dotenv and Compose read it — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\nB:x\n
        2:2-2:3 warning KL106: B is set with `:` instead of `=`: python-dotenv skips the line, node dotenv skips the line, dotenvy stops reading the file there, docker --env-file silently drops the variable and a shell (`set -a; . .env`) runs the line as a command instead of setting the variable; Compose reads it — write `B=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY: sk-abc\nB=x\n
        ");
        insta::assert_snapshot!(check_with("KL106", ".env", "OPENAI_API_KEY: sk-abc\n", &[Consumer::ComposeEnvFile]), @"");
        insta::assert_snapshot!(check_with("KL106", ".env", "OPENAI_API_KEY: sk-abc\n", &[Consumer::PythonDotenv]), @r"
        1:15-1:17 error KL106: OPENAI_API_KEY is set with `:` instead of `=`: python-dotenv skips the line — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => OPENAI_API_KEY=sk-abc\n
        ");
    }

    #[test]
    fn export_only_when_docker_reads_the_file() {
        let text = "export OPENAI_API_KEY=sk-abc\n";
        insta::assert_snapshot!(check("KL106", ".env", text), @"");
        insta::assert_snapshot!(check_with("KL106", ".env", text, &[Consumer::DockerEnvFile]), @r"
        1:1-1:8 error KL106: docker --env-file does not understand `export`: `docker run` exits (variable 'export OPENAI_API_KEY' contains whitespaces) — remove `export `
          fix (safe): Remove `export` => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL106", ".env", text, &[Consumer::DockerEnvFile, Consumer::Shell]), @"1:1-1:8 error KL106: docker --env-file does not understand `export`: `docker run` exits (variable 'export OPENAI_API_KEY' contains whitespaces) — remove `export `");
    }

    #[test]
    fn compose_list_item_with_blanks() {
        insta::assert_snapshot!(check("KL106", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY = sk-abc\n      - 'B =x'\n"), @r"
        4:23-4:26 error KL106: Compose refuses `OPENAI_API_KEY =`: the variable is declared with a trailing space, so the service does not start — write `OPENAI_API_KEY=…`
          fix (safe): Replace the separator with `=` => services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-abc\n      - 'B =x'\n
        5:11-5:13 error KL106: Compose refuses `B =`: the variable is declared with a trailing space, so the service does not start — write `B=…`
          fix (safe): Replace the separator with `=` => services:\n  api:\n    environment:\n      - OPENAI_API_KEY = sk-abc\n      - 'B=x'\n
        ");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL106", ".env", "A=1\nB=\nC=a = b\nD=\"x: y\"\nURL=http://h:80\n# E = 1\nF= left-to-KL102\n"), @"");
        insta::assert_snapshot!(check("KL106", ".env", "E=   \nhttps://example.com/a\n"), @"");
        insta::assert_snapshot!(check_parsed("KL106", "compose.yaml", "services:\n  api:\n    environment:\n      - A=b = c\n      - B=x\n"), @"");
        insta::assert_snapshot!(check_parsed("KL106", "compose.yaml", "services:\n  api:\n    environment:\n      C: y\n      D: \"x = y\"\n"), @"");
    }

    #[test]
    fn fixes_are_idempotent_and_leave_nothing_to_report() {
        let cases: Vec<(&str, &str, &[Consumer])> = vec![
            (".env", "OPENAI_API_KEY = sk-abc\nB\t=x\nC: y\nD:z\n", &[]),
            (
                ".env",
                "export OPENAI_API_KEY = sk-abc\n",
                &[Consumer::DockerEnvFile],
            ),
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      - OPENAI_API_KEY = sk-abc\n",
                &[],
            ),
        ];
        for (path, text, consumers) in cases {
            let fixed = fix_all("KL106", path, text, consumers);
            assert_ne!(fixed, text, "{text:?} has a fix");
            assert_eq!(fix_all("KL106", path, &fixed, consumers), fixed);
            assert_eq!(
                check_with("KL106", path, &fixed, consumers),
                "",
                "after fixing {text:?}"
            );
        }
    }
}

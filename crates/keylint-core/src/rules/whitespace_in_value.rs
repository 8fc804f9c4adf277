//! KL102 whitespace-in-value: a leading or trailing space or tab the program receives.

use std::ops::Range;

use crate::assignment::{Assignment, Origin};
use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::mask::escape_invisible;
use crate::rules::helpers::reencoded_secret;
use crate::rules::{
    Context, FixAvailability, Judgement, Rule, Syntax, is_key_name, push_names, with_fix,
};
use crate::syntax::dotenv::{EnvAssignment, StatementKind};

pub(crate) struct WhitespaceInValue;

impl Rule for WhitespaceInValue {
    const CODE: &'static str = "KL102";
    const NAME: &'static str = "whitespace-in-value";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "Leading or trailing space or tab that survives parsing, or whitespace inside quotes";
    const DOC: &'static str = r#"
## What it does
Finds spaces and tabs at the start or end of a value that reach the program:
- unquoted trailing blanks (`KEY=value␠`), which every dotenv library and Compose strip
  but `docker run --env-file` keeps;
- a blank after `=` (`KEY= value`): docker keeps it, a shell runs `value` as a command;
- blanks inside quotes (`KEY=" sk-… "`), which every loader keeps;
- in YAML, a quoted value with blanks (`KEY: "sk-… "`) and a Compose list item
  `- KEY= sk-…` (the leading blank is kept), and base64 Secret data that decodes with
  blanks at either end.

Blanks inside quotes and in YAML are reported for API keys and variables whose name
says they hold a secret, since `PS1="> "` and the like are deliberate.

## Why is this bad?
The provider compares the whole string, so `sk-…␠` is a different key: the request
fails with `401 invalid_api_key`, or earlier, since httpx (the OpenAI Python SDK)
raises `Illegal header value` on a trailing blank. Trailing blanks are invisible in
most editors. Severity follows the consumer: an error where docker reads the file, a
warning when keylint does not know who reads it, nothing when every consumer strips
the blanks (a `.env` read only by Compose).

## Example
```
OPENAI_API_KEY=" sk-proj-… "
```

Use instead:
```
OPENAI_API_KEY="sk-proj-…"
```

## Fix safety
Deleting the blanks is safe: consumers that stripped them get the same value, the
others now get the key without them. For a Secret's base64 data the value is
re-encoded without the blanks.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            match &assignment.origin {
                Origin::EnvFile { statement } => {
                    let Some(env) = &ctx.parsed.env else { continue };
                    if let StatementKind::Assignment(written) = &env.statements[*statement].kind {
                        env_value(ctx, index, assignment, written, out);
                    }
                }
                _ if holds_secret(ctx, index) => {
                    yaml_value(ctx, index, assignment, out);
                }
                _ => {}
            }
        }
    }
}

fn is_space_or_tab(character: char) -> bool {
    character == ' ' || character == '\t'
}

/// Blanks inside quotes and in YAML are often deliberate; for secrets they never are.
fn holds_secret(ctx: &Context, index: usize) -> bool {
    ctx.is_key_like(index) || is_key_name(&ctx.assignments()[index].name)
}

/// What a consumer that keeps the blanks does, completed with "it" or "them".
const KEEPS: &str = "keeps";

/// "it" for one blank, "them" for several.
fn pronoun(blanks: &str) -> &'static str {
    if blanks.chars().count() == 1 {
        "it"
    } else {
        "them"
    }
}

/// "a trailing space", "2 leading blanks".
fn describe(blanks: &str, side: &str) -> String {
    match blanks {
        " " => format!("a {side} space"),
        "\t" => format!("a {side} tab"),
        _ => format!("{} {side} blanks", blanks.chars().count()),
    }
}

/// The bytes of `range` that are blanks at its start (`leading`) or end.
fn blanks_at(ctx: &Context, range: &Range<usize>, leading: bool) -> Range<usize> {
    let text = ctx.slice(range.clone());
    if leading {
        range.start..range.start + (text.len() - text.trim_start_matches(is_space_or_tab).len())
    } else {
        range.start + text.trim_end_matches(is_space_or_tab).len()..range.end
    }
}

fn env_value(
    ctx: &Context,
    index: usize,
    assignment: &Assignment,
    written: &EnvAssignment,
    out: &mut Vec<Diagnostic>,
) {
    let syntax = if written.quote.is_some() {
        Syntax::Deliberate
    } else {
        Syntax::Accidental
    };
    // After `=`: the separator span ends with the blanks before the value.
    let separator = written.separator.clone();
    // The separator character is ASCII (`=` or `:`): a byte search finds it.
    let equals_end = separator.start
        + ctx
            .slice(separator.clone())
            .bytes()
            .position(|byte| char::from(byte) == written.separator_char)
            .map_or(0, |at| at + 1);
    let after_equals = blanks_at(ctx, &(equals_end..separator.end), true);
    // `KEY=  # note` is an empty value with a comment for every loader but docker,
    // which keeps the comment too: that is not a whitespace problem.
    let comment_only = ctx.slice(written.value.clone()).starts_with('#');
    // Blanks before `=` as well are KL106's: docker and a shell refuse the whole line.
    let blank_before_equals = !ctx.slice(separator.clone()).starts_with('=');
    if written.separator_char == '='
        && !blank_before_equals
        && !after_equals.is_empty()
        && after_equals.end == separator.end
        && !comment_only
    {
        let judgement = ctx.judge_value(index, syntax, |consumer, outcome| match outcome {
            Outcome::Value(value) if value.starts_with(is_space_or_tab) => Some(KEEPS.to_string()),
            Outcome::Absent(_) if consumer == Consumer::Shell => Some(
                "runs the rest of the line as a command instead of setting the variable"
                    .to_string(),
            ),
            _ => None,
        });
        if let Some(judgement) = judgement {
            let what = if written.value.is_empty() {
                "a value of only blanks".to_string()
            } else {
                format!(
                    "{} after `=`",
                    describe(ctx.slice(after_equals.clone()), "leading")
                )
            };
            out.push(report(ctx, assignment, &judgement, &what, after_equals));
        }
    }
    let trailing = blanks_at(ctx, &written.trailing_blanks, false);
    if written.comment.is_none() && !trailing.is_empty() && !written.value.is_empty() {
        let at_end_of_file = written.line_ending.is_empty();
        let judgement = ctx.judge_value(index, syntax, |consumer, outcome| match outcome {
            Outcome::Value(value) if value.ends_with(is_space_or_tab) => Some(KEEPS.to_string()),
            Outcome::Refused(_) if consumer == Consumer::Dotenvy && at_end_of_file => {
                Some("fails to parse the line (`dotenv()` returns an error)".to_string())
            }
            _ => None,
        });
        if let Some(judgement) = judgement {
            let what = describe(ctx.slice(trailing.clone()), "trailing");
            out.push(report(ctx, assignment, &judgement, &what, trailing));
        }
    }
    if written.quote.is_some() && written.closed {
        let inside = ctx.slice(written.unquoted_range());
        let padded = inside.starts_with(is_space_or_tab) || inside.ends_with(is_space_or_tab);
        // All blanks is an empty value (KL302); blanks in a text value are deliberate.
        if !padded || inside.trim_matches(is_space_or_tab).is_empty() || !holds_secret(ctx, index) {
            return;
        }
        let inside = written.unquoted_range();
        for leading in [true, false] {
            let blanks = blanks_at(ctx, &inside, leading);
            if blanks.is_empty() {
                continue;
            }
            let judgement = ctx.judge_value(index, Syntax::Accidental, |_, outcome| {
                let value = without_quotes(outcome.value()?);
                let kept = if leading {
                    value.starts_with(is_space_or_tab)
                } else {
                    value.ends_with(is_space_or_tab)
                };
                kept.then(|| KEEPS.to_string())
            });
            if let Some(judgement) = judgement {
                let side = if leading { "leading" } else { "trailing" };
                let what = format!(
                    "{} inside the quotes",
                    describe(ctx.slice(blanks.clone()), side)
                );
                out.push(report(ctx, assignment, &judgement, &what, blanks));
            }
        }
    }
}

/// docker keeps the quotes: look inside them.
fn without_quotes(value: &str) -> &str {
    for quote in ['"', '\'', '`'] {
        if value.len() >= 2
            && let Some(inner) = value
                .strip_prefix(quote)
                .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

fn report(
    ctx: &Context,
    assignment: &Assignment,
    judgement: &Judgement,
    what: &str,
    range: Range<usize>,
) -> Diagnostic {
    let it = pronoun(ctx.slice(range.clone()));
    // Written into one buffer: no string per loader's effect.
    let mut message = String::with_capacity(200);
    message.push_str(&escape_invisible(&assignment.name));
    message.push_str(" has ");
    message.push_str(what);
    if judgement.fine.is_empty()
        && judgement.broken.len() > 1
        && judgement.broken.iter().all(|(_, effect)| effect == KEEPS)
    {
        message.push_str(", which every loader keeps");
    } else {
        message.push_str(": ");
        judgement.push_effects(&mut message, |effect| (effect == KEEPS).then_some(it));
        if !judgement.fine.is_empty() {
            message.push_str("; ");
            push_names(&mut message, judgement.fine.iter().copied());
            message.push_str(" strip ");
            message.push_str(it);
        }
    }
    message.push_str(" — remove ");
    message.push_str(it);
    with_fix(
        WhitespaceInValue::diagnostic(judgement.severity, range.clone(), message),
        Fix::safe("Remove the whitespace", vec![Edit::delete(range)]),
    )
}

fn yaml_value(ctx: &Context, index: usize, assignment: &Assignment, out: &mut Vec<Diagnostic>) {
    let Some(value) = assignment.yaml_outcome.as_ref().and_then(Outcome::value) else {
        return;
    };
    // Block scalars end in a newline (KL104); all-blank values are empty values (KL302).
    if value.ends_with('\n') || value.trim_matches(is_space_or_tab).is_empty() {
        return;
    }
    if assignment.origin == Origin::ComposeList
        && ctx
            .slice(assignment.name_range.clone())
            .ends_with(is_space_or_tab)
    {
        // `- KEY = value`: Compose refuses the item (KL106).
        return;
    }
    let raw = ctx.slice(assignment.value_range.clone());
    let quoted = assignment.origin != Origin::ComposeList
        && raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''));
    let written = if quoted {
        assignment.value_range.start + 1..assignment.value_range.end - 1
    } else {
        assignment.value_range.clone()
    };
    for leading in [true, false] {
        let blanks = if leading {
            value.len() - value.trim_start_matches(is_space_or_tab).len()
        } else {
            value.len() - value.trim_end_matches(is_space_or_tab).len()
        };
        if blanks == 0 {
            continue;
        }
        let side = if leading { "leading" } else { "trailing" };
        let shown = if leading {
            &value[..blanks]
        } else {
            &value[value.len() - blanks..]
        };
        let what = describe(shown, side);
        let Some(judgement) = ctx.judge(index, Syntax::Accidental, |_, _| Some(String::new()))
        else {
            continue;
        };
        if assignment.origin == Origin::SecretData {
            let message = format!(
                "{} in this Secret decodes with {what}, which the program receives — re-encode the value without {}",
                escape_invisible(&assignment.name),
                pronoun(shown)
            );
            let diagnostic = WhitespaceInValue::diagnostic(
                judgement.severity,
                assignment.value_range.clone(),
                message,
            );
            let trimmed = value.trim_matches(is_space_or_tab);
            out.push(match reencoded_secret(ctx, assignment, trimmed) {
                Some(edit) => with_fix(
                    diagnostic,
                    Fix::safe("Re-encode the value without the whitespace", vec![edit]),
                ),
                None => diagnostic,
            });
            return;
        }
        let source = blanks_at(ctx, &written, leading);
        let message = format!(
            "{} has {what}, which the program receives as part of the value — remove it",
            escape_invisible(&assignment.name)
        );
        // Escapes (`"sk-abc\t"`) put blanks in the value that are not in the source as such.
        if ctx.slice(source.clone()) == shown {
            out.push(with_fix(
                WhitespaceInValue::diagnostic(judgement.severity, source.clone(), message),
                Fix::safe("Remove the whitespace", vec![Edit::delete(source)]),
            ));
        } else {
            out.push(WhitespaceInValue::diagnostic(
                judgement.severity,
                assignment.value_range.clone(),
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with, fix_all};

    #[test]
    fn unquoted_trailing_blanks_follow_the_consumer() {
        let text = "OPENAI_API_KEY=sk-abc \nLOG_LEVEL=info\t\t\n";
        insta::assert_snapshot!(check("KL102", ".env", text), @r"
        1:22-1:23 warning KL102: OPENAI_API_KEY has a trailing space: docker --env-file keeps it; python-dotenv, node dotenv, dotenvy, Compose and a shell (`set -a; . .env`) strip it — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc\nLOG_LEVEL=info\t\t\n
        2:15-2:17 warning KL102: LOG_LEVEL has 2 trailing blanks: docker --env-file keeps them; python-dotenv, node dotenv, dotenvy, Compose and a shell (`set -a; . .env`) strip them — remove them
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc \nLOG_LEVEL=info\n
        ");
        insta::assert_snapshot!(check_with("KL102", ".env", text, &[Consumer::DockerEnvFile]), @r"
        1:22-1:23 error KL102: OPENAI_API_KEY has a trailing space: docker --env-file keeps it — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc\nLOG_LEVEL=info\t\t\n
        2:15-2:17 error KL102: LOG_LEVEL has 2 trailing blanks: docker --env-file keeps them — remove them
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc \nLOG_LEVEL=info\n
        ");
        insta::assert_snapshot!(check_with("KL102", ".env", text, &[Consumer::ComposeEnvFile]), @"");
        insta::assert_snapshot!(check("KL102", ".env", "D=   \n"), @r"
        1:3-1:6 warning KL102: D has a value of only blanks: docker --env-file keeps them; python-dotenv, node dotenv, dotenvy, Compose and a shell (`set -a; . .env`) strip them — remove them
          fix (safe): Remove the whitespace => D=\n
        ");
        insta::assert_snapshot!(check("KL102", ".env", "A=1\nOPENAI_API_KEY=sk-abc "), @r"
        2:22-2:23 warning KL102: OPENAI_API_KEY has a trailing space: dotenvy fails to parse the line (`dotenv()` returns an error) and docker --env-file keeps it; python-dotenv, node dotenv, Compose and a shell (`set -a; . .env`) strip it — remove it
          fix (safe): Remove the whitespace => A=1\nOPENAI_API_KEY=sk-abc
        ");
    }

    #[test]
    fn blank_after_equals() {
        let text = "OPENAI_API_KEY= sk-abc\n";
        insta::assert_snapshot!(check("KL102", ".env", text), @r"
        1:16-1:17 warning KL102: OPENAI_API_KEY has a leading space after `=`: docker --env-file keeps it and a shell (`set -a; . .env`) runs the rest of the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose strip it — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL102", ".env", text, &[Consumer::DockerEnvFile]), @r"
        1:16-1:17 error KL102: OPENAI_API_KEY has a leading space after `=`: docker --env-file keeps it — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=sk-abc\n
        ");
        insta::assert_snapshot!(check_with("KL102", ".env", text, &[Consumer::PythonDotenv]), @"");
    }

    #[test]
    fn blanks_inside_quotes_break_every_loader() {
        insta::assert_snapshot!(check("KL102", ".env", "OPENAI_API_KEY=\" sk-abc \"\nDB_PASSWORD_TOKEN='x\t'\n"), @r#"
        1:17-1:18 error KL102: OPENAI_API_KEY has a leading space inside the quotes, which every loader keeps — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY="sk-abc "\nDB_PASSWORD_TOKEN='x\t'\n
        1:24-1:25 error KL102: OPENAI_API_KEY has a trailing space inside the quotes, which every loader keeps — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=" sk-abc"\nDB_PASSWORD_TOKEN='x\t'\n
        2:21-2:22 error KL102: DB_PASSWORD_TOKEN has a trailing tab inside the quotes, which every loader keeps — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY=" sk-abc "\nDB_PASSWORD_TOKEN='x'\n
        "#);
        insta::assert_snapshot!(check_with("KL102", ".env", "OPENAI_API_KEY=\"sk-abc \"\n", &[Consumer::DockerEnvFile]), @r#"
        1:23-1:24 error KL102: OPENAI_API_KEY has a trailing space inside the quotes: docker --env-file keeps it — remove it
          fix (safe): Remove the whitespace => OPENAI_API_KEY="sk-abc"\n
        "#);
    }

    #[test]
    fn yaml_values() {
        insta::assert_snapshot!(check("KL102", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY= sk-abc\n      - \"ANTHROPIC_API_KEY=sk-ant-x \"\n  web:\n    environment:\n      GEMINI_API_KEY: 'AIza-x '\n      OPENAI_API_KEY: \"sk-abc\\t\"\n"), @r#"
        4:24-4:25 error KL102: OPENAI_API_KEY has a leading space, which the program receives as part of the value — remove it
          fix (safe): Remove the whitespace => services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-abc\n      - "ANTHROPIC_API_KEY=sk-ant-x "\n  web:\n    environment:\n      GEMINI_API_KEY: 'AIza-x '\n      OPENAI_API_KEY: "sk-abc\t"\n
        5:36-5:37 error KL102: ANTHROPIC_API_KEY has a trailing space, which the program receives as part of the value — remove it
          fix (safe): Remove the whitespace => services:\n  api:\n    environment:\n      - OPENAI_API_KEY= sk-abc\n      - "ANTHROPIC_API_KEY=sk-ant-x"\n  web:\n    environment:\n      GEMINI_API_KEY: 'AIza-x '\n      OPENAI_API_KEY: "sk-abc\t"\n
        8:30-8:31 error KL102: GEMINI_API_KEY has a trailing space, which the program receives as part of the value — remove it
          fix (safe): Remove the whitespace => services:\n  api:\n    environment:\n      - OPENAI_API_KEY= sk-abc\n      - "ANTHROPIC_API_KEY=sk-ant-x "\n  web:\n    environment:\n      GEMINI_API_KEY: 'AIza-x'\n      OPENAI_API_KEY: "sk-abc\t"\n
        9:23-9:33 error KL102: OPENAI_API_KEY has a trailing tab, which the program receives as part of the value — remove it
        "#);
        insta::assert_snapshot!(check("KL102", "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: c2stYWJjIA==\n"), @r"
        6:19-6:31 error KL102: OPENAI_API_KEY in this Secret decodes with a trailing space, which the program receives — re-encode the value without it
          fix (safe): Re-encode the value without the whitespace => apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: c2stYWJj\n
        ");
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL102", ".env", "PS1=\"> \"\nGREETING=' hello '\nA=1 # comment\nB=\"x\" # c\nC=\n"), @"");
        insta::assert_snapshot!(check("KL102", ".env", "OPENAI_ORG_ID=  # optional\nB= # x\nLEFT_TO_KL106 = x\nOPENAI_BASE_URL=https://api.openai.com/v1   # optional\nPROMPT_SUFFIX=\" Answer briefly.\"\n"), @"");
        // Escapes in a double-quoted list item: the ranges are approximate, nothing may panic.
        insta::assert_snapshot!(check("KL102", "compose.yaml", "services:\n  api:\n    environment:\n      - \"OPENAI_API_KEY=\u{e9}\\t\"\n"), @"4:25-4:28 error KL102: OPENAI_API_KEY has a trailing tab, which the program receives as part of the value — remove it");
        insta::assert_snapshot!(check("KL102", ".env", "OPENAI_API_KEY=\"sk-abc\" \n"), @"");
        insta::assert_snapshot!(check("KL102", "compose.yaml", "services:\n  api:\n    environment:\n      - PS1=> \n      - OPENAI_API_KEY = sk-abc\n  web:\n    environment:\n      PROMPT: \"> \"\n      OPENAI_API_KEY: sk-abc   \n"), @"");
    }

    #[test]
    fn fixes_are_idempotent_and_leave_nothing_to_report() {
        let cases: Vec<(&str, &str, &[Consumer])> = vec![
            (
                ".env",
                "OPENAI_API_KEY=sk-abc \t\nB= x\nC=\" sk-abc \"\n",
                &[],
            ),
            (
                ".env",
                "OPENAI_API_KEY= sk-abc \n",
                &[Consumer::DockerEnvFile],
            ),
            (
                "compose.yaml",
                "services:\n  api:\n    environment:\n      - OPENAI_API_KEY= sk-abc\n  web:\n    environment:\n      GEMINI_API_KEY: ' AIza-x '\n",
                &[],
            ),
            (
                "k8s/secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: c2stYWJjIA==\n",
                &[],
            ),
        ];
        for (path, text, consumers) in cases {
            let fixed = fix_all("KL102", path, text, consumers);
            assert_ne!(fixed, text, "{text:?} has a fix");
            assert_eq!(fix_all("KL102", path, &fixed, consumers), fixed);
            assert_eq!(
                check_with("KL102", path, &fixed, consumers),
                "",
                "after fixing {text:?}"
            );
        }
    }
}

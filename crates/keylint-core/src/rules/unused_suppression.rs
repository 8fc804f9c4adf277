//! KL002 unused-suppression: a `# keylint: ignore…` comment that silences nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixAvailability, RULES, Rule, RuleInfo};
use crate::suppression::{Scope, Suppression, Usage, names_rule};

pub(crate) struct UnusedSuppression;

impl Rule for UnusedSuppression {
    const CODE: &'static str = "KL002";
    const NAME: &'static str = "unused-suppression";
    const SEVERITY: Severity = Severity::Info;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A `# keylint: ignore` comment that silences nothing (or names an unknown rule)";
    const DOC: &'static str = r#"
## What it does
Reports an inline suppression that silenced no finding in this run: the mistake was
fixed, the comment sits on the wrong line, or it names a rule that does not exist.
Only the listed codes that matched nothing are reported.

Suppressions are:
- YAML: a trailing `# keylint: ignore[KL101]` (several codes: `ignore[KL101,KL102]`;
  every rule: `ignore`) on the line of the finding;
- `.env` (and YAML): `# keylint: ignore-next-line[KL101]` on the line above, since a
  trailing comment would change the value for some loaders;
- anywhere: `# keylint: ignore-file` or `# keylint: ignore-file[KL201]`.

## Why is this bad?
A stale suppression silences the next real mistake on that line without anyone
noticing. It is only an info: nothing is broken today.

## Example
```sh
# keylint: ignore-next-line[KL102]
OPENAI_API_KEY=sk-proj-…
```

Use instead (the value has no whitespace any more, so drop the comment):
```sh
OPENAI_API_KEY=sk-proj-…
```
"#;

    /// Suppressions are judged after every other rule ran: see [`unused`], called by
    /// the linter once it has filtered the findings.
    fn check(_ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// KL002 findings for the directives (or codes in them) that silenced nothing. A code
/// naming a rule that did not run (`--select`, `--ignore`, a probe rule on a file that
/// was not probed) is not reported: nothing could have matched it.
pub(crate) fn unused(
    suppressions: &[Suppression],
    usage: &[Usage],
    ran: &dyn Fn(&RuleInfo) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A bare `ignore` is judged against the rules that read the file: a probe finding it
    // might silence on a probed run does not make it "used" on every other run.
    let everything_ran = RULES.iter().filter(|rule| !rule.needs_probe()).all(ran);
    for (suppression, used) in suppressions.iter().zip(usage) {
        if suppression.scope == Scope::TrailingInEnv {
            out.push(UnusedSuppression::diagnostic(
                UnusedSuppression::SEVERITY,
                suppression.range.clone(),
                "a trailing comment does not suppress anything in a .env file (some loaders would read it as part of the value): put `# keylint: ignore-next-line[…]` on the line above",
            ));
            continue;
        }
        if suppression.codes.is_empty() {
            if !used.used_all && everything_ran {
                out.push(UnusedSuppression::diagnostic(
                    UnusedSuppression::SEVERITY,
                    suppression.range.clone(),
                    "this `keylint: ignore` comment silences nothing: remove it",
                ));
            }
            continue;
        }
        for ((code, range), was_used) in suppression
            .codes
            .iter()
            .zip(&suppression.code_ranges)
            .zip(&used.used_codes)
        {
            if *was_used {
                continue;
            }
            let known = RULES
                .iter()
                .find(|rule| names_rule(code, rule.code, rule.name));
            let message = match known {
                None => format!(
                    "`{code}` in this suppression is not a keylint rule (see `keylint rules`)"
                ),
                Some(rule) if !ran(rule) => continue,
                Some(rule) => format!(
                    "this suppression of {} {} silences nothing: remove it",
                    rule.code, rule.name
                ),
            };
            out.push(UnusedSuppression::diagnostic(
                UnusedSuppression::SEVERITY,
                range.clone(),
                message,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::linter::{LintInput, RuleSelection, lint};
    use crate::project::{LoneFile, Settings};
    use crate::source::kind_by_name;
    use crate::{ColumnUnit, LineIndex};

    /// Every rule on `text`, rendered one finding a line.
    fn all(path: &str, text: &str) -> String {
        all_with(path, text, &RuleSelection::default())
    }

    fn all_with(path: &str, text: &str, selection: &RuleSelection) -> String {
        let kind = kind_by_name(path).unwrap();
        let input = LintInput::new(Path::new(path), text, kind);
        let diagnostics = lint(
            &input,
            &LoneFile::default(),
            &Settings::default(),
            selection,
        );
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|diagnostic| {
                let start = index.position(text, diagnostic.range.start, ColumnUnit::Scalar);
                format!(
                    "{}:{} {} {}: {}\n",
                    start.line + 1,
                    start.column + 1,
                    diagnostic.severity.as_str(),
                    diagnostic.code,
                    diagnostic.message
                )
            })
            .collect()
    }

    const COMPOSE: &str = "services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY=\"${OPENAI_API_KEY:-}\"\n";

    #[test]
    fn yaml_trailing_comment_silences_the_named_rule_on_its_line() {
        insta::assert_snapshot!(all("compose.yaml", COMPOSE), @r#"5:24 error KL101: the program receives OPENAI_API_KEY with literal quotes ("${OPENAI_API_KEY:-}": the value of OPENAI_API_KEY plus 2 quote characters) — use the map form or drop the quotes"#);
        let suppressed = COMPOSE.replace("}\"\n", "}\" # keylint: ignore[KL101]\n");
        insta::assert_snapshot!(all("compose.yaml", &suppressed), @"");
        let by_name = COMPOSE.replace("}\"\n", "}\" # keylint: ignore[quotes-kept]\n");
        insta::assert_snapshot!(all("compose.yaml", &by_name), @"");
        let bare = COMPOSE.replace("}\"\n", "}\" # keylint: ignore\n");
        insta::assert_snapshot!(all("compose.yaml", &bare), @"");
    }

    #[test]
    fn wrong_code_does_not_silence_and_is_reported_unused() {
        let wrong = COMPOSE.replace("}\"\n", "}\" # keylint: ignore[KL102]\n");
        insta::assert_snapshot!(all("compose.yaml", &wrong), @r#"
        5:24 error KL101: the program receives OPENAI_API_KEY with literal quotes ("${OPENAI_API_KEY:-}": the value of OPENAI_API_KEY plus 2 quote characters) — use the map form or drop the quotes
        5:64 info KL002: this suppression of KL102 whitespace-in-value silences nothing: remove it
        "#);
        let unknown = COMPOSE.replace("}\"\n", "}\" # keylint: ignore[KL999,KL101]\n");
        insta::assert_snapshot!(all("compose.yaml", &unknown), @"5:64 info KL002: `KL999` in this suppression is not a keylint rule (see `keylint rules`)");
    }

    #[test]
    fn env_comment_line_above_silences_the_next_line_only() {
        let text = "LOG_LEVEL= info\n";
        insta::assert_snapshot!(all(".env", text), @"1:11 warning KL102: LOG_LEVEL has a leading space after `=`: docker --env-file keeps it and a shell (`set -a; . .env`) runs the rest of the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose strip it — remove it");
        let suppressed = format!("# keylint: ignore-next-line[KL102]\n{text}");
        insta::assert_snapshot!(all(".env", &suppressed), @"");
        let too_far = format!("# keylint: ignore-next-line[KL102]\nX=1\n{text}");
        insta::assert_snapshot!(all(".env", &too_far), @"
        1:29 info KL002: this suppression of KL102 whitespace-in-value silences nothing: remove it
        3:11 warning KL102: LOG_LEVEL has a leading space after `=`: docker --env-file keeps it and a shell (`set -a; . .env`) runs the rest of the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose strip it — remove it
        ");
        let trailing = "LOG_LEVEL= info # keylint: ignore[KL102]\n";
        insta::assert_snapshot!(all(".env", trailing), @"
        1:11 warning KL102: LOG_LEVEL has a leading space after `=`: docker --env-file keeps it and a shell (`set -a; . .env`) runs the rest of the line as a command instead of setting the variable; python-dotenv, node dotenv, dotenvy and Compose strip it — remove it
        1:17 info KL002: a trailing comment does not suppress anything in a .env file (some loaders would read it as part of the value): put `# keylint: ignore-next-line[…]` on the line above
        ");
        insta::assert_snapshot!(all(".env", "A=1\n# keylint: ignore\nLOG_LEVEL= info\n"), @"");
    }

    #[test]
    fn ignore_file_silences_everything_or_the_listed_codes() {
        let text = "# keylint: ignore-file\nLOG_LEVEL= info\nOPENAI_APIKEY=x\n";
        insta::assert_snapshot!(all(".env", text), @"");
        let listed = text.replace("ignore-file", "ignore-file[KL102]");
        insta::assert_snapshot!(all(".env", &listed), @"
        3:1 warning KL201: OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
        3:15 warning KL301: OPENAI_APIKEY holds a placeholder (1 char), not a key: the provider rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        ");
        let yaml = format!("{COMPOSE}# keylint: ignore-file[KL101]\n");
        insta::assert_snapshot!(all("compose.yaml", &yaml), @"");
    }

    #[test]
    fn unused_suppressions_are_infos_unless_the_rule_did_not_run() {
        let text = "# keylint: ignore-next-line[KL101]\nLOG_LEVEL=info\n# keylint: ignore-file\n";
        insta::assert_snapshot!(all(".env", text), @"
        1:29 info KL002: this suppression of KL101 quotes-kept silences nothing: remove it
        3:1 info KL002: this `keylint: ignore` comment silences nothing: remove it
        ");
        let selection = RuleSelection {
            select: vec!["KL2".into(), "KL002".into()],
            ..RuleSelection::default()
        };
        insta::assert_snapshot!(all_with(".env", text, &selection), @"");
        let ignored = RuleSelection {
            ignore: vec!["KL002".into()],
            ..RuleSelection::default()
        };
        insta::assert_snapshot!(all_with(".env", text, &ignored), @"");
    }
}

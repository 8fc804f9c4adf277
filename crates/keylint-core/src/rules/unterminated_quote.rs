//! KL105 unterminated-quote: a quote in an env file that never closes.

use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Severity};
use crate::mask::escape_invisible;
use crate::rules::{Context, FixAvailability, Rule, join_clauses};
use crate::syntax::dotenv::StatementKind;

pub(crate) struct UnterminatedQuote;

impl Rule for UnterminatedQuote {
    const CODE: &'static str = "KL105";
    const NAME: &'static str = "unterminated-quote";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A quote that never closes; every loader reads something different";
    const DOC: &'static str = r#"
## What it does
Finds a value in an env file that opens a quote (`"`, `'` or a backtick) with no
closing quote anywhere after it.

## Why is this bad?
No loader reads the key you meant, and each fails differently
(`docs/loaders.md` in the keylint repository): python-dotenv skips the line with a
warning, node dotenv and `docker run --env-file` keep the opening `"` as part of the
key, dotenvy stops reading the file there (that variable and every later one are
unset), Compose refuses the whole file so the project does not start, and a shell
stops at a syntax error.

## Example
```
OPENAI_API_KEY="sk-proj-…
OPENAI_ORG_ID=org-…
```

Use instead:
```
OPENAI_API_KEY="sk-proj-…"
OPENAI_ORG_ID=org-…
```

There is no automatic fix: only you know whether the quote should close at the end of
the line or further down, or go.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(env) = &ctx.parsed.env else {
            return;
        };
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let crate::assignment::Origin::EnvFile { statement } = assignment.origin else {
                continue;
            };
            let StatementKind::Assignment(written) = &env.statements[statement].kind else {
                continue;
            };
            let Some(quote) = written.quote.filter(|_| !written.closed) else {
                continue;
            };
            let quote = quote.as_char();
            let effects: Vec<String> = ctx
                .judged_outcomes(index)
                .filter_map(|(consumer, outcome)| {
                    let outcome = outcome?;
                    Some(format!(
                        "{} {}",
                        consumer.display_name(),
                        effect(consumer, outcome, quote)
                    ))
                })
                .collect();
            let message = format!(
                "the `{quote}` quote opening {} never closes: {} — close the quote or remove it",
                escape_invisible(&assignment.name),
                join_clauses(&effects)
            );
            out.push(Self::diagnostic(
                Self::SEVERITY,
                written.value.clone(),
                message,
            ));
        }
    }
}

/// What a consumer makes of the line, as the end of a sentence starting with its name.
fn effect(consumer: Consumer, outcome: &Outcome, quote: char) -> &'static str {
    match outcome {
        Outcome::Value(value) if value.starts_with(quote) => match quote {
            '"' => "keeps the `\"` in the value",
            '\'' => "keeps the `'` in the value",
            _ => "keeps the backtick in the value",
        },
        Outcome::Value(_) => "reads the rest of the line as the value",
        Outcome::Absent(_) => "skips the line",
        Outcome::Refused(_) => match consumer {
            Consumer::ComposeEnvFile => "refuses the whole file (the project does not start)",
            Consumer::Dotenvy => "stops reading the file there",
            Consumer::Godotenv => "refuses the whole file (`Load` sets nothing from it)",
            Consumer::Shell => "stops at a syntax error",
            _ => "refuses the file",
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::consumer::Consumer;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn unterminated_quote_says_what_each_loader_does() {
        insta::assert_snapshot!(check("KL105", ".env", "OPENAI_API_KEY=\"sk-abc\nNEXT=1\n"), @r#"1:16-1:23 error KL105: the `"` quote opening OPENAI_API_KEY never closes: python-dotenv skips the line, node dotenv keeps the `"` in the value, dotenvy stops reading the file there, Compose refuses the whole file (the project does not start), docker --env-file keeps the `"` in the value and a shell (`set -a; . .env`) stops at a syntax error — close the quote or remove it"#);
        insta::assert_snapshot!(check("KL105", ".env", "A=1\nOPENAI_API_KEY='sk-abc  \n"), @"2:16-2:23 error KL105: the `'` quote opening OPENAI_API_KEY never closes: python-dotenv skips the line, node dotenv keeps the `'` in the value, dotenvy stops reading the file there, Compose refuses the whole file (the project does not start), docker --env-file keeps the `'` in the value and a shell (`set -a; . .env`) stops at a syntax error — close the quote or remove it");
    }

    #[test]
    fn known_consumers_only() {
        let text = "OPENAI_API_KEY=\"sk-abc\n";
        insta::assert_snapshot!(check_with("KL105", ".env", text, &[Consumer::ComposeEnvFile]), @r#"1:16-1:23 error KL105: the `"` quote opening OPENAI_API_KEY never closes: Compose refuses the whole file (the project does not start) — close the quote or remove it"#);
        insta::assert_snapshot!(check_with("KL105", ".env", text, &[Consumer::Godotenv]), @r#"1:16-1:23 error KL105: the `"` quote opening OPENAI_API_KEY never closes: godotenv refuses the whole file (`Load` sets nothing from it) — close the quote or remove it"#);
        insta::assert_snapshot!(check_with("KL105", ".env", text, &[Consumer::NodeDotenv, Consumer::DockerEnvFile]), @r#"1:16-1:23 error KL105: the `"` quote opening OPENAI_API_KEY never closes: node dotenv keeps the `"` in the value and docker --env-file keeps the `"` in the value — close the quote or remove it"#);
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL105", ".env", "A=\"multi\nline\"\nB='x'\nC=it's\nD=\"a\" # don't\n# E=\"\n"), @"");
        insta::assert_snapshot!(check("KL105", ".env", "PRIVATE_KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\n"), @"");
    }
}

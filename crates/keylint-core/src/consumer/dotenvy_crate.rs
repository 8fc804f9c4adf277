//! dotenvy, by calling the real crate. `dotenv()`/`from_path` strip a BOM, keep the
//! first of two duplicates, and stop at the first bad line: that line and every line
//! after it are never set (loaders.md, RUN).

use super::{Loaded, Outcome};
use crate::syntax::dotenv::{self, StatementKind};

pub(super) fn load(text: &str) -> Vec<Loaded> {
    let without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = dotenv::parse(text);
    // dotenvy yields one item per statement that is neither blank nor a comment.
    let mut statements = file.statements.iter().filter(|statement| {
        !matches!(
            statement.kind,
            StatementKind::Blank | StatementKind::Comment
        )
    });
    let mut loaded = Vec::new();
    let mut failure: Option<String> = None;
    for item in dotenvy::from_read_iter(without_bom.as_bytes()) {
        if let Some(reason) = &failure {
            // After the first error `from_path` stops: nothing else is set.
            if let Some(statement) = statements.next() {
                loaded.push(Loaded {
                    name: statement_name(text, &statement.kind),
                    at: statement.content_start,
                    outcome: Outcome::Absent(format!("never read: {reason}")),
                });
            }
            continue;
        }
        match item {
            Ok((name, value)) => {
                // Statements dotenvy reads differently (a bare key it rejects, say) show up as errors,
                // so the next statement with this name is the one it read.
                for statement in statements.by_ref() {
                    if statement_name(text, &statement.kind) == name {
                        loaded.push(Loaded {
                            name,
                            at: statement.content_start,
                            outcome: Outcome::Value(value),
                        });
                        break;
                    }
                }
            }
            Err(error) => {
                let message = match &error {
                    dotenvy::Error::LineParse(_, index) => format!(
                        "dotenvy cannot parse the line (at character {index}), and `dotenv()` stops there"
                    ),
                    other => format!(
                        "dotenvy fails: {}",
                        other.to_string().chars().take(80).collect::<String>()
                    ),
                };
                if let Some(statement) = statements.next() {
                    loaded.push(Loaded {
                        name: statement_name(text, &statement.kind),
                        at: statement.content_start,
                        outcome: Outcome::Refused(message.clone()),
                    });
                }
                failure = Some(format!("an earlier line stopped dotenvy ({message})"));
            }
        }
    }
    // Statements the iterator never reached (it swallowed them into an unterminated quote).
    for statement in statements {
        loaded.push(Loaded {
            name: statement_name(text, &statement.kind),
            at: statement.content_start,
            outcome: Outcome::Absent(
                "never read: an earlier unterminated quote swallowed the rest of the file"
                    .to_string(),
            ),
        });
    }
    loaded
}

fn statement_name(text: &str, kind: &StatementKind) -> String {
    match kind {
        StatementKind::Assignment(assignment) => text[assignment.name.clone()].to_string(),
        _ => String::new(),
    }
}

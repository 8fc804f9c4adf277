//! Helpers shared by several rules.

use base64::Engine as _;

use crate::assignment::Assignment;
use crate::consumer::Outcome;
use crate::diagnostic::{Edit, Severity};
use crate::mask::mask_secret;
use crate::provider::{self, Role};
use crate::rules::{Context, Syntax};

/// Why an id variable's value is not the id it should be.
pub(crate) enum IdMistake {
    /// The other kind of OpenAI id: a project id in an organization variable or the reverse.
    OtherKindOfId,
    /// An API key, masked.
    ApiKey(String),
    /// A name, a placeholder or anything else.
    NotAnId,
}

/// The id prefix a variable of `role` must have, and the prefix of the other kind of id.
fn prefixes(role: Role) -> (&'static str, &'static str) {
    if role == Role::Organization {
        ("org-", "proj_")
    } else {
        ("proj_", "org-")
    }
}

/// The id a consumer receives, without the blanks and quotes other rules report on;
/// `None` when there is nothing to judge (absent, empty or interpolated).
fn received_id(outcome: &Outcome) -> Option<&str> {
    let value = outcome.value()?.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '`' | '“' | '”')
    });
    (!value.is_empty() && !value.contains('$')).then_some(value)
}

/// Whether `id` is not the id a variable of `role` needs: [`mistake`] without saying
/// what it is instead (which masks keys).
fn is_mistaken(role: Role, id: &str) -> bool {
    let (expected, _) = prefixes(role);
    !id.starts_with(expected)
}

fn mistake(role: Role, id: &str) -> Option<IdMistake> {
    let (_, other) = prefixes(role);
    if !is_mistaken(role, id) {
        None
    } else if id.starts_with(other) {
        Some(IdMistake::OtherKindOfId)
    } else if provider::key_shape(id).is_some() {
        Some(IdMistake::ApiKey(mask_secret(id)))
    } else {
        Some(IdMistake::NotAnId)
    }
}

/// Finds the variables of `role` (organization or project) whose value is not that kind
/// of id, as (severity, value range, message). Shared by KL401 and KL402.
pub(crate) fn check_ids(
    ctx: &Context,
    role: Role,
    message: impl Fn(&str, IdMistake) -> String,
) -> Vec<(Severity, std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    if ctx.is_template {
        return found;
    }
    for (index, assignment) in ctx.assignments().iter().enumerate() {
        if !ctx
            .variable(&assignment.name)
            .is_some_and(|known| known.role == role)
        {
            continue;
        }
        let Some(judgement) = ctx.judge(index, Syntax::Accidental, |_, outcome| {
            received_id(outcome)
                .is_some_and(|id| is_mistaken(role, id))
                .then(String::new)
        }) else {
            continue;
        };
        let Some(mistake) = ctx
            .parsed
            .outcome(index, judgement.broken[0].0)
            .and_then(received_id)
            .and_then(|id| mistake(role, id))
        else {
            continue;
        };
        let mut text = message(&assignment.name, mistake);
        if !judgement.fine.is_empty() {
            text.push_str(&format!(
                " (for {}; {} read it differently)",
                judgement.broken_names(),
                judgement.fine_names()
            ));
        }
        // Test files talk to mocks more often than to OpenAI: likely wrong, not certain.
        let severity = if ctx.is_test_context {
            judgement.severity.min(Severity::Warning)
        } else {
            judgement.severity
        };
        found.push((severity, assignment.value_range.clone(), text));
    }
    found
}

/// An edit that replaces a Secret's base64 `data:` value with the encoding of `value`,
/// keeping the YAML quotes; `None` for multi-line data.
pub(crate) fn reencoded_secret(
    ctx: &Context,
    assignment: &Assignment,
    value: &str,
) -> Option<Edit> {
    let raw = ctx.slice(assignment.value_range.clone());
    if raw.contains('\n') {
        return None;
    }
    let range = if raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\'')) {
        assignment.value_range.start + 1..assignment.value_range.end - 1
    } else {
        assignment.value_range.clone()
    };
    Some(Edit::replace(
        range,
        base64::engine::general_purpose::STANDARD.encode(value.as_bytes()),
    ))
}

//! Helpers shared by several rules, among them what the key-shape rules (KL301 to KL305)
//! share: which key a variable expects once the endpoint beside it is taken into
//! account, and the key each consumer actually uses.

use std::ops::Range;

use base64::Engine as _;

use crate::assignment::Assignment;
use crate::consumer::{Consumer, Outcome};
use crate::diagnostic::{Diagnostic, Edit, Severity};
use crate::helpers::trim_wrapping;
use crate::mask::{mask_body, mask_secret};
use crate::provider::{self, KeyShape, Provider, Role};
use crate::rules::{Context, Judgement, Syntax, push_names};

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
    let value = trim_wrapping(outcome.value()?, |character| {
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

/// The shape of a key when it says for sure whose key it is: a provider's own prefix,
/// an Azure form, or a bare `sk-` key with OpenAI's marker (many OpenAI-compatible
/// services hand out `sk-` keys too). `key` is one assignment `index` holds.
pub(crate) fn sure_shape(ctx: &Context, index: usize, key: &str) -> Option<KeyShape> {
    ctx.key_shape(index, key)
        .filter(|shape| shape.prefix != "sk-" || shape.has_marker == Some(true))
}

/// The key for a message, masked, naming the loaders that read it when only some do:
/// `sk-ant-…ddAA, 106 chars, as dotenvy reads it`.
pub(crate) fn detail(judgement: &Judgement, key: &str) -> String {
    let mut detail = String::new();
    push_detail(&mut detail, judgement, key);
    detail
}

/// Appends [`detail`] to a message being written.
pub(crate) fn push_detail(out: &mut String, judgement: &Judgement, key: &str) {
    push_shown(out, key);
    if !judgement.fine.is_empty() {
        out.push_str(", as ");
        push_names(out, judgement.broken.iter().map(|(consumer, _)| *consumer));
        out.push_str(if judgement.broken.len() == 1 {
            " reads it"
        } else {
            " read it"
        });
    }
}

/// "an OpenAI project key".
pub(crate) fn with_article(description: &str) -> String {
    let mut described = String::new();
    push_with_article(&mut described, description);
    described
}

/// Appends [`with_article`] to a message being written.
pub(crate) fn push_with_article(out: &mut String, description: &str) {
    out.push_str(if description.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an "
    } else {
        "a "
    });
    out.push_str(description);
}

/// Which key a variable expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expectation {
    /// Not a provider's key variable.
    Unknown,
    /// A local or unknown endpoint (or one interpolated at run time) takes any key.
    AnyKey,
    /// This provider's key: by the variable's name, or by the endpoint variable beside it.
    Provider {
        provider: Provider,
        endpoint: Option<&'static str>,
        /// `AZURE_OPENAI_ENDPOINT` or `OPENAI_API_TYPE=azure` beside an OpenAI variable.
        azure_ok: bool,
    },
}

/// The endpoint variables that redirect a provider's SDK.
fn endpoint_variables(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::OpenAi => &["OPENAI_BASE_URL", "OPENAI_API_BASE"],
        Provider::Anthropic => &["ANTHROPIC_BASE_URL"],
        Provider::AzureOpenAi => &["AZURE_OPENAI_ENDPOINT"],
        Provider::Gemini => &[],
    }
}

/// The key `assignment` expects: its provider by name, redirected by the endpoint beside it.
/// Rules ask [`Context::expectation`], which finds it once per assignment.
pub(crate) fn expectation(ctx: &Context, assignment: &Assignment) -> Expectation {
    let Some(by_name) = ctx.key_variable_provider(&assignment.name) else {
        return Expectation::Unknown;
    };
    let sibling = |name: &str| sibling_text(ctx, assignment, name);
    let azure_ok = by_name == Provider::OpenAi
        && (sibling("AZURE_OPENAI_ENDPOINT").is_some()
            || sibling("OPENAI_API_TYPE")
                .flatten()
                .is_some_and(|kind| kind.to_ascii_lowercase().starts_with("azure")));
    for &endpoint in endpoint_variables(by_name) {
        let Some(url) = sibling(endpoint) else {
            continue;
        };
        let Some(url) = url else {
            return Expectation::AnyKey;
        };
        return match provider::provider_of_url(url) {
            Some(provider) => Expectation::Provider {
                provider,
                endpoint: Some(endpoint),
                azure_ok: false,
            },
            None => Expectation::AnyKey,
        };
    }
    Expectation::Provider {
        provider: by_name,
        endpoint: None,
        azure_ok,
    }
}

/// The value of another variable in the same place, as the program gets it: `None` when
/// it is not set (or empty), `Some(None)` when it is interpolated at run time (unknown).
fn sibling_text<'a>(ctx: &'a Context, near: &Assignment, name: &str) -> Option<Option<&'a str>> {
    let &index = ctx.named(name, near.scope.as_deref()).last()?;
    if is_interpolated(ctx.slice(ctx.assignments()[index].value_range.clone())) {
        return Some(None);
    }
    let value = key_text(ctx.some_value(index)?);
    (!value.is_empty()).then_some(Some(value))
}

/// Appends a key for a message: masked, with its length (`sk-ant-api03-…ddAA, 106 chars`).
fn push_shown(out: &mut String, key: &str) {
    let length = key.chars().count();
    if let Some(body) = mask_body(key) {
        out.push_str(&body);
        out.push_str(", ");
    }
    out.push_str(itoa::Buffer::new().format(length));
    out.push_str(if length == 1 { " char" } else { " chars" });
}

/// A value that is filled in at run time (`${VAR}`, `$VAR`, `${{ secrets.X }}`), not a key.
pub(crate) fn is_interpolated(raw: &str) -> bool {
    // Every character that may follow is ASCII, so the byte after `$` decides.
    let bytes = raw.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|at| {
        bytes
            .get(at + 1)
            .is_some_and(|&next| next == b'{' || next == b'_' || next.is_ascii_alphabetic())
    })
}

pub(crate) fn is_wrapping(character: char) -> bool {
    character.is_whitespace() || matches!(character, '"' | '\'' | '`' | '“' | '”' | '‘' | '’')
}

/// The key as sent, without the quotes and blanks KL101/KL102 report.
pub(crate) fn key_text(value: &str) -> &str {
    trim_wrapping(value, is_wrapping)
}

/// The range of the key as written: the value without its quotes and blanks (the whole
/// value when nothing else is left).
pub(crate) fn key_range(ctx: &Context, assignment: &Assignment) -> Range<usize> {
    let range = assignment.value_range.clone();
    let raw = ctx.slice(range.clone());
    let start = range.start + (raw.len() - raw.trim_start_matches(is_wrapping).len());
    let end = range.start + raw.trim_end_matches(is_wrapping).len();
    if start < end { start..end } else { range }
}

/// Judges the key each consumer uses for assignment `index` (the copy it keeps, without
/// quotes and blanks) with `broken`. Nothing in templates or for interpolated values.
/// Returns the judgement (its broken consumers with no text of what they get) and the
/// first broken consumer's key.
pub(crate) fn judge_key<'a>(
    ctx: &Context<'a>,
    index: usize,
    broken: impl Fn(&str) -> bool,
) -> Option<(Judgement, String)> {
    let assignment = &ctx.assignments()[index];
    if ctx.is_template || is_interpolated(ctx.slice(assignment.value_range.clone())) {
        return None;
    }
    // Each distinct key is judged (and masked) once, whichever consumers use it.
    let keys = ctx.keys(index);
    let consumers = ctx.judged_consumers(assignment);
    // Room for a key per kind of consumer (the env-file loaders and YAML).
    let mut verdicts = [None; Consumer::KINDS];
    let mut any_broken = false;
    for position in 0..consumers.len() {
        if let Some(key) = keys.used_by(position) {
            any_broken |= *verdicts[key].get_or_insert_with(|| broken(keys.text(key)));
        }
    }
    // Most keys are fine: then no consumer needs asking.
    if !any_broken {
        return None;
    }
    // Quotes and ` # comments` are deliberate syntax that only docker keeps: judged for
    // docker only when docker is known to read the file, as KL101 does.
    let mut judgement = ctx.judge(index, Syntax::Deliberate, |consumer, _| {
        let position = consumers.iter().position(|&judged| judged == consumer)?;
        let key = keys.used_by(position)?;
        (verdicts[key] == Some(true)).then(String::new)
    })?;
    // A loader that refuses the line or reads no value is not "fine": that is another
    // rule's finding, and it must not soften this one.
    judgement.fine.retain(|&consumer| {
        ctx.outcome(index, consumer)
            .is_some_and(|outcome| outcome.value().is_some())
    });
    if judgement.fine.is_empty() {
        judgement.severity = Severity::Error;
    }
    let (consumer, _) = judgement.broken.first()?;
    let key = ctx
        .outcome(index, *consumer)
        .and_then(Outcome::value)
        .map(|value| key_text(value).to_string())?;
    Some((judgement, key))
}

/// Drops the findings from `start` on that repeat the spot (code and range) of an earlier
/// one of them, keeping the first: an entry of a `<<: *anchor` merge is seen once for every
/// Compose service that merges it. Once per rule, with a set: a file with many findings
/// must not compare each with all before it.
pub(crate) fn keep_first_at_each_spot(out: &mut Vec<Diagnostic>, start: usize) {
    if out.len() < start + 2 {
        return;
    }
    let mut seen = foldhash::HashSet::default();
    let mut position = 0;
    out.retain(|diagnostic| {
        position += 1;
        position <= start || seen.insert((diagnostic.code, diagnostic.range.clone()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte after each `$` decides as the character after it does.
        #[test]
        fn interpolated_is_a_dollar_before_a_name_or_brace(raw in "[$a_{}9 é{1}Ä-]{0,20}") {
            let by_characters = raw.match_indices('$').any(|(at, _)| {
                raw[at + 1..]
                    .chars()
                    .next()
                    .is_some_and(|next| next == '{' || next == '_' || next.is_ascii_alphabetic())
            });
            prop_assert_eq!(super::is_interpolated(&raw), by_characters);
        }
    }

    #[test]
    fn keeps_the_first_finding_at_each_spot_from_start_on() {
        let finding = |code: &'static str, range: Range<usize>, message: &str| Diagnostic {
            code,
            message: message.to_string(),
            name: "",
            severity: Severity::Warning,
            range,
            fix: None,
        };
        let mut out = vec![
            finding("KL999", 0..1, "another rule"),
            finding("KL301", 0..1, "before start"),
            finding("KL301", 0..1, "first"),
            finding("KL301", 2..3, "other spot"),
            finding("KL301", 0..1, "repeat"),
            finding("KL302", 2..3, "other code"),
            finding("KL301", 2..3, "repeat"),
        ];
        keep_first_at_each_spot(&mut out, 2);
        let kept: Vec<&str> = out.iter().map(|found| found.message.as_str()).collect();
        assert_eq!(
            kept,
            [
                "another rule",
                "before start",
                "first",
                "other spot",
                "other code"
            ]
        );
    }
}

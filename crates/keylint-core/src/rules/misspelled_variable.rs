//! KL201 misspelled-variable: a near-miss of a known variable name that no SDK reads.

use crate::assignment::{Assignment, Origin};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::provider::{self, KeyKind, KnownVariable, Provider, Role};
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::with_article;
use crate::rules::{Context, FixAvailability, Rule, with_fix};
use crate::source::FileKind;

pub(crate) struct MisspelledVariable;

impl Rule for MisspelledVariable {
    const CODE: &'static str = "KL201";
    const NAME: &'static str = "misspelled-variable";
    const SEVERITY: Severity = Severity::Warning;
    const FIX: FixAvailability = FixAvailability::Sometimes;
    const SUMMARY: &'static str =
        "A near-miss of a known variable name (`OPENAI_APIKEY`, lowercase) that no SDK reads";
    const DOC: &'static str = r#"
## What it does
Finds variable names that are one slip away from a name the official SDKs read:
`OPENAI_APIKEY`, `OPEN_AI_API_KEY`, `OPENAPI_API_KEY`, `ANTROPIC_API_KEY`,
`OPENAI_API_TOKEN`, a lowercase `openai_api_key`, and the short `OPENAI_KEY`,
`ANTHROPIC_KEY` or `GEMINI_KEY` when they hold that provider's key.

A name one slip away from a name the project's code reads is an error that names the
reading line, unless some source file mentions the set name too (in a dict of names, a
loop or a template the parser cannot follow): then the program may read it, and only the
check against the SDKs' names above applies.

Names a program reads on purpose are left alone: the aliases in the provider table
(`OPENAI_API_BASE`, `CLAUDE_API_KEY`, …), names the project itself reads (`${OPENAI_KEY}`
in a Compose file or workflow), and names an image reads by design (Weaviate's
`OPENAI_APIKEY` in a service running a `weaviate` image), and settings such as
`openaiApiKey` in the `env:` of Helm values, which a chart turns into variables. Numbered
or plural variants
(`OPENAI_API_KEY_2`, `OPENAI_API_KEYS`) are different variables and are not reported.

## Why is this bad?
The SDK looks up one exact name. A value under any other name is invisible to it: the
client starts without a key and the request fails with `401` ("You didn't provide an
API key") while the key sits in the file. Environment variables are case-sensitive on
Linux, so `openai_api_key` is a different variable from `OPENAI_API_KEY`.

## Example
```shell
OPENAI_APIKEY=sk-proj-…
```

Use instead:
```shell
OPENAI_API_KEY=sk-proj-…
```

## Fix safety
Renaming is safe for a plain misspelling when the right name is not already set in the
same file (or Compose service). It is unsafe for a different case, for the short
`OPENAI_KEY` forms and for names some image reads on purpose, since some program may
read the old name (settings libraries that ignore case, for one). No fix is offered when
the right name is already set: renaming would create a duplicate.
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        // The names the project's code reads: a near-miss of one of them is certain.
        let code_names = Candidates::new(ctx.project.code().names());
        // Files repeat names (copies, per-service entries): judge each name once, in a
        // table by group. `Some(None)`: a name keylint or the project knows.
        let mut by_name: Vec<Option<Option<NameSlips>>> = vec![None; ctx.groups()];
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let name = assignment.name.as_str();
            // Secret `data:` keys are file names in a volume or `secretKeyRef` keys, not variables.
            if matches!(
                assignment.origin,
                Origin::SecretData | Origin::SecretStringData
            ) || runs_image_reading(ctx, assignment)
                || is_settings_key(ctx, assignment)
            {
                continue;
            }
            let Some(slips) = *by_name[ctx.group_of(index)].get_or_insert_with(|| {
                if ctx.variable(name).is_some()
                    || ctx.project.reads_name(name)
                    || is_dotnet_configuration_key(name)
                {
                    return None;
                }
                // A name some source file mentions (a dict of names, a loop, a template)
                // may be read in a way the parser cannot follow: no certainty, so no error.
                let code = near_miss_among(name, &code_names)
                    .filter(|_| !ctx.project.code().is_mentioned(name));
                Some(NameSlips {
                    code,
                    near: code.is_none().then(|| near_miss(name)).flatten(),
                    short: short_name_provider(name),
                })
            }) else {
                continue;
            };
            if let Some((intended, slip)) = slips.code {
                out.push(code_read_near_miss(ctx, assignment, intended, slip));
                continue;
            }
            let Some((intended, slip)) = slips
                .near
                .or_else(|| short_key_name(ctx, index, slips.short?))
            else {
                continue;
            };
            let message = match slip {
                Slip::Case => format!(
                    "{name} is not {intended}: variable names are case-sensitive on Linux and macOS, and {} reads {intended} — did you mean {intended}?",
                    reader(intended)
                ),
                Slip::Typo | Slip::Synonym => format!(
                    "{name} is not a name {} reads — did you mean {intended}?",
                    reader(intended)
                ),
                Slip::ShortName(kind) => format!(
                    "{name} holds {}, but {} reads {intended} — did you mean {intended}?",
                    with_article(kind.description()),
                    reader(intended)
                ),
            };
            let diagnostic =
                Self::diagnostic(Self::SEVERITY, assignment.name_range.clone(), message);
            out.push(match rename(ctx, assignment, intended, slip) {
                Some(fix) => with_fix(diagnostic, fix),
                None => diagnostic,
            });
        }
        keep_first_at_each_spot(out, start);
    }
}

/// How a name misses a name the project's code reads, or else one an SDK reads.
#[derive(Clone, Copy)]
struct NameSlips<'a> {
    code: Option<(&'a str, Slip)>,
    near: Option<(&'static str, Slip)>,
    /// [`short_name_provider`] of the name.
    short: Option<Provider>,
}

/// How a name misses the one the SDK reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slip {
    /// Differs only in letter case.
    Case,
    /// Underscores or one letter off.
    Typo,
    /// `…_API_TOKEN` for `…_API_KEY`.
    Synonym,
    /// `OPENAI_KEY` holding an OpenAI key.
    ShortName(KeyKind),
}

/// Uppercase with the underscores dropped: `open_ai_apikey` → `OPENAIAPIKEY`.
fn normalized(name: &str) -> String {
    // Room made at once: collecting grows the string several times.
    let mut normalized = String::with_capacity(name.len());
    normalized.extend(normalized_chars(name));
    normalized
}

/// The characters of [`normalized`].
fn normalized_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|&character| character != '_')
        .map(|character| character.to_ascii_uppercase())
}

/// The canonical name `name` is a near-miss of (see [`near_miss_among`]).
/// Whether `name` is a near miss of a provider variable (what this rule reports, code
/// aside): such a name is read across lines.
pub(crate) fn is_near_miss(name: &str) -> bool {
    near_miss(name).is_some()
}

fn near_miss(name: &str) -> Option<(&'static str, Slip)> {
    /// The canonical names with their normalized forms, computed once: this runs for
    /// every variable of every file.
    static CANONICAL: std::sync::LazyLock<Candidates<'static>> = std::sync::LazyLock::new(|| {
        Candidates::new(
            provider::VARIABLES
                .iter()
                .filter(|known| known.alias_of.is_none())
                .map(|known| known.name),
        )
    });
    near_miss_among(name, &CANONICAL)
}

/// Names [`near_miss_among`] compares a name with, each with its [`normalized`] form and
/// the [`Letters`] of it.
struct Candidates<'a> {
    names: Vec<(&'a str, String, Letters)>,
    /// The fewest and the most characters of a normalized name: most names are further
    /// than any slip from all of them.
    shortest: usize,
    longest: usize,
}

impl<'a> Candidates<'a> {
    fn new(names: impl Iterator<Item = &'a str>) -> Candidates<'a> {
        let names: Vec<(&str, String, Letters)> = names
            .map(|name| {
                let (_, letters) = Letters::of(name);
                (name, normalized(name), letters)
            })
            .collect();
        let lengths = || names.iter().map(|(_, target, _)| target.len());
        Candidates {
            shortest: lengths().min().unwrap_or(usize::MAX),
            longest: lengths().max().unwrap_or(0),
            names,
        }
    }
}

/// The name of `candidates` (each with its [`normalized`] form) that `name` is a near-miss
/// of. Tight on purpose: the same letters with other case or underscores, one edit on a
/// long name, or `API_TOKEN` for `API_KEY`. Extensions (`OPENAI_API_KEY_2`,
/// `OPENAI_API_KEYS`) and truncations are other variables.
fn near_miss_among<'a>(name: &str, candidates: &Candidates<'a>) -> Option<(&'a str, Slip)> {
    // Every slip below keeps the normalized length within two (`API_TOKEN` for
    // `API_KEY`): most candidates are ruled out by it, and most names by all of them,
    // with no normalized copy made.
    let (length, letters) = Letters::of(name);
    if length.saturating_add(2) < candidates.shortest || length > candidates.longest + 2 {
        return None;
    }
    let mut near = candidates
        .names
        .iter()
        .filter(|(_, target, target_letters)| {
            length.abs_diff(target.len()) <= 2 && letters.may_be_a_slip_of(*target_letters)
        })
        .peekable();
    near.peek()?;
    // The normalized copy on the stack: names are short, and this runs for many of them.
    let mut stack = [0; 64];
    let mut heap = Vec::new();
    let bytes: &mut [u8] = if length <= stack.len() {
        &mut stack[..length]
    } else {
        heap.resize(length, 0);
        &mut heap
    };
    for (slot, byte) in bytes
        .iter_mut()
        .zip(name.bytes().filter(|&byte| byte != b'_'))
    {
        *slot = byte.to_ascii_uppercase();
    }
    let candidate = std::str::from_utf8(bytes)
        .expect("dropping `_` and uppercasing ASCII letters keeps UTF-8 valid");
    let digits = candidate.bytes().any(|byte| byte.is_ascii_digit());
    let mut best: Option<(&'a str, Slip, usize)> = None;
    for (canonical, target, _) in near {
        let canonical = *canonical;
        if canonical == name {
            return None;
        }
        let found = if name.eq_ignore_ascii_case(canonical) {
            Some((Slip::Case, 0))
        } else if candidate == target.as_str() {
            Some((Slip::Typo, 0))
        } else if candidate
            .strip_suffix("APITOKEN")
            .is_some_and(|stem| target.strip_suffix("APIKEY") == Some(stem))
        {
            Some((Slip::Synonym, 1))
        } else {
            let extends = candidate.starts_with(target.as_str()) || target.starts_with(candidate);
            // A cheap bound first: one edit of ASCII text changes its length by at most one.
            let one_edit = !digits
                && !extends
                && target.len() >= 8
                && candidate.len().abs_diff(target.len()) <= 1
                && one_edit_apart(candidate, target);
            one_edit.then_some((Slip::Typo, 1))
        };
        if let Some((slip, distance)) = found
            && best.is_none_or(|(_, _, best_distance)| distance < best_distance)
        {
            best = Some((canonical, slip, distance));
        }
    }
    best.map(|(canonical, slip, _)| (canonical, slip))
}

/// Which letters a [`normalized`] name holds, one bit each, with one bit for all digits and
/// one for every other byte: a slip changes few of them, so comparing the bits rules out
/// most names without comparing their characters.
#[derive(Clone, Copy)]
struct Letters(u32);

impl Letters {
    /// The bit of each byte: none for `_`, which [`normalized`] drops.
    const BITS: [u32; 256] = {
        let mut table = [0; 256];
        let mut byte = 0;
        while byte < table.len() {
            table[byte] = match (byte as u8).to_ascii_uppercase() {
                b'_' => 0,
                letter @ b'A'..=b'Z' => 1 << (letter - b'A'),
                b'0'..=b'9' => 1 << 26,
                _ => 1 << 27,
            };
            byte += 1;
        }
        table
    };

    /// The length of `name`'s [`normalized`] form and its letters, in one pass.
    fn of(name: &str) -> (usize, Letters) {
        let mut length = 0;
        let mut bits = 0;
        for byte in name.bytes() {
            length += usize::from(byte != b'_');
            bits |= Letters::BITS[usize::from(byte)];
        }
        (length, Letters(bits))
    }

    /// Whether names with these letters may be one slip apart: a different case leaves the
    /// letters as they are, one edit changes at most two (the one it removes and the one it
    /// adds), and `API_TOKEN` for `API_KEY` at most four (T, O, N and Y).
    fn may_be_a_slip_of(self, other: Letters) -> bool {
        (self.0 ^ other.0).count_ones() <= 4
    }
}

/// Whether one edit turns `a` into `b`: a substitution, an insertion, a deletion or a
/// swap of neighbours (Damerau-Levenshtein distance 1). Without the distance matrix:
/// what is left once the common start and end are cut off tells.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let same_start: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[same_start..], &b[same_start..]);
    let same_end: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[..a.len() - same_end], &b[..b.len() - same_end]);
    let mut a = a.chars();
    let mut b = b.chars();
    match (a.next(), a.next(), a.next(), b.next(), b.next(), b.next()) {
        // One substituted, inserted or deleted character.
        (Some(_), None, _, Some(_), None, _)
        | (None, _, _, Some(_), None, _)
        | (Some(_), None, _, None, _, _) => true,
        // Two neighbours swapped.
        (Some(a1), Some(a2), None, Some(b1), Some(b2), None) => a1 == b2 && a2 == b1,
        _ => false,
    }
}

/// The provider of `OPENAI_KEY`, `ANTHROPIC_KEY` or `GEMINI_KEY`: names some apps read.
fn short_name_provider(name: &str) -> Option<Provider> {
    // Compared without a normalized copy: this runs for most names of every file.
    [
        ("OPENAIKEY", Provider::OpenAi),
        ("ANTHROPICKEY", Provider::Anthropic),
        ("GEMINIKEY", Provider::Gemini),
    ]
    .into_iter()
    .find(|(short, _)| normalized_chars(name).eq(short.chars()))
    .map(|(_, provider)| provider)
}

/// A short name of `provider`'s key ([`short_name_provider`]), reported only when the
/// value is that provider's key (then the SDK, which reads the long name, misses it).
fn short_key_name(ctx: &Context, index: usize, provider: Provider) -> Option<(&'static str, Slip)> {
    let value = ctx.some_value(index)?;
    let value = value.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'')
    });
    let shape = provider::key_shape(value)?;
    // A bare `sk-` prefix is used by many OpenAI-compatible services; only the marker
    // makes it OpenAI's.
    let sure = shape.kind.provider() == provider
        && (shape.prefix != "sk-" || shape.has_marker == Some(true));
    let canonical = provider::VARIABLES.iter().find(|known| {
        known.provider == provider && known.role == Role::ApiKey && known.alias_of.is_none()
    })?;
    sure.then_some((canonical.name, Slip::ShortName(shape.kind)))
}

/// A set name one slip away from a name the project's code reads: an error, since the
/// program looks the other name up (`app/settings.py:12 reads OPENAI_API_KEY`).
fn code_read_near_miss(
    ctx: &Context,
    assignment: &Assignment,
    intended: &str,
    slip: Slip,
) -> Diagnostic {
    let reads = ctx.project.code().reads_of(intended);
    let place = reads.first().map_or_else(
        || format!("the code reads {intended}"),
        |read| read.reads(intended),
    );
    let others = match reads.len() {
        0 | 1 => String::new(),
        2 => " and 1 other place".to_string(),
        count => format!(" and {} other places", count - 1),
    };
    let diagnostic = MisspelledVariable::diagnostic(
        Severity::Error,
        assignment.name_range.clone(),
        format!(
            "{place}{others}, but {} is set here, which no code reads — did you mean {intended}?",
            assignment.name
        ),
    );
    match rename(ctx, assignment, intended, slip) {
        Some(fix) => with_fix(diagnostic, fix),
        None => diagnostic,
    }
}

/// .NET reads `Section:Key` configuration from `Section__Key` variables
/// (`AzureOpenAI__ApiKey`): such a name is a configuration key, not a misspelling.
fn is_dotnet_configuration_key(name: &str) -> bool {
    // A window search: `str::contains` sets up a substring searcher per call, and this
    // runs for nearly every variable.
    name.as_bytes().windows(2).any(|pair| pair == b"__")
        && !name.starts_with('_')
        && !name.ends_with('_')
}

/// Who reads the canonical name, for messages.
fn reader(canonical: &str) -> &'static str {
    provider::variable(canonical).map_or("the official SDK", |known: &KnownVariable| known.read_by)
}

/// An `env:` mapping in Helm values or other YAML that is not a workflow often holds
/// chart settings (`openaiApiKey`) that a template turns into variables: only names
/// written like variables, in capitals, are judged there.
fn is_settings_key(ctx: &Context, assignment: &Assignment) -> bool {
    assignment.origin == Origin::YamlEnvMap
        && ctx.parsed.kind == FileKind::OtherYaml
        && assignment
            .name
            .chars()
            .any(|character| character.is_ascii_lowercase())
}

/// A Compose service whose `image:` is one that reads this name on purpose.
fn runs_image_reading(ctx: &Context, assignment: &Assignment) -> bool {
    let (Some(service), Some(yaml)) = (&assignment.scope, &ctx.parsed.yaml) else {
        return false;
    };
    provider::INTENTIONAL_NAMES
        .iter()
        .filter(|(name, _)| *name == assignment.name)
        .any(|(_, image)| {
            yaml.documents.iter().any(|document| {
                document
                    .get("services")
                    .and_then(|services| services.get(service))
                    .and_then(|definition| definition.get("image"))
                    .and_then(|node| node.as_str())
                    .is_some_and(|reference| reference.to_ascii_lowercase().contains(image))
            })
        })
}

/// Renames the variable. None when the intended name is already set in the same place
/// (a rename would create a duplicate); unsafe when some program may read the old name.
fn rename(ctx: &Context, assignment: &Assignment, intended: &str, slip: Slip) -> Option<Fix> {
    let same_place = |other: &Assignment| {
        other.scope == assignment.scope && other.origin.is_yaml() == assignment.origin.is_yaml()
    };
    if ctx
        .assignments()
        .iter()
        .any(|other| other.name == intended && same_place(other))
    {
        return None;
    }
    let copies = ctx
        .assignments()
        .iter()
        .filter(|other| other.name == assignment.name && same_place(other))
        .count();
    let read_on_purpose = provider::INTENTIONAL_NAMES
        .iter()
        .any(|(name, _)| *name == assignment.name);
    let edits = vec![Edit::replace(assignment.name_range.clone(), intended)];
    let description = format!("Rename to {intended}");
    if slip == Slip::Typo && copies == 1 && !read_on_purpose {
        Some(Fix::safe(description, edits))
    } else {
        Some(Fix::unsafe_(description, edits))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{MemoryProject, check, check_in_project};

    #[test]
    fn a_near_miss_of_a_name_the_code_reads_is_an_error_naming_the_line() {
        let project = MemoryProject::default()
            .reading("ACME_LLM_TOKEN", "app/settings.py", 12)
            .reading("OPENAI_API_KEY", "app/main.py", 3);
        insta::assert_snapshot!(check_in_project("KL201", ".env", "ACME_LLM_TOKN=abc\nOPENAI_APIKEY=sk-abc\nOPENAI_API_KEY_2=sk-abc\n", &project), @r"
        1:1-1:14 error KL201: app/settings.py:12 reads ACME_LLM_TOKEN, but ACME_LLM_TOKN is set here, which no code reads — did you mean ACME_LLM_TOKEN?
          fix (safe): Rename to ACME_LLM_TOKEN => ACME_LLM_TOKEN=abc\nOPENAI_APIKEY=sk-abc\nOPENAI_API_KEY_2=sk-abc\n
        2:1-2:14 error KL201: app/main.py:3 reads OPENAI_API_KEY, but OPENAI_APIKEY is set here, which no code reads — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => ACME_LLM_TOKN=abc\nOPENAI_API_KEY=sk-abc\nOPENAI_API_KEY_2=sk-abc\n
        ");
    }

    #[test]
    fn a_name_the_code_mentions_is_no_certain_misspelling() {
        // config.py lists both names in a dict the parser cannot follow: the app-specific
        // one is left alone, and the near-miss of a provider name keeps its warning.
        let project = MemoryProject::default()
            .reading("ACME_LLM_TOKEN", "app/settings.py", 12)
            .reading("OPENAI_API_KEY", "app/main.py", 3)
            .mentioning("app/config.py", &["ACME_LLM_TOKN", "OPENAI_APIKEY"]);
        insta::assert_snapshot!(check_in_project("KL201", ".env", "ACME_LLM_TOKN=abc\nOPENAI_APIKEY=sk-abc\n", &project), @r"
        2:1-2:14 warning KL201: OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => ACME_LLM_TOKN=abc\nOPENAI_API_KEY=sk-abc\n
        ");
    }

    #[test]
    fn names_the_code_reads_are_not_misspellings() {
        let project = MemoryProject::default()
            .reading("OPENAI_KEY", "app/main.py", 3)
            .reading("openai_apikey", "app/legacy.py", 9);
        insta::assert_snapshot!(check_in_project("KL201", ".env", "OPENAI_KEY=sk-proj-abcT3BlbkFJxyz\nopenai_apikey=x\n", &project), @"");
    }

    #[test]
    fn dotnet_configuration_names_are_not_misspellings() {
        insta::assert_snapshot!(check("KL201", ".env", "AzureOpenAI__ApiKey=abc\nOpenAI__ApiKey=sk-abc\n"), @"");
    }

    #[test]
    fn misspellings_of_canonical_names() {
        insta::assert_snapshot!(check("KL201", ".env", "OPENAI_APIKEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n"), @r"
        1:1-1:14 warning KL201: OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => OPENAI_API_KEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n
        2:1-2:16 warning KL201: OPEN_AI_API_KEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (safe): Rename to OPENAI_API_KEY => OPENAI_APIKEY=sk-abc\nOPENAI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n
        3:1-3:16 warning KL201: OPENAPI_API_KEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (safe): Rename to OPENAI_API_KEY => OPENAI_APIKEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n
        4:1-4:17 warning KL201: ANTROPIC_API_KEY is not a name the official SDK reads — did you mean ANTHROPIC_API_KEY?
          fix (safe): Rename to ANTHROPIC_API_KEY => OPENAI_APIKEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTHROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n
        5:1-5:17 warning KL201: OPENAI_API_TOKEN is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => OPENAI_APIKEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_KEY=sk-abc\nOPENAI_BASEURL=https://api.openai.com/v1\n
        6:1-6:15 warning KL201: OPENAI_BASEURL is not a name the official SDK reads — did you mean OPENAI_BASE_URL?
          fix (safe): Rename to OPENAI_BASE_URL => OPENAI_APIKEY=sk-abc\nOPEN_AI_API_KEY=sk-abc\nOPENAPI_API_KEY=sk-abc\nANTROPIC_API_KEY=sk-ant-abc\nOPENAI_API_TOKEN=sk-abc\nOPENAI_BASE_URL=https://api.openai.com/v1\n
        ");
    }

    #[test]
    fn lowercase_name() {
        insta::assert_snapshot!(check("KL201", ".env", "openai_api_key=sk-abc\n"), @r"
        1:1-1:15 warning KL201: openai_api_key is not OPENAI_API_KEY: variable names are case-sensitive on Linux and macOS, and the official SDK reads OPENAI_API_KEY — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => OPENAI_API_KEY=sk-abc\n
        ");
    }

    #[test]
    fn no_fix_when_the_right_name_is_set() {
        insta::assert_snapshot!(check("KL201", ".env", "OPENAI_APIKEY=sk-abc\nOPENAI_API_KEY=sk-abc\n"), @"1:1-1:14 warning KL201: OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?");
    }

    #[test]
    fn short_names_holding_a_key() {
        insta::assert_snapshot!(check("KL201", ".env", "OPENAI_KEY=sk-proj-abc\nANTHROPIC_KEY=hello\nGEMINI_KEY=AIza-abc\n"), @r"
        1:1-1:11 warning KL201: OPENAI_KEY holds an OpenAI project key, but the official SDK reads OPENAI_API_KEY — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => OPENAI_API_KEY=sk-proj-abc\nANTHROPIC_KEY=hello\nGEMINI_KEY=AIza-abc\n
        3:1-3:11 warning KL201: GEMINI_KEY holds a Google API key, but the official SDK reads GEMINI_API_KEY — did you mean GEMINI_API_KEY?
          fix (unsafe): Rename to GEMINI_API_KEY => OPENAI_KEY=sk-proj-abc\nANTHROPIC_KEY=hello\nGEMINI_API_KEY=AIza-abc\n
        ");
    }

    #[test]
    fn compose_weaviate_reads_its_own_name() {
        insta::assert_snapshot!(check("KL201", "compose.yaml", "services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.25.0\n    environment:\n      OPENAI_APIKEY: ${OPENAI_API_KEY}\n  app:\n    image: python:3.12\n    environment:\n      OPENAI_APIKEY: ${OPENAI_API_KEY}\n"), @r"
        9:7-9:20 warning KL201: OPENAI_APIKEY is not a name the official SDK reads — did you mean OPENAI_API_KEY?
          fix (unsafe): Rename to OPENAI_API_KEY => services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.25.0\n    environment:\n      OPENAI_APIKEY: ${OPENAI_API_KEY}\n  app:\n    image: python:3.12\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n
        ");
    }

    #[test]
    fn one_edit_is_damerau_levenshtein_distance_one() {
        for (a, b) in [
            ("OPENAIAPIKEY", "OPENAIAPIKEX"),
            ("OPENAIAPIKEY", "OPENAIAPIKE"),
            ("OPENAIAPIKEY", "OPENAIAPIKEYS"),
            ("OPENAIAPIKEY", "OPNEAIAPIKEY"),
            ("ABA", "ABBA"),
            ("OPENAIAPİKEY", "OPENAIAPIKEY"),
        ] {
            assert!(super::one_edit_apart(a, b), "{a} {b}");
            assert!(super::one_edit_apart(b, a), "{b} {a}");
            assert_eq!(strsim::damerau_levenshtein(a, b), 1, "{a} {b}");
        }
        for (a, b) in [
            ("OPENAIAPIKEY", "OPENAIAPIKEY"),
            ("OPENAIAPIKEY", "OPENAIAPIXXY"),
            ("OPENAIAPIKEY", "OPENAIAPI"),
            ("OPENAIAPIKEY", "OPENAIPAIKYE"),
            ("ABC", "CBA"),
        ] {
            assert!(!super::one_edit_apart(a, b), "{a} {b}");
            assert_ne!(strsim::damerau_levenshtein(a, b), 1, "{a} {b}");
        }
    }

    #[test]
    fn near_misses() {
        insta::assert_snapshot!(check("KL201", ".env", "OPENAI_API_KEY=sk-abc\nOPENAI_API_KEY_2=sk-abc\nOPENAI_API_KEYS=a,b\nOPENAI_API_BASE=http://x\nCLAUDE_API_KEY=x\nOPENROUTER_API_KEY=x\nAZURE_OPENAI_KEY=x\nOPENAI_ORG=x\nOPENAI_MODEL=gpt-4o\nOPENAI_API_TYPE=azure\nOPENAI_KEY=sk-or-v1-abc\nVITE_OPENAI_API_KEY=x\n"), @"");
        insta::assert_snapshot!(check("KL201", "chart/values.yaml", "env:\n  openaiApiKey: x\n  openai_api_key: x\n"), @"");
        insta::assert_snapshot!(check("KL201", "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\nstringData:\n  openai_api_key: sk-abc\n"), @"");
    }
}

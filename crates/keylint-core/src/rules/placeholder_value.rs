//! KL301 placeholder-value: a placeholder instead of a key in a real config file.

use crate::diagnostic::{Diagnostic, Severity};
use crate::helpers::contains_ignore_ascii_case;
use crate::provider::Provider;
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::{Expectation, detail, is_interpolated, judge_key, key_range};
use crate::rules::{Context, FixAvailability, Rule, is_key_name};

pub(crate) struct PlaceholderValue;

impl Rule for PlaceholderValue {
    const CODE: &'static str = "KL301";
    const NAME: &'static str = "placeholder-value";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "A placeholder (`sk-...`, `your-api-key-here`, `<KEY>`, `changeme`) in a real env file";
    const DOC: &'static str = r#"
## What it does
Finds an API key variable whose value is a placeholder: `sk-...`, `sk-xxxx`,
`your-api-key-here`, `your_openai_api_key`, `<KEY>`, `changeme`, `replace-me`, `TODO`,
`ADD_YOUR_KEY_HERE`, a redacted copy such as `sk-proj-...Xy9Q`. It checks the provider key
variables (an error) and other API credential names such as `COHERE_API_KEY` or
`SERPAPI_API_TOKEN` (a warning: keylint does not know who reads them). Generic secrets such
as `SECRET_KEY=changeme` are not API keys and are left alone.

Obvious test stubs (`fake`, `dummy`, `test-key`, `sk-fake-…`, `this-is-a-test-key`) are
expected in CI workflows and in files whose name says test or dummy (`.env.test`,
`dummy-env-file.env`): nothing is reported there. Elsewhere they are a warning. A
placeholder in such a file is at most a warning.

Never reported: templates (`.env.example`, `.sample`, `.template`, `.dist`), whose job is to
hold placeholders; `${VAR}` references, which are filled in at run time; keys next to an
endpoint on a local or unknown host (`OPENAI_BASE_URL=http://localhost:11434/v1`), which
accepts any value. The same goes for another service's credential beside a local endpoint
of the same prefix (`LM_STUDIO_API_KEY` with `LM_STUDIO_API_BASE=http://localhost:1234`)
and for `LITELLM_*` keys in a project that sets the proxy's `LITELLM_MASTER_KEY`.

## Why is this bad?
The placeholder is sent as the key and the provider answers `401 invalid_api_key`. It
usually means the file was copied from the template and never filled in, or a real key was
replaced by a placeholder when the file was shared.

## Example
```shell
OPENAI_API_KEY=your-api-key-here
```

Use instead:
```shell
OPENAI_API_KEY=sk-proj-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        // Which provider's key a name expects in its scope (`None`: the name is not judged),
        // found once per group of copies.
        let mut by_group: Vec<Option<Option<Option<Provider>>>> = vec![None; ctx.groups()];
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let name = assignment.name.as_str();
            let judged = by_group[ctx.group_of(index)].get_or_insert_with(|| {
                match ctx.expectation(index) {
                    Expectation::AnyKey => None,
                    Expectation::Provider { provider, .. } => Some(Some(provider)),
                    // The name first: it rules out most variables without a sibling looked up.
                    Expectation::Unknown if !is_api_credential_name(name) => None,
                    Expectation::Unknown if serves_locally(ctx, assignment) => None,
                    Expectation::Unknown => Some(None),
                }
            });
            let Some(provider) = *judged else {
                continue;
            };
            let Some((judgement, key)) =
                judge_key(ctx, index, |key| match ctx.filler(index, key) {
                    Some(Filler::TestStub) => !ctx.is_test_context,
                    Some(Filler::Placeholder) => true,
                    None => false,
                })
            else {
                continue;
            };
            let Some(kind) = ctx.filler(index, &key) else {
                continue;
            };
            let rejecter = provider.map_or("the provider", |provider| provider.display_name());
            let cure = if assignment.origin.is_yaml() {
                "put the real key (or a `${VAR}` reference) here"
            } else {
                "put the real key here, and keep placeholders in a template such as .env.example"
            };
            let (severity, message) = match kind {
                Filler::Placeholder => (
                    if ctx.is_test_context || provider.is_none() {
                        Severity::Warning
                    } else {
                        judgement.severity
                    },
                    format!(
                        "{name} holds a placeholder ({}), not a key: {rejecter} rejects it with 401 — {cure}",
                        detail(&judgement, &key)
                    ),
                ),
                Filler::TestStub => (
                    Severity::Warning,
                    format!(
                        "{name} holds what looks like a test key ({}): {rejecter} rejects it with 401 — put the real key here if this file is used outside tests",
                        detail(&judgement, &key)
                    ),
                ),
            };
            out.push(Self::diagnostic(
                severity,
                key_range(ctx, assignment),
                message,
            ));
        }
        keep_first_at_each_spot(out, start);
    }
}

/// Whether the service this credential is for runs locally, where any key is accepted:
/// an endpoint of the same prefix on a local host beside it
/// (`LM_STUDIO_API_KEY=1234` with `LM_STUDIO_API_BASE=http://host.docker.internal:1234`), or
/// a LiteLLM proxy whose master key the project sets (the proxy defines its own keys).
fn serves_locally(ctx: &Context, assignment: &crate::assignment::Assignment) -> bool {
    let name = assignment.name.as_str();
    if name.starts_with("LITELLM_") && ctx.project.is_set_anywhere("LITELLM_MASTER_KEY") {
        return true;
    }
    let Some(prefix) = ["_API_KEY", "_APIKEY", "_API_TOKEN", "_KEY", "_TOKEN"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
    else {
        return false;
    };
    // One buffer for the candidate names: this runs for every credential-like name.
    let mut sibling = String::with_capacity(prefix.len() + "_API_BASE_URL".len());
    [
        "_API_BASE",
        "_BASE_URL",
        "_API_BASE_URL",
        "_API_URL",
        "_ENDPOINT",
        "_URL",
        "_HOST",
    ]
    .iter()
    .find_map(|suffix| {
        sibling.clear();
        sibling.push_str(prefix);
        sibling.push_str(suffix);
        ctx.sibling_value(assignment, &sibling)
    })
    .is_some_and(is_local_url)
}

/// A URL on this machine, a private network or a Compose service (`http://ollama:11434`).
fn is_local_url(url: &str) -> bool {
    let host = crate::provider::url_host(url.trim()).to_ascii_lowercase();
    let private_ipv4 = |host: &str| {
        let octets: Vec<u8> = host
            .split('.')
            .filter_map(|part| part.parse().ok())
            .collect();
        match octets.as_slice() {
            [127 | 10, ..] | [0, 0, 0, 0] | [192, 168, ..] => octets.len() == 4,
            [172, second, ..] => octets.len() == 4 && (16..=31).contains(second),
            _ => false,
        }
    };
    !host.is_empty()
        && (host == "localhost"
            || host.ends_with(".localhost")
            || host.ends_with(".local")
            || host.ends_with(".internal")
            || host.starts_with('[')
            || private_ipv4(&host)
            || !host.contains('.'))
}

/// `COHERE_API_KEY`, `SERPAPI_API_TOKEN`: names of credentials sent to an API. Generic
/// secrets (`SECRET_KEY`, `JWT_SECRET`) are not checked: a placeholder there does not
/// cause a 401 from a provider.
fn is_api_credential_name(name: &str) -> bool {
    // "API" first: it rules out more names, and faster.
    contains_ignore_ascii_case(name, "API") && is_key_name(name)
}

/// What a value that is not a real key is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Filler {
    /// Text to be replaced: `your-api-key-here`, `sk-...`, `<KEY>`.
    Placeholder,
    /// A deliberate fake for tests: `fake`, `test-key`, `sk-fake-…`.
    TestStub,
}

/// Words that mark a placeholder.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "yours",
    "here",
    "insert",
    "paste",
    "put",
    "enter",
    "add",
    "replace",
    "change",
    "changeme",
    "replaceme",
    "changeit",
    "placeholder",
    "example",
    "sample",
    "todo",
    "tbd",
    "fixme",
    "redacted",
    "fill",
    "required",
    "xxx",
];

/// Words that mark a test stub.
const STUB_WORDS: &[&str] = &[
    "fake", "dummy", "mock", "stub", "test", "testing", "tests", "ci", "foo", "bar",
];

/// Words that describe a key instead of being one.
const DESCRIPTIVE_WORDS: &[&str] = &[
    "my",
    "the",
    "a",
    "an",
    "api",
    "apikey",
    "key",
    "keys",
    "token",
    "secret",
    "goes",
    "this",
    "is",
    "real",
    "actual",
    "own",
    "sk",
    "proj",
    "ant",
    "value",
    "please",
    "new",
    "access",
    "private",
    "personal",
    "with",
    "to",
    "be",
    "in",
    "me",
    "it",
    "for",
    "of",
    "and",
    "openai",
    "anthropic",
    "claude",
    "gemini",
    "google",
    "azure",
    "llm",
    "provider",
];

/// The most digits of a number [`filler`] takes for a word of a placeholder (`1234`).
const LONGEST_NUMBER: usize = 10;

/// The length of the longest word [`filler`] takes for a word of a placeholder: a word
/// from the lists above or a number.
const LONGEST_WORD: usize = {
    let lists = [PLACEHOLDER_WORDS, STUB_WORDS, DESCRIPTIVE_WORDS];
    let mut longest = LONGEST_NUMBER;
    let mut list = 0;
    while list < lists.len() {
        let mut word = 0;
        while word < lists[list].len() {
            if lists[list][word].len() > longest {
                longest = lists[list][word].len();
            }
            word += 1;
        }
        list += 1;
    }
    longest
};

/// Words a placeholder ends with when it only names the thing: `api-key`, `OPENAI_API_KEY`.
const NAMING_WORDS: &[&str] = &["key", "apikey", "token", "secret"];

/// Runs of digits a placeholder counts along (`12345`, `0123`).
const DIGIT_RUNS: [&str; 2] = [
    "123456789012345678901234567890",
    "012345678901234567890123456789",
];

/// Classic fake key bodies.
const FAKE_BODIES: &[&str] = &["abc", "abc123", "abcdef", "123abc", "qwerty", "asdf"];

/// The length of the longest of [`FAKE_BODIES`].
const LONGEST_FAKE_BODY: usize = {
    let mut longest = 0;
    let mut body = 0;
    while body < FAKE_BODIES.len() {
        if FAKE_BODIES[body].len() > longest {
            longest = FAKE_BODIES[body].len();
        }
        body += 1;
    }
    longest
};

/// Whether `key` is a placeholder or a test stub rather than a key.
pub(crate) fn filler(key: &str) -> Option<Filler> {
    // One scan for the first characters of the marks below: most keys hold none of them.
    let marked = memchr::memchr3(b'{', b'.', b'*', key.as_bytes()).is_some();
    let holds = |mark: &str| marked && key.contains(mark);
    // `${VAR}` and `{{ var }}` are filled in by something else before a program reads them.
    if key.is_empty() || is_interpolated(key) || holds("{{") {
        return None;
    }
    let bracketed =
        |open: char, close: char| key.len() >= 2 && key.starts_with(open) && key.ends_with(close);
    // `sk-proj-...Xy9Q` is a key copied from a masked display; keys never contain dots.
    if bracketed('<', '>')
        || bracketed('[', ']')
        || holds("...")
        // The one mark that is not ASCII: most keys are, told without a search for it.
        || !key.is_ascii() && key.contains('…')
        || holds("***")
    {
        return Some(Filler::Placeholder);
    }
    // Most values start with no prefix's first byte: no prefix is tried on them.
    let body = if crate::provider::KEY_PREFIX_START[usize::from(key.as_bytes()[0])] {
        crate::provider::KEY_PREFIXES
            .iter()
            .find_map(|prefix| key.strip_prefix(prefix))
            .unwrap_or(key)
    } else {
        key
    };
    // Judged in any letter case without a lowercase copy: most keys are told apart by
    // their first run of letters and digits, before any word is compared.
    let first = body
        .chars()
        .next()
        .map(|character| character.to_ascii_lowercase());
    if body.is_empty()
        || body.chars().all(|character| {
            matches!(
                character.to_ascii_lowercase(),
                '.' | '*' | 'x' | '•' | '#' | '?' | '-' | '_'
            )
        })
        || body
            .chars()
            .all(|character| Some(character.to_ascii_lowercase()) == first)
        // Checked by length first: most values are keys, longer than any run. The runs
        // are digits, which have no letter case.
        || (3..=DIGIT_RUNS[0].len()).contains(&body.len())
            && DIGIT_RUNS.iter().any(|run| run.contains(body))
    {
        return Some(Filler::Placeholder);
    }
    if body.len() <= LONGEST_FAKE_BODY
        && FAKE_BODIES
            .iter()
            .any(|fake| fake.eq_ignore_ascii_case(body))
    {
        return Some(Filler::TestStub);
    }
    // The first byte rules out most keys before any word is compared.
    let stub_start = matches!(
        body.as_bytes()[0].to_ascii_lowercase(),
        b'f' | b'd' | b'm' | b't' | b's'
    ) && ["fake", "dummy", "mock", "test", "stub"]
        .iter()
        .any(|word| {
            body.get(..word.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(word))
        })
        && key.chars().count() < 40;
    // A run of letters and digits longer than any word is none: most keys start with one,
    // told without splitting the whole key.
    let first_run = body
        .bytes()
        .skip_while(|byte| !byte.is_ascii_alphanumeric())
        .take_while(u8::is_ascii_alphanumeric)
        .take(LONGEST_WORD + 1)
        .count();
    if first_run > LONGEST_WORD {
        return stub_start.then_some(Filler::TestStub);
    }
    let lower = body.to_ascii_lowercase();
    // Split lazily: a key's first word is already not a word of a placeholder. Split by
    // bytes, not characters: the bytes of a non-ASCII character separate words as it does.
    let words = || {
        lower
            .as_bytes()
            .split(|byte| !byte.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
    };
    let among = |list: &[&str], word: &[u8]| list.iter().any(|listed| listed.as_bytes() == word);
    let is_word = |word: &[u8]| {
        among(PLACEHOLDER_WORDS, word)
            || among(STUB_WORDS, word)
            || among(DESCRIPTIVE_WORDS, word)
            || word.len() <= LONGEST_NUMBER && word.iter().all(u8::is_ascii_digit)
    };
    if !words().all(is_word) {
        return stub_start.then_some(Filler::TestStub);
    }
    if words().any(|word| among(STUB_WORDS, word)) || stub_start {
        Some(Filler::TestStub)
    } else if words().any(|word| among(PLACEHOLDER_WORDS, word))
        || words()
            .next_back()
            .is_some_and(|word| among(NAMING_WORDS, word))
    {
        Some(Filler::Placeholder)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{Filler, filler};
    use crate::provider::OPENAI_MARKER;
    use crate::rules::test_support::{MemoryProject, check, check_in_project};

    #[test]
    fn classifies_fillers() {
        for placeholder in [
            "sk-...",
            "sk-xxxx",
            "sk-your-key",
            "your-api-key-here",
            "your_openai_api_key",
            "<KEY>",
            "<your key>",
            "changeme",
            "change-me",
            "replace-me",
            "xxxxxxxx",
            "...",
            "TODO",
            "ADD_YOUR_KEY_HERE",
            "insert-key-here",
            "placeholder",
            "sk-proj-...Xy9Q",
            "sk-1234",
            "OPENAI_API_KEY",
            "api-key",
            "sk-",
            "[API_KEY]",
            "*****",
        ] {
            assert_eq!(
                filler(placeholder),
                Some(Filler::Placeholder),
                "{placeholder}"
            );
        }
        for stub in [
            "fake",
            "test",
            "test-key",
            "sk-fake-123",
            "this-is-a-test-key",
            "dummy",
            "sk-abc123",
            "fake-api-key",
            "sk-test",
        ] {
            assert_eq!(filler(stub), Some(Filler::TestStub), "{stub}");
        }
        let real = format!(
            "sk-proj-{}{OPENAI_MARKER}{}",
            "Q1w".repeat(25),
            "z9_".repeat(25)
        );
        for key in [
            real.as_str(),
            "0123456789abcdef0123456789abcdef",
            "ollama",
            "EMPTY",
            "lm-studio",
            "not-needed",
            "sk-or-v1-5f2a",
            "",
            "${OPENAI_API_KEY}",
        ] {
            assert_eq!(filler(key), None, "{key}");
        }
    }

    #[test]
    fn placeholders_in_real_files() {
        insta::assert_snapshot!(check("KL301", ".env", "OPENAI_API_KEY=your-api-key-here\nANTHROPIC_API_KEY=\"sk-ant-...\"\nGEMINI_API_KEY=<KEY>\nCOHERE_API_KEY=changeme\n"), @"
        1:16-1:33 error KL301: OPENAI_API_KEY holds a placeholder (…here, 17 chars), not a key: OpenAI rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        2:20-2:30 error KL301: ANTHROPIC_API_KEY holds a placeholder (10 chars), not a key: Anthropic rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        3:16-3:21 error KL301: GEMINI_API_KEY holds a placeholder (5 chars), not a key: Google Gemini rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        4:16-4:24 warning KL301: COHERE_API_KEY holds a placeholder (8 chars), not a key: the provider rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        ");
        insta::assert_snapshot!(check("KL301", "compose.yaml", "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-xxxx\n"), @"4:24-4:31 error KL301: OPENAI_API_KEY holds a placeholder (7 chars), not a key: OpenAI rejects it with 401 — put the real key (or a `${VAR}` reference) here");
    }

    #[test]
    fn test_stubs() {
        insta::assert_snapshot!(check("KL301", ".env", "OPENAI_API_KEY=sk-fake-key\n"), @"1:16-1:27 warning KL301: OPENAI_API_KEY holds what looks like a test key (11 chars): OpenAI rejects it with 401 — put the real key here if this file is used outside tests");
        insta::assert_snapshot!(check("KL301", ".env.test", "OPENAI_API_KEY=sk-fake-key\nANTHROPIC_API_KEY=your-key-here\n"), @"2:19-2:32 warning KL301: ANTHROPIC_API_KEY holds a placeholder (…here, 13 chars), not a key: Anthropic rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example");
        insta::assert_snapshot!(check("KL301", ".github/workflows/ci.yml", "jobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: fake\n      ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n"), @"");
        // A file named as a dummy holds stubs on purpose; a placeholder there is still
        // worth a warning.
        let stubs = "OPENAI_API_KEY=\"dummy_openai_key\"\nANTHROPIC_API_KEY=your-key-here\n";
        insta::assert_snapshot!(check("KL301", "ci/dummy-env-file.env", stubs), @"2:19-2:32 warning KL301: ANTHROPIC_API_KEY holds a placeholder (…here, 13 chars), not a key: Anthropic rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example");
        // The same lines in a deployed file, or a `.env` in a test directory: the stub is
        // a warning, the placeholder an error.
        assert_eq!(
            check("KL301", "tests/fixtures/.env", stubs),
            check("KL301", "deploy/.env", stubs)
        );
        insta::assert_snapshot!(check("KL301", "deploy/.env", stubs), @"
        1:17-1:33 warning KL301: OPENAI_API_KEY holds what looks like a test key (…_key, 16 chars): OpenAI rejects it with 401 — put the real key here if this file is used outside tests
        2:19-2:32 error KL301: ANTHROPIC_API_KEY holds a placeholder (…here, 13 chars), not a key: Anthropic rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example
        ");
    }

    #[test]
    fn every_container_and_step_is_judged() {
        insta::assert_snapshot!(check("KL301", ".github/workflows/e2e.yml", "jobs:\n  e2e:\n    env:\n      OPENAI_API_KEY: your-key-here\n    steps:\n      - run: make e2e\n        env:\n          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n"), @"4:23-4:36 warning KL301: OPENAI_API_KEY holds a placeholder (…here, 13 chars), not a key: OpenAI rejects it with 401 — put the real key (or a `${VAR}` reference) here");
    }

    #[test]
    fn anchored_entries_are_reported_once() {
        insta::assert_snapshot!(check("KL301", "compose.yaml", "x-env: &env\n  OPENAI_API_KEY: your-key-here\nservices:\n  a:\n    environment:\n      <<: *env\n  b:\n    environment:\n      <<: *env\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n"), @"2:19-2:32 error KL301: OPENAI_API_KEY holds a placeholder (…here, 13 chars), not a key: OpenAI rejects it with 401 — put the real key (or a `${VAR}` reference) here");
    }

    #[test]
    fn a_local_server_takes_any_key() {
        // A server of the same prefix on a local host, and a LiteLLM proxy whose master key
        // the project sets, accept a dev key; the same key for a remote service is caught.
        insta::assert_snapshot!(check("KL301", ".env", "LM_STUDIO_API_BASE=http://host.docker.internal:1234\nLM_STUDIO_API_KEY=1234\nVLLM_API_KEY=sk-1234\nVLLM_BASE_URL=http://vllm:8000/v1\nSERP_API_KEY=1234\nSERP_API_URL=https://serpapi.com\n"), @"5:14-5:18 warning KL301: SERP_API_KEY holds a placeholder (4 chars), not a key: the provider rejects it with 401 — put the real key here, and keep placeholders in a template such as .env.example");
        let project = MemoryProject {
            set_names: ["LITELLM_MASTER_KEY".to_string()].into(),
            ..MemoryProject::default()
        };
        insta::assert_snapshot!(check_in_project("KL301", "compose.yaml", "services:\n  app:\n    environment:\n      LITELLM_API_KEY: sk-1234\n", &project), @"");
        insta::assert_snapshot!(check("KL301", "compose.yaml", "services:\n  app:\n    environment:\n      LITELLM_API_KEY: sk-1234\n"), @"4:24-4:31 warning KL301: LITELLM_API_KEY holds a placeholder (7 chars), not a key: the provider rejects it with 401 — put the real key (or a `${VAR}` reference) here");
    }

    #[test]
    fn near_misses() {
        // Templates, interpolation, a local endpoint, empty values, generic secrets, real keys.
        insta::assert_snapshot!(check("KL301", ".env.example", "OPENAI_API_KEY=your-api-key-here\n"), @"");
        let real = format!(
            "sk-proj-{}{OPENAI_MARKER}{}",
            "A".repeat(74),
            "b".repeat(74)
        );
        let text = format!(
            "OPENAI_API_KEY={real}\nANTHROPIC_API_KEY=${{ANTHROPIC_API_KEY}}\nGEMINI_API_KEY=\nSECRET_KEY=changeme\nJWT_SECRET=changeme\nDEBUG=TODO\n"
        );
        insta::assert_snapshot!(check("KL301", ".env", &text), @"");
        insta::assert_snapshot!(check("KL301", ".env", "OPENAI_API_KEY=dummy\nOPENAI_BASE_URL=http://localhost:11434/v1\n"), @"");
        insta::assert_snapshot!(check("KL301", "compose.yaml", "services:\n  api:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY:-}\n      ANTHROPIC_API_KEY:\n"), @"");
    }
}

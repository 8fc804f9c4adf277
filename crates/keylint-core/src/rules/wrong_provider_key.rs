//! KL303 wrong-provider-key: another provider's key in a provider's variable.

use crate::diagnostic::{Diagnostic, Severity};
use crate::provider::{self, KeyKind, Provider, Role};
use crate::rules::helpers::keep_first_at_each_spot;
use crate::rules::helpers::{
    Expectation, judge_key, key_range, push_detail, push_with_article, sure_shape,
};
use crate::rules::{Context, FixAvailability, Rule};

pub(crate) struct WrongProviderKey;

impl Rule for WrongProviderKey {
    const CODE: &'static str = "KL303";
    const NAME: &'static str = "wrong-provider-key";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "Another provider's key in a provider's variable (an Anthropic key in OPENAI_API_KEY)";
    const DOC: &'static str = r#"
## What it does
Finds a key whose shape says it belongs to another provider than the variable that holds
it: an Anthropic key (`sk-ant-…`) in `OPENAI_API_KEY`, a Google key (`AIza…`) in
`ANTHROPIC_API_KEY`, an OpenAI key (`sk-proj-…`) in `GEMINI_API_KEY`, a 32-hex Azure key
in `OPENAI_API_KEY`.

The key is judged against the endpoint beside it. When `OPENAI_BASE_URL` (or
`OPENAI_API_BASE`, `ANTHROPIC_BASE_URL`) points at another provider's OpenAI-compatible
API, that provider's key is right and an OpenAI key is wrong; when it points at a local or
unknown host (Ollama, vLLM, LiteLLM, a proxy), any key may be right and nothing is
reported. `AZURE_OPENAI_ENDPOINT` or `OPENAI_API_TYPE=azure` beside `OPENAI_API_KEY` makes
an Azure key right. An Azure endpoint with a non-Azure key is KL404's business.

## Why is this bad?
Each provider only knows its own keys. A key pasted into the wrong variable is sent to the
wrong API, which answers `401 invalid_api_key` although the key itself is fine.

## Example
```shell
OPENAI_API_KEY=sk-ant-api03-…
```

Use instead:
```shell
ANTHROPIC_API_KEY=sk-ant-api03-…
OPENAI_API_KEY=sk-proj-…
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let Expectation::Provider {
                provider: expected,
                endpoint,
                azure_ok,
            } = ctx.expectation(index)
            else {
                continue;
            };
            let wrong = |key: &str| {
                wrong_kind(ctx, index, key, expected, azure_ok).filter(|kind| {
                    // An Azure endpoint with another key, or an Azure key with an endpoint
                    // that is not Azure's, is KL404 endpoint-key-mismatch.
                    endpoint.is_none()
                        || (expected != Provider::AzureOpenAi
                            && kind.provider() != Provider::AzureOpenAi)
                })
            };
            let Some((judgement, key)) = judge_key(ctx, index, |key| wrong(key).is_some()) else {
                continue;
            };
            let Some(kind) = wrong(&key) else { continue };
            // Written into one buffer: this is one of the most frequent findings.
            let mut message = String::with_capacity(256);
            message.push_str(&assignment.name);
            message.push_str(" holds ");
            push_with_article(&mut message, kind.description());
            message.push_str(" (");
            push_detail(&mut message, &judgement, &key);
            let pieces: &[&str] = match endpoint {
                Some(endpoint) => &[
                    "), but ",
                    endpoint,
                    " points at ",
                    expected.display_name(),
                    ", which expects ",
                    expected_key(expected),
                    " — use a ",
                    expected.display_name(),
                    " key here, or point ",
                    endpoint,
                    " at ",
                    kind.provider().display_name(),
                ],
                None => &[
                    "); ",
                    expected.display_name(),
                    " rejects it with 401 — move it to ",
                    key_variable_name(kind.provider()),
                    " and put ",
                    expected_key(expected),
                    " here",
                ],
            };
            for piece in pieces {
                message.push_str(piece);
            }
            out.push(Self::diagnostic(
                judgement.severity,
                key_range(ctx, assignment),
                message,
            ));
        }
        keep_first_at_each_spot(out, start);
    }
}

/// The kind of a key that belongs to another provider than `expected`.
fn wrong_kind(
    ctx: &Context,
    index: usize,
    key: &str,
    expected: Provider,
    azure_ok: bool,
) -> Option<KeyKind> {
    if ctx.filler(index, key).is_some() {
        return None;
    }
    let shape = sure_shape(ctx, index, key)?;
    let provider = shape.kind.provider();
    let accepted = provider == expected || azure_ok && provider == Provider::AzureOpenAi;
    (!accepted).then_some(shape.kind)
}

/// "an OpenAI key", for messages.
pub(crate) fn expected_key(provider: Provider) -> &'static str {
    match provider {
        Provider::OpenAi => "an OpenAI key",
        Provider::AzureOpenAi => "an Azure OpenAI key",
        Provider::Anthropic => "an Anthropic key",
        Provider::Gemini => "a Google API key",
    }
}

/// The variable the official SDK reads a provider's key from.
pub(crate) fn key_variable_name(provider: Provider) -> &'static str {
    provider::VARIABLES
        .iter()
        .find(|known| {
            known.provider == provider && known.role == Role::ApiKey && known.alias_of.is_none()
        })
        .map_or("the provider's variable", |known| known.name)
}

#[cfg(test)]
mod tests {
    use crate::provider::OPENAI_MARKER;
    use crate::rules::test_support::{check, check_with};

    fn openai_key() -> String {
        format!(
            "sk-proj-{}{OPENAI_MARKER}{}",
            "A".repeat(74),
            "b".repeat(74)
        )
    }

    fn anthropic_key() -> String {
        format!("sk-ant-api03-{}-{}AA", "C".repeat(80), "d".repeat(10))
    }

    fn gemini_key() -> String {
        format!("AIza{}", "E".repeat(35))
    }

    #[test]
    fn another_providers_key() {
        let text = format!(
            "OPENAI_API_KEY={}\nANTHROPIC_API_KEY={}\nGEMINI_API_KEY={}\n",
            anthropic_key(),
            gemini_key(),
            openai_key()
        );
        insta::assert_snapshot!(check("KL303", ".env", &text), @"
        1:16-1:122 error KL303: OPENAI_API_KEY holds an Anthropic API key (sk-ant-api03-…ddAA, 106 chars); OpenAI rejects it with 401 — move it to ANTHROPIC_API_KEY and put an OpenAI key here
        3:16-3:180 error KL303: GEMINI_API_KEY holds an OpenAI project key (sk-proj-…bbbb, 164 chars); Google Gemini rejects it with 401 — move it to OPENAI_API_KEY and put a Google API key here
        ");
    }

    #[test]
    fn azure_key_in_openai_variable() {
        let key = "0123456789abcdef0123456789abcdef";
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={key}\n")), @"1:16-1:48 error KL303: OPENAI_API_KEY holds an Azure OpenAI key (…cdef, 32 chars); OpenAI rejects it with 401 — move it to AZURE_OPENAI_API_KEY and put an OpenAI key here");
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={key}\nOPENAI_API_TYPE=azure\n")), @"");
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={key}\nAZURE_OPENAI_ENDPOINT=https://x.openai.azure.com/\n")), @"");
    }

    #[test]
    fn judged_against_the_endpoint() {
        let gemini_compatible =
            "OPENAI_BASE_URL=https://generativelanguage.googleapis.com/v1beta/openai/\n";
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={}\n{gemini_compatible}", gemini_key())), @"");
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={}\n{gemini_compatible}", openai_key())), @"1:16-1:180 error KL303: OPENAI_API_KEY holds an OpenAI project key (sk-proj-…bbbb, 164 chars), but OPENAI_BASE_URL points at Google Gemini, which expects a Google API key — use a Google Gemini key here, or point OPENAI_BASE_URL at OpenAI");
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={}\nOPENAI_BASE_URL=http://localhost:11434/v1\n", anthropic_key())), @"");
        insta::assert_snapshot!(check("KL303", ".env", &format!("OPENAI_API_KEY={}\nOPENAI_BASE_URL=${{GATEWAY_URL}}\n", anthropic_key())), @"");
    }

    #[test]
    fn compose_and_loader_disagreement() {
        let text = format!(
            "services:\n  api:\n    environment:\n      ANTHROPIC_API_KEY: {}\n      OPENAI_API_KEY: ${{OPENAI_API_KEY}}\n",
            openai_key()
        );
        insta::assert_snapshot!(check("KL303", "compose.yaml", &text), @"4:26-4:190 error KL303: ANTHROPIC_API_KEY holds an OpenAI project key (sk-proj-…bbbb, 164 chars); Anthropic rejects it with 401 — move it to OPENAI_API_KEY and put an Anthropic key here");
        // dotenvy keeps the first copy: only it gets the Anthropic key.
        let text = format!(
            "OPENAI_API_KEY={}\nOPENAI_API_KEY={}\n",
            anthropic_key(),
            openai_key()
        );
        insta::assert_snapshot!(check("KL303", ".env", &text), @"1:16-1:122 warning KL303: OPENAI_API_KEY holds an Anthropic API key (sk-ant-api03-…ddAA, 106 chars, as dotenvy reads it); OpenAI rejects it with 401 — move it to ANTHROPIC_API_KEY and put an OpenAI key here");
        insta::assert_snapshot!(check_with("KL303", ".env", &text, &[crate::consumer::Consumer::PythonDotenv]), @"");
    }

    #[test]
    fn near_misses() {
        // Right keys, other services' `sk-` keys, placeholders, templates.
        let text = format!(
            "OPENAI_API_KEY={}\nANTHROPIC_API_KEY={}\nGEMINI_API_KEY={}\nGOOGLE_API_KEY={}\n",
            openai_key(),
            anthropic_key(),
            gemini_key(),
            gemini_key()
        );
        insta::assert_snapshot!(check("KL303", ".env", &text), @"");
        insta::assert_snapshot!(check("KL303", ".env", "ANTHROPIC_API_KEY=sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef\nOPENAI_API_KEY=sk-ant-...\nDEEPSEEK_API_KEY=sk-ant-api03-abc\n"), @"");
        insta::assert_snapshot!(check("KL303", ".env.example", &format!("OPENAI_API_KEY={}\n", anthropic_key())), @"");
    }

    #[test]
    fn realistic_clean_configs_stay_silent() {
        fn body(length: usize) -> String {
            "Zr8Kp2Lq9Xv4Mn7B".chars().cycle().take(length).collect()
        }
        let openai = format!("sk-proj-{}{OPENAI_MARKER}{}", body(74), body(74));
        let anthropic = format!("sk-ant-api03-{}-{}AA", body(80), body(10));
        let gemini = format!("AIza{}", body(35));
        let files: Vec<(&str, String)> = vec![
            (".env", format!("# LLM\nOPENAI_API_KEY={openai}\nOPENAI_ORG_ID=org-abc\nANTHROPIC_API_KEY='{anthropic}'\nexport GEMINI_API_KEY=\"{gemini}\"\nOPENAI_MODEL=gpt-4o\nDATABASE_URL=postgres://u:p@db/x\nSECRET_KEY=changeme\nLANGCHAIN_API_KEY=\nHF_TOKEN=hf_abc\n")),
            (".env.local", "OPENAI_API_KEY=ollama\nOPENAI_BASE_URL=http://localhost:11434/v1\nAZURE_OPENAI_API_KEY=0123456789abcdef0123456789abcdef\nAZURE_OPENAI_ENDPOINT=https://myres.openai.azure.com/\nOPENAI_API_VERSION=2024-06-01\n".to_string()),
            (".env.deepseek", format!("OPENAI_API_KEY=sk-{}\nOPENAI_BASE_URL=https://api.deepseek.com/v1\nOPENROUTER_API_KEY=sk-or-v1-{}\n", body(32), body(64))),
            (".env.example", "OPENAI_API_KEY=sk-...\nANTHROPIC_API_KEY=your-key-here\nGEMINI_API_KEY=\n".to_string()),
            ("docker-compose.yml", "services:\n  app:\n    image: ghcr.io/x/app:latest\n    env_file: .env\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n      - ANTHROPIC_API_KEY\n  weaviate:\n    image: semitechnologies/weaviate:1.24.1\n    environment:\n      OPENAI_APIKEY: $OPENAI_API_KEY\n  litellm:\n    image: ghcr.io/berriai/litellm:main\n    environment:\n      LITELLM_MASTER_KEY: sk-1234\n      OPENAI_API_KEY: ${OPENAI_API_KEY:?set it}\n".to_string()),
            (".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n      ANTHROPIC_API_KEY: fake-key\n    steps:\n      - run: pytest\n        env:\n          GEMINI_API_KEY: test\n".to_string()),
            ("k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: OPENAI_API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: llm\n                  key: openai-api-key\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\nstringData:\n  openai-api-key: ${OPENAI_API_KEY}\n".to_string()),
            ("chart/values.yaml", "env:\n  openaiApiKey: \"\"\n  OPENAI_API_KEY: \"\"\n".to_string()),
        ];
        for (path, text) in &files {
            for rules in ["KL2", "KL3"] {
                assert_eq!(check(rules, path, text), "", "{rules} on {path}");
            }
        }
    }
}

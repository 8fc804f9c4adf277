//! KL404 endpoint-key-mismatch: a key sent to an endpoint of another provider.

use crate::assignment::Assignment;
use crate::diagnostic::{Diagnostic, Severity};
use crate::mask::mask_secret;
use crate::provider::{self, KeyKind, KeyShape, Provider, Role};
use crate::rules::{Context, FixAvailability, Rule, Syntax};

pub(crate) struct EndpointKeyMismatch;

impl Rule for EndpointKeyMismatch {
    const CODE: &'static str = "KL404";
    const NAME: &'static str = "endpoint-key-mismatch";
    const SEVERITY: Severity = Severity::Error;
    const FIX: FixAvailability = FixAvailability::None;
    const SUMMARY: &'static str =
        "An Azure endpoint with an OpenAI `sk-` key, or an Azure key with api.openai.com";
    const DOC: &'static str = r#"
## What it does
Compares the key with the endpoint beside it (same file, same Compose service,
Kubernetes object or workflow job):

- an OpenAI key (`sk-…`) in `OPENAI_API_KEY` while `OPENAI_BASE_URL` points at an Azure
  OpenAI resource (`*.openai.azure.com`), or in `AZURE_OPENAI_API_KEY` beside an Azure
  endpoint: an error;
- an Azure OpenAI key (32 hex digits) in `OPENAI_API_KEY` while `OPENAI_BASE_URL` is
  `https://api.openai.com`: an error;
- the same Azure key with no endpoint at all, which sends it to api.openai.com unless
  the program builds the Azure URL itself, and an OpenAI key in `OPENAI_API_KEY` as the
  only key beside `AZURE_OPENAI_ENDPOINT`, which Azure clients that fall back to
  `OPENAI_API_KEY` (LangChain's `AzureChatOpenAI`) send to Azure: warnings.

A local or unknown host (a proxy, LiteLLM, Ollama) accepts any key, so nothing is
reported for it, nor for keys that do not look real (placeholders are KL301's job).

## Why is this bad?
An OpenAI key means nothing to an Azure resource and an Azure key means nothing to
api.openai.com: every request fails with 401 although both the key and the endpoint
are right on their own.

## Example
```dotenv
OPENAI_BASE_URL=https://my-resource.openai.azure.com/openai/v1/
OPENAI_API_KEY=sk-proj-…
```

Use instead:
```dotenv
OPENAI_BASE_URL=https://my-resource.openai.azure.com/openai/v1/
OPENAI_API_KEY=0123456789abcdef…   # Key 1 from the resource's "Keys and Endpoint" page
```
"#;

    fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.is_template {
            return;
        }
        // Every name that may hold an Azure key, known or from the config: gathered once,
        // as each OpenAI key variable asks whether one is set beside it.
        let azure_key_names: Vec<&str> = provider::VARIABLES
            .iter()
            .map(|known| known.name)
            .chain(
                ctx.settings
                    .extra_variables
                    .api_keys
                    .iter()
                    .map(|(name, _)| name.as_str()),
            )
            .filter(|&name| ctx.key_variable_provider(name) == Some(Provider::AzureOpenAi))
            .collect();
        // The endpoints beside a key depend on its scope alone: found once per scope.
        let mut by_scope: Vec<Endpoints> = Vec::new();
        let mut scope_index: foldhash::HashMap<Option<&str>, usize> = foldhash::HashMap::default();
        for (index, assignment) in ctx.assignments().iter().enumerate() {
            let Some(variable_provider) = ctx.key_variable_provider(&assignment.name) else {
                continue;
            };
            if !matches!(variable_provider, Provider::OpenAi | Provider::AzureOpenAi) {
                continue;
            }
            let scope = assignment.scope.as_deref();
            let at = *scope_index.entry(scope).or_insert_with(|| {
                by_scope.push(Endpoints::near(ctx, assignment, &azure_key_names));
                by_scope.len() - 1
            });
            let endpoints = &by_scope[at];
            let mismatched = |value: &str| {
                real_looking_key(ctx, index, value).is_some_and(|(_, shape)| {
                    mismatch(variable_provider, shape.kind, endpoints).is_some()
                })
            };
            // Judged only when some loader gets a key that does not match: most do not.
            if !ctx.any_outcome(index, |outcome| outcome.value().is_some_and(mismatched)) {
                continue;
            }
            let Some(judgement) = ctx.judge(index, Syntax::Accidental, |_, outcome| {
                let value = outcome.value()?;
                mismatched(value).then(|| mask_secret(clean(value)))
            }) else {
                continue;
            };
            let first = judgement.broken[0].0;
            let Some((key, shape)) = ctx
                .parsed
                .outcome(index, first)
                .and_then(|outcome| real_looking_key(ctx, index, outcome.value()?))
            else {
                continue;
            };
            let Some(found) = mismatch(variable_provider, shape.kind, endpoints) else {
                continue;
            };
            let name = &assignment.name;
            let masked = mask_secret(key);
            let kind = shape.kind.description();
            let (severity, message) = match found {
                Mismatch::OpenAiKeyToAzure { endpoint, host } => (
                    Severity::Error,
                    format!(
                        "{name} holds an {kind} ({masked}) but {endpoint} points at Azure OpenAI ({host}), which only accepts the resource's own key — use Key 1 from the resource's \"Keys and Endpoint\" page"
                    ),
                ),
                Mismatch::OpenAiKeyBesideAzureOnly { host } => (
                    Severity::Warning,
                    format!(
                        "{name} holds an {kind} ({masked}) and is the only key beside AZURE_OPENAI_ENDPOINT ({host}): Azure clients that fall back to {name} (LangChain's AzureChatOpenAI) send it to Azure, which rejects it — set AZURE_OPENAI_API_KEY to the resource's key"
                    ),
                ),
                Mismatch::AzureKeyToOpenAi { endpoint } => (
                    Severity::Error,
                    format!(
                        "{name} holds an {kind} ({masked}) but {endpoint} points at api.openai.com, which rejects it — point {endpoint} at the Azure resource (https://RESOURCE.openai.azure.com/openai/v1/) or use an OpenAI key"
                    ),
                ),
                Mismatch::AzureKeyWithoutEndpoint => (
                    Severity::Warning,
                    format!(
                        "{name} holds an {kind} ({masked}) but no endpoint is set here, so the OpenAI SDK sends it to api.openai.com, which rejects it — set OPENAI_BASE_URL to the Azure resource (https://RESOURCE.openai.azure.com/openai/v1/), unless the program builds the Azure URL itself"
                    ),
                ),
            };
            let severity = severity.min(judgement.severity);
            out.push(Self::diagnostic(
                severity,
                assignment.value_range.clone(),
                message,
            ));
        }
    }
}

/// What a base-URL variable in scope says.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Endpoint {
    /// Not set, or empty.
    Unset,
    /// Interpolated or otherwise not a URL keylint can read: anything may be right.
    Unknown,
    /// The variable, the provider of its host (`None` for local and unknown hosts) and the host.
    Url(String, Option<Provider>, String),
}

/// The endpoints that decide where a key in this scope is sent.
struct Endpoints {
    /// `OPENAI_BASE_URL` (or `OPENAI_API_BASE`): where the OpenAI SDK sends `OPENAI_API_KEY`.
    openai_base: Endpoint,
    /// `AZURE_OPENAI_ENDPOINT`: where Azure clients send `AZURE_OPENAI_API_KEY`.
    azure_endpoint: Endpoint,
    /// An Azure key variable with a value, so `OPENAI_API_KEY` is not the Azure fallback.
    has_azure_key: bool,
    /// `OPENAI_API_TYPE=azure`: openai-python before 1.0 built the Azure URL itself.
    legacy_azure_type: bool,
}

impl Endpoints {
    fn near(ctx: &Context, near: &Assignment, azure_key_names: &[&str]) -> Endpoints {
        let endpoint = |provider: Provider| {
            provider::VARIABLES
                .iter()
                .filter(|known| known.role == Role::BaseUrl && known.provider == provider)
                .find_map(|known| {
                    let &index = ctx.named(known.name, near.scope.as_deref()).last()?;
                    // Checked as written: some loaders expand `${…}` to an empty value.
                    let written = ctx.slice(ctx.assignments()[index].value_range.clone());
                    let value = clean(ctx.some_value(index).unwrap_or_default());
                    Some(
                        if written.contains('$') || !value.is_empty() && !value.contains('.') {
                            Endpoint::Unknown
                        } else if value.is_empty() {
                            Endpoint::Unset
                        } else {
                            Endpoint::Url(
                                known.name.to_string(),
                                provider::provider_of_url(value),
                                crate::provider::url_host(value).to_string(),
                            )
                        },
                    )
                })
                .unwrap_or(Endpoint::Unset)
        };
        let has_azure_key = azure_key_names.iter().any(|name| {
            ctx.sibling_value(near, name)
                .is_some_and(|value| !clean(value).is_empty())
        });
        Endpoints {
            openai_base: endpoint(Provider::OpenAi),
            azure_endpoint: endpoint(Provider::AzureOpenAi),
            has_azure_key,
            legacy_azure_type: ctx
                .sibling_value(near, "OPENAI_API_TYPE")
                .is_some_and(|value| clean(value).eq_ignore_ascii_case("azure")),
        }
    }
}

enum Mismatch {
    OpenAiKeyToAzure { endpoint: String, host: String },
    OpenAiKeyBesideAzureOnly { host: String },
    AzureKeyToOpenAi { endpoint: String },
    AzureKeyWithoutEndpoint,
}

/// Whether a key of this kind, held by a key variable of `variable_provider`, goes to an
/// endpoint that rejects it.
fn mismatch(variable_provider: Provider, kind: KeyKind, endpoints: &Endpoints) -> Option<Mismatch> {
    let azure_url = |endpoint: &Endpoint| match endpoint {
        Endpoint::Url(name, Some(Provider::AzureOpenAi), host) => {
            Some((name.clone(), host.clone()))
        }
        _ => None,
    };
    match (variable_provider, kind.provider()) {
        (Provider::AzureOpenAi, Provider::OpenAi) => azure_url(&endpoints.azure_endpoint)
            .or_else(|| azure_url(&endpoints.openai_base))
            .map(|(endpoint, host)| Mismatch::OpenAiKeyToAzure { endpoint, host }),
        (Provider::OpenAi, Provider::OpenAi) => {
            if let Some((endpoint, host)) = azure_url(&endpoints.openai_base) {
                Some(Mismatch::OpenAiKeyToAzure { endpoint, host })
            } else if endpoints.openai_base == Endpoint::Unset && !endpoints.has_azure_key {
                azure_url(&endpoints.azure_endpoint)
                    .map(|(_, host)| Mismatch::OpenAiKeyBesideAzureOnly { host })
            } else {
                None
            }
        }
        (Provider::OpenAi, Provider::AzureOpenAi) => match &endpoints.openai_base {
            Endpoint::Url(endpoint, Some(Provider::OpenAi), _) => {
                Some(Mismatch::AzureKeyToOpenAi {
                    endpoint: endpoint.clone(),
                })
            }
            Endpoint::Unset
                if endpoints.azure_endpoint == Endpoint::Unset && !endpoints.legacy_azure_type =>
            {
                Some(Mismatch::AzureKeyWithoutEndpoint)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A value without the blanks and quotes other rules report on.
fn clean(value: &str) -> &str {
    value.trim_matches(|character: char| {
        character.is_whitespace() || matches!(character, '"' | '\'' | '“' | '”')
    })
}

/// The value when it looks like a real key of some provider: right length and
/// characters, and the OpenAI marker where it applies. Placeholders and truncated keys
/// are other rules' business. `value` is one assignment `index` holds.
fn real_looking_key<'v>(
    ctx: &Context,
    index: usize,
    value: &'v str,
) -> Option<(&'v str, KeyShape)> {
    let key = clean(value);
    let shape = ctx.key_shape(index, key)?;
    let real = shape.length_ok
        && shape.charset_ok
        && shape.has_marker != Some(false)
        && !matches!(shape.kind, KeyKind::AnthropicApi | KeyKind::AnthropicAdmin);
    real.then_some((key, shape))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check;

    fn openai_key() -> String {
        format!(
            "sk-proj-{}{}{}",
            "A".repeat(74),
            crate::provider::OPENAI_MARKER,
            "b".repeat(74)
        )
    }

    const AZURE_KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn openai_key_sent_to_azure() {
        let key = openai_key();
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_BASE_URL=https://my-res.openai.azure.com/openai/v1/\nOPENAI_API_KEY={key}\n")), @r#"2:16-2:180 error KL404: OPENAI_API_KEY holds an OpenAI project key (sk-proj-…bbbb (164 chars)) but OPENAI_BASE_URL points at Azure OpenAI (my-res.openai.azure.com), which only accepts the resource's own key — use Key 1 from the resource's "Keys and Endpoint" page"#);
        insta::assert_snapshot!(check("KL404", "compose.yaml", &format!("services:\n  api:\n    environment:\n      AZURE_OPENAI_ENDPOINT: https://my-res.openai.azure.com\n      AZURE_OPENAI_API_KEY: \"{key}\"\n")), @r#"5:29-5:195 error KL404: AZURE_OPENAI_API_KEY holds an OpenAI project key (sk-proj-…bbbb (164 chars)) but AZURE_OPENAI_ENDPOINT points at Azure OpenAI (my-res.openai.azure.com), which only accepts the resource's own key — use Key 1 from the resource's "Keys and Endpoint" page"#);
    }

    #[test]
    fn openai_key_as_the_only_key_beside_an_azure_endpoint() {
        let key = openai_key();
        insta::assert_snapshot!(check("KL404", ".env", &format!("AZURE_OPENAI_ENDPOINT=https://my-res.openai.azure.com/\nOPENAI_API_KEY={key}\n")), @"2:16-2:180 warning KL404: OPENAI_API_KEY holds an OpenAI project key (sk-proj-…bbbb (164 chars)) and is the only key beside AZURE_OPENAI_ENDPOINT (my-res.openai.azure.com): Azure clients that fall back to OPENAI_API_KEY (LangChain's AzureChatOpenAI) send it to Azure, which rejects it — set AZURE_OPENAI_API_KEY to the resource's key");
    }

    #[test]
    fn azure_key_sent_to_openai() {
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_BASE_URL=https://api.openai.com/v1\nOPENAI_API_KEY={AZURE_KEY}\n")), @"2:16-2:48 error KL404: OPENAI_API_KEY holds an Azure OpenAI key (…cdef (32 chars)) but OPENAI_BASE_URL points at api.openai.com, which rejects it — point OPENAI_BASE_URL at the Azure resource (https://RESOURCE.openai.azure.com/openai/v1/) or use an OpenAI key");
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_API_KEY={AZURE_KEY}\n")), @"1:16-1:48 warning KL404: OPENAI_API_KEY holds an Azure OpenAI key (…cdef (32 chars)) but no endpoint is set here, so the OpenAI SDK sends it to api.openai.com, which rejects it — set OPENAI_BASE_URL to the Azure resource (https://RESOURCE.openai.azure.com/openai/v1/), unless the program builds the Azure URL itself");
    }

    #[test]
    fn near_misses() {
        let key = openai_key();
        // Both providers configured side by side.
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_API_KEY={key}\nAZURE_OPENAI_ENDPOINT=https://my-res.openai.azure.com/\nAZURE_OPENAI_API_KEY={AZURE_KEY}\n")), @"");
        // A local proxy accepts any key; an interpolated endpoint is unknown.
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_BASE_URL=http://localhost:4000\nOPENAI_API_KEY={key}\n")), @"");
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_BASE_URL=${{AZURE_BASE}}\nOPENAI_API_KEY={AZURE_KEY}\n")), @"");
        // The Azure key goes where it belongs.
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_BASE_URL=https://my-res.openai.azure.com/openai/v1/\nOPENAI_API_KEY={AZURE_KEY}\n")), @"");
        insta::assert_snapshot!(check("KL404", ".env", &format!("AZURE_OPENAI_ENDPOINT=https://my-res.openai.azure.com/\nOPENAI_API_KEY={AZURE_KEY}\n")), @"");
        insta::assert_snapshot!(check("KL404", ".env", &format!("OPENAI_API_TYPE=azure\nOPENAI_API_KEY={AZURE_KEY}\n")), @"");
        // Placeholders are KL301's; other services are other scopes; templates are skipped.
        insta::assert_snapshot!(check("KL404", ".env", "OPENAI_BASE_URL=https://my-res.openai.azure.com/\nOPENAI_API_KEY=sk-...\n"), @"");
        insta::assert_snapshot!(check("KL404", "compose.yaml", &format!("services:\n  api:\n    environment:\n      OPENAI_BASE_URL: https://my-res.openai.azure.com/\n  worker:\n    environment:\n      OPENAI_API_KEY: {key}\n")), @"");
        insta::assert_snapshot!(check("KL404", ".env.example", &format!("OPENAI_API_KEY={AZURE_KEY}\n")), @"");
    }
}

//! Provider facts as data: variable names, key shapes, id formats and hosts for
//! OpenAI, Azure OpenAI, Anthropic and Gemini. Rules read this table; they hold no
//! provider facts of their own. Key lengths are tolerant ranges, never exact:
//! the providers do not publish lengths, and the lengths seen have changed before.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    OpenAi,
    AzureOpenAi,
    Anthropic,
    Gemini,
}

impl Provider {
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::OpenAi => "OpenAI",
            Provider::AzureOpenAi => "Azure OpenAI",
            Provider::Anthropic => "Anthropic",
            Provider::Gemini => "Google Gemini",
        }
    }

    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::AzureOpenAi => "azure-openai",
            Provider::Anthropic => "anthropic",
            Provider::Gemini => "gemini",
        }
    }

    #[must_use]
    pub fn from_id(id: &str) -> Option<Provider> {
        [
            Provider::OpenAi,
            Provider::AzureOpenAi,
            Provider::Anthropic,
            Provider::Gemini,
        ]
        .into_iter()
        .find(|provider| provider.id() == id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    ApiKey,
    Organization,
    Project,
    BaseUrl,
    ApiVersion,
}

/// A variable name some program reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownVariable {
    pub name: &'static str,
    pub provider: Provider,
    pub role: Role,
    /// `None`: the official SDK reads this name. `Some(canonical)`: only some programs
    /// read it; the SDK reads `canonical`.
    pub alias_of: Option<&'static str>,
    /// Who reads an alias, for messages.
    pub read_by: &'static str,
}

const fn canonical(name: &'static str, provider: Provider, role: Role) -> KnownVariable {
    KnownVariable {
        name,
        provider,
        role,
        alias_of: None,
        read_by: "the official SDK",
    }
}

const fn alias(
    name: &'static str,
    provider: Provider,
    role: Role,
    canonical: &'static str,
    read_by: &'static str,
) -> KnownVariable {
    KnownVariable {
        name,
        provider,
        role,
        alias_of: Some(canonical),
        read_by,
    }
}

use Provider::{Anthropic, AzureOpenAi, Gemini, OpenAi};
use Role::{ApiKey, ApiVersion, BaseUrl, Organization, Project};

pub const VARIABLES: &[KnownVariable] = &[
    canonical("OPENAI_API_KEY", OpenAi, ApiKey),
    canonical("OPENAI_ORG_ID", OpenAi, Organization),
    canonical("OPENAI_PROJECT_ID", OpenAi, Project),
    canonical("OPENAI_BASE_URL", OpenAi, BaseUrl),
    alias(
        "OPENAI_ORGANIZATION",
        OpenAi,
        Organization,
        "OPENAI_ORG_ID",
        "LiteLLM and aider",
    ),
    alias(
        "OPENAI_ORGANIZATION_ID",
        OpenAi,
        Organization,
        "OPENAI_ORG_ID",
        "some applications",
    ),
    alias(
        "OPENAI_API_BASE",
        OpenAi,
        BaseUrl,
        "OPENAI_BASE_URL",
        "openai-python before 1.0, LangChain and LiteLLM",
    ),
    alias(
        "OPENAI_PROJECT",
        OpenAi,
        Project,
        "OPENAI_PROJECT_ID",
        "some applications",
    ),
    canonical("AZURE_OPENAI_API_KEY", AzureOpenAi, ApiKey),
    canonical("AZURE_OPENAI_ENDPOINT", AzureOpenAi, BaseUrl),
    canonical("OPENAI_API_VERSION", AzureOpenAi, ApiVersion),
    alias(
        "AZURE_OPENAI_KEY",
        AzureOpenAi,
        ApiKey,
        "AZURE_OPENAI_API_KEY",
        "older samples",
    ),
    alias(
        "AZURE_OPENAI_API_VERSION",
        AzureOpenAi,
        ApiVersion,
        "OPENAI_API_VERSION",
        "LangChain and Semantic Kernel",
    ),
    canonical("ANTHROPIC_API_KEY", Anthropic, ApiKey),
    canonical("ANTHROPIC_BASE_URL", Anthropic, BaseUrl),
    alias(
        "CLAUDE_API_KEY",
        Anthropic,
        ApiKey,
        "ANTHROPIC_API_KEY",
        "some applications",
    ),
    canonical("GEMINI_API_KEY", Gemini, ApiKey),
    alias(
        "GOOGLE_API_KEY",
        Gemini,
        ApiKey,
        "GEMINI_API_KEY",
        "google-genai (which prefers it over GEMINI_API_KEY) and LangChain",
    ),
];

/// The language of an SDK's package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SdkLanguage {
    Python,
    /// JavaScript and TypeScript (the npm package).
    JavaScript,
}

/// A variable an SDK client reads when its constructor is not given `arguments`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SdkDefault {
    pub variable: &'static str,
    /// The constructor arguments (keyword or option names) that replace the variable:
    /// when any of them is passed, the client does not read it.
    pub arguments: &'static [&'static str],
}

/// A client class of an official SDK whose constructor reads variables by default
/// (`OpenAI()` reads `OPENAI_API_KEY`), as the SDK's own constructor does it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SdkClient {
    pub language: SdkLanguage,
    /// The package the class is imported from (`openai`, `@anthropic-ai/sdk`).
    pub package: &'static str,
    /// Class names the package exports for this client.
    pub classes: &'static [&'static str],
    pub provider: Provider,
    pub reads: &'static [SdkDefault],
}

const fn reads(variable: &'static str, arguments: &'static [&'static str]) -> SdkDefault {
    SdkDefault {
        variable,
        arguments,
    }
}

/// openai-python `OpenAI.__init__`: each argument left `None` is read from the environment.
const OPENAI_PYTHON_READS: &[SdkDefault] = &[
    reads("OPENAI_API_KEY", &["api_key"]),
    reads("OPENAI_ORG_ID", &["organization"]),
    reads("OPENAI_PROJECT_ID", &["project"]),
    reads("OPENAI_BASE_URL", &["base_url"]),
];

/// openai-python `AzureOpenAI.__init__`, which then calls `OpenAI.__init__` with a base URL
/// (so `OPENAI_BASE_URL` is not read) and the organization and project.
const AZURE_OPENAI_PYTHON_READS: &[SdkDefault] = &[
    reads("AZURE_OPENAI_API_KEY", &["api_key"]),
    reads("AZURE_OPENAI_AD_TOKEN", &["azure_ad_token"]),
    reads("OPENAI_API_VERSION", &["api_version"]),
    reads("AZURE_OPENAI_ENDPOINT", &["azure_endpoint", "base_url"]),
    reads("OPENAI_ORG_ID", &["organization"]),
    reads("OPENAI_PROJECT_ID", &["project"]),
];

/// anthropic-sdk-python `Anthropic.__init__`.
const ANTHROPIC_PYTHON_READS: &[SdkDefault] = &[
    reads("ANTHROPIC_API_KEY", &["api_key"]),
    reads("ANTHROPIC_AUTH_TOKEN", &["auth_token"]),
    reads("ANTHROPIC_BASE_URL", &["base_url"]),
];

/// openai-node `new OpenAI({...})`: option defaults are `readEnv(...)`.
const OPENAI_NODE_READS: &[SdkDefault] = &[
    reads("OPENAI_API_KEY", &["apiKey"]),
    reads("OPENAI_ORG_ID", &["organization"]),
    reads("OPENAI_PROJECT_ID", &["project"]),
    reads("OPENAI_BASE_URL", &["baseURL"]),
];

/// openai-node `new AzureOpenAI({...})`: `AZURE_OPENAI_ENDPOINT` only without `baseURL`
/// (itself read from `OPENAI_BASE_URL`), then `new OpenAI` reads the organization and project.
const AZURE_OPENAI_NODE_READS: &[SdkDefault] = &[
    reads("AZURE_OPENAI_API_KEY", &["apiKey"]),
    reads("OPENAI_API_VERSION", &["apiVersion"]),
    reads("OPENAI_BASE_URL", &["baseURL"]),
    reads("AZURE_OPENAI_ENDPOINT", &["endpoint", "baseURL"]),
    reads("OPENAI_ORG_ID", &["organization"]),
    reads("OPENAI_PROJECT_ID", &["project"]),
];

/// anthropic-sdk-typescript `new Anthropic({...})`.
const ANTHROPIC_NODE_READS: &[SdkDefault] = &[
    reads("ANTHROPIC_API_KEY", &["apiKey"]),
    reads("ANTHROPIC_AUTH_TOKEN", &["authToken"]),
    reads("ANTHROPIC_BASE_URL", &["baseURL"]),
];

/// SDK clients that read variables by default, per language and package.
pub const SDK_CLIENTS: &[SdkClient] = &[
    SdkClient {
        language: SdkLanguage::Python,
        package: "openai",
        classes: &["OpenAI", "AsyncOpenAI"],
        provider: OpenAi,
        reads: OPENAI_PYTHON_READS,
    },
    SdkClient {
        language: SdkLanguage::Python,
        package: "openai",
        classes: &["AzureOpenAI", "AsyncAzureOpenAI"],
        provider: AzureOpenAi,
        reads: AZURE_OPENAI_PYTHON_READS,
    },
    SdkClient {
        language: SdkLanguage::Python,
        package: "anthropic",
        classes: &["Anthropic", "AsyncAnthropic"],
        provider: Anthropic,
        reads: ANTHROPIC_PYTHON_READS,
    },
    SdkClient {
        language: SdkLanguage::JavaScript,
        package: "openai",
        classes: &["OpenAI"],
        provider: OpenAi,
        reads: OPENAI_NODE_READS,
    },
    SdkClient {
        language: SdkLanguage::JavaScript,
        package: "openai",
        classes: &["AzureOpenAI"],
        provider: AzureOpenAi,
        reads: AZURE_OPENAI_NODE_READS,
    },
    SdkClient {
        language: SdkLanguage::JavaScript,
        package: "@anthropic-ai/sdk",
        classes: &["Anthropic"],
        provider: Anthropic,
        reads: ANTHROPIC_NODE_READS,
    },
];

/// The client of `language` that `package` exports as `class`.
#[must_use]
pub fn sdk_client(language: SdkLanguage, package: &str, class: &str) -> Option<&'static SdkClient> {
    SDK_CLIENTS.iter().find(|client| {
        client.language == language && client.package == package && client.classes.contains(&class)
    })
}

/// The client `package` exports as its default export (`import OpenAI from "openai"`).
#[must_use]
pub fn sdk_default_export(language: SdkLanguage, package: &str) -> Option<&'static SdkClient> {
    SDK_CLIENTS
        .iter()
        .find(|client| client.language == language && client.package == package)
}

/// Key prefixes, longest first (`sk-proj-` before `sk-`). They only tell which kind of
/// key a value is, so masks may show them, and placeholder checks look past them.
pub const KEY_PREFIXES: &[&str] = &[
    "sk-ant-admin01-",
    "sk-ant-api03-",
    "sk-svcacct-",
    "sk-admin-",
    "sk-proj-",
    "sk-None-",
    "sk-ant-",
    "sk-or-v1-",
    "Bearer ",
    "AIza",
    "gsk_",
    "xai-",
    "sk-",
];

/// Extra names a project declares in its config (`[variables]` in keylint.toml).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtraVariables {
    pub api_keys: Vec<(String, Provider)>,
}

/// The known variable with this exact name.
#[must_use]
pub fn variable(name: &str) -> Option<&'static KnownVariable> {
    VARIABLES.iter().find(|variable| variable.name == name)
}

/// Aliases the official SDK reads as well: using one without the canonical name is fine.
pub const SDK_READS_ALIAS: &[&str] = &[
    // google-genai reads GOOGLE_API_KEY and prefers it over GEMINI_API_KEY.
    "GOOGLE_API_KEY",
];

/// Images that read a non-standard name on purpose: no misspelling is reported for
/// these names in a Compose service running that image.
pub const INTENTIONAL_NAMES: &[(&str, &str)] = &[
    // Weaviate's text2vec-openai module reads OPENAI_APIKEY.
    ("OPENAI_APIKEY", "weaviate"),
    ("COHERE_APIKEY", "weaviate"),
    ("HUGGINGFACE_APIKEY", "weaviate"),
];

/// The kind of key a value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    OpenAiProject,
    OpenAiServiceAccount,
    OpenAiAdmin,
    /// `sk-None-…` user keys and legacy `sk-` + 48.
    OpenAiUser,
    AnthropicApi,
    AnthropicAdmin,
    Gemini,
    /// 32 hex digits (classic) or the 84-character form.
    Azure,
}

impl KeyKind {
    #[must_use]
    pub fn provider(self) -> Provider {
        match self {
            KeyKind::OpenAiProject
            | KeyKind::OpenAiServiceAccount
            | KeyKind::OpenAiAdmin
            | KeyKind::OpenAiUser => OpenAi,
            KeyKind::AnthropicApi | KeyKind::AnthropicAdmin => Anthropic,
            KeyKind::Gemini => Gemini,
            KeyKind::Azure => AzureOpenAi,
        }
    }

    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            KeyKind::OpenAiProject => "OpenAI project key",
            KeyKind::OpenAiServiceAccount => "OpenAI service-account key",
            KeyKind::OpenAiAdmin => "OpenAI admin key",
            KeyKind::OpenAiUser => "OpenAI user key",
            KeyKind::AnthropicApi => "Anthropic API key",
            KeyKind::AnthropicAdmin => "Anthropic admin key",
            KeyKind::Gemini => "Google API key",
            KeyKind::Azure => "Azure OpenAI key",
        }
    }
}

/// Prefix → kind, longest first. Length ranges are (min, max) in characters.
const KEY_SHAPES: &[(&str, KeyKind, usize, usize)] = &[
    ("sk-ant-admin01-", KeyKind::AnthropicAdmin, 60, 160),
    ("sk-ant-api03-", KeyKind::AnthropicApi, 60, 160),
    ("sk-ant-", KeyKind::AnthropicApi, 60, 160),
    ("sk-svcacct-", KeyKind::OpenAiServiceAccount, 60, 220),
    ("sk-admin-", KeyKind::OpenAiAdmin, 60, 220),
    ("sk-proj-", KeyKind::OpenAiProject, 60, 220),
    ("sk-None-", KeyKind::OpenAiUser, 40, 220),
    ("AIza", KeyKind::Gemini, 30, 50),
    ("sk-", KeyKind::OpenAiUser, 40, 220),
];

/// What a value's shape says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyShape {
    pub kind: KeyKind,
    pub prefix: &'static str,
    /// Within the tolerant length range for its kind.
    pub length_ok: bool,
    /// Only characters real keys use (`A-Za-z0-9_-`).
    pub charset_ok: bool,
    /// OpenAI keys carry `T3BlbkFJ` (base64 of "OpenAI"); `None` where it does not apply.
    pub has_marker: Option<bool>,
}

/// OpenAI keys carry this marker: base64 of "OpenAI".
pub const OPENAI_MARKER: &str = "T3BlbkFJ";

fn is_key_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || character == '-' || character == '_'
}

/// Classifies a value by its shape. `None` when it looks like no provider's key.
#[must_use]
pub fn key_shape(value: &str) -> Option<KeyShape> {
    let length = value.chars().count();
    if length == 32 && value.chars().all(|character| character.is_ascii_hexdigit()) {
        return Some(KeyShape {
            kind: KeyKind::Azure,
            prefix: "",
            length_ok: true,
            charset_ok: true,
            has_marker: None,
        });
    }
    if (80..=90).contains(&length)
        && value
            .chars()
            .all(|character| character.is_ascii_alphanumeric())
        && value.contains("JQQJ99")
    {
        return Some(KeyShape {
            kind: KeyKind::Azure,
            prefix: "",
            length_ok: true,
            charset_ok: true,
            has_marker: None,
        });
    }
    let &(prefix, kind, min, max) = KEY_SHAPES
        .iter()
        .find(|(prefix, ..)| value.starts_with(prefix))?;
    let has_marker = (kind.provider() == OpenAi).then(|| value.contains(OPENAI_MARKER));
    Some(KeyShape {
        kind,
        prefix,
        length_ok: (min..=max).contains(&length),
        charset_ok: value.chars().all(is_key_char),
        has_marker,
    })
}

/// The tolerant length range (min, max) in characters of a key of this shape.
#[must_use]
pub fn key_length_range(shape: &KeyShape) -> (usize, usize) {
    KEY_SHAPES
        .iter()
        .find(|(prefix, kind, ..)| *prefix == shape.prefix && *kind == shape.kind)
        // Azure keys have no prefix; key_shape only accepts their two forms, 32 hex digits
        // and the 80–90 character one.
        .map_or((32, 90), |&(_, _, min, max)| (min, max))
}

/// The host of a URL, without scheme, credentials, port or path.
#[must_use]
pub fn url_host(url: &str) -> &str {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    host_port.split(':').next().unwrap_or_default()
}

/// Which provider's API a base URL or endpoint points at; `None` for localhost, private
/// addresses and unknown hosts (where any non-empty key may be right). An OpenAI SDK
/// aimed at another provider's OpenAI-compatible endpoint needs that provider's key.
#[must_use]
pub fn provider_of_url(url: &str) -> Option<Provider> {
    let host = url_host(url).to_ascii_lowercase();
    match host.as_str() {
        "api.openai.com" => Some(OpenAi),
        "api.anthropic.com" => Some(Anthropic),
        "generativelanguage.googleapis.com" => Some(Gemini),
        _ if [
            ".openai.azure.com",
            ".cognitiveservices.azure.com",
            ".services.ai.azure.com",
        ]
        .iter()
        .any(|suffix| host.ends_with(suffix)) =>
        {
            Some(AzureOpenAi)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let project = format!(
            "sk-proj-{}{OPENAI_MARKER}{}",
            "a".repeat(74),
            "b".repeat(74)
        );
        let shape = key_shape(&project).unwrap();
        assert_eq!(shape.kind, KeyKind::OpenAiProject);
        assert!(shape.length_ok && shape.charset_ok && shape.has_marker == Some(true));
        assert_eq!(
            key_shape("0123456789abcdef0123456789abcdef").unwrap().kind,
            KeyKind::Azure
        );
        assert_eq!(
            key_shape(&format!("AIza{}", "x".repeat(35))).unwrap().kind,
            KeyKind::Gemini
        );
        assert!(key_shape("hello").is_none());
    }

    #[test]
    fn hosts() {
        assert_eq!(provider_of_url("https://api.openai.com/v1"), Some(OpenAi));
        assert_eq!(
            provider_of_url("https://myres.openai.azure.com/"),
            Some(AzureOpenAi)
        );
        assert_eq!(
            provider_of_url("https://generativelanguage.googleapis.com/v1beta/openai/"),
            Some(Gemini)
        );
        assert_eq!(provider_of_url("http://user@localhost:11434/v1"), None);
    }

    #[test]
    fn sdk_clients_read_known_names() {
        let client = sdk_client(SdkLanguage::Python, "openai", "AsyncAzureOpenAI").unwrap();
        assert_eq!(client.provider, AzureOpenAi);
        let default = sdk_default_export(SdkLanguage::JavaScript, "@anthropic-ai/sdk").unwrap();
        assert_eq!(default.classes, ["Anthropic"]);
        assert!(sdk_client(SdkLanguage::JavaScript, "openai", "AsyncOpenAI").is_none());
        // Every provider-key name an SDK reads is in the variable table.
        for client in SDK_CLIENTS {
            for default in client.reads {
                let known = variable(default.variable);
                assert!(
                    known.is_some() || default.variable.ends_with("_TOKEN"),
                    "{} is read by {} but not in VARIABLES",
                    default.variable,
                    client.classes[0]
                );
            }
        }
    }
}

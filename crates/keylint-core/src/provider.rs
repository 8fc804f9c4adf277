//! Provider facts as data, in one place: names and ids, hosts, the probe's request
//! ([`PROVIDERS`]), variable names ([`VARIABLES`]), the names SDKs read by default, key
//! prefixes and shapes for OpenAI, Azure OpenAI, Anthropic and Gemini. Rules, the probe,
//! the masker and the startup validation snippets read these tables; none holds provider
//! facts of its own. Key lengths are tolerant ranges, never exact: the providers do not
//! publish lengths, and the lengths seen have changed before.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    OpenAi,
    AzureOpenAi,
    Anthropic,
    Gemini,
}

impl Provider {
    /// Every provider, in the order of [`PROVIDERS`].
    pub const ALL: [Provider; 4] = [
        Provider::OpenAi,
        Provider::AzureOpenAi,
        Provider::Anthropic,
        Provider::Gemini,
    ];

    /// This provider's row of [`PROVIDERS`].
    #[must_use]
    pub fn spec(self) -> &'static ProviderSpec {
        PROVIDERS
            .iter()
            .find(|spec| spec.provider == self)
            .expect("every provider has a row in PROVIDERS")
    }

    /// The name a person knows the provider by, for messages.
    #[must_use]
    pub fn display_name(self) -> &'static str {
        self.spec().display_name
    }

    /// The stable machine name: JSON output, the command line, `keylint.toml`.
    #[must_use]
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The provider named `name`: its [`Provider::id`] or another spelling people type
    /// (`azure`, `google`), in any case.
    #[must_use]
    pub fn from_id(name: &str) -> Option<Provider> {
        let name = name.trim().to_ascii_lowercase();
        PROVIDERS
            .iter()
            .find(|spec| spec.id == name || spec.other_ids.contains(&name.as_str()))
            .map(|spec| spec.provider)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error of [`Provider::from_str`]: the name is no provider's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = PROVIDERS.iter().map(|spec| spec.id).collect();
        write!(
            f,
            "unknown provider `{}` (expected one of: {})",
            self.0,
            ids.join(", ")
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(name: &str) -> Result<Provider, UnknownProvider> {
        Provider::from_id(name).ok_or_else(|| UnknownProvider(name.to_string()))
    }
}

/// A pattern for a provider's own hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPattern {
    /// Exactly this host name.
    Exact(&'static str),
    /// Any host name that ends in this suffix (which starts with a dot) and has at
    /// least one label before it: `.openai.azure.com` matches `myres.openai.azure.com`
    /// but not `openai.azure.com` or `evilopenai.azure.com`.
    Suffix(&'static str),
}

impl HostPattern {
    /// Whether a normalized (lowercase, no trailing dot) host name matches.
    #[must_use]
    pub fn matches(self, host: &str) -> bool {
        match self {
            HostPattern::Exact(name) => host == name,
            HostPattern::Suffix(suffix) => host.len() > suffix.len() && host.ends_with(suffix),
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostPattern::Exact(name) => f.write_str(name),
            HostPattern::Suffix(suffix) => write!(f, "*{suffix}"),
        }
    }
}

/// How the key travels in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHeader {
    /// `Authorization: Bearer KEY`.
    Bearer,
    /// A header whose whole value is the key (`x-api-key`, `api-key`, …).
    Named(&'static str),
}

impl KeyHeader {
    /// The header name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            KeyHeader::Bearer => "Authorization",
            KeyHeader::Named(name) => name,
        }
    }
}

/// The characters a provider's keys are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCharset {
    /// ASCII letters and digits.
    Alphanumeric,
    /// ASCII letters, digits, `-` and `_`.
    AlphanumericDashUnderscore,
}

/// Everything keylint knows about one provider, besides its variables ([`VARIABLES`])
/// and key shapes ([`key_shape`]): names, hosts, and the cheapest authenticated read
/// the probe makes (`GET …/models`, no tokens spent).
#[derive(Debug)]
pub struct ProviderSpec {
    pub provider: Provider,
    /// The stable machine name ([`Provider::id`]).
    pub id: &'static str,
    /// Other spellings accepted for the id (lowercase).
    pub other_ids: &'static [&'static str],
    pub display_name: &'static str,
    /// "an OpenAI key", for messages.
    pub key_noun: &'static str,
    /// Every key of this provider starts with this (`""`: no common prefix).
    pub key_prefix: &'static str,
    pub key_charset: KeyCharset,
    /// The provider's API hosts. A key is sent without the user's leave only to these,
    /// over HTTPS on port 443; a base URL on one of them is this provider's endpoint.
    pub hosts: &'static [HostPattern],
    /// Base URL the provider's SDKs use when none is configured. `None` when there is no
    /// global endpoint (Azure: each resource has its own host).
    pub default_base_url: Option<&'static str>,
    /// Path appended to the base URL, the way the provider's SDK appends it (OpenAI's
    /// base URL already ends in `/v1`; Anthropic's does not).
    pub models_path: &'static str,
    /// Query string of the probe request, if the API needs one.
    pub query: Option<&'static str>,
    pub key_header: KeyHeader,
    /// Constant headers the API requires (never secret).
    pub static_headers: &'static [(&'static str, &'static str)],
    /// Header carrying the organization id, for providers that have one.
    pub org_header: Option<&'static str>,
    /// Header carrying the project id, for providers that have one.
    pub project_header: Option<&'static str>,
    /// Where a user creates or finds keys.
    pub keys_page: &'static str,
    /// Where a user adds credit or checks quota.
    pub billing_page: &'static str,
}

/// Anthropic requires a version header on every request; this is the stable one.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// The providers, one row each, in [`Provider::ALL`] order.
pub const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        provider: Provider::OpenAi,
        id: "openai",
        other_ids: &[],
        display_name: "OpenAI",
        key_noun: "an OpenAI key",
        key_prefix: "sk-",
        key_charset: KeyCharset::AlphanumericDashUnderscore,
        // eu.api.openai.com serves projects with European data residency.
        hosts: &[
            HostPattern::Exact("api.openai.com"),
            HostPattern::Exact("eu.api.openai.com"),
        ],
        default_base_url: Some("https://api.openai.com/v1"),
        models_path: "/models",
        query: None,
        key_header: KeyHeader::Bearer,
        static_headers: &[],
        org_header: Some("OpenAI-Organization"),
        project_header: Some("OpenAI-Project"),
        keys_page: "https://platform.openai.com/api-keys",
        billing_page: "https://platform.openai.com/settings/organization/billing",
    },
    ProviderSpec {
        provider: Provider::AzureOpenAi,
        id: "azure-openai",
        other_ids: &["azure_openai", "azure"],
        display_name: "Azure OpenAI",
        key_noun: "an Azure OpenAI key",
        key_prefix: "",
        key_charset: KeyCharset::Alphanumeric,
        // The resource's own host: Azure OpenAI, Azure AI services and AI Foundry names.
        hosts: &[
            HostPattern::Suffix(".openai.azure.com"),
            HostPattern::Suffix(".cognitiveservices.azure.com"),
            HostPattern::Suffix(".services.ai.azure.com"),
        ],
        default_base_url: None,
        models_path: "/openai/models",
        // The generally available data-plane API version that has `GET /openai/models`.
        query: Some("api-version=2024-10-21"),
        key_header: KeyHeader::Named("api-key"),
        static_headers: &[],
        org_header: None,
        project_header: None,
        keys_page: "the Azure portal (your resource → Keys and Endpoint)",
        billing_page: "the Azure portal (your resource → Quotas)",
    },
    ProviderSpec {
        provider: Provider::Anthropic,
        id: "anthropic",
        other_ids: &[],
        display_name: "Anthropic",
        key_noun: "an Anthropic key",
        key_prefix: "sk-ant-",
        key_charset: KeyCharset::AlphanumericDashUnderscore,
        hosts: &[HostPattern::Exact("api.anthropic.com")],
        default_base_url: Some("https://api.anthropic.com"),
        models_path: "/v1/models",
        query: None,
        key_header: KeyHeader::Named("x-api-key"),
        static_headers: &[("anthropic-version", ANTHROPIC_VERSION)],
        org_header: None,
        project_header: None,
        keys_page: "https://console.anthropic.com/settings/keys",
        billing_page: "https://console.anthropic.com/settings/billing",
    },
    ProviderSpec {
        provider: Provider::Gemini,
        id: "gemini",
        other_ids: &["google", "google-gemini"],
        display_name: "Google Gemini",
        key_noun: "a Gemini key",
        key_prefix: "AIza",
        key_charset: KeyCharset::AlphanumericDashUnderscore,
        hosts: &[HostPattern::Exact("generativelanguage.googleapis.com")],
        default_base_url: Some("https://generativelanguage.googleapis.com"),
        models_path: "/v1beta/models",
        query: None,
        key_header: KeyHeader::Named("x-goog-api-key"),
        static_headers: &[],
        org_header: None,
        project_header: None,
        keys_page: "https://aistudio.google.com/apikey",
        billing_page: "https://aistudio.google.com/usage",
    },
];

impl ProviderSpec {
    /// Whether `host` (normalized: lowercase, no trailing dot) is one of the provider's.
    #[must_use]
    pub fn is_official_host(&self, host: &str) -> bool {
        self.hosts.iter().any(|pattern| pattern.matches(host))
    }

    /// The hosts joined for a message: `api.openai.com, eu.api.openai.com`.
    #[must_use]
    pub fn official_hosts_text(&self) -> String {
        self.hosts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The name the official SDK reads for `role` (`OPENAI_ORG_ID`); `None` when the
    /// provider has no such setting.
    #[must_use]
    pub fn variable(&self, role: Role) -> Option<&'static str> {
        VARIABLES
            .iter()
            .find(|known| {
                known.provider == self.provider && known.role == role && known.alias_of.is_none()
            })
            .map(|known| known.name)
    }

    /// The variable holding the API key (`OPENAI_API_KEY`).
    #[must_use]
    pub fn key_variable(&self) -> &'static str {
        self.variable(Role::ApiKey)
            .expect("every provider has an API key variable")
    }

    /// The variable holding the base URL or endpoint (`AZURE_OPENAI_ENDPOINT`).
    #[must_use]
    pub fn base_url_variable(&self) -> &'static str {
        self.variable(Role::BaseUrl)
            .expect("every provider has a base URL variable")
    }

    /// The fewest characters a key of this provider has (the tolerant lower bound of
    /// its shapes).
    #[must_use]
    pub fn min_key_length(&self) -> usize {
        KEY_SHAPES
            .iter()
            .filter(|(_, kind, ..)| kind.provider() == self.provider)
            .map(|&(_, _, min, _)| min)
            .min()
            .unwrap_or(AZURE_KEY_MIN_LENGTH)
    }

    /// Other providers' key prefixes that begin with this provider's (`sk-ant-` for
    /// OpenAI's `sk-`): a key with one of them is not this provider's.
    pub fn lookalike_prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        PROVIDERS
            .iter()
            .filter(move |other| {
                other.provider != self.provider
                    && !self.key_prefix.is_empty()
                    && other.key_prefix.len() > self.key_prefix.len()
                    && other.key_prefix.starts_with(self.key_prefix)
            })
            .map(|other| other.key_prefix)
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

impl Role {
    /// What a variable of this role holds, for people (`API key`, `base URL`).
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Role::ApiKey => "API key",
            Role::Organization => "organization id",
            Role::Project => "project id",
            Role::BaseUrl => "base URL",
            Role::ApiVersion => "API version",
        }
    }
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
    canonical("GOOGLE_GEMINI_BASE_URL", Gemini, BaseUrl),
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

/// The first bytes of [`KEY_PREFIXES`]: a value or token starting with none of them has no
/// prefix, which most of them do not.
pub(crate) const KEY_PREFIX_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    while index < KEY_PREFIXES.len() {
        table[KEY_PREFIXES[index].as_bytes()[0] as usize] = true;
        index += 1;
    }
    table
};

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

/// Classic Azure OpenAI keys are 32 hex digits; the newer form is longer.
const AZURE_KEY_MIN_LENGTH: usize = 32;

/// The fewest characters of a value [`key_shape`] finds the right length for any kind:
/// shorter text holds no such key.
pub(crate) const SHORTEST_KEY: usize = {
    let mut shortest = AZURE_KEY_MIN_LENGTH;
    let mut shape = 0;
    while shape < KEY_SHAPES.len() {
        if KEY_SHAPES[shape].2 < shortest {
            shortest = KEY_SHAPES[shape].2;
        }
        shape += 1;
    }
    shortest
};

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

/// A character keys are made of (`A-Za-z0-9_-`).
pub(crate) const fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// [`is_key_byte`] of every byte: the charset of every key-shaped value is checked, and a
/// table look-up is cheaper than its comparisons.
const KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < table.len() {
        table[byte] = is_key_byte(byte as u8);
        byte += 1;
    }
    table
};

/// Classifies a value by its shape. `None` when it looks like no provider's key.
#[must_use]
pub fn key_shape(value: &str) -> Option<KeyShape> {
    // The Azure forms are ASCII, so their lengths in bytes are their lengths in
    // characters: most values are ruled out before their characters are counted.
    if value.len() == AZURE_KEY_MIN_LENGTH && value.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Some(KeyShape {
            kind: KeyKind::Azure,
            prefix: "",
            length_ok: true,
            charset_ok: true,
            has_marker: None,
        });
    }
    if (80..=90).contains(&value.len())
        && value.bytes().all(|byte| byte.is_ascii_alphanumeric())
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
    // Every shape's prefix is one of KEY_PREFIXES.
    if !KEY_PREFIX_START[usize::from(*value.as_bytes().first()?)] {
        return None;
    }
    let &(prefix, kind, min, max) = KEY_SHAPES
        .iter()
        .find(|(prefix, ..)| value.starts_with(prefix))?;
    let has_marker = (kind.provider() == OpenAi).then(|| value.contains(OPENAI_MARKER));
    // Key characters are ASCII: a byte of any other character is none of them, and a
    // value of key characters only has as many characters as bytes.
    let charset_ok = value.bytes().all(|byte| KEY_BYTES[usize::from(byte)]);
    let length = if charset_ok {
        value.len()
    } else {
        value.chars().count()
    };
    Some(KeyShape {
        kind,
        prefix,
        length_ok: (min..=max).contains(&length),
        charset_ok,
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
        .map_or((AZURE_KEY_MIN_LENGTH, 90), |&(_, _, min, max)| (min, max))
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
    let host = host.strip_suffix('.').unwrap_or(&host);
    PROVIDERS
        .iter()
        .find(|spec| spec.is_official_host(host))
        .map(|spec| spec.provider)
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
        assert_eq!(provider_of_url("https://API.OpenAI.com./v1"), Some(OpenAi));
        assert_eq!(provider_of_url("https://openai.azure.com/"), None);
    }

    #[test]
    fn ids_round_trip_and_rows_match() {
        for provider in Provider::ALL {
            assert_eq!(provider.id().parse::<Provider>(), Ok(provider));
            assert_eq!(provider.to_string(), provider.id());
            assert_eq!(provider.spec().provider, provider);
        }
        assert_eq!(PROVIDERS.len(), Provider::ALL.len());
        assert_eq!(" Azure ".parse::<Provider>(), Ok(AzureOpenAi));
        assert_eq!(Provider::from_id("google"), Some(Gemini));
        let error = "mistral".parse::<Provider>().unwrap_err().to_string();
        assert!(
            error.contains("openai, azure-openai, anthropic, gemini"),
            "{error}"
        );
    }

    #[test]
    fn suffix_hosts_need_a_label_before_them() {
        let azure = AzureOpenAi.spec();
        assert!(azure.is_official_host("myres.openai.azure.com"));
        assert!(azure.is_official_host("myres.cognitiveservices.azure.com"));
        assert!(!azure.is_official_host("openai.azure.com"));
        assert!(!azure.is_official_host("evilopenai.azure.com"));
        assert!(!azure.is_official_host("myres.openai.azure.com.evil.example"));
        let openai = OpenAi.spec();
        assert!(openai.is_official_host("eu.api.openai.com"));
        assert!(!openai.is_official_host("api.openai.com.evil.example"));
        assert!(!Anthropic.spec().is_official_host("api.openai.com"));
    }

    #[test]
    fn derived_facts() {
        assert_eq!(OpenAi.spec().key_variable(), "OPENAI_API_KEY");
        assert_eq!(
            OpenAi.spec().variable(Role::Organization),
            Some("OPENAI_ORG_ID")
        );
        assert_eq!(Anthropic.spec().variable(Role::Organization), None);
        assert_eq!(
            AzureOpenAi.spec().base_url_variable(),
            "AZURE_OPENAI_ENDPOINT"
        );
        assert_eq!(Gemini.spec().base_url_variable(), "GOOGLE_GEMINI_BASE_URL");
        let lookalikes: Vec<&str> = OpenAi.spec().lookalike_prefixes().collect();
        assert_eq!(lookalikes, ["sk-ant-"]);
        assert_eq!(AzureOpenAi.spec().lookalike_prefixes().count(), 0);
        assert_eq!(AzureOpenAi.spec().min_key_length(), 32);
        assert_eq!(OpenAi.spec().min_key_length(), 40);
        // Every provider's keys start with the prefix of each of its shapes.
        for &(prefix, kind, ..) in KEY_SHAPES {
            assert!(
                prefix.starts_with(kind.provider().spec().key_prefix),
                "{prefix}"
            );
            assert!(KEY_PREFIXES.contains(&prefix), "{prefix}");
        }
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

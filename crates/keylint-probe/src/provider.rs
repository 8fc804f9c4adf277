//! Per-provider facts as data: where the cheapest authenticated read lives, which
//! hosts are the provider's own, and which headers carry the key.
//!
//! Keeping this a table (not code paths per provider) means adding a provider is one
//! entry, and the security check in [`crate::target`] reads the same list of official
//! hosts that the probe uses, so the two cannot drift apart.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// An LLM API provider keylint can probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// OpenAI (`api.openai.com`).
    OpenAi,
    /// Azure OpenAI (`{resource}.openai.azure.com`).
    AzureOpenAi,
    /// Anthropic (`api.anthropic.com`).
    Anthropic,
    /// Google Gemini through the Generative Language API.
    Gemini,
}

impl Provider {
    /// Every provider, in a stable order.
    pub const ALL: [Provider; 4] = [
        Provider::OpenAi,
        Provider::AzureOpenAi,
        Provider::Anthropic,
        Provider::Gemini,
    ];

    /// The stable machine name used in JSON output and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::AzureOpenAi => "azure-openai",
            Provider::Anthropic => "anthropic",
            Provider::Gemini => "gemini",
        }
    }

    /// The name a person knows the provider by, for messages.
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::OpenAi => "OpenAI",
            Provider::AzureOpenAi => "Azure OpenAI",
            Provider::Anthropic => "Anthropic",
            Provider::Gemini => "Google Gemini",
        }
    }

    /// The static description of how to probe this provider.
    #[must_use]
    pub fn spec(self) -> &'static ProviderSpec {
        match self {
            Provider::OpenAi => &OPENAI,
            Provider::AzureOpenAi => &AZURE_OPENAI,
            Provider::Anthropic => &ANTHROPIC,
            Provider::Gemini => &GEMINI,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of [`Provider::from_str`]: the name is not one of [`Provider::as_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown provider `{}` (expected one of: openai, azure-openai, anthropic, gemini)",
            self.0
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    /// Accepts the [`Provider::as_str`] names plus a few spellings people type
    /// (`azure`, `azure_openai`, `google`).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "openai" => Ok(Provider::OpenAi),
            "azure-openai" | "azure_openai" | "azure" => Ok(Provider::AzureOpenAi),
            "anthropic" => Ok(Provider::Anthropic),
            "gemini" | "google" | "google-gemini" => Ok(Provider::Gemini),
            _ => Err(UnknownProvider(name.to_string())),
        }
    }
}

/// A pattern for the provider's own hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPattern {
    /// Exactly this host name.
    Exact(&'static str),
    /// Any host name that ends in this suffix (which starts with a dot) and has at
    /// least one label before it, e.g. `.openai.azure.com` matches
    /// `myres.openai.azure.com` but not `openai.azure.com` or `evilopenai.azure.com`.
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

/// How the key travels in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHeader {
    /// `Authorization: Bearer KEY`.
    Bearer,
    /// A header whose whole value is the key (`x-api-key`, `api-key`, …).
    Named(&'static str),
}

impl KeyHeader {
    /// The header name, as reported in `headers_sent`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            KeyHeader::Bearer => "Authorization",
            KeyHeader::Named(name) => name,
        }
    }
}

/// Everything the probe needs to know about one provider.
#[derive(Debug)]
pub struct ProviderSpec {
    /// The provider this describes.
    pub provider: Provider,
    /// Base URL the provider's SDKs use when none is configured. `None` when there is
    /// no global endpoint (Azure: each resource has its own host).
    pub default_base_url: Option<&'static str>,
    /// Hosts that belong to the provider. A key is sent without asking only to these,
    /// over HTTPS on port 443.
    pub official_hosts: &'static [HostPattern],
    /// Path appended to the base URL, the way the provider's SDK appends it
    /// (OpenAI's base URL already ends in `/v1`; Anthropic's does not).
    pub models_path: &'static str,
    /// Query string for the probe request, if the API needs one.
    pub query: Option<&'static str>,
    /// How the key is sent.
    pub key_header: KeyHeader,
    /// Constant headers the API requires (never secret).
    pub static_headers: &'static [(&'static str, &'static str)],
    /// Header carrying the organization id, for providers that have one.
    pub org_header: Option<&'static str>,
    /// Header carrying the project id, for providers that have one.
    pub project_header: Option<&'static str>,
    /// The conventional variable names, used in messages.
    pub key_variable: &'static str,
    /// Variable that usually holds the base URL.
    pub base_url_variable: &'static str,
    /// Variable that usually holds the organization id.
    pub org_variable: &'static str,
    /// Variable that usually holds the project id.
    pub project_variable: &'static str,
    /// Where a user creates or finds keys.
    pub keys_page: &'static str,
    /// Where a user adds credit or checks quota.
    pub billing_page: &'static str,
}

/// Anthropic requires a version header on every request; this is the stable one.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

static OPENAI: ProviderSpec = ProviderSpec {
    provider: Provider::OpenAi,
    default_base_url: Some("https://api.openai.com/v1"),
    // eu.api.openai.com serves projects with European data residency.
    official_hosts: &[
        HostPattern::Exact("api.openai.com"),
        HostPattern::Exact("eu.api.openai.com"),
    ],
    models_path: "/models",
    query: None,
    key_header: KeyHeader::Bearer,
    static_headers: &[],
    org_header: Some("OpenAI-Organization"),
    project_header: Some("OpenAI-Project"),
    key_variable: "OPENAI_API_KEY",
    base_url_variable: "OPENAI_BASE_URL",
    org_variable: "OPENAI_ORG_ID",
    project_variable: "OPENAI_PROJECT_ID",
    keys_page: "https://platform.openai.com/api-keys",
    billing_page: "https://platform.openai.com/settings/organization/billing",
};

static AZURE_OPENAI: ProviderSpec = ProviderSpec {
    provider: Provider::AzureOpenAi,
    default_base_url: None,
    official_hosts: &[
        HostPattern::Suffix(".openai.azure.com"),
        HostPattern::Suffix(".cognitiveservices.azure.com"),
    ],
    models_path: "/openai/models",
    // The generally available data-plane API version that has `GET /openai/models`.
    query: Some("api-version=2024-10-21"),
    key_header: KeyHeader::Named("api-key"),
    static_headers: &[],
    org_header: None,
    project_header: None,
    key_variable: "AZURE_OPENAI_API_KEY",
    base_url_variable: "AZURE_OPENAI_ENDPOINT",
    org_variable: "",
    project_variable: "",
    keys_page: "the Azure portal (your resource → Keys and Endpoint)",
    billing_page: "the Azure portal (your resource → Quotas)",
};

static ANTHROPIC: ProviderSpec = ProviderSpec {
    provider: Provider::Anthropic,
    default_base_url: Some("https://api.anthropic.com"),
    official_hosts: &[HostPattern::Exact("api.anthropic.com")],
    models_path: "/v1/models",
    query: None,
    key_header: KeyHeader::Named("x-api-key"),
    static_headers: &[("anthropic-version", ANTHROPIC_VERSION)],
    org_header: None,
    project_header: None,
    key_variable: "ANTHROPIC_API_KEY",
    base_url_variable: "ANTHROPIC_BASE_URL",
    org_variable: "",
    project_variable: "",
    keys_page: "https://console.anthropic.com/settings/keys",
    billing_page: "https://console.anthropic.com/settings/billing",
};

static GEMINI: ProviderSpec = ProviderSpec {
    provider: Provider::Gemini,
    default_base_url: Some("https://generativelanguage.googleapis.com"),
    official_hosts: &[HostPattern::Exact("generativelanguage.googleapis.com")],
    models_path: "/v1beta/models",
    query: None,
    key_header: KeyHeader::Named("x-goog-api-key"),
    static_headers: &[],
    org_header: None,
    project_header: None,
    key_variable: "GEMINI_API_KEY",
    base_url_variable: "GOOGLE_GEMINI_BASE_URL",
    org_variable: "",
    project_variable: "",
    keys_page: "https://aistudio.google.com/apikey",
    billing_page: "https://aistudio.google.com/usage",
};

impl ProviderSpec {
    /// Whether `host` (normalized: lowercase, no trailing dot) is one of the
    /// provider's own hosts.
    #[must_use]
    pub fn is_official_host(&self, host: &str) -> bool {
        self.official_hosts
            .iter()
            .any(|pattern| pattern.matches(host))
    }

    /// The official hosts joined for a message, e.g. `api.openai.com, eu.api.openai.com`.
    #[must_use]
    pub fn official_hosts_text(&self) -> String {
        self.official_hosts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for provider in Provider::ALL {
            assert_eq!(provider.as_str().parse::<Provider>(), Ok(provider));
            assert_eq!(provider.spec().provider, provider);
        }
        assert_eq!("Azure".parse::<Provider>(), Ok(Provider::AzureOpenAi));
        assert!("mistral".parse::<Provider>().is_err());
    }

    #[test]
    fn suffix_needs_a_label_before_it() {
        let azure = Provider::AzureOpenAi.spec();
        assert!(azure.is_official_host("myres.openai.azure.com"));
        assert!(azure.is_official_host("myres.cognitiveservices.azure.com"));
        assert!(!azure.is_official_host("openai.azure.com"));
        assert!(!azure.is_official_host("evilopenai.azure.com"));
        assert!(!azure.is_official_host("myres.openai.azure.com.evil.example"));
    }

    #[test]
    fn exact_hosts() {
        let openai = Provider::OpenAi.spec();
        assert!(openai.is_official_host("api.openai.com"));
        assert!(!openai.is_official_host("api.openai.com.evil.example"));
        assert!(!openai.is_official_host("openai.com"));
        assert!(
            !Provider::Anthropic
                .spec()
                .is_official_host("api.openai.com")
        );
    }
}

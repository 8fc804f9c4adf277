//! Live probes of LLM provider APIs that tell *why* a key is rejected.
//!
//! A probe makes the provider's cheapest authenticated read (`GET …/models`), which
//! spends no tokens, and turns the answer into a [`Verdict`] with a human `message`
//! and a concrete `fix`: a bad key, a good key sent with the wrong organization or
//! project header, a restricted key, an exhausted quota, a wrong endpoint, or a
//! network problem (which is never reported as a bad key).
//!
//! **Architecture invariant:** this is the only keylint crate that opens a socket.
//!
//! Security, in one place ([`target`]): a key is sent only over HTTPS to its own
//! provider's official host, unless the *user* (command line or user-level settings,
//! never workspace files) allowed another host in [`ProbeSettings::allowed_hosts`].
//! Redirects are never followed, keys are never logged or printed, and the disk cache
//! stores hashes and verdicts only.
//!
//! ```no_run
//! # async fn demo() {
//! use keylint_probe::{Prober, ProbeRequest, ProbeSettings, Provider};
//! let prober = Prober::new(ProbeSettings::default());
//! let outcome = prober
//!     .probe(&ProbeRequest::new(Provider::OpenAi, "sk-proj-…"))
//!     .await;
//! println!("{}: {} — {}", outcome.verdict, outcome.message, outcome.fix);
//! # }
//! ```

pub mod cache;
pub mod classify;
pub mod config_keys;
mod explain;
pub mod prober;
pub mod provider;
pub mod rate_limit;
pub mod target;

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use classify::{classify, classify_response};
pub use prober::Prober;
pub use provider::Provider;
pub use target::{Refusal, Target, resolve_target};

/// What to probe: one key, with the headers and base URL found next to it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProbeRequest {
    /// Whose key it is.
    pub provider: Provider,
    /// The key, exactly as the program would send it. Never logged; `Debug` masks it.
    pub key: String,
    /// Organization id (`OPENAI_ORG_ID`), sent as `OpenAI-Organization`. Ignored for
    /// providers without organizations.
    pub organization: Option<String>,
    /// Project id (`OPENAI_PROJECT_ID`), sent as `OpenAI-Project`. Ignored for
    /// providers without projects.
    pub project: Option<String>,
    /// Base URL read from the workspace (`OPENAI_BASE_URL`, `AZURE_OPENAI_ENDPOINT`,
    /// `ANTHROPIC_BASE_URL`, `GOOGLE_GEMINI_BASE_URL`). Contacted only when it is the
    /// provider's own host or the user allowed its host.
    pub base_url: Option<String>,
}

impl ProbeRequest {
    /// A request with no organization, project or base URL.
    #[must_use]
    pub fn new(provider: Provider, key: impl Into<String>) -> ProbeRequest {
        ProbeRequest {
            provider,
            key: key.into(),
            organization: None,
            project: None,
            base_url: None,
        }
    }
}

impl fmt::Debug for ProbeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProbeRequest")
            .field("provider", &self.provider)
            .field("key", &mask_key(&self.key))
            .field("organization", &self.organization.as_deref().map(mask_id))
            .field("project", &self.project.as_deref().map(mask_id))
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// User-level probe settings. Nothing here may come from workspace files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSettings {
    /// Hard limit for one HTTP request, connection included (default 5 s).
    pub timeout: Duration,
    /// Hosts the user trusts with keys besides the official ones: `host` (any port)
    /// or `host:port` (that port only). From `--allow-host` or user settings only.
    pub allowed_hosts: Vec<String>,
    /// Live probes allowed per rolling minute (cache hits are free); `0` means no
    /// limit. Default 6.
    pub max_per_minute: u32,
}

impl Default for ProbeSettings {
    fn default() -> ProbeSettings {
        ProbeSettings {
            timeout: Duration::from_secs(5),
            allowed_hosts: Vec::new(),
            max_per_minute: 6,
        }
    }
}

/// What the provider's answer means for the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The provider accepted the key (with the configured headers).
    Ok,
    /// The provider does not know this key (401 `invalid_api_key` and equivalents).
    InvalidKey,
    /// The key is fine, the organization header is not one of its organizations.
    OrgMismatch,
    /// The key is fine, the project header is not its project.
    ProjectMismatch,
    /// The key's account or organization is deactivated (or the key was blocked).
    Deactivated,
    /// The key is valid but may not do this (403: restricted key, region, API disabled).
    NoPermission,
    /// The key is valid but out of credit or quota.
    QuotaExhausted,
    /// The key is valid but being rate-limited right now.
    RateLimited,
    /// The URL is not the provider's API (404, Azure resource or deployment not found).
    WrongEndpoint,
    /// keylint could not tell: network, TLS, timeout, 5xx, an unexpected answer, or
    /// the probe was not sent (refused host, keylint's own rate limit).
    Unknown,
}

impl Verdict {
    /// Every verdict, in a stable order.
    pub const ALL: [Verdict; 10] = [
        Verdict::Ok,
        Verdict::InvalidKey,
        Verdict::OrgMismatch,
        Verdict::ProjectMismatch,
        Verdict::Deactivated,
        Verdict::NoPermission,
        Verdict::QuotaExhausted,
        Verdict::RateLimited,
        Verdict::WrongEndpoint,
        Verdict::Unknown,
    ];

    /// The stable name used in JSON output (`invalid_key`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::InvalidKey => "invalid_key",
            Verdict::OrgMismatch => "org_mismatch",
            Verdict::ProjectMismatch => "project_mismatch",
            Verdict::Deactivated => "deactivated",
            Verdict::NoPermission => "no_permission",
            Verdict::QuotaExhausted => "quota_exhausted",
            Verdict::RateLimited => "rate_limited",
            Verdict::WrongEndpoint => "wrong_endpoint",
            Verdict::Unknown => "unknown",
        }
    }

    /// Whether the verdict is a failure (exit code 1): everything but `ok` and
    /// `unknown`. `unknown` means "could not tell", never "bad".
    #[must_use]
    pub fn is_failure(self) -> bool {
        !matches!(self, Verdict::Ok | Verdict::Unknown)
    }

    /// Whether this verdict proves the provider recognized the key itself (so a
    /// failure with extra headers is the headers' fault).
    #[must_use]
    pub fn key_recognized(self) -> bool {
        matches!(
            self,
            Verdict::Ok | Verdict::NoPermission | Verdict::QuotaExhausted | Verdict::RateLimited
        )
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;

    fn from_str(text: &str) -> Result<Verdict, String> {
        Verdict::ALL
            .into_iter()
            .find(|verdict| verdict.as_str() == text)
            .ok_or_else(|| format!("unknown verdict `{text}`"))
    }
}

/// The result of one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeOutcome {
    /// What the answer means.
    pub verdict: Verdict,
    /// The HTTP status that decided the verdict; `None` when no response came back or
    /// nothing was sent.
    pub http_status: Option<u16>,
    /// The provider's error code (`invalid_api_key`, `DeploymentNotFound`,
    /// `API_KEY_INVALID`, …), when it gave one.
    pub error_code: Option<String>,
    /// The host contacted, or the one that would have been (`host[:port]`).
    pub host: String,
    /// Names (never values) of the headers sent with the deciding request.
    pub headers_sent: Vec<&'static str>,
    /// Why, in words. Never contains the key.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// Whether this came from the cache instead of the network.
    pub cached: bool,
}

/// Masks a secret for display: known prefix + `…` + last 4 + length, e.g.
/// `sk-proj-…x9Qa (164 chars)`. Without a known prefix only the last 4 characters
/// are shown, and a value shorter than 12 characters shows only its length.
#[must_use]
pub fn mask_key(key: &str) -> String {
    const PREFIXES: [&str; 8] = [
        "sk-ant-admin01-",
        "sk-ant-api03-",
        "sk-svcacct-",
        "sk-admin-",
        "sk-proj-",
        "sk-ant-",
        "sk-",
        "AIza",
    ];
    let chars: Vec<char> = key.chars().collect();
    let count = chars.len();
    if count < 12 {
        return format!("({count} chars)");
    }
    let last: String = chars[count - 4..]
        .iter()
        .map(|c| {
            if c.is_control() || c.is_whitespace() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let prefix = PREFIXES
        .iter()
        .find(|prefix| key.starts_with(*prefix) && prefix.chars().count() + 8 <= count)
        .copied()
        .unwrap_or("");
    format!("{prefix}…{last} ({count} chars)")
}

/// Shortens an organization or project id for messages: the first 8 characters and
/// `…`. These ids are not secrets, but they are long and only need recognizing.
#[must_use]
pub fn mask_id(id: &str) -> String {
    let mut chars = id.chars();
    let head: String = chars.by_ref().take(8).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_names() {
        let names: Vec<&str> = Verdict::ALL
            .iter()
            .map(|verdict| verdict.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "ok",
                "invalid_key",
                "org_mismatch",
                "project_mismatch",
                "deactivated",
                "no_permission",
                "quota_exhausted",
                "rate_limited",
                "wrong_endpoint",
                "unknown"
            ]
        );
        for verdict in Verdict::ALL {
            assert_eq!(verdict.as_str().parse::<Verdict>(), Ok(verdict));
            assert_eq!(
                serde_json::to_string(&verdict).unwrap(),
                format!("\"{}\"", verdict.as_str())
            );
            assert_eq!(
                verdict.is_failure(),
                !matches!(verdict, Verdict::Ok | Verdict::Unknown)
            );
        }
    }

    /// The CLI and the language server share one prober across tasks.
    #[test]
    fn prober_is_shareable() {
        fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
        assert_shareable::<Prober>();
        assert_shareable::<ProbeOutcome>();
        assert_shareable::<ProbeRequest>();
    }

    #[test]
    fn masking() {
        let key = format!("sk-proj-{}x9Qa", "A".repeat(152));
        assert_eq!(mask_key(&key), "sk-proj-…x9Qa (164 chars)");
        assert_eq!(mask_key("short"), "(5 chars)");
        assert_eq!(mask_key("0123456789abcdef0123"), "…0123 (20 chars)");
        assert_eq!(mask_key("sk-abcdefghijkl\r"), "sk-…jkl\\r (16 chars)");
        assert_eq!(mask_id("org-abcdefghijkl"), "org-abcd…");
        assert_eq!(mask_id("org-abcd"), "org-abcd");
    }

    #[test]
    fn request_debug_masks_the_key() {
        let key = format!("sk-proj-{}T3BlbkFJ{}", "q".repeat(70), "z".repeat(70));
        let request = ProbeRequest {
            organization: Some("org-abcdefghijklmnop".into()),
            ..ProbeRequest::new(Provider::OpenAi, key.clone())
        };
        let debug = format!("{request:?} {request:#?}");
        keylint_test_support::Secrets::new([&key]).assert_no_leak("Debug", &debug);
        assert!(debug.contains("sk-proj-…zzzz"));
    }
}

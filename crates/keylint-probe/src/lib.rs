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
pub mod rate_limit;
mod readings;
pub mod target;

use std::fmt;
use std::time::Duration;

use keylint_core::mask_secret;
use serde::Serialize;

pub use classify::{classify, classify_response};
/// The provider table lives in the core; the probe reads its hosts, paths and headers.
pub use keylint_core::probed::Verdict;
pub use keylint_core::provider::Provider;
pub use prober::Prober;
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
            .field("key", &mask_secret(&self.key))
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

/// A verdict in JSON (the outcome, the disk cache) is its name (`invalid_key`).
pub(crate) mod verdict_name {
    use serde::{Deserialize as _, Deserializer, Serializer};

    use crate::Verdict;

    pub fn serialize<S: Serializer>(verdict: &Verdict, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(verdict.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Verdict, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// The result of one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeOutcome {
    /// What the answer means.
    #[serde(with = "verdict_name")]
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

    /// The CLI and the language server share one prober across tasks.
    #[test]
    fn prober_is_shareable() {
        fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
        assert_shareable::<Prober>();
        assert_shareable::<ProbeOutcome>();
        assert_shareable::<ProbeRequest>();
    }

    #[test]
    fn ids_are_shortened() {
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

//! What a live probe said about the keys of a file, as data. The probe itself (network,
//! async) runs outside the core; the caller hands its answers to
//! [`crate::linter::lint`] in [`crate::LintInput::probed`], and the KL6xx rules turn them
//! into findings like any other rule's: `--select`/`--ignore`, `[severity]` and inline
//! suppressions apply to them.

use std::fmt;
use std::ops::Range;

/// What the provider's answer means for the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// Whether the verdict is a failure: everything but `ok` and `unknown`. `unknown`
    /// means "could not tell", never "bad".
    #[must_use]
    pub fn is_failure(self) -> bool {
        !matches!(self, Verdict::Ok | Verdict::Unknown)
    }

    /// Whether this verdict proves the provider recognized the key itself (so a
    /// failure with extra headers, or with extra characters, is not the key's fault).
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

/// One key of the file and what the probe said about it: the input of the KL6xx rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbedKey {
    pub variable: String,
    /// Byte range of the value in the file: where the finding points.
    pub range: Range<usize>,
    /// The key as sent, already masked (`sk-proj-…x9Qa`).
    pub shown_key: String,
    pub verdict: Verdict,
    /// Why, in words (never the key).
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl ProbedKey {
    /// The finding's message: `OPENAI_API_KEY (sk-proj-…x9Qa): why. What to do`.
    #[must_use]
    pub fn finding_message(&self) -> String {
        format!(
            "{} ({}): {}. {}",
            self.variable,
            self.shown_key,
            self.message.trim_end_matches('.'),
            self.fix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_names_round_trip() {
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
                verdict.is_failure(),
                !matches!(verdict, Verdict::Ok | Verdict::Unknown)
            );
        }
    }
}

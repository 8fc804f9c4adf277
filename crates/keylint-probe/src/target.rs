//! Which URL a probe may contact, decided before anything touches the network.
//!
//! The threat: a repository is opened in an editor, its `.env` says
//! `OPENAI_BASE_URL=https://evil.example`, and a hover probe sends the user's real key
//! there. So a key goes without asking only over HTTPS, to port 443 of its own
//! provider's official host (see [`crate::provider`]). Any other host needs the user's
//! consent through [`ProbeSettings::allowed_hosts`](crate::ProbeSettings), which comes
//! from the command line or user-level settings and never from workspace files. Plain
//! `http://` would show the key to anyone on the path, so it is accepted only for
//! loopback hosts (a local proxy or a test server) that the user allowed.
//!
//! Everything here is pure: no DNS, no sockets, so it is unit-tested exhaustively.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use reqwest::Url;
use url::Host;

use crate::ProbeRequest;
use crate::ProbeSettings;
use keylint_core::provider::{Provider, ProviderSpec};

/// A URL the probe may contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The full probe URL (base URL + the provider's models path).
    pub url: Url,
    /// The host as shown to users: `api.openai.com`, or `127.0.0.1:8080` when the
    /// port is not the scheme's default.
    pub host: String,
    /// Whether this is one of the provider's official hosts (HTTPS, port 443).
    pub official: bool,
    /// Whether the host is loopback (such requests never go through a proxy).
    pub loopback: bool,
}

/// Why a probe was not sent. Nothing goes on the wire when a target is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The provider has no global endpoint (Azure) and no base URL was given.
    MissingEndpoint {
        /// The provider.
        provider: Provider,
    },
    /// The base URL does not parse or has no host.
    InvalidUrl {
        /// The provider.
        provider: Provider,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL uses a scheme other than `http` or `https`.
    UnsupportedScheme {
        /// The provider.
        provider: Provider,
        /// The scheme found.
        scheme: String,
    },
    /// The base URL carries a user name or password, which would be sent as well.
    CredentialsInUrl {
        /// The provider.
        provider: Provider,
        /// The host of the URL.
        host: String,
    },
    /// The host is not the provider's and the user did not allow it.
    NotAllowed {
        /// The provider.
        provider: Provider,
        /// The host as shown to users (`host` or `host:port`).
        host: String,
        /// The `--allow-host` value that would allow it.
        allow_as: String,
    },
    /// The host is allowed, but only on other ports.
    PortNotAllowed {
        /// The provider.
        provider: Provider,
        /// The host as shown to users (`host:port`).
        host: String,
        /// The `--allow-host` value that would allow it.
        allow_as: String,
        /// The matching allowlist entries, as written by the user.
        allowed: Vec<String>,
    },
    /// `http://` to a host that is not loopback: the key would travel in clear text.
    PlainHttp {
        /// The provider.
        provider: Provider,
        /// The host as shown to users.
        host: String,
    },
}

impl Refusal {
    /// The host that would have been contacted, if the URL had one.
    #[must_use]
    pub fn host(&self) -> Option<&str> {
        match self {
            Refusal::MissingEndpoint { .. }
            | Refusal::InvalidUrl { .. }
            | Refusal::UnsupportedScheme { .. } => None,
            Refusal::CredentialsInUrl { host, .. }
            | Refusal::NotAllowed { host, .. }
            | Refusal::PortNotAllowed { host, .. }
            | Refusal::PlainHttp { host, .. } => Some(host),
        }
    }

    /// The provider whose key was not sent.
    #[must_use]
    pub fn provider(&self) -> Provider {
        match self {
            Refusal::MissingEndpoint { provider }
            | Refusal::InvalidUrl { provider, .. }
            | Refusal::UnsupportedScheme { provider, .. }
            | Refusal::CredentialsInUrl { provider, .. }
            | Refusal::NotAllowed { provider, .. }
            | Refusal::PortNotAllowed { provider, .. }
            | Refusal::PlainHttp { provider, .. } => *provider,
        }
    }

    /// Why nothing was sent, in words a user understands.
    #[must_use]
    pub fn message(&self) -> String {
        let spec = self.provider().spec();
        let name = spec.provider.display_name();
        match self {
            Refusal::MissingEndpoint { .. } => format!(
                "{name} has no global endpoint and no {} was found, so keylint does not know \
                 which resource to ask; nothing was sent",
                spec.base_url_variable()
            ),
            Refusal::InvalidUrl { reason, .. } => {
                format!("the base URL is not a usable URL ({reason}); keylint did not send the key")
            }
            Refusal::UnsupportedScheme { scheme, .. } => format!(
                "the base URL uses the scheme `{scheme}:`, which is neither https nor http; \
                 keylint did not send the key"
            ),
            Refusal::CredentialsInUrl { host, .. } => format!(
                "the base URL for {host} contains a user name or password; keylint did not send \
                 the key (the URL's credentials would be sent too)"
            ),
            Refusal::NotAllowed { host, .. } => format!(
                "the base URL points at {host}, which is not an official {name} host ({}, \
                 over https on port 443); keylint did not send the key there",
                spec.official_hosts_text()
            ),
            Refusal::PortNotAllowed { host, allowed, .. } => format!(
                "the base URL points at {host}, but the allowed hosts list only {} for that host; \
                 keylint did not send the key there",
                allowed.join(", ")
            ),
            Refusal::PlainHttp { host, .. } => format!(
                "the base URL uses plain http:// to {host}, which would send the key unencrypted; \
                 keylint sends keys over http only to loopback hosts (127.0.0.1, ::1, localhost) \
                 and did not send it"
            ),
        }
    }

    /// What the user can do about it.
    #[must_use]
    pub fn fix(&self) -> String {
        let spec = self.provider().spec();
        match self {
            Refusal::MissingEndpoint { .. } => format!(
                "Set {} to your resource's endpoint, e.g. https://YOUR-RESOURCE.openai.azure.com/",
                spec.base_url_variable()
            ),
            Refusal::InvalidUrl { .. } | Refusal::UnsupportedScheme { .. } => format!(
                "Fix the base URL ({}); it should look like {}",
                spec.base_url_variable(),
                spec.default_base_url
                    .unwrap_or("https://YOUR-RESOURCE.openai.azure.com/")
            ),
            Refusal::CredentialsInUrl { .. } => {
                "Remove the user:password@ part from the base URL".to_string()
            }
            Refusal::NotAllowed { allow_as, .. } | Refusal::PortNotAllowed { allow_as, .. } => {
                format!(
                    "If you trust this host with the key, allow it with --allow-host {allow_as} \
                     (or in your user settings, not the workspace's); otherwise remove or correct \
                     the base URL"
                )
            }
            Refusal::PlainHttp { .. } => "Use an https:// base URL for a remote host".to_string(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

/// One entry of the user's allowlist: `host` (any port) or `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    /// Normalized host: lowercase, no trailing dot, IPv6 without brackets.
    pub host: String,
    /// The only port allowed, or `None` for any port.
    pub port: Option<u16>,
}

impl AllowedHost {
    /// Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address.
    ///
    /// A leading `https://` or `http://` and anything after the authority are
    /// tolerated, since people paste URLs. Wildcards are not supported (they would
    /// defeat the point of the list), so an entry containing `*` is rejected.
    #[must_use]
    pub fn parse(entry: &str) -> Option<AllowedHost> {
        let mut text = entry.trim();
        for scheme in ["https://", "http://"] {
            if text.len() >= scheme.len() && text[..scheme.len()].eq_ignore_ascii_case(scheme) {
                text = &text[scheme.len()..];
            }
        }
        if let Some(end) = text.find(['/', '?', '#']) {
            text = &text[..end];
        }
        if text.is_empty() || text.contains(['*', '@', ' ']) {
            return None;
        }
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let close = rest.find(']')?;
            let host = &rest[..close];
            let after = &rest[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port.parse::<u16>().ok()?),
                None if after.is_empty() => None,
                None => return None,
            };
            (host, port)
        } else if text.matches(':').count() == 1 {
            let (host, port) = text.split_once(':')?;
            (host, Some(port.parse::<u16>().ok()?))
        } else {
            (text, None)
        };
        let host = normalize_host_text(host)?;
        Some(AllowedHost { host, port })
    }

    fn matches_host(&self, host: &str) -> bool {
        self.host == host
    }
}

/// Lowercases, strips one trailing dot and brackets, and writes IP addresses in their
/// canonical form, so `127.0.0.1`, `[::1]` and `LOCALHOST.` compare equal to what
/// the URL parser produces.
fn normalize_host_text(host: &str) -> Option<String> {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    Some(host.to_ascii_lowercase())
}

/// Whether a parsed URL host is loopback: 127.0.0.0/8, ::1 (also as a mapped IPv4
/// address) or the name `localhost`.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => {
            ip.is_loopback()
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
        Host::Domain(name) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            name.eq_ignore_ascii_case("localhost")
        }
    }
}

fn host_text(host: &Host<&str>) -> String {
    match host {
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => Ipv6Addr::to_string(ip),
        Host::Domain(name) => name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase(),
    }
}

/// `host` or `host:port`, with brackets around IPv6 addresses when a port follows.
fn display_host(host: &str, port: Option<u16>) -> String {
    let bracketed = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    match port {
        Some(port) => format!("{bracketed}:{port}"),
        None => bracketed,
    }
}

/// Decides which URL to contact for `req`, or refuses.
///
/// Without a base URL the provider's default endpoint is used (Azure has none and is
/// refused). A base URL is used as is when it is HTTPS to an official host on port
/// 443; otherwise its host must be in `settings.allowed_hosts`, and plain HTTP is
/// accepted only for loopback hosts.
///
/// # Errors
/// A [`Refusal`] saying why the key must not be sent to the configured URL.
pub fn resolve_target(req: &ProbeRequest, settings: &ProbeSettings) -> Result<Target, Refusal> {
    let provider = req.provider;
    let spec = provider.spec();
    let configured = req
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    let base_text = match (configured, spec.default_base_url) {
        (Some(text), _) => text,
        (None, Some(default)) => default,
        (None, None) => return Err(Refusal::MissingEndpoint { provider }),
    };
    let base = Url::parse(base_text).map_err(|error| Refusal::InvalidUrl {
        provider,
        reason: error.to_string(),
    })?;
    let scheme = base.scheme().to_string();
    if scheme != "https" && scheme != "http" {
        return Err(Refusal::UnsupportedScheme { provider, scheme });
    }
    let Some(host) = base.host() else {
        return Err(Refusal::InvalidUrl {
            provider,
            reason: "it has no host".to_string(),
        });
    };
    let host_name = host_text(&host);
    let loopback = is_loopback(&host);
    let port = base.port_or_known_default().unwrap_or(443);
    let shown_port = base.port();
    let shown = display_host(&host_name, shown_port);
    if !base.username().is_empty() || base.password().is_some() {
        return Err(Refusal::CredentialsInUrl {
            provider,
            host: shown,
        });
    }

    let official_host = matches!(host, Host::Domain(_)) && spec.is_official_host(&host_name);
    if official_host && scheme == "http" {
        return Err(Refusal::PlainHttp {
            provider,
            host: shown,
        });
    }
    let official = official_host && port == 443;
    if !official {
        let entries: Vec<(&String, AllowedHost)> = settings
            .allowed_hosts
            .iter()
            .filter_map(|entry| AllowedHost::parse(entry).map(|parsed| (entry, parsed)))
            .filter(|(_, parsed)| parsed.matches_host(&host_name))
            .collect();
        let allow_as = if shown_port.is_some() || official_host {
            display_host(&host_name, Some(port))
        } else {
            display_host(&host_name, None)
        };
        if entries.is_empty() {
            return Err(Refusal::NotAllowed {
                provider,
                host: shown,
                allow_as,
            });
        }
        if !entries
            .iter()
            .any(|(_, parsed)| parsed.port.is_none_or(|allowed| allowed == port))
        {
            return Err(Refusal::PortNotAllowed {
                provider,
                host: display_host(&host_name, Some(port)),
                allow_as,
                allowed: entries
                    .iter()
                    .map(|(entry, _)| entry.trim().to_string())
                    .collect(),
            });
        }
        if scheme == "http" && !loopback {
            return Err(Refusal::PlainHttp {
                provider,
                host: shown,
            });
        }
    }

    let url = probe_url(spec, &base, &host_name);
    Ok(Target {
        url,
        host: shown,
        official,
        loopback,
    })
}

/// Appends the provider's models path to the base URL the way its SDK does, and
/// drops anything (query, fragment) that the SDK would not send to `/models`.
fn probe_url(spec: &ProviderSpec, base: &Url, host_name: &str) -> Url {
    let mut url = base.clone();
    if matches!(url.host(), Some(Host::Domain(_))) {
        // A trailing dot resolves the same but would not match the TLS certificate's
        // name in every stack; use the normalized name.
        let _ = url.set_host(Some(host_name));
    }
    url.set_fragment(None);
    url.set_query(None);
    let base_path = base.path().trim_end_matches('/');
    let (path, query) = if spec.provider == Provider::AzureOpenAi {
        azure_path(base_path, spec)
    } else {
        (format!("{base_path}{}", spec.models_path), spec.query)
    };
    url.set_path(&path);
    url.set_query(query);
    url
}

/// Azure endpoints are usually the resource root (`https://res.openai.azure.com/`),
/// but people also paste `…/openai` or the newer `…/openai/v1` base URL; the
/// `/openai/v1` API needs no `api-version`.
fn azure_path(base_path: &str, spec: &ProviderSpec) -> (String, Option<&'static str>) {
    let lower = base_path.to_ascii_lowercase();
    let cut = lower.find("/openai/").or_else(|| {
        lower
            .ends_with("/openai")
            .then(|| lower.len() - "/openai".len())
    });
    match cut {
        Some(index) => {
            let prefix = &base_path[..index];
            let rest = &lower[index + "/openai".len()..];
            if rest == "/v1" || rest.starts_with("/v1/") {
                (format!("{prefix}/openai/v1/models"), None)
            } else {
                (format!("{prefix}{}", spec.models_path), spec.query)
            }
        }
        None => (format!("{base_path}{}", spec.models_path), spec.query),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(provider: Provider, base_url: Option<&str>) -> ProbeRequest {
        ProbeRequest {
            provider,
            key: "sk-test".to_string(),
            organization: None,
            project: None,
            base_url: base_url.map(str::to_string),
        }
    }

    fn settings(allowed: &[&str]) -> ProbeSettings {
        ProbeSettings {
            allowed_hosts: allowed.iter().map(|entry| (*entry).to_string()).collect(),
            ..ProbeSettings::default()
        }
    }

    fn url_of(provider: Provider, base: Option<&str>, allowed: &[&str]) -> String {
        resolve_target(&request(provider, base), &settings(allowed))
            .unwrap()
            .url
            .to_string()
    }

    #[test]
    fn defaults_are_the_official_endpoints() {
        assert_eq!(
            url_of(Provider::OpenAi, None, &[]),
            "https://api.openai.com/v1/models"
        );
        assert_eq!(
            url_of(Provider::Anthropic, None, &[]),
            "https://api.anthropic.com/v1/models"
        );
        assert_eq!(
            url_of(Provider::Gemini, None, &[]),
            "https://generativelanguage.googleapis.com/v1beta/models"
        );
        assert_eq!(
            resolve_target(&request(Provider::AzureOpenAi, None), &settings(&[])),
            Err(Refusal::MissingEndpoint {
                provider: Provider::AzureOpenAi
            })
        );
        let target =
            resolve_target(&request(Provider::OpenAi, Some("  ")), &settings(&[])).unwrap();
        assert!(target.official);
        assert_eq!(target.host, "api.openai.com");
    }

    #[test]
    fn official_base_urls_need_no_allowlist() {
        assert_eq!(
            url_of(Provider::OpenAi, Some("https://api.openai.com/v1/"), &[]),
            "https://api.openai.com/v1/models"
        );
        assert_eq!(
            url_of(Provider::OpenAi, Some("https://API.OpenAI.com./v1"), &[]),
            "https://api.openai.com/v1/models"
        );
        assert_eq!(
            url_of(Provider::OpenAi, Some("https://api.openai.com:443/v1"), &[]),
            "https://api.openai.com/v1/models"
        );
        assert_eq!(
            url_of(
                Provider::AzureOpenAi,
                Some("https://myres.openai.azure.com/"),
                &[]
            ),
            "https://myres.openai.azure.com/openai/models?api-version=2024-10-21"
        );
        assert_eq!(
            url_of(
                Provider::AzureOpenAi,
                Some("https://myres.cognitiveservices.azure.com"),
                &[]
            ),
            "https://myres.cognitiveservices.azure.com/openai/models?api-version=2024-10-21"
        );
    }

    #[test]
    fn sdk_path_semantics() {
        // The OpenAI SDK appends `/models` to whatever the base URL is; a base URL
        // without `/v1` fails for the program too, and the probe reports it.
        assert_eq!(
            url_of(Provider::OpenAi, Some("https://api.openai.com"), &[]),
            "https://api.openai.com/models"
        );
        assert_eq!(
            url_of(
                Provider::AzureOpenAi,
                Some("https://r.openai.azure.com/openai/deployments/gpt/chat?x=1"),
                &[]
            ),
            "https://r.openai.azure.com/openai/models?api-version=2024-10-21"
        );
        assert_eq!(
            url_of(
                Provider::AzureOpenAi,
                Some("https://r.openai.azure.com/openai/v1/"),
                &[]
            ),
            "https://r.openai.azure.com/openai/v1/models"
        );
        assert_eq!(
            url_of(
                Provider::Anthropic,
                Some("https://api.anthropic.com/?q=1#f"),
                &[]
            ),
            "https://api.anthropic.com/v1/models"
        );
    }

    #[test]
    fn unofficial_hosts_are_refused_without_allowlist() {
        let refusal = resolve_target(
            &request(Provider::OpenAi, Some("https://evil.example/v1")),
            &settings(&[]),
        )
        .unwrap_err();
        assert_eq!(
            refusal,
            Refusal::NotAllowed {
                provider: Provider::OpenAi,
                host: "evil.example".to_string(),
                allow_as: "evil.example".to_string(),
            }
        );
        let message = refusal.message();
        assert!(message.contains("evil.example"), "{message}");
        assert!(message.contains("not an official OpenAI host"), "{message}");
        assert!(message.contains("did not send the key"), "{message}");
        assert!(refusal.fix().contains("--allow-host evil.example"));

        // Another provider's official host is not this provider's.
        assert!(
            resolve_target(
                &request(Provider::OpenAi, Some("https://api.anthropic.com")),
                &settings(&[])
            )
            .is_err()
        );
        assert!(
            resolve_target(
                &request(
                    Provider::AzureOpenAi,
                    Some("https://myres.openai.azure.com.evil.example/")
                ),
                &settings(&[])
            )
            .is_err()
        );
    }

    #[test]
    fn allowlist_host_any_port_and_host_port() {
        let base = Some("https://proxy.example:8443/v1");
        assert_eq!(
            url_of(Provider::OpenAi, base, &["proxy.example"]),
            "https://proxy.example:8443/v1/models"
        );
        assert_eq!(
            url_of(Provider::OpenAi, base, &["proxy.example:8443"]),
            "https://proxy.example:8443/v1/models"
        );
        assert_eq!(
            url_of(Provider::OpenAi, base, &["HTTPS://Proxy.Example:8443/"]),
            "https://proxy.example:8443/v1/models"
        );
        let refusal = resolve_target(
            &request(Provider::OpenAi, base),
            &settings(&["proxy.example:9999"]),
        )
        .unwrap_err();
        assert!(
            matches!(refusal, Refusal::PortNotAllowed { .. }),
            "{refusal:?}"
        );
        assert!(refusal.message().contains("proxy.example:9999"));
        assert!(refusal.fix().contains("--allow-host proxy.example:8443"));
        // The default port counts: `host:443` allows `https://host/`.
        assert_eq!(
            url_of(
                Provider::OpenAi,
                Some("https://proxy.example/v1"),
                &["proxy.example:443"]
            ),
            "https://proxy.example/v1/models"
        );
    }

    #[test]
    fn plain_http_only_to_allowed_loopback() {
        for base in [
            "http://127.0.0.1:8080/v1",
            "http://127.1.2.3:8080/v1",
            "http://localhost:8080/v1",
            "http://[::1]:8080/v1",
        ] {
            let host = Url::parse(base).unwrap().host_str().unwrap().to_string();
            let entry = format!("{}:8080", host);
            assert!(
                resolve_target(&request(Provider::OpenAi, Some(base)), &settings(&[&entry]))
                    .is_ok(),
                "{base} with {entry}"
            );
            // Not allowed: refused even though it is loopback.
            assert!(matches!(
                resolve_target(&request(Provider::OpenAi, Some(base)), &settings(&[])),
                Err(Refusal::NotAllowed { .. })
            ));
        }
        let refusal = resolve_target(
            &request(Provider::OpenAi, Some("http://proxy.example/v1")),
            &settings(&["proxy.example"]),
        )
        .unwrap_err();
        assert!(matches!(refusal, Refusal::PlainHttp { .. }), "{refusal:?}");
        assert!(refusal.message().contains("unencrypted"));
        // Even the official host is refused over http (and is not allowed by default).
        assert!(
            resolve_target(
                &request(Provider::OpenAi, Some("http://api.openai.com/v1")),
                &settings(&["api.openai.com"])
            )
            .is_err()
        );
        assert!(
            resolve_target(
                &request(Provider::OpenAi, Some("http://api.openai.com/v1")),
                &settings(&[])
            )
            .is_err()
        );
    }

    #[test]
    fn official_host_on_another_port_needs_allowlist() {
        let refusal = resolve_target(
            &request(Provider::OpenAi, Some("https://api.openai.com:8443/v1")),
            &settings(&[]),
        )
        .unwrap_err();
        assert_eq!(
            refusal,
            Refusal::NotAllowed {
                provider: Provider::OpenAi,
                host: "api.openai.com:8443".to_string(),
                allow_as: "api.openai.com:8443".to_string(),
            }
        );
    }

    #[test]
    fn bad_urls() {
        for (base, expected) in [
            ("api.openai.com/v1", "InvalidUrl"),
            ("ftp://api.openai.com/v1", "UnsupportedScheme"),
            ("file:///etc/passwd", "UnsupportedScheme"),
            ("https://user:pw@api.openai.com/v1", "CredentialsInUrl"),
        ] {
            let refusal =
                resolve_target(&request(Provider::OpenAi, Some(base)), &settings(&[])).unwrap_err();
            assert!(
                format!("{refusal:?}").starts_with(expected),
                "{base}: {refusal:?}"
            );
            assert!(!refusal.message().is_empty());
            assert!(!refusal.fix().is_empty());
        }
    }

    #[test]
    fn allowed_host_parsing() {
        let parse = |text: &str| AllowedHost::parse(text).map(|a| (a.host, a.port));
        assert_eq!(parse("Example.COM"), Some(("example.com".into(), None)));
        assert_eq!(
            parse("example.com:8080"),
            Some(("example.com".into(), Some(8080)))
        );
        assert_eq!(parse("[::1]:8080"), Some(("::1".into(), Some(8080))));
        assert_eq!(parse("[::1]"), Some(("::1".into(), None)));
        assert_eq!(parse("::1"), Some(("::1".into(), None)));
        assert_eq!(
            parse("https://h.example/v1"),
            Some(("h.example".into(), None))
        );
        assert_eq!(parse("127.0.0.1:1"), Some(("127.0.0.1".into(), Some(1))));
        assert_eq!(parse("*.example.com"), None);
        assert_eq!(parse("host:notaport"), None);
        assert_eq!(parse(""), None);
    }
}

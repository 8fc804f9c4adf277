//! The words of an outcome: one `message` (why) and one `fix` (what to do) per cause.
//!
//! Messages follow one pattern so they read alike in the CLI, JSON and hover:
//! what keylint concluded, then `→ STATUS code` as evidence, e.g.
//! `key is valid, but OPENAI_ORG_ID=org-abcd… is not an organization of this key →
//! 401 mismatched_organization`. Every text passes through [`sanitize`] before it
//! leaves the crate, so even a server that echoes the key cannot make us print it.

use std::time::Duration;

use crate::classify::{Basis, Classification};
use crate::mask_id;
use keylint_core::mask_secret;
use keylint_core::provider::{Provider, ProviderSpec, Role};

use crate::Verdict;

/// Which configured header a mismatch is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderKind {
    Organization,
    Project,
}

/// A failure below HTTP: no status came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TransportFailure {
    Timeout,
    Dns(String),
    Connect(String),
    Tls(String),
    Other(String),
}

/// Facts about the request that messages mention.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    pub provider: Provider,
    pub host: &'a str,
    pub path: &'a str,
    pub organization: Option<&'a str>,
    pub project: Option<&'a str>,
    pub base_url_configured: bool,
}

pub(crate) fn evidence(status: u16, code: Option<&str>) -> String {
    match code {
        Some(code) if code != status.to_string() => format!(" → {status} {code}"),
        _ => format!(" → {status}"),
    }
}

/// The provider's own message, short and quoted, for causes where it adds detail.
fn provider_said(spec: &ProviderSpec, classification: &Classification) -> String {
    let Some(message) = classification
        .error
        .as_ref()
        .and_then(|error| error.message.as_deref())
        .map(str::trim)
        .filter(|message| !message.is_empty())
    else {
        return String::new();
    };
    let mut short: String = message.chars().take(200).collect();
    if short.len() < message.len() {
        short.push('…');
    }
    format!(
        " ({} said: \"{}\")",
        spec.provider.display_name(),
        short.replace(['\n', '\r'], " ")
    )
}

/// Message and fix for a response that was classified on its own (no header
/// comparison involved).
pub(crate) fn response(
    context: &Context<'_>,
    status: u16,
    classification: &Classification,
) -> (String, String) {
    let spec = context.provider.spec();
    let name = spec.provider.display_name();
    let host = context.host;
    let code = classification.code.as_deref();
    let tail = evidence(status, code);
    let said = provider_said(spec, classification);
    match classification.verdict {
        Verdict::Ok => (
            format!(
                "{name} accepted the key ({host} answered {status} to GET {})",
                context.path
            ),
            "Nothing to fix".to_string(),
        ),
        Verdict::InvalidKey => invalid_key(context, &tail),
        Verdict::OrgMismatch => {
            header_mismatch(context, HeaderKind::Organization, status, code, false)
        }
        Verdict::ProjectMismatch => {
            header_mismatch(context, HeaderKind::Project, status, code, false)
        }
        Verdict::Deactivated => deactivated(context, &tail, &said),
        Verdict::NoPermission => no_permission(context, code, &tail, &said),
        Verdict::QuotaExhausted => quota(context, &tail, &said),
        Verdict::RateLimited => (
            format!("the key is valid, but {name} is rate-limiting it right now{tail}"),
            "Wait a minute and probe again; if it persists, lower the request rate or raise your \
             rate limits"
                .to_string(),
        ),
        Verdict::WrongEndpoint => wrong_endpoint(context, code, &tail, &said),
        Verdict::Unknown => unknown_response(context, status, classification, &tail, &said),
    }
}

fn invalid_key(context: &Context<'_>, tail: &str) -> (String, String) {
    let spec = context.provider.spec();
    let host = context.host;
    match context.provider {
        Provider::AzureOpenAi => (
            format!(
                "{host} rejected the key: it is not a key of this Azure OpenAI resource (a wrong \
                 or regenerated key, or {} names another resource or region){tail}",
                spec.base_url_variable()
            ),
            format!(
                "Copy KEY 1 or KEY 2 from {} of the resource named in {}, and paste it whole",
                spec.keys_page,
                spec.base_url_variable()
            ),
        ),
        _ => (
            format!(
                "{host} rejected the key: it is not a valid {} API key (mistyped, truncated, \
                 revoked or deleted){tail}",
                spec.provider.display_name()
            ),
            format!(
                "Create a new key at {} and paste it whole, with no quotes or spaces around it \
                 (keylint lint shows stray characters)",
                spec.keys_page
            ),
        ),
    }
}

/// `confirmed`: the same key was accepted without the configured headers.
pub(crate) fn header_mismatch(
    context: &Context<'_>,
    kind: HeaderKind,
    status: u16,
    code: Option<&str>,
    confirmed: bool,
) -> (String, String) {
    let spec = context.provider.spec();
    let tail = evidence(status, code);
    let lead = if confirmed { "key is valid, but " } else { "" };
    let (variable, value, header) = match kind {
        HeaderKind::Organization => (
            spec.variable(Role::Organization).unwrap_or_default(),
            context.organization,
            spec.org_header.unwrap_or("OpenAI-Organization"),
        ),
        HeaderKind::Project => (
            spec.variable(Role::Project).unwrap_or_default(),
            context.project,
            spec.project_header.unwrap_or("OpenAI-Project"),
        ),
    };
    let what = match kind {
        HeaderKind::Organization => "an organization of this key",
        HeaderKind::Project => "a project this key can use",
    };
    let message = match value {
        Some(value) => format!("{lead}{variable}={} is not {what}{tail}", mask_id(value)),
        None => format!("{lead}the {header} header sent with the key is not {what}{tail}"),
    };
    let fix = match kind {
        HeaderKind::Organization => format!(
            "Remove {variable} or set it to one of the key's organizations (listed at \
             https://platform.openai.com/settings/organization/general)"
        ),
        HeaderKind::Project => format!(
            "Remove {variable} (a project key already names its project) or set it to the \
             project the key belongs to"
        ),
    };
    (message, fix)
}

fn deactivated(context: &Context<'_>, tail: &str, said: &str) -> (String, String) {
    let spec = context.provider.spec();
    let name = spec.provider.display_name();
    if context.provider == Provider::Gemini {
        return (
            format!(
                "Google blocked this key (for example because it was reported as leaked){tail}{said}"
            ),
            format!(
                "Delete the key, create a new one at {}, and keep it out of committed files",
                spec.keys_page
            ),
        );
    }
    (
        format!(
            "{name} knows the key, but its account or organization is deactivated or disabled\
             {tail}{said}"
        ),
        format!(
            "Check the account's status (and any email from {name}); use a key of an active \
             account"
        ),
    )
}

fn no_permission(
    context: &Context<'_>,
    code: Option<&str>,
    tail: &str,
    said: &str,
) -> (String, String) {
    let spec = context.provider.spec();
    let name = spec.provider.display_name();
    let code = code.unwrap_or("");
    match (context.provider, code) {
        (Provider::OpenAi, "unsupported_country_region_territory") => (
            format!(
                "the key is valid, but OpenAI refuses requests from this country, region or \
                 territory{tail}"
            ),
            "Run the program from a supported country or region (see OpenAI's supported \
             countries list); changing the key will not help"
                .to_string(),
        ),
        (Provider::OpenAi, _) => (
            format!(
                "the key is valid, but it may not list models (a restricted key without \
                 models:read, or a role without access){tail}{said}"
            ),
            format!(
                "If this is a restricted key, give it Read access to Models (and what your program \
                 uses) at {}, or use a key with All permissions; a program that only calls \
                 permitted endpoints may still work",
                spec.keys_page
            ),
        ),
        (Provider::AzureOpenAi, _) => (
            format!(
                "the Azure OpenAI resource refused access{tail}{said}: key authentication may be \
                 disabled, or its network rules (firewall, private endpoint) exclude this machine"
            ),
            "In the Azure portal check the resource's Networking settings and that key-based \
             (local) authentication is enabled"
                .to_string(),
        ),
        (Provider::Anthropic, _) => (
            format!("the key is valid, but it may not use this resource{tail}{said}"),
            format!(
                "Check the key's workspace and permissions at {}",
                spec.keys_page
            ),
        ),
        (Provider::Gemini, "API_KEY_SERVICE_BLOCKED") => (
            format!(
                "the key is valid, but its API restrictions do not include the Generative \
                 Language API{tail}"
            ),
            "In Google Cloud console → APIs & Services → Credentials, edit the key's API \
             restrictions to allow the Generative Language API, or create a key in Google AI \
             Studio"
                .to_string(),
        ),
        (Provider::Gemini, "SERVICE_DISABLED") => (
            format!(
                "the key is valid, but the Generative Language API is not enabled in the key's \
                 Google Cloud project{tail}"
            ),
            "Enable the Generative Language API for that project (Google Cloud console → APIs & \
             Services), or create a key in Google AI Studio"
                .to_string(),
        ),
        (Provider::Gemini, "API_KEY_HTTP_REFERRER_BLOCKED" | "API_KEY_IP_ADDRESS_BLOCKED") => (
            format!(
                "the key is valid, but its application restrictions (allowed referrers or IP \
                 addresses) block requests from here{tail}"
            ),
            "Relax the key's application restrictions in Google Cloud console → Credentials, or \
             use a key meant for servers"
                .to_string(),
        ),
        (Provider::Gemini, "FAILED_PRECONDITION") => (
            format!("the key is valid, but {name} is not available in this location{tail}{said}"),
            "Run from a supported region or enable billing for the project; changing the key \
             will not help"
                .to_string(),
        ),
        (Provider::Gemini, _) => (
            format!("the key is valid, but it is not permitted to use the Gemini API{tail}{said}"),
            "Check the key's restrictions and the project's enabled APIs in Google Cloud console"
                .to_string(),
        ),
    }
}

fn quota(context: &Context<'_>, tail: &str, said: &str) -> (String, String) {
    let spec = context.provider.spec();
    match context.provider {
        Provider::OpenAi => (
            format!(
                "the key is valid, but its organization or project has no quota left (no credit, \
                 or a usage limit reached){tail}"
            ),
            format!(
                "Add credit or raise the usage limit at {}",
                spec.billing_page
            ),
        ),
        Provider::Anthropic => (
            format!("the key is valid, but the organization's credit balance is too low{tail}"),
            format!("Buy credits at {}", spec.billing_page),
        ),
        Provider::Gemini => (
            format!("the key is valid, but its quota is exhausted{tail}{said}"),
            format!(
                "Wait for the quota to reset, or enable billing for the key's project (usage at \
                 {})",
                spec.billing_page
            ),
        ),
        Provider::AzureOpenAi => (
            format!("the key is valid, but the resource's quota is exhausted{tail}{said}"),
            format!("Check the quota in {}", spec.billing_page),
        ),
    }
}

fn wrong_endpoint(
    context: &Context<'_>,
    code: Option<&str>,
    tail: &str,
    said: &str,
) -> (String, String) {
    let spec = context.provider.spec();
    let name = spec.provider.display_name();
    let host = context.host;
    let path = context.path;
    if context.provider == Provider::AzureOpenAi {
        let what = match code {
            Some("DeploymentNotFound") => "the deployment does not exist on this resource",
            Some("ResourceNotFound") | Some("404") => "there is no Azure OpenAI resource here",
            _ => "this is not an Azure OpenAI endpoint the probe can use",
        };
        return (
            format!("{host}{path}: {what}{tail}{said}; the key was not checked"),
            format!(
                "Set {} to https://YOUR-RESOURCE.openai.azure.com/ exactly as shown in {}",
                spec.base_url_variable(),
                spec.keys_page
            ),
        );
    }
    let hint = if context.provider == Provider::OpenAi
        && context.base_url_configured
        && !path.ends_with("/v1/models")
    {
        format!(" ({} usually ends in /v1)", spec.base_url_variable())
    } else {
        String::new()
    };
    (
        format!(
            "{host} has no {path}{tail}, so the base URL does not point at the {name} API{hint}; \
             the key was not checked"
        ),
        format!(
            "Set {} to {} (or to your gateway's {name}-compatible base URL)",
            spec.base_url_variable(),
            spec.default_base_url.unwrap_or("the API's base URL")
        ),
    )
}

fn unknown_response(
    context: &Context<'_>,
    status: u16,
    classification: &Classification,
    tail: &str,
    said: &str,
) -> (String, String) {
    let spec = context.provider.spec();
    let name = spec.provider.display_name();
    let host = context.host;
    match classification.basis {
        Basis::SuccessNotJson => (
            format!(
                "{host} answered {status} but not with JSON, so it is probably not the {name} API \
                 (a web page, or a proxy's login page); the key could not be checked"
            ),
            format!(
                "Check the base URL ({}); probe again from a network without the proxy",
                spec.base_url_variable()
            ),
        ),
        Basis::ServerError => {
            let what = if classification.code.as_deref() == Some("overloaded_error") {
                format!("{name} is overloaded")
            } else {
                format!("{host} had a server error")
            };
            (
                format!("{what}{tail} (tried twice); the key could not be checked"),
                format!("Probe again later; check {name}'s status page if it persists"),
            )
        }
        Basis::NotProviderError => (
            format!(
                "{host} answered {status}, but not in {name}'s error format, so something in \
                 between (a proxy, firewall or gateway) may have answered; the key could not be \
                 checked"
            ),
            "Check proxies (HTTPS_PROXY), firewalls and the base URL, then probe again".to_string(),
        ),
        Basis::Redirect => redirect(context, status, None),
        Basis::Success | Basis::NotFound | Basis::ProviderError => (
            format!(
                "{host} answered{tail}{said}, which keylint cannot map to a verdict; the key \
                 could not be checked"
            ),
            "Read the provider's message above; the same request with curl shows the full answer"
                .to_string(),
        ),
    }
}

/// A 3xx. The key is not re-sent to the redirect target.
pub(crate) fn redirect(
    context: &Context<'_>,
    status: u16,
    location_host: Option<&str>,
) -> (String, String) {
    let host = context.host;
    let to = location_host
        .map(|target| format!(" to {target}"))
        .unwrap_or_default();
    (
        format!(
            "{host} answered {status} redirecting{to}; keylint does not follow redirects with a \
             key, so the key was not sent there and could not be checked"
        ),
        "Set the base URL to the address the API really answers at (no redirect), or find out \
         what redirects it (a proxy, a captive portal)"
            .to_string(),
    )
}

pub(crate) fn transport(
    context: &Context<'_>,
    failure: &TransportFailure,
    attempts: u32,
    timeout: Duration,
) -> (String, String) {
    let spec = context.provider.spec();
    let host = context.host;
    let tries = if attempts > 1 {
        format!(" ({attempts} attempts)")
    } else {
        String::new()
    };
    match failure {
        TransportFailure::Timeout => (
            format!(
                "no answer from {host} within {}{tries}; the key could not be checked",
                seconds(timeout)
            ),
            "Check the network and proxy settings (HTTPS_PROXY), or raise the probe timeout"
                .to_string(),
        ),
        // A DNS failure cannot tell a resource that does not exist from a machine
        // without DNS, so it stays `unknown`; for Azure, whose host names exist only
        // while the resource exists, the message points at the likely cause.
        TransportFailure::Dns(detail) if context.provider == Provider::AzureOpenAi => (
            format!(
                "{host} does not resolve ({detail}): most likely no Azure OpenAI resource has \
                 that name (check {}), unless DNS is unavailable here; the key could not be checked",
                spec.base_url_variable()
            ),
            format!(
                "Compare {} with the endpoint in {}; if it matches, check the network",
                spec.base_url_variable(),
                spec.keys_page
            ),
        ),
        TransportFailure::Dns(detail) => (
            format!("could not resolve {host} ({detail}); the key could not be checked"),
            "Check the network connection and DNS, then probe again".to_string(),
        ),
        TransportFailure::Connect(detail) => (
            format!("could not connect to {host} ({detail}){tries}; the key could not be checked"),
            "Check the network, proxy (HTTPS_PROXY) and firewall; for a local gateway, check \
             that it is running"
                .to_string(),
        ),
        TransportFailure::Tls(detail) => (
            format!(
                "the TLS handshake with {host} failed ({detail}); the key was not sent and could \
                 not be checked"
            ),
            "A proxy or antivirus may be intercepting HTTPS, the system clock may be wrong, or \
             the system's CA certificates are missing; fix that and probe again"
                .to_string(),
        ),
        TransportFailure::Other(detail) => (
            format!("the request to {host} failed ({detail}){tries}; the key could not be checked"),
            "Check the network and probe again".to_string(),
        ),
    }
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// Removes the key from any text that leaves the crate: the whole key, and any
/// word that is a long piece of it (a server may echo part of what it got).
pub(crate) fn sanitize(text: &str, key: &str) -> String {
    let key = key.trim();
    if key.chars().count() < 4 {
        return text.to_string();
    }
    let masked = mask_secret(key);
    let mut clean = text.replace(key, &masked);
    let pieces: Vec<String> = clean
        .split(|c: char| c.is_whitespace() || "\"'`,;()[]{}<>=".contains(c))
        .map(|word| word.trim_matches(|c: char| ".:!?".contains(c)))
        .filter(|word| word.len() >= 8 && key.contains(word) && !masked.contains(word))
        .map(str::to_string)
        .collect();
    for piece in pieces {
        clean = clean.replace(&piece, "[part of the key]");
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_key_and_fragments() {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyzT3BlbkFJ0123456789";
        let text = format!("bad key {key}. Prefix sk-proj-abcdefghijk, short sk-proj");
        let clean = sanitize(&text, key);
        keylint_test_support::Secrets::new([key]).assert_no_leak("sanitized", &clean);
        // Stricter than the leak check's 12 characters: no 11 after the prefix either.
        assert!(!clean.contains("abcdefghijk"));
        assert!(clean.contains("sk-proj-…6789"));
        assert!(clean.contains("short sk-proj"));
        assert_eq!(sanitize("nothing here", key), "nothing here");
    }

    #[test]
    fn evidence_skips_numeric_code_equal_to_status() {
        assert_eq!(evidence(401, Some("401")), " → 401");
        assert_eq!(
            evidence(401, Some("invalid_api_key")),
            " → 401 invalid_api_key"
        );
        assert_eq!(evidence(404, None), " → 404");
    }

    #[test]
    fn azure_dns_failure_points_at_the_resource_name() {
        let context = Context {
            provider: Provider::AzureOpenAi,
            host: "no-such-res.openai.azure.com",
            path: "/openai/models",
            organization: None,
            project: None,
            base_url_configured: true,
        };
        let (message, fix) = transport(
            &context,
            &TransportFailure::Dns("Name or service not known".into()),
            1,
            Duration::from_secs(5),
        );
        assert!(
            message.contains("no Azure OpenAI resource has that name"),
            "{message}"
        );
        assert!(message.contains("AZURE_OPENAI_ENDPOINT"));
        assert!(fix.contains("AZURE_OPENAI_ENDPOINT"));
        assert_eq!(seconds(Duration::from_millis(300)), "0.3 s");
        assert_eq!(seconds(Duration::from_secs(5)), "5 s");
    }
}

//! The network side: sending the probe, politely, and explaining the answer.
//!
//! Order of checks in [`Prober::probe`], cheapest and safest first:
//! 1. [`resolve_target`] refuses hosts the key must not go to (nothing is sent);
//! 2. the key and header values must be sendable as HTTP headers;
//! 3. the cache answers repeated questions (no request);
//! 4. keylint's own rate limit (no request when exceeded);
//! 5. the request: hard timeout, no redirects, at most one retry on timeout or 5xx;
//! 6. for OpenAI with `OpenAI-Organization`/`OpenAI-Project` configured and a 401
//!    that does not say "bad key", the same key is asked again without those headers
//!    to tell a bad header from a bad key.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue, LOCATION};
use rustls_platform_verifier::BuilderVerifierExt;

use crate::cache::{CACHE_TTL, DiskCache, MemoryCache, cache_key, is_cacheable};
use crate::classify::{Basis, Classification, classify_response};
use crate::explain::{self, Context, HeaderKind, TransportFailure, sanitize};
use crate::rate_limit::RateLimiter;
use crate::target::{Refusal, Target, resolve_target};
use crate::{ProbeOutcome, ProbeRequest, ProbeSettings, Verdict};
use keylint_core::provider::{KeyHeader, ProviderSpec, Role};

/// At most this much of a response body is read; error bodies are small, and a
/// success only needs to look like JSON.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Pause before the single retry after a timeout or 5xx.
const RETRY_DELAY: Duration = Duration::from_millis(250);

/// Sends probes. Cheap to clone; clones share the HTTP clients, the cache, the rate
/// limit and in-flight de-duplication, so one `Prober` per process is enough.
#[derive(Clone)]
pub struct Prober {
    shared: Arc<Shared>,
    disk: Option<Arc<DiskCache>>,
}

struct Shared {
    settings: ProbeSettings,
    /// Built on first use: loading the system's CA certificates takes a moment, and
    /// an editor that never probes should not pay for it.
    clients: OnceLock<Result<Clients, String>>,
    memory: MemoryCache,
    limiter: Mutex<RateLimiter>,
    /// One lock per cache key, so concurrent probes of the same key (hover fired
    /// twice) make one request and the second reads the cache.
    inflight: tokio::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

struct Clients {
    /// For official and allowed remote hosts; honours `HTTPS_PROXY` like the SDKs do.
    proxied: reqwest::Client,
    /// For loopback hosts; never through a proxy (a plain-http key must not leave
    /// the machine).
    direct: reqwest::Client,
    /// Why certificate verification could not be set up, if it could not; HTTPS
    /// probes then refuse to run instead of failing mysteriously.
    tls_error: Option<String>,
}

impl fmt::Debug for Prober {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prober")
            .field("settings", &self.shared.settings)
            .field(
                "disk_cache",
                &self.disk.as_ref().map(|disk| disk.dir().to_path_buf()),
            )
            .finish_non_exhaustive()
    }
}

/// The headers of one request variant, checked once.
struct HeaderPlan {
    key: (HeaderName, HeaderValue),
    statics: Vec<(&'static str, HeaderValue)>,
    organization: Option<OptionalHeader>,
    project: Option<OptionalHeader>,
}

/// An organization or project header: its name, value, and the text it came from.
struct OptionalHeader {
    name: &'static str,
    value: HeaderValue,
    raw: String,
}

/// A message and a fix, for outcomes decided before any request.
type Explained = (String, String);

/// Which optional headers a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderSet {
    All,
    WithoutOrgAndProject,
    OrganizationOnly,
}

struct Response {
    status: u16,
    body: String,
    location: Option<String>,
}

struct Exchange {
    result: Result<Response, TransportFailure>,
    attempts: u32,
}

impl Prober {
    /// A prober with an in-memory cache and no disk cache. Creates no connection.
    #[must_use]
    pub fn new(settings: ProbeSettings) -> Prober {
        let limiter = RateLimiter::new(settings.max_per_minute);
        Prober {
            shared: Arc::new(Shared {
                settings,
                clients: OnceLock::new(),
                memory: MemoryCache::new(CACHE_TTL),
                limiter: Mutex::new(limiter),
                inflight: tokio::sync::Mutex::new(HashMap::new()),
            }),
            disk: None,
        }
    }

    /// Also keep results in `dir` (the CLI uses the user cache directory), so that
    /// separate runs share them. Files hold a hash and the outcome, never the key.
    #[must_use]
    pub fn with_disk_cache(self, dir: std::path::PathBuf) -> Prober {
        Prober {
            disk: Some(Arc::new(DiskCache::new(dir, CACHE_TTL))),
            ..self
        }
    }

    /// The settings this prober was made with.
    #[must_use]
    pub fn settings(&self) -> &ProbeSettings {
        &self.shared.settings
    }

    /// Probes one key and explains the result. Never panics on any input and never
    /// returns a message or fix containing the key.
    pub async fn probe(&self, req: &ProbeRequest) -> ProbeOutcome {
        let mut outcome = self.probe_unsanitized(req).await;
        outcome.message = sanitize(&outcome.message, &req.key);
        outcome.fix = sanitize(&outcome.fix, &req.key);
        outcome.host = sanitize(&outcome.host, &req.key);
        outcome
    }

    async fn probe_unsanitized(&self, req: &ProbeRequest) -> ProbeOutcome {
        let spec = req.provider.spec();
        let target = match resolve_target(req, &self.shared.settings) {
            Ok(target) => target,
            Err(refusal) => return refused(&refusal),
        };
        if req.key.trim().is_empty() {
            return not_sent(
                &target,
                "the key is empty; nothing was sent".to_string(),
                format!("Set {} to your key", spec.key_variable()),
            );
        }
        let plan = match HeaderPlan::new(req, spec) {
            Ok(plan) => plan,
            Err((message, fix)) => return not_sent(&target, message, fix),
        };

        let hash = cache_key(
            req.provider,
            &req.key,
            &plan.hashed_values(),
            target.url.as_str(),
        );
        let slot = {
            let mut inflight = self.shared.inflight.lock().await;
            Arc::clone(inflight.entry(hash.clone()).or_default())
        };
        let guard = slot.lock().await;
        let outcome = self.probe_with_cache(req, &target, &plan, &hash).await;
        drop(guard);
        self.shared.inflight.lock().await.remove(&hash);
        outcome
    }

    async fn probe_with_cache(
        &self,
        req: &ProbeRequest,
        target: &Target,
        plan: &HeaderPlan,
        hash: &str,
    ) -> ProbeOutcome {
        if let Some(mut hit) = self.shared.memory.get(hash, Instant::now()) {
            hit.cached = true;
            return hit;
        }
        if let Some(hit) = self
            .disk
            .as_ref()
            .and_then(|disk| disk.get(hash, SystemTime::now()))
        {
            self.shared
                .memory
                .insert(hash.to_string(), hit.clone(), Instant::now());
            return hit;
        }
        let admitted = self
            .shared
            .limiter
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .try_acquire(Instant::now());
        if let Err(wait) = admitted {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let seconds = seconds.max(1);
            return not_sent(
                target,
                format!(
                    "rate limit of keylint itself reached ({} probes per minute); try again in \
                     {seconds} s; nothing was sent",
                    self.shared.settings.max_per_minute
                ),
                format!("Wait {seconds} s and probe again (cached results do not count)"),
            );
        }

        let outcome = self.live(req, target, plan).await;
        tracing::debug!(
            provider = req.provider.id(),
            host = %outcome.host,
            status = ?outcome.http_status,
            verdict = outcome.verdict.as_str(),
            "probe finished"
        );
        if is_cacheable(&outcome) {
            self.shared
                .memory
                .insert(hash.to_string(), outcome.clone(), Instant::now());
            if let Some(disk) = &self.disk {
                disk.put(hash, &outcome, SystemTime::now());
            }
        }
        outcome
    }

    fn clients(&self) -> Result<&Clients, &str> {
        self.shared
            .clients
            .get_or_init(|| build_clients(&self.shared.settings))
            .as_ref()
            .map_err(String::as_str)
    }

    async fn live(&self, req: &ProbeRequest, target: &Target, plan: &HeaderPlan) -> ProbeOutcome {
        let clients = match self.clients() {
            Ok(clients) => clients,
            Err(error) => {
                return not_sent(
                    target,
                    format!("could not set up the HTTP client ({error}); nothing was sent"),
                    "Report this as a keylint bug".to_string(),
                );
            }
        };
        let https = target.url.scheme() == "https";
        if let (true, Some(error)) = (https, &clients.tls_error) {
            return not_sent(
                target,
                format!(
                    "could not set up TLS certificate verification ({error}); nothing was sent"
                ),
                "Install the system's CA certificates (the ca-certificates package) and probe again"
                    .to_string(),
            );
        }
        let client = if target.loopback {
            &clients.direct
        } else {
            &clients.proxied
        };
        let context = Context {
            provider: req.provider,
            host: &target.host,
            path: target.url.path(),
            organization: plan.organization.as_ref().map(|header| header.raw.as_str()),
            project: plan.project.as_ref().map(|header| header.raw.as_str()),
            base_url_configured: req
                .base_url
                .as_deref()
                .is_some_and(|url| !url.trim().is_empty()),
        };
        let timeout = self.shared.settings.timeout;
        let headers_sent = plan.names(HeaderSet::All);

        let first = exchange(client, target, plan, HeaderSet::All).await;
        let response = match first.result {
            Ok(response) => response,
            Err(failure) => {
                // Before a connection exists nothing was sent; after a timeout the
                // request may have gone out.
                let sent = match failure {
                    TransportFailure::Timeout | TransportFailure::Other(_) => headers_sent,
                    TransportFailure::Dns(_)
                    | TransportFailure::Connect(_)
                    | TransportFailure::Tls(_) => Vec::new(),
                };
                return outcome(
                    Verdict::Unknown,
                    None,
                    None,
                    target,
                    sent,
                    explain::transport(&context, &failure, first.attempts, timeout),
                );
            }
        };
        if (300..400).contains(&response.status) {
            let location = response
                .location
                .as_deref()
                .and_then(|location| target.url.join(location).ok())
                .and_then(|url| {
                    url.host_str().map(|host| match url.port() {
                        Some(port) => format!("{host}:{port}"),
                        None => host.to_string(),
                    })
                });
            return outcome(
                Verdict::Unknown,
                Some(response.status),
                None,
                target,
                headers_sent,
                explain::redirect(&context, response.status, location.as_deref()),
            );
        }
        let classification = classify_response(req.provider, response.status, &response.body);
        if should_compare_headers(plan, response.status, &classification) {
            return compare_headers(
                client,
                target,
                plan,
                &context,
                response.status,
                classification,
                headers_sent,
            )
            .await;
        }
        from_response(
            &context,
            target,
            headers_sent,
            response.status,
            &classification,
        )
    }
}

/// A 401 with organization/project headers that does not say "bad key" or
/// "deactivated" may be the headers' fault.
fn should_compare_headers(plan: &HeaderPlan, status: u16, classification: &Classification) -> bool {
    (plan.organization.is_some() || plan.project.is_some())
        && status == 401
        && classification.basis == Basis::ProviderError
        && classification.verdict != Verdict::Deactivated
        && classification.code.as_deref() != Some("invalid_api_key")
}

/// Asks again without the organization/project headers (and, when both were set and
/// the code does not say which, with the organization only) and compares.
async fn compare_headers(
    client: &reqwest::Client,
    target: &Target,
    plan: &HeaderPlan,
    context: &Context<'_>,
    status: u16,
    classification: Classification,
    headers_sent: Vec<&'static str>,
) -> ProbeOutcome {
    let bare = exchange(client, target, plan, HeaderSet::WithoutOrgAndProject).await;
    let bare_class = match &bare.result {
        Ok(response) if !(300..400).contains(&response.status) => Some((
            response.status,
            classify_response(context.provider, response.status, &response.body),
        )),
        _ => None,
    };
    let Some((bare_status, bare_class)) = bare_class else {
        return from_response(context, target, headers_sent, status, &classification);
    };
    if matches!(
        bare_class.verdict,
        Verdict::InvalidKey | Verdict::Deactivated
    ) {
        // The key fails on its own: that is the problem to report first.
        return from_response(
            context,
            target,
            plan.names(HeaderSet::WithoutOrgAndProject),
            bare_status,
            &bare_class,
        );
    }
    if !bare_class.verdict.key_recognized() {
        return from_response(context, target, headers_sent, status, &classification);
    }
    let kind = match (
        classification.verdict,
        plan.organization.is_some(),
        plan.project.is_some(),
    ) {
        (Verdict::OrgMismatch, true, _) => HeaderKind::Organization,
        (Verdict::ProjectMismatch, _, true) => HeaderKind::Project,
        (_, true, false) => HeaderKind::Organization,
        (_, false, true) => HeaderKind::Project,
        _ => {
            let org_only = exchange(client, target, plan, HeaderSet::OrganizationOnly).await;
            let org_accepted = match &org_only.result {
                Ok(response) => {
                    classify_response(context.provider, response.status, &response.body)
                        .verdict
                        .key_recognized()
                }
                Err(_) => false,
            };
            if org_accepted {
                HeaderKind::Project
            } else {
                HeaderKind::Organization
            }
        }
    };
    let verdict = match kind {
        HeaderKind::Organization => Verdict::OrgMismatch,
        HeaderKind::Project => Verdict::ProjectMismatch,
    };
    let code = classification.code.clone();
    outcome(
        verdict,
        Some(status),
        code.clone(),
        target,
        headers_sent,
        explain::header_mismatch(context, kind, status, code.as_deref(), true),
    )
}

fn from_response(
    context: &Context<'_>,
    target: &Target,
    headers_sent: Vec<&'static str>,
    status: u16,
    classification: &Classification,
) -> ProbeOutcome {
    outcome(
        classification.verdict,
        Some(status),
        classification.code.clone(),
        target,
        headers_sent,
        explain::response(context, status, classification),
    )
}

fn outcome(
    verdict: Verdict,
    http_status: Option<u16>,
    error_code: Option<String>,
    target: &Target,
    headers_sent: Vec<&'static str>,
    (message, fix): Explained,
) -> ProbeOutcome {
    ProbeOutcome {
        verdict,
        http_status,
        error_code,
        host: target.host.clone(),
        headers_sent,
        message,
        fix,
        cached: false,
    }
}

/// An outcome for a probe that was not sent to a resolved target.
fn not_sent(target: &Target, message: String, fix: String) -> ProbeOutcome {
    outcome(
        Verdict::Unknown,
        None,
        None,
        target,
        Vec::new(),
        (message, fix),
    )
}

/// The outcome of a refused target: `unknown`, nothing sent, and why.
fn refused(refusal: &Refusal) -> ProbeOutcome {
    ProbeOutcome {
        verdict: Verdict::Unknown,
        http_status: None,
        error_code: None,
        host: refusal.host().unwrap_or_default().to_string(),
        headers_sent: Vec::new(),
        message: refusal.message(),
        fix: refusal.fix(),
        cached: false,
    }
}

impl HeaderPlan {
    /// Checks that every value can be sent as an HTTP header; a key with a line
    /// break, a control character or a non-ASCII character (NBSP, curly quote)
    /// cannot, and the program using it fails the same way.
    fn new(req: &ProbeRequest, spec: &ProviderSpec) -> Result<HeaderPlan, Explained> {
        let unsendable = |what: &str, variable: &str| {
            (
                format!(
                    "the {what} contains characters that cannot be sent in an HTTP header (a line \
                     break, control character, or non-ASCII character such as a non-breaking \
                     space or a curly quote); nothing was sent"
                ),
                format!(
                    "Remove the stray characters from {variable} (keylint lint shows where they \
                     are)"
                ),
            )
        };
        let key_value = match spec.key_header {
            KeyHeader::Bearer => format!("Bearer {}", req.key),
            KeyHeader::Named(_) => req.key.clone(),
        };
        let mut key_value =
            header_value(&key_value).ok_or_else(|| unsendable("key", spec.key_variable()))?;
        key_value.set_sensitive(true);
        let key_name = match spec.key_header {
            KeyHeader::Bearer => AUTHORIZATION,
            KeyHeader::Named(name) => HeaderName::from_static(name),
        };
        let statics = spec
            .static_headers
            .iter()
            .map(|(name, value)| (*name, HeaderValue::from_static(value)))
            .collect();
        let optional = |header: Option<&'static str>,
                        value: Option<&String>,
                        what: &str,
                        variable: &str|
         -> Result<Option<OptionalHeader>, Explained> {
            let (Some(header), Some(value)) = (header, value) else {
                return Ok(None);
            };
            if value.trim().is_empty() {
                return Ok(None);
            }
            let header_value = header_value(value).ok_or_else(|| unsendable(what, variable))?;
            Ok(Some(OptionalHeader {
                name: header,
                value: header_value,
                raw: value.clone(),
            }))
        };
        Ok(HeaderPlan {
            key: (key_name, key_value),
            statics,
            organization: optional(
                spec.org_header,
                req.organization.as_ref(),
                "organization id",
                spec.variable(Role::Organization).unwrap_or_default(),
            )?,
            project: optional(
                spec.project_header,
                req.project.as_ref(),
                "project id",
                spec.variable(Role::Project).unwrap_or_default(),
            )?,
        })
    }

    /// The header values that identify the question, for the cache key.
    fn hashed_values(&self) -> Vec<(&str, &str)> {
        self.organization
            .iter()
            .chain(self.project.iter())
            .map(|header| (header.name, header.raw.as_str()))
            .collect()
    }

    fn includes(set: HeaderSet, organization: bool) -> bool {
        match set {
            HeaderSet::All => true,
            HeaderSet::WithoutOrgAndProject => false,
            HeaderSet::OrganizationOnly => organization,
        }
    }

    /// Names of the headers a request variant carries.
    fn names(&self, set: HeaderSet) -> Vec<&'static str> {
        let key_name: &'static str = match self.key.0 {
            ref name if name == AUTHORIZATION => "Authorization",
            ref name => static_name(name.as_str()),
        };
        let mut names = vec![key_name];
        names.extend(self.statics.iter().map(|(name, _)| *name));
        if let (true, Some(header)) = (Self::includes(set, true), &self.organization) {
            names.push(header.name);
        }
        if let (true, Some(header)) = (Self::includes(set, false), &self.project) {
            names.push(header.name);
        }
        names
    }

    fn apply(
        &self,
        mut builder: reqwest::RequestBuilder,
        set: HeaderSet,
    ) -> reqwest::RequestBuilder {
        builder = builder.header(self.key.0.clone(), self.key.1.clone());
        for (name, value) in &self.statics {
            builder = builder.header(*name, value.clone());
        }
        if let (true, Some(header)) = (Self::includes(set, true), &self.organization) {
            builder = builder.header(header.name, header.value.clone());
        }
        if let (true, Some(header)) = (Self::includes(set, false), &self.project) {
            builder = builder.header(header.name, header.value.clone());
        }
        builder
    }
}

/// A header value made only of printable ASCII and spaces. `HeaderValue` itself
/// also accepts tabs and raw non-ASCII bytes, but keys and ids never contain them,
/// clients disagree about sending them (Python's httpx refuses), and "your key has a
/// non-breaking space in it" is a better answer than the provider's 401.
fn header_value(text: &str) -> Option<HeaderValue> {
    if !text.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
        return None;
    }
    HeaderValue::from_str(text).ok()
}

/// The provider table's spelling of a key header name.
fn static_name(name: &str) -> &'static str {
    crate::Provider::ALL
        .iter()
        .find_map(|provider| match provider.spec().key_header {
            KeyHeader::Named(header) if header.eq_ignore_ascii_case(name) => Some(header),
            _ => None,
        })
        .unwrap_or("api-key")
}

/// One logical request with at most one retry, after a timeout or a 5xx.
async fn exchange(
    client: &reqwest::Client,
    target: &Target,
    plan: &HeaderPlan,
    set: HeaderSet,
) -> Exchange {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = send_once(client, target, plan, set).await;
        let retry = match &result {
            Err(TransportFailure::Timeout) => true,
            Ok(response) => response.status >= 500,
            Err(_) => false,
        };
        if retry && attempts < 2 {
            tokio::time::sleep(RETRY_DELAY).await;
            continue;
        }
        return Exchange { result, attempts };
    }
}

async fn send_once(
    client: &reqwest::Client,
    target: &Target,
    plan: &HeaderPlan,
    set: HeaderSet,
) -> Result<Response, TransportFailure> {
    let builder = client
        .get(target.url.clone())
        .header(ACCEPT, "application/json");
    let builder = plan.apply(builder, set);
    let mut response = builder
        .send()
        .await
        .map_err(|error| transport_failure(&error))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    tracing::trace!(host = %target.host, status, "probe response");
    let mut body = Vec::new();
    // A body that breaks off still leaves the status and what arrived; that is
    // better evidence than nothing, so read errors end the body, not the probe.
    while body.len() < MAX_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(MAX_BODY_BYTES);
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        location,
    })
}

/// Sorts a transport error into timeout, DNS, connect, TLS or other, with the
/// innermost cause as detail (it names the problem, not the URL).
fn transport_failure(error: &reqwest::Error) -> TransportFailure {
    if error.is_timeout() {
        return TransportFailure::Timeout;
    }
    let mut tls = false;
    let mut texts = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.downcast_ref::<rustls::Error>().is_some() {
            tls = true;
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return TransportFailure::Timeout;
            }
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
            {
                tls = true;
            }
        }
        texts.push(current.to_string());
        source = current.source();
    }
    let detail: String = texts
        .last()
        .map(|text| text.chars().take(160).collect())
        .unwrap_or_default();
    let all = texts.join(" | ").to_ascii_lowercase();
    if tls
        || all.contains("certificate")
        || all.contains("handshake")
        || all.contains("tls")
        || all.contains("corrupt message")
    {
        TransportFailure::Tls(detail)
    } else if all.contains("dns error") || all.contains("failed to lookup address") {
        TransportFailure::Dns(detail)
    } else if error.is_connect() {
        TransportFailure::Connect(detail)
    } else {
        TransportFailure::Other(detail)
    }
}

/// rustls with the *ring* provider (no aws-lc-rs, so no cmake) and the platform's
/// certificate verifier (the system's CA store on Linux), HTTP/1.1 only.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_platform_verifier()
        .map_err(|error| error.to_string())?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A configuration that trusts nothing, used when the system's certificates could
/// not be loaded: plain-http loopback probes still work, HTTPS is refused up front.
fn distrusting_tls_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}

fn build_clients(settings: &ProbeSettings) -> Result<Clients, String> {
    let (tls, tls_error) = match tls_config() {
        Ok(config) => (config, None),
        Err(error) => (distrusting_tls_config()?, Some(error)),
    };
    let build = |proxied: bool| {
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!("keylint/", env!("CARGO_PKG_VERSION")));
        let builder = if proxied { builder } else { builder.no_proxy() };
        builder.build().map_err(|error| error.to_string())
    };
    Ok(Clients {
        proxied: build(true)?,
        direct: build(false)?,
        tls_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Provider;

    #[test]
    fn unsendable_values_are_explained_not_sent() {
        let spec = Provider::OpenAi.spec();
        for key in ["sk-abc\ndef", "sk-abc\u{a0}def", "sk-“abc”"] {
            let (message, fix) = HeaderPlan::new(&ProbeRequest::new(Provider::OpenAi, key), spec)
                .err()
                .unwrap();
            assert!(message.contains("cannot be sent"), "{message}");
            assert!(fix.contains("OPENAI_API_KEY"));
        }
        let mut req = ProbeRequest::new(Provider::OpenAi, "sk-ok");
        req.organization = Some("org-\u{200b}x".into());
        let (_, fix) = HeaderPlan::new(&req, spec).err().unwrap();
        assert!(fix.contains("OPENAI_ORG_ID"));
    }

    #[test]
    fn header_names_per_variant() {
        let mut req = ProbeRequest::new(Provider::OpenAi, "sk-ok");
        req.organization = Some("org-1".into());
        req.project = Some("proj_1".into());
        let plan = HeaderPlan::new(&req, Provider::OpenAi.spec()).unwrap();
        assert_eq!(
            plan.names(HeaderSet::All),
            ["Authorization", "OpenAI-Organization", "OpenAI-Project"]
        );
        assert_eq!(
            plan.names(HeaderSet::WithoutOrgAndProject),
            ["Authorization"]
        );
        assert_eq!(
            plan.names(HeaderSet::OrganizationOnly),
            ["Authorization", "OpenAI-Organization"]
        );
        // Providers without organizations ignore them.
        let mut req = ProbeRequest::new(Provider::Anthropic, "sk-ant-x");
        req.organization = Some("org-1".into());
        let plan = HeaderPlan::new(&req, Provider::Anthropic.spec()).unwrap();
        assert_eq!(
            plan.names(HeaderSet::All),
            ["x-api-key", "anthropic-version"]
        );
        assert!(plan.key.1.is_sensitive());
    }
}

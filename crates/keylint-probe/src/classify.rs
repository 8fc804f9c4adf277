//! Turning an HTTP status and the provider's JSON error body into a [`Verdict`].
//!
//! The status alone is not enough: OpenAI answers 401 for a bad key *and* for a key
//! that is fine but sent with someone else's `OpenAI-Organization`; only the body's
//! `code` tells them apart. The body alone is not trusted either: a proxy, captive
//! portal or gateway can answer 401/403 with its own page, and that says nothing about
//! the key. So a failure verdict needs the provider's error shape (`{"error": …}`);
//! anything else is `unknown`, never `invalid_key`.
//!
//! Pure functions only, so every real error body can be a unit test.

use serde_json::Value;

use crate::Verdict;
use keylint_core::provider::Provider;

/// The parts of a provider error body that classification and messages use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    /// `error.code` (OpenAI, Azure; numbers are turned into text).
    pub code: Option<String>,
    /// `error.type` (OpenAI, Anthropic) or `error.status` (Gemini).
    pub kind: Option<String>,
    /// `error.message`, or `error` itself when it is a string.
    pub message: Option<String>,
    /// `error.details[].reason` (Gemini's `ErrorInfo`), and Azure's `innererror.code`.
    pub reasons: Vec<String>,
}

impl ErrorInfo {
    /// Reads the error object of a provider's JSON body, or `None` when the body is
    /// not JSON or has no `error` member (then it did not come from the provider's
    /// error handling).
    #[must_use]
    pub fn parse(body: &str) -> Option<ErrorInfo> {
        let root: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).ok()?;
        let error = root.get("error")?;
        if let Some(text) = error.as_str() {
            return Some(ErrorInfo {
                message: Some(text.to_string()),
                ..ErrorInfo::default()
            });
        }
        let object = error.as_object()?;
        let text = |value: Option<&Value>| -> Option<String> {
            match value? {
                Value::String(text) if !text.is_empty() => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        };
        let mut reasons: Vec<String> = object
            .get("details")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|detail| text(detail.get("reason")))
            .collect();
        if let Some(inner) = text(object.get("innererror").and_then(|inner| inner.get("code"))) {
            reasons.push(inner);
        }
        Some(ErrorInfo {
            code: text(object.get("code")),
            kind: text(object.get("type")).or_else(|| text(object.get("status"))),
            message: text(object.get("message")),
            reasons,
        })
    }

    /// The code reported to users as `error_code`: the provider's own most specific
    /// identifier for the error.
    #[must_use]
    pub fn reported_code(&self, provider: Provider) -> Option<String> {
        match provider {
            Provider::OpenAi | Provider::AzureOpenAi => {
                self.code.clone().or_else(|| self.reasons.first().cloned())
            }
            Provider::Anthropic => self.kind.clone().or_else(|| self.code.clone()),
            Provider::Gemini => self.reasons.first().cloned().or_else(|| self.kind.clone()),
        }
    }

    fn has_code(&self, wanted: &str) -> bool {
        let same = |text: &Option<String>| {
            text.as_deref()
                .is_some_and(|text| text.eq_ignore_ascii_case(wanted))
        };
        same(&self.code)
            || same(&self.kind)
            || self
                .reasons
                .iter()
                .any(|reason| reason.eq_ignore_ascii_case(wanted))
    }

    fn code_contains(&self, part: &str) -> bool {
        self.code
            .as_deref()
            .is_some_and(|code| code.to_ascii_lowercase().contains(part))
    }

    fn message_contains(&self, part: &str) -> bool {
        self.message
            .as_deref()
            .is_some_and(|message| message.to_ascii_lowercase().contains(part))
    }
}

/// Why a response got its verdict; messages are written from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A 2xx with a JSON body.
    Success,
    /// A 2xx whose body is not JSON: probably a web page, not the API.
    SuccessNotJson,
    /// A 3xx. Redirects are never followed (the key would go along).
    Redirect,
    /// A 5xx (including Anthropic's 529 overloaded).
    ServerError,
    /// A 404: the URL is not the API's.
    NotFound,
    /// A 4xx without the provider's error shape: something else answered.
    NotProviderError,
    /// The provider's own error: status plus error code.
    ProviderError,
}

/// The full result of classifying one response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The verdict.
    pub verdict: Verdict,
    /// The provider's error code, reported as `error_code`.
    pub code: Option<String>,
    /// Why this verdict was chosen.
    pub basis: Basis,
    /// The parsed error body, when there was one.
    pub error: Option<ErrorInfo>,
}

/// Classifies a response by status and body: the verdict and the provider's error code.
///
/// Network-level failures never reach this function; they are `unknown` by
/// construction in the prober.
#[must_use]
pub fn classify(provider: Provider, status: u16, body: &str) -> (Verdict, Option<String>) {
    let classification = classify_response(provider, status, body);
    (classification.verdict, classification.code)
}

/// Like [`classify`], with the basis and parsed body that messages need.
#[must_use]
pub fn classify_response(provider: Provider, status: u16, body: &str) -> Classification {
    let error = ErrorInfo::parse(body);
    let code = error.as_ref().and_then(|info| info.reported_code(provider));
    let (verdict, basis) = match status {
        200..=299 => {
            if looks_like_json(body) {
                (Verdict::Ok, Basis::Success)
            } else {
                (Verdict::Unknown, Basis::SuccessNotJson)
            }
        }
        300..=399 => (Verdict::Unknown, Basis::Redirect),
        500..=599 => (Verdict::Unknown, Basis::ServerError),
        404 => (Verdict::WrongEndpoint, Basis::NotFound),
        _ => match &error {
            None => (Verdict::Unknown, Basis::NotProviderError),
            Some(info) => {
                let verdict = match provider {
                    Provider::OpenAi => openai(status, info),
                    Provider::AzureOpenAi => azure(status, info),
                    Provider::Anthropic => anthropic(status, info),
                    Provider::Gemini => gemini(status, info),
                };
                (verdict, Basis::ProviderError)
            }
        },
    };
    Classification {
        verdict,
        code,
        basis,
        error,
    }
}

/// A success body from a models list is a JSON object; the probe may have read only
/// the start of a long one, so a full parse is tried first and a JSON-looking start
/// is accepted for bodies cut at the read limit.
fn looks_like_json(body: &str) -> bool {
    let trimmed = body.trim_start_matches('\u{feff}').trim();
    if serde_json::from_str::<Value>(trimmed).is_ok() {
        return true;
    }
    body.len() >= crate::prober::MAX_BODY_BYTES && trimmed.starts_with(['{', '['])
}

fn is_deactivated(info: &ErrorInfo) -> bool {
    info.code_contains("deactivated")
        || info.message_contains("deactivated")
        || info.message_contains("has been disabled")
}

fn openai(status: u16, info: &ErrorInfo) -> Verdict {
    match status {
        401 => {
            if info.has_code("invalid_api_key") {
                Verdict::InvalidKey
            } else if info.has_code("mismatched_organization")
                || info.code_contains("organization")
                || info.message_contains("openai-organization")
            {
                Verdict::OrgMismatch
            } else if info.has_code("mismatched_project")
                || info.code_contains("project")
                || info.message_contains("openai-project")
            {
                Verdict::ProjectMismatch
            } else if is_deactivated(info) {
                Verdict::Deactivated
            } else {
                Verdict::InvalidKey
            }
        }
        403 if is_deactivated(info) => Verdict::Deactivated,
        403 => Verdict::NoPermission,
        429 if info.has_code("insufficient_quota")
            || info.has_code("billing_hard_limit_reached")
            || info.message_contains("exceeded your current quota") =>
        {
            Verdict::QuotaExhausted
        }
        429 => Verdict::RateLimited,
        _ => Verdict::Unknown,
    }
}

fn azure(status: u16, info: &ErrorInfo) -> Verdict {
    match status {
        401 => Verdict::InvalidKey,
        403 => Verdict::NoPermission,
        429 if info.has_code("insufficient_quota") => Verdict::QuotaExhausted,
        429 => Verdict::RateLimited,
        400 if info.message_contains("api-version") || info.message_contains("api version") => {
            Verdict::WrongEndpoint
        }
        _ => Verdict::Unknown,
    }
}

fn anthropic(status: u16, info: &ErrorInfo) -> Verdict {
    if matches!(status, 400 | 401 | 403) && is_deactivated(info) {
        return Verdict::Deactivated;
    }
    match status {
        401 => Verdict::InvalidKey,
        403 => Verdict::NoPermission,
        400 if info.message_contains("credit balance") => Verdict::QuotaExhausted,
        429 => Verdict::RateLimited,
        _ => Verdict::Unknown,
    }
}

fn gemini(status: u16, info: &ErrorInfo) -> Verdict {
    match status {
        400 if info.has_code("API_KEY_INVALID")
            || info.message_contains("api key not valid")
            || info.message_contains("api key expired") =>
        {
            Verdict::InvalidKey
        }
        400 if info.message_contains("location is not supported") => Verdict::NoPermission,
        401 => Verdict::InvalidKey,
        403 if info.message_contains("leaked") => Verdict::Deactivated,
        403 => Verdict::NoPermission,
        429 if info.message_contains("quota") => Verdict::QuotaExhausted,
        429 => Verdict::RateLimited,
        _ => Verdict::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENAI_INVALID: &str = r#"{"error":{"message":"Incorrect API key provided: sk-proj-****************************************************************************************************************************************************abcd. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
    const OPENAI_ORG: &str = r#"{"error":{"message":"OpenAI-Organization header should match organization for API key","type":"invalid_request_error","param":null,"code":"mismatched_organization"}}"#;
    const OPENAI_PROJECT: &str = r#"{"error":{"message":"OpenAI-Project header should match project for API key","type":"invalid_request_error","param":null,"code":"mismatched_project"}}"#;
    const OPENAI_DEACTIVATED: &str = r#"{"error":{"message":"Your OpenAI account has been deactivated, please check your email for more information. If you feel this is an error, contact us through our help center at help.openai.com.","type":"invalid_request_error","code":"account_deactivated","param":null}}"#;
    const OPENAI_SCOPES: &str = r#"{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.","type":"invalid_request_error","param":null,"code":null}}"#;
    const OPENAI_REGION: &str = r#"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}"#;
    const OPENAI_QUOTA: &str = r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
    const OPENAI_RATE: &str = r#"{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;
    const OPENAI_404: &str = r#"{"error":{"message":"Invalid URL (GET /models)","type":"invalid_request_error","param":null,"code":null}}"#;
    const AZURE_401: &str = r#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#;
    const AZURE_DEPLOYMENT: &str = r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#;
    const AZURE_RESOURCE: &str =
        r#"{"error":{"code":"ResourceNotFound","message":"Resource not found"}}"#;
    const AZURE_403: &str = r#"{"error":{"code":"AuthenticationTypeDisabled","message":"Key based authentication is disabled for this resource."}}"#;
    const AZURE_429: &str = r#"{"error":{"code":"429","message":"Requests to the Models_List Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds."}}"#;
    const ANTHROPIC_401: &str = r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#;
    const ANTHROPIC_403: &str = r#"{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}"#;
    const ANTHROPIC_429: &str = r#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit."}}"#;
    const ANTHROPIC_CREDIT: &str = r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#;
    const ANTHROPIC_529: &str =
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    const GEMINI_INVALID: &str = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}"#;
    const GEMINI_BLOCKED: &str = r#"{"error":{"code":403,"message":"Requests to this API generativelanguage.googleapis.com method google.ai.generativelanguage.v1beta.ModelService.ListModels are blocked.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_SERVICE_BLOCKED","domain":"googleapis.com"}]}}"#;
    const GEMINI_DISABLED: &str = r#"{"error":{"code":403,"message":"Generative Language API has not been used in project 123456 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456 then retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com"}]}}"#;
    const GEMINI_LEAKED: &str = r#"{"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}"#;
    const GEMINI_QUOTA: &str = r#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED"}}"#;
    const GEMINI_RATE: &str = r#"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check rate limits).","status":"RESOURCE_EXHAUSTED"}}"#;

    fn check(provider: Provider, status: u16, body: &str, verdict: Verdict, code: Option<&str>) {
        assert_eq!(
            classify(provider, status, body),
            (verdict, code.map(str::to_string)),
            "{provider} {status} {body}"
        );
    }

    #[test]
    fn openai_bodies() {
        use Verdict::*;
        let p = Provider::OpenAi;
        check(p, 200, r#"{"object":"list","data":[]}"#, Ok, None);
        check(p, 401, OPENAI_INVALID, InvalidKey, Some("invalid_api_key"));
        check(
            p,
            401,
            OPENAI_ORG,
            OrgMismatch,
            Some("mismatched_organization"),
        );
        check(
            p,
            401,
            OPENAI_PROJECT,
            ProjectMismatch,
            Some("mismatched_project"),
        );
        check(
            p,
            401,
            OPENAI_DEACTIVATED,
            Deactivated,
            Some("account_deactivated"),
        );
        check(p, 403, OPENAI_SCOPES, NoPermission, None);
        check(
            p,
            403,
            OPENAI_REGION,
            NoPermission,
            Some("unsupported_country_region_territory"),
        );
        check(
            p,
            429,
            OPENAI_QUOTA,
            QuotaExhausted,
            Some("insufficient_quota"),
        );
        check(
            p,
            429,
            OPENAI_RATE,
            RateLimited,
            Some("rate_limit_exceeded"),
        );
        check(p, 404, OPENAI_404, WrongEndpoint, None);
        // A message-only deactivation.
        check(
            p,
            401,
            r#"{"error":{"message":"This key is associated with a deactivated account.","type":"invalid_request_error","code":null}}"#,
            Deactivated,
            None,
        );
        // A 401 with the error shape but no code: the key (probably) is the problem.
        check(
            p,
            401,
            r#"{"error":{"message":"You didn't provide an API key.","type":"invalid_request_error","code":null}}"#,
            InvalidKey,
            None,
        );
    }

    #[test]
    fn azure_bodies() {
        use Verdict::*;
        let p = Provider::AzureOpenAi;
        check(p, 200, r#"{"data":[],"object":"list"}"#, Ok, None);
        check(p, 401, AZURE_401, InvalidKey, Some("401"));
        check(
            p,
            404,
            AZURE_DEPLOYMENT,
            WrongEndpoint,
            Some("DeploymentNotFound"),
        );
        check(
            p,
            404,
            AZURE_RESOURCE,
            WrongEndpoint,
            Some("ResourceNotFound"),
        );
        check(
            p,
            403,
            AZURE_403,
            NoPermission,
            Some("AuthenticationTypeDisabled"),
        );
        check(p, 429, AZURE_429, RateLimited, Some("429"));
        check(
            p,
            400,
            r#"{"error":{"code":"BadRequest","message":"API version not supported"}}"#,
            WrongEndpoint,
            Some("BadRequest"),
        );
    }

    #[test]
    fn anthropic_bodies() {
        use Verdict::*;
        let p = Provider::Anthropic;
        check(p, 200, r#"{"data":[],"has_more":false}"#, Ok, None);
        check(
            p,
            401,
            ANTHROPIC_401,
            InvalidKey,
            Some("authentication_error"),
        );
        check(
            p,
            403,
            ANTHROPIC_403,
            NoPermission,
            Some("permission_error"),
        );
        check(p, 429, ANTHROPIC_429, RateLimited, Some("rate_limit_error"));
        check(
            p,
            400,
            ANTHROPIC_CREDIT,
            QuotaExhausted,
            Some("invalid_request_error"),
        );
        check(p, 529, ANTHROPIC_529, Unknown, Some("overloaded_error"));
        check(
            p,
            400,
            r#"{"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}"#,
            Deactivated,
            Some("invalid_request_error"),
        );
        check(
            p,
            400,
            r#"{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: bad"}}"#,
            Unknown,
            Some("invalid_request_error"),
        );
    }

    #[test]
    fn gemini_bodies() {
        use Verdict::*;
        let p = Provider::Gemini;
        check(p, 200, r#"{"models":[]}"#, Ok, None);
        check(p, 400, GEMINI_INVALID, InvalidKey, Some("API_KEY_INVALID"));
        check(
            p,
            403,
            GEMINI_BLOCKED,
            NoPermission,
            Some("API_KEY_SERVICE_BLOCKED"),
        );
        check(
            p,
            403,
            GEMINI_DISABLED,
            NoPermission,
            Some("SERVICE_DISABLED"),
        );
        check(
            p,
            403,
            GEMINI_LEAKED,
            Deactivated,
            Some("PERMISSION_DENIED"),
        );
        check(
            p,
            429,
            GEMINI_QUOTA,
            QuotaExhausted,
            Some("RESOURCE_EXHAUSTED"),
        );
        check(p, 429, GEMINI_RATE, RateLimited, Some("RESOURCE_EXHAUSTED"));
        check(
            p,
            400,
            r#"{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"#,
            NoPermission,
            Some("FAILED_PRECONDITION"),
        );
    }

    /// Whatever the status, a body that is not the provider's error shape never
    /// yields a failure verdict about the key, and 5xx/3xx are always unknown.
    #[test]
    fn never_invalid_without_provider_evidence() {
        let garbage = [
            "",
            "<html><body>401 Authorization Required</body></html>",
            "not json at all",
            "{\"message\":\"Unauthorized\"}",
            "[1,2,3]",
            "{\"error\":",
        ];
        for provider in Provider::ALL {
            for status in [400, 401, 402, 403, 407, 418, 429] {
                for body in garbage {
                    assert_eq!(
                        classify(provider, status, body).0,
                        Verdict::Unknown,
                        "{provider} {status} {body:?}"
                    );
                }
            }
            for status in [500, 502, 503, 504, 529, 301, 302, 307, 308] {
                for body in garbage
                    .iter()
                    .copied()
                    .chain([OPENAI_INVALID, ANTHROPIC_401])
                {
                    assert_eq!(classify(provider, status, body).0, Verdict::Unknown);
                }
            }
            assert_eq!(classify(provider, 200, "<html>").0, Verdict::Unknown);
            assert_eq!(classify(provider, 404, "<html>").0, Verdict::WrongEndpoint);
        }
    }

    #[test]
    fn error_info_tolerates_shapes() {
        let info = ErrorInfo::parse(r#"{"error":"Unauthorized"}"#).unwrap();
        assert_eq!(info.message.as_deref(), Some("Unauthorized"));
        let info = ErrorInfo::parse("\u{feff}{\"error\":{\"code\":401}}").unwrap();
        assert_eq!(info.code.as_deref(), Some("401"));
        assert!(ErrorInfo::parse(r#"{"error":null}"#).is_none());
        assert!(ErrorInfo::parse("garbage").is_none());
    }
}

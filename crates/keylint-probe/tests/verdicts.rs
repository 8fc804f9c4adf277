//! Every verdict, per provider, against a mock that answers with the real status
//! codes and JSON error bodies, plus the shape of the request each provider gets.

mod common;

use common::{Mock, Reply, allow, anthropic_key, assert_no_key, azure_key, gemini_key, openai_key};
use keylint_probe::{ProbeOutcome, ProbeRequest, Prober, Provider, Verdict};

const OPENAI_MODELS: &str = r#"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}"#;
const OPENAI_INVALID: &str = r#"{"error":{"message":"Incorrect API key provided: sk-proj-****...abcd. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
const OPENAI_ORG: &str = r#"{"error":{"message":"OpenAI-Organization header should match organization for API key","type":"invalid_request_error","param":null,"code":"mismatched_organization"}}"#;
const OPENAI_PROJECT: &str = r#"{"error":{"message":"OpenAI-Project header should match project for API key","type":"invalid_request_error","param":null,"code":"mismatched_project"}}"#;
const OPENAI_401_NO_CODE: &str = r#"{"error":{"message":"Unauthorized","type":"invalid_request_error","param":null,"code":null}}"#;
const OPENAI_DEACTIVATED: &str = r#"{"error":{"message":"Your OpenAI account has been deactivated, please check your email for more information.","type":"invalid_request_error","code":"account_deactivated","param":null}}"#;
const OPENAI_SCOPES: &str = r#"{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.","type":"invalid_request_error","param":null,"code":null}}"#;
const OPENAI_REGION: &str = r#"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}"#;
const OPENAI_QUOTA: &str = r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
const OPENAI_RATE: &str = r#"{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;
const OPENAI_404: &str = r#"{"error":{"message":"Invalid URL (GET /models)","type":"invalid_request_error","param":null,"code":null}}"#;
const AZURE_401: &str = r#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#;
const AZURE_DEPLOYMENT: &str = r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#;
const AZURE_RESOURCE: &str =
    r#"{"error":{"code":"ResourceNotFound","message":"Resource not found"}}"#;
const AZURE_403: &str = r#"{"error":{"code":"403","message":"Public access is disabled. Please configure private endpoint."}}"#;
const AZURE_429: &str = r#"{"error":{"code":"429","message":"Requests to the Models_List Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds."}}"#;
const ANTHROPIC_MODELS: &str = r#"{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"claude-sonnet-4-20250514"}"#;
const ANTHROPIC_401: &str = r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#;
const ANTHROPIC_403: &str = r#"{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}"#;
const ANTHROPIC_429: &str = r#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#;
const ANTHROPIC_CREDIT: &str = r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#;
const ANTHROPIC_529: &str =
    r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
const GEMINI_MODELS: &str = r#"{"models":[{"name":"models/gemini-2.0-flash","displayName":"Gemini 2.0 Flash"}],"nextPageToken":"x"}"#;
const GEMINI_INVALID: &str = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}"#;
const GEMINI_BLOCKED: &str = r#"{"error":{"code":403,"message":"Requests to this API generativelanguage.googleapis.com method google.ai.generativelanguage.v1beta.ModelService.ListModels are blocked.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_SERVICE_BLOCKED","domain":"googleapis.com"}]}}"#;
const GEMINI_DISABLED: &str = r#"{"error":{"code":403,"message":"Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789 then retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com"}]}}"#;
const GEMINI_LEAKED: &str = r#"{"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}"#;
const GEMINI_QUOTA: &str = r#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED"}}"#;
const GEMINI_RATE: &str = r#"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check rate limits).","status":"RESOURCE_EXHAUSTED"}}"#;

/// Probes `provider` with a fresh key against a mock that always answers `reply`.
async fn probe_once(
    provider: Provider,
    base_path: &str,
    reply: Reply,
) -> (ProbeOutcome, Mock, String) {
    let mock = Mock::always(reply).await;
    let key = match provider {
        Provider::OpenAi => openai_key(),
        Provider::AzureOpenAi => azure_key(),
        Provider::Anthropic => anthropic_key(),
        Provider::Gemini => gemini_key(),
    };
    let request = ProbeRequest {
        base_url: Some(mock.base(base_path)),
        ..ProbeRequest::new(provider, key.clone())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    assert_no_key(&outcome, &key);
    assert!(!outcome.cached);
    assert!(
        !outcome.message.is_empty() && !outcome.fix.is_empty(),
        "{outcome:?}"
    );
    (outcome, mock, key)
}

fn expect(outcome: &ProbeOutcome, verdict: Verdict, status: Option<u16>, code: Option<&str>) {
    assert_eq!(outcome.verdict, verdict, "{outcome:#?}");
    assert_eq!(outcome.http_status, status, "{outcome:#?}");
    assert_eq!(outcome.error_code.as_deref(), code, "{outcome:#?}");
}

#[tokio::test]
async fn openai_request_shape_and_ok() {
    let (outcome, mock, key) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(200, OPENAI_MODELS)).await;
    expect(&outcome, Verdict::Ok, Some(200), None);
    assert_eq!(outcome.headers_sent, ["Authorization"]);
    assert_eq!(outcome.host, mock.allow());
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/v1/models");
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {key}").as_str())
    );
    assert_eq!(requests[0].header("openai-organization"), None);
    assert!(outcome.message.contains("accepted"), "{}", outcome.message);
}

#[tokio::test]
async fn openai_invalid_key() {
    let (outcome, _, _) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(401, OPENAI_INVALID)).await;
    expect(
        &outcome,
        Verdict::InvalidKey,
        Some(401),
        Some("invalid_api_key"),
    );
    assert!(
        outcome.message.contains("→ 401 invalid_api_key"),
        "{}",
        outcome.message
    );
    assert!(
        outcome.fix.contains("https://platform.openai.com/api-keys"),
        "{}",
        outcome.fix
    );
}

#[tokio::test]
async fn openai_deactivated() {
    let (outcome, _, _) = probe_once(
        Provider::OpenAi,
        "/v1",
        Reply::json(401, OPENAI_DEACTIVATED),
    )
    .await;
    expect(
        &outcome,
        Verdict::Deactivated,
        Some(401),
        Some("account_deactivated"),
    );
    assert!(outcome.message.contains("deactivated"));
}

#[tokio::test]
async fn openai_restricted_key_is_valid_but_no_permission() {
    let (outcome, _, _) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(403, OPENAI_SCOPES)).await;
    expect(&outcome, Verdict::NoPermission, Some(403), None);
    assert!(
        outcome.message.starts_with("the key is valid"),
        "{}",
        outcome.message
    );
    assert!(
        outcome.message.contains("Missing scopes: api.model.read"),
        "{}",
        outcome.message
    );
    assert!(outcome.fix.contains("restricted key"));

    let (outcome, _, _) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(403, OPENAI_REGION)).await;
    expect(
        &outcome,
        Verdict::NoPermission,
        Some(403),
        Some("unsupported_country_region_territory"),
    );
    assert!(outcome.message.contains("country, region or territory"));
}

#[tokio::test]
async fn openai_quota_versus_rate_limit() {
    let (outcome, mock, _) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(429, OPENAI_QUOTA)).await;
    expect(
        &outcome,
        Verdict::QuotaExhausted,
        Some(429),
        Some("insufficient_quota"),
    );
    assert!(outcome.fix.contains("billing"));
    assert_eq!(mock.requests().len(), 1, "429 is not retried");

    let (outcome, mock, _) =
        probe_once(Provider::OpenAi, "/v1", Reply::json(429, OPENAI_RATE)).await;
    expect(
        &outcome,
        Verdict::RateLimited,
        Some(429),
        Some("rate_limit_exceeded"),
    );
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn openai_wrong_endpoint() {
    // A base URL without /v1: the SDK requests /models, which does not exist.
    let (outcome, mock, _) = probe_once(Provider::OpenAi, "", Reply::json(404, OPENAI_404)).await;
    expect(&outcome, Verdict::WrongEndpoint, Some(404), None);
    assert_eq!(mock.requests()[0].target, "/models");
    assert!(
        outcome.message.contains("usually ends in /v1"),
        "{}",
        outcome.message
    );
    assert!(outcome.fix.contains("https://api.openai.com/v1"));
}

/// The mock answers like OpenAI for a key of org A sent with `OpenAI-Organization: B`.
fn org_checking_mock(body: &'static str) -> impl Fn(&common::Recorded, usize) -> Reply {
    move |request, _| {
        if request.header("openai-organization").is_some()
            || request.header("openai-project").is_some()
        {
            Reply::json(401, body)
        } else {
            Reply::json(200, OPENAI_MODELS)
        }
    }
}

#[tokio::test]
async fn openai_org_mismatch_is_confirmed_by_probing_without_the_header() {
    let mock = Mock::start(org_checking_mock(OPENAI_ORG)).await;
    let key = openai_key();
    let request = ProbeRequest {
        organization: Some("org-abcdefghijklmnopqrstuvwx".into()),
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, key.clone())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    assert_no_key(&outcome, &key);
    expect(
        &outcome,
        Verdict::OrgMismatch,
        Some(401),
        Some("mismatched_organization"),
    );
    assert_eq!(
        outcome.headers_sent,
        ["Authorization", "OpenAI-Organization"]
    );
    assert_eq!(
        outcome.message,
        "key is valid, but OPENAI_ORG_ID=org-abcd… is not an organization of this key → 401 \
         mismatched_organization"
    );
    assert!(
        outcome
            .fix
            .starts_with("Remove OPENAI_ORG_ID or set it to one of the key's organizations")
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header("openai-organization"),
        Some("org-abcdefghijklmnopqrstuvwx")
    );
    assert_eq!(requests[1].header("openai-organization"), None);
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {key}").as_str())
    );
}

#[tokio::test]
async fn openai_project_mismatch() {
    let mock = Mock::start(org_checking_mock(OPENAI_PROJECT)).await;
    let request = ProbeRequest {
        project: Some("proj_0123456789abcdef".into()),
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, openai_key())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    expect(
        &outcome,
        Verdict::ProjectMismatch,
        Some(401),
        Some("mismatched_project"),
    );
    assert!(
        outcome
            .message
            .starts_with("key is valid, but OPENAI_PROJECT_ID=proj_012… is not a project"),
        "{}",
        outcome.message
    );
    assert_eq!(outcome.headers_sent, ["Authorization", "OpenAI-Project"]);
    assert_eq!(mock.requests().len(), 2);
}

/// A 401 without a conclusive code and both headers set: a third request with the
/// organization only tells which header is wrong.
#[tokio::test]
async fn inconclusive_401_with_both_headers_finds_the_culprit() {
    let mock = Mock::start(|request, _| {
        if request.header("openai-project").is_some() {
            Reply::json(401, OPENAI_401_NO_CODE)
        } else {
            Reply::json(200, OPENAI_MODELS)
        }
    })
    .await;
    let request = ProbeRequest {
        organization: Some("org-right".into()),
        project: Some("proj_wrong".into()),
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, openai_key())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    expect(&outcome, Verdict::ProjectMismatch, Some(401), None);
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests[2].header("openai-organization").is_some());
    assert!(requests[2].header("openai-project").is_none());
}

/// When the key fails on its own too, the key is the problem, not the header.
#[tokio::test]
async fn bad_key_with_org_header_is_invalid_key() {
    let mock = Mock::always(Reply::json(401, OPENAI_401_NO_CODE)).await;
    let request = ProbeRequest {
        organization: Some("org-whatever".into()),
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, openai_key())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    assert_eq!(outcome.verdict, Verdict::InvalidKey, "{outcome:#?}");
    assert_eq!(mock.requests().len(), 2);

    // A conclusive invalid_api_key needs no second request.
    let mock = Mock::always(Reply::json(401, OPENAI_INVALID)).await;
    let request = ProbeRequest {
        organization: Some("org-whatever".into()),
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, openai_key())
    };
    let outcome = Prober::new(allow(&[&mock])).probe(&request).await;
    assert_eq!(outcome.verdict, Verdict::InvalidKey);
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn azure_request_shape_and_verdicts() {
    let (outcome, mock, key) = probe_once(
        Provider::AzureOpenAi,
        "/",
        Reply::json(200, r#"{"data":[],"object":"list"}"#),
    )
    .await;
    expect(&outcome, Verdict::Ok, Some(200), None);
    assert_eq!(outcome.headers_sent, ["api-key"]);
    let requests = mock.requests();
    assert_eq!(requests[0].target, "/openai/models?api-version=2024-10-21");
    assert_eq!(requests[0].header("api-key"), Some(key.as_str()));
    assert_eq!(requests[0].header("authorization"), None);

    let (outcome, _, _) = probe_once(Provider::AzureOpenAi, "/", Reply::json(401, AZURE_401)).await;
    expect(&outcome, Verdict::InvalidKey, Some(401), Some("401"));
    assert!(outcome.message.contains("AZURE_OPENAI_ENDPOINT"));
    assert!(outcome.message.ends_with("→ 401"), "{}", outcome.message);

    for (body, code) in [
        (AZURE_DEPLOYMENT, "DeploymentNotFound"),
        (AZURE_RESOURCE, "ResourceNotFound"),
    ] {
        let (outcome, _, _) = probe_once(Provider::AzureOpenAi, "/", Reply::json(404, body)).await;
        expect(&outcome, Verdict::WrongEndpoint, Some(404), Some(code));
        assert!(
            outcome.fix.contains("AZURE_OPENAI_ENDPOINT"),
            "{}",
            outcome.fix
        );
    }

    let (outcome, _, _) = probe_once(Provider::AzureOpenAi, "/", Reply::json(403, AZURE_403)).await;
    expect(&outcome, Verdict::NoPermission, Some(403), Some("403"));
    assert!(outcome.message.contains("Public access is disabled"));

    let (outcome, _, _) = probe_once(Provider::AzureOpenAi, "/", Reply::json(429, AZURE_429)).await;
    expect(&outcome, Verdict::RateLimited, Some(429), Some("429"));
}

#[tokio::test]
async fn anthropic_request_shape_and_verdicts() {
    let (outcome, mock, key) =
        probe_once(Provider::Anthropic, "", Reply::json(200, ANTHROPIC_MODELS)).await;
    expect(&outcome, Verdict::Ok, Some(200), None);
    assert_eq!(outcome.headers_sent, ["x-api-key", "anthropic-version"]);
    let requests = mock.requests();
    assert_eq!(requests[0].target, "/v1/models");
    assert_eq!(requests[0].header("x-api-key"), Some(key.as_str()));
    assert_eq!(requests[0].header("anthropic-version"), Some("2023-06-01"));

    let cases = [
        (
            401,
            ANTHROPIC_401,
            Verdict::InvalidKey,
            "authentication_error",
        ),
        (
            403,
            ANTHROPIC_403,
            Verdict::NoPermission,
            "permission_error",
        ),
        (429, ANTHROPIC_429, Verdict::RateLimited, "rate_limit_error"),
        (
            400,
            ANTHROPIC_CREDIT,
            Verdict::QuotaExhausted,
            "invalid_request_error",
        ),
    ];
    for (status, body, verdict, code) in cases {
        let (outcome, _, _) = probe_once(Provider::Anthropic, "", Reply::json(status, body)).await;
        expect(&outcome, verdict, Some(status), Some(code));
    }

    // 529 overloaded: unknown, after one retry.
    let (outcome, mock, _) =
        probe_once(Provider::Anthropic, "", Reply::json(529, ANTHROPIC_529)).await;
    expect(
        &outcome,
        Verdict::Unknown,
        Some(529),
        Some("overloaded_error"),
    );
    assert!(
        outcome.message.contains("Anthropic is overloaded"),
        "{}",
        outcome.message
    );
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn gemini_request_shape_and_verdicts() {
    let (outcome, mock, key) =
        probe_once(Provider::Gemini, "", Reply::json(200, GEMINI_MODELS)).await;
    expect(&outcome, Verdict::Ok, Some(200), None);
    assert_eq!(outcome.headers_sent, ["x-goog-api-key"]);
    let requests = mock.requests();
    assert_eq!(requests[0].target, "/v1beta/models");
    assert_eq!(requests[0].header("x-goog-api-key"), Some(key.as_str()));
    assert!(
        !requests[0].target.contains("key="),
        "the key never goes in the URL"
    );

    let cases = [
        (400, GEMINI_INVALID, Verdict::InvalidKey, "API_KEY_INVALID"),
        (
            403,
            GEMINI_BLOCKED,
            Verdict::NoPermission,
            "API_KEY_SERVICE_BLOCKED",
        ),
        (
            403,
            GEMINI_DISABLED,
            Verdict::NoPermission,
            "SERVICE_DISABLED",
        ),
        (
            403,
            GEMINI_LEAKED,
            Verdict::Deactivated,
            "PERMISSION_DENIED",
        ),
        (
            429,
            GEMINI_QUOTA,
            Verdict::QuotaExhausted,
            "RESOURCE_EXHAUSTED",
        ),
        (429, GEMINI_RATE, Verdict::RateLimited, "RESOURCE_EXHAUSTED"),
    ];
    for (status, body, verdict, code) in cases {
        let (outcome, _, _) = probe_once(Provider::Gemini, "", Reply::json(status, body)).await;
        expect(&outcome, verdict, Some(status), Some(code));
        if verdict == Verdict::NoPermission {
            assert!(
                outcome.message.starts_with("the key is valid"),
                "{}",
                outcome.message
            );
            assert!(
                outcome.fix.contains("Generative Language API"),
                "{}",
                outcome.fix
            );
        }
    }
}

#[tokio::test]
async fn garbage_and_foreign_answers_are_unknown_never_invalid() {
    for provider in Provider::ALL {
        for (status, reply) in [
            (
                200,
                Reply::text(200, "<html><body>Welcome to nginx!</body></html>"),
            ),
            (
                401,
                Reply::text(401, "<html>401 Authorization Required</html>"),
            ),
            (403, Reply::text(403, "Forbidden by corporate firewall")),
            (
                401,
                Reply::json(401, "{\"message\":\"Invalid authentication credentials\"}"),
            ),
            (429, Reply::text(429, "slow down")),
        ] {
            let (outcome, _, _) = probe_once(provider, "/", reply).await;
            expect(&outcome, Verdict::Unknown, Some(status), None);
            assert!(
                outcome.message.contains("could not be checked"),
                "{}",
                outcome.message
            );
        }
    }
}

#[tokio::test]
async fn every_verdict_has_a_distinct_explanation() {
    // One outcome per verdict, gathered from the cases above, to check the words.
    let cases: Vec<(Provider, &str, Reply)> = vec![
        (Provider::OpenAi, "/v1", Reply::json(200, OPENAI_MODELS)),
        (Provider::OpenAi, "/v1", Reply::json(401, OPENAI_INVALID)),
        (Provider::OpenAi, "/v1", Reply::json(401, OPENAI_ORG)),
        (Provider::OpenAi, "/v1", Reply::json(401, OPENAI_PROJECT)),
        (
            Provider::OpenAi,
            "/v1",
            Reply::json(401, OPENAI_DEACTIVATED),
        ),
        (Provider::OpenAi, "/v1", Reply::json(403, OPENAI_SCOPES)),
        (Provider::OpenAi, "/v1", Reply::json(429, OPENAI_QUOTA)),
        (Provider::OpenAi, "/v1", Reply::json(429, OPENAI_RATE)),
        (Provider::OpenAi, "/v1", Reply::json(404, OPENAI_404)),
        (Provider::OpenAi, "/v1", Reply::json(503, "{}")),
    ];
    let mut seen = Vec::new();
    for (provider, path, reply) in cases {
        let (outcome, _, _) = probe_once(provider, path, reply).await;
        assert!(!seen.contains(&outcome.verdict), "{outcome:?}");
        seen.push(outcome.verdict);
        assert!(outcome.message.len() > 20, "{outcome:?}");
        assert!(outcome.fix.len() > 10, "{outcome:?}");
        assert!(
            outcome.fix.chars().next().unwrap().is_uppercase(),
            "{outcome:?}"
        );
    }
    for verdict in Verdict::ALL {
        assert!(seen.contains(&verdict), "{verdict} not covered");
    }
}

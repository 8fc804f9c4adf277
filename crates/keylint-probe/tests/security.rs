//! The key goes only where it belongs: official hosts over HTTPS, or hosts the user
//! allowed. Each test proves that nothing reached a host it must not reach, by
//! counting the mock's connections, not just its requests.

mod common;

use std::time::Duration;

use common::{Mock, Reply, allow, assert_no_key, openai_key};
use keylint_probe::{
    ProbeRequest, ProbeSettings, Prober, Provider, Refusal, Verdict, resolve_target,
};
use keylint_test_support::Secrets;

const OPENAI_MODELS: &str = r#"{"object":"list","data":[]}"#;

fn openai_request(key: &str, base_url: &str) -> ProbeRequest {
    ProbeRequest {
        base_url: Some(base_url.to_string()),
        ..ProbeRequest::new(Provider::OpenAi, key)
    }
}

/// A hostile `.env` with `OPENAI_BASE_URL=http://127.0.0.1:PORT`: without the user's
/// allowlist the probe must not connect, and must say why.
#[tokio::test]
async fn workspace_base_url_is_not_contacted_without_user_allowlist() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    let key = openai_key();
    let request = openai_request(&key, &mock.base("/v1"));

    let outcome = Prober::new(ProbeSettings::default()).probe(&request).await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert_eq!(outcome.http_status, None);
    assert!(outcome.headers_sent.is_empty());
    assert_eq!(outcome.host, mock.allow());
    assert!(
        outcome.message.contains(&format!(
            "points at {}, which is not an official OpenAI host",
            mock.allow()
        )),
        "{}",
        outcome.message
    );
    assert!(
        outcome.message.contains("did not send the key"),
        "{}",
        outcome.message
    );
    assert!(
        outcome
            .fix
            .contains(&format!("--allow-host {}", mock.allow())),
        "{}",
        outcome.fix
    );
    assert_no_key(&outcome, &key);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(mock.connections(), 0, "the refused probe never connected");
    assert!(mock.requests().is_empty());

    // The same request with the user's allowlist reaches the mock: the allowlist is
    // the only switch.
    let allowed = Prober::new(allow(&[&mock])).probe(&request).await;
    assert_eq!(allowed.verdict, Verdict::Ok);

    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(mock.connections(), 1, "only the allowed probe connected");
}

#[tokio::test]
async fn evil_https_host_is_refused_without_sending() {
    let key = openai_key();
    let request = openai_request(&key, "https://evil.example/v1");
    let outcome = Prober::new(ProbeSettings::default()).probe(&request).await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert_eq!(outcome.http_status, None);
    assert_eq!(outcome.host, "evil.example");
    assert!(outcome.headers_sent.is_empty());
    assert_eq!(
        outcome.message,
        "the base URL points at evil.example, which is not an official OpenAI host \
         (api.openai.com, eu.api.openai.com, over https on port 443); keylint did not send \
         the key there"
    );
    assert!(outcome.fix.contains("--allow-host evil.example"));
    assert_no_key(&outcome, &key);
    assert!(matches!(
        resolve_target(&request, &ProbeSettings::default()),
        Err(Refusal::NotAllowed { .. })
    ));
}

#[tokio::test]
async fn plain_http_to_non_loopback_allowed_host_is_refused() {
    let settings = ProbeSettings {
        allowed_hosts: vec!["proxy.example".into()],
        ..ProbeSettings::default()
    };
    let request = openai_request(&openai_key(), "http://proxy.example:8080/v1");
    let outcome = Prober::new(settings.clone()).probe(&request).await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert_eq!(outcome.http_status, None);
    assert!(
        outcome.message.contains("plain http://"),
        "{}",
        outcome.message
    );
    assert!(outcome.message.contains("unencrypted"));
    assert!(matches!(
        resolve_target(&request, &settings),
        Err(Refusal::PlainHttp { .. })
    ));
}

#[tokio::test]
async fn allowed_host_with_another_port_is_refused() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    let other_port = if mock.port() == 65535 {
        1
    } else {
        mock.port() + 1
    };
    let settings = ProbeSettings {
        allowed_hosts: vec![format!("127.0.0.1:{other_port}")],
        ..ProbeSettings::default()
    };
    let outcome = Prober::new(settings)
        .probe(&openai_request(&openai_key(), &mock.base("/v1")))
        .await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert!(
        outcome
            .message
            .contains(&format!("allowed hosts list only 127.0.0.1:{other_port}")),
        "{}",
        outcome.message
    );
    assert!(
        outcome
            .fix
            .contains(&format!("--allow-host {}", mock.allow()))
    );

    // `host` without a port allows any port.
    let any_port = ProbeSettings {
        allowed_hosts: vec!["127.0.0.1".into()],
        max_per_minute: 0,
        ..ProbeSettings::default()
    };
    let outcome = Prober::new(any_port)
        .probe(&openai_request(&openai_key(), &mock.base("/v1")))
        .await;
    assert_eq!(outcome.verdict, Verdict::Ok);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(mock.connections(), 1);
}

/// A redirect is reported, not followed: the key never reaches the second server,
/// even when that server is allowed too.
#[tokio::test]
async fn redirects_are_not_followed() {
    let second = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    for status in [301, 302, 307, 308] {
        let first = Mock::always(Reply::redirect(
            status,
            &format!("{}/models", second.base("/v1")),
        ))
        .await;
        let key = openai_key();
        let outcome = Prober::new(allow(&[&first, &second]))
            .probe(&openai_request(&key, &first.base("/v1")))
            .await;
        assert_eq!(outcome.verdict, Verdict::Unknown, "{outcome:#?}");
        assert_eq!(outcome.http_status, Some(status));
        assert!(
            outcome
                .message
                .contains(&format!("redirecting to {}", second.allow())),
            "{}",
            outcome.message
        );
        assert!(outcome.message.contains("does not follow redirects"));
        assert_no_key(&outcome, &key);
        assert_eq!(first.requests().len(), 1);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        second.connections(),
        0,
        "the redirect target never saw a request"
    );
}

/// A server that echoes the key in its error message cannot make keylint print it.
#[tokio::test]
async fn echoed_key_is_scrubbed_from_messages() {
    let key = openai_key();
    let body = serde_json::json!({
        "error": {"message": format!("No access for key {key} (prefix {})", &key[..40]),
                  "type": "invalid_request_error", "code": null}
    })
    .to_string();
    let mock = Mock::always(Reply::json(403, &body)).await;
    let outcome = Prober::new(allow(&[&mock]))
        .probe(&openai_request(&key, &mock.base("/v1")))
        .await;
    assert_eq!(outcome.verdict, Verdict::NoPermission);
    assert!(
        outcome.message.contains("OpenAI said"),
        "{}",
        outcome.message
    );
    assert_no_key(&outcome, &key);
}

/// `Debug` of a request, and of a prober that has probed and cached the key, shows the
/// settings and the masked key, never the key.
#[tokio::test]
async fn debug_output_masks_the_key() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    let key = openai_key();
    let request = ProbeRequest {
        organization: Some("org-0123456789abcdef".into()),
        project: Some("proj_0123456789abcdef".into()),
        ..openai_request(&key, &mock.base("/v1"))
    };
    let debug = format!("{request:?}\n{request:#?}");
    assert!(debug.contains("sk-proj-…"), "{debug}");
    let prober = Prober::new(allow(&[&mock]));
    assert_eq!(prober.probe(&request).await.verdict, Verdict::Ok);
    let prober_debug = format!("{prober:?}\n{prober:#?}");
    assert!(prober_debug.contains(&mock.allow()), "{prober_debug}");
    Secrets::new([&key]).assert_none_leaked([("request", debug), ("prober", prober_debug)]);
}

/// TLS to a server that does not speak it fails as `unknown`, and no HTTP request
/// (so no key) was ever readable by the server.
#[tokio::test]
async fn tls_failure_is_unknown_and_sends_no_key() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    let key = openai_key();
    let base = format!("https://127.0.0.1:{}/v1", mock.port());
    let outcome = Prober::new(allow(&[&mock]))
        .probe(&openai_request(&key, &base))
        .await;
    assert_eq!(outcome.verdict, Verdict::Unknown, "{outcome:#?}");
    assert_eq!(outcome.http_status, None);
    assert!(outcome.message.contains("TLS"), "{}", outcome.message);
    assert!(outcome.headers_sent.is_empty(), "no request was sent");
    for request in mock.requests() {
        assert_eq!(request.method, "TLS", "only a handshake was attempted");
        Secrets::new([&key]).assert_no_leak("bytes the server read", &request.raw);
    }
}

#[tokio::test]
async fn connection_refused_is_unknown() {
    // Bind and drop a listener to find a port nothing listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let settings = ProbeSettings {
        allowed_hosts: vec![format!("127.0.0.1:{port}")],
        ..ProbeSettings::default()
    };
    let outcome = Prober::new(settings)
        .probe(&openai_request(
            &openai_key(),
            &format!("http://127.0.0.1:{port}/v1"),
        ))
        .await;
    assert_eq!(outcome.verdict, Verdict::Unknown, "{outcome:#?}");
    assert!(
        outcome.message.contains("could not connect"),
        "{}",
        outcome.message
    );
    assert!(outcome.headers_sent.is_empty());
    assert!(!outcome.verdict.is_failure());
}

#[tokio::test]
async fn azure_without_endpoint_and_unsendable_keys_send_nothing() {
    let outcome = Prober::new(ProbeSettings::default())
        .probe(&ProbeRequest::new(
            Provider::AzureOpenAi,
            "0123456789abcdef0123456789abcdef",
        ))
        .await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert!(
        outcome.message.contains("AZURE_OPENAI_ENDPOINT"),
        "{}",
        outcome.message
    );

    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    for key in [
        String::new(),
        "   ".into(),
        format!("{}\r", openai_key()),
        format!("{}\u{a0}", openai_key()),
    ] {
        let outcome = Prober::new(allow(&[&mock]))
            .probe(&openai_request(&key, &mock.base("/v1")))
            .await;
        assert_eq!(outcome.verdict, Verdict::Unknown, "{outcome:#?}");
        assert!(
            outcome.message.contains("nothing was sent"),
            "{}",
            outcome.message
        );
        if key.len() > 20 {
            assert_no_key(&outcome, &key);
        }
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(mock.connections(), 0);
}

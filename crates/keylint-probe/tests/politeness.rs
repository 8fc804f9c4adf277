//! Timeouts, the single retry, the cache (memory and disk) and keylint's own rate
//! limit: a probe asks as little as possible, and never hangs.

mod common;

use std::time::{Duration, Instant};

use common::{Mock, Reply, allow, assert_no_key, openai_key};
use keylint_probe::{ProbeOutcome, ProbeRequest, ProbeSettings, Prober, Provider, Verdict};

const OPENAI_MODELS: &str = r#"{"object":"list","data":[]}"#;
const OPENAI_INVALID: &str = r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;

fn request(key: &str, mock: &Mock) -> ProbeRequest {
    ProbeRequest {
        base_url: Some(mock.base("/v1")),
        ..ProbeRequest::new(Provider::OpenAi, key)
    }
}

fn short_timeout(mock: &Mock) -> ProbeSettings {
    ProbeSettings {
        timeout: Duration::from_millis(300),
        ..allow(&[mock])
    }
}

#[tokio::test]
async fn slow_answer_times_out_once_retries_once_then_unknown() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS).delayed(Duration::from_secs(5))).await;
    let started = Instant::now();
    let outcome = Prober::new(short_timeout(&mock))
        .probe(&request(&openai_key(), &mock))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(outcome.verdict, Verdict::Unknown, "{outcome:#?}");
    assert_eq!(outcome.http_status, None);
    assert!(
        outcome.message.contains("no answer from") && outcome.message.contains("0.3 s"),
        "{}",
        outcome.message
    );
    assert!(
        outcome.message.contains("2 attempts"),
        "{}",
        outcome.message
    );
    assert_eq!(mock.requests().len(), 2, "one retry, no more");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[tokio::test]
async fn hanging_server_does_not_hang_the_probe() {
    let mock = Mock::always(Reply::Hang).await;
    let started = Instant::now();
    let outcome = Prober::new(short_timeout(&mock))
        .probe(&request(&openai_key(), &mock))
        .await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert!(!outcome.verdict.is_failure());
    assert_eq!(mock.requests().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn server_error_then_success_is_retried_once() {
    let mock = Mock::start(|_, index| {
        if index == 0 {
            Reply::json(
                500,
                r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
            )
        } else {
            Reply::json(200, OPENAI_MODELS)
        }
    })
    .await;
    let outcome = Prober::new(allow(&[&mock]))
        .probe(&request(&openai_key(), &mock))
        .await;
    assert_eq!(outcome.verdict, Verdict::Ok, "{outcome:#?}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn persistent_server_error_is_unknown_after_two_attempts_and_not_cached() {
    let mock = Mock::always(Reply::json(503, "upstream connect error")).await;
    let prober = Prober::new(allow(&[&mock]));
    let key = openai_key();
    let outcome = prober.probe(&request(&key, &mock)).await;
    assert_eq!(outcome.verdict, Verdict::Unknown);
    assert_eq!(outcome.http_status, Some(503));
    assert!(
        outcome.message.contains("server error"),
        "{}",
        outcome.message
    );
    assert!(outcome.message.contains("→ 503"), "{}", outcome.message);
    assert_eq!(mock.requests().len(), 2);
    // `unknown` describes the network, not the key: the next probe is live again.
    let again = prober.probe(&request(&key, &mock)).await;
    assert!(!again.cached);
    assert_eq!(mock.requests().len(), 4);
}

#[tokio::test]
async fn results_are_cached_by_key_headers_and_host() {
    let mock = Mock::always(Reply::json(401, OPENAI_INVALID)).await;
    let prober = Prober::new(allow(&[&mock]));
    let key = openai_key();
    let first = prober.probe(&request(&key, &mock)).await;
    assert_eq!(first.verdict, Verdict::InvalidKey);
    assert!(!first.cached);

    // A clone shares the cache.
    let second = prober.clone().probe(&request(&key, &mock)).await;
    assert!(second.cached);
    assert_eq!(
        ProbeOutcome {
            cached: false,
            ..second
        },
        first,
        "a cached outcome is the same outcome"
    );
    assert_eq!(mock.requests().len(), 1);

    // A different header value or key is a different question.
    let with_org = ProbeRequest {
        organization: Some("org-other".into()),
        ..request(&key, &mock)
    };
    assert!(!prober.probe(&with_org).await.cached);
    assert!(!prober.probe(&request(&openai_key(), &mock)).await.cached);
    // invalid_api_key is conclusive, so the org variant needed no second request.
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn concurrent_probes_of_one_key_make_one_request() {
    let mock =
        Mock::always(Reply::json(200, OPENAI_MODELS).delayed(Duration::from_millis(200))).await;
    let prober = Prober::new(allow(&[&mock]));
    let key = openai_key();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let prober = prober.clone();
            let request = request(&key, &mock);
            tokio::spawn(async move { prober.probe(&request).await })
        })
        .collect();
    let mut cached = 0;
    for task in tasks {
        let outcome = task.await.unwrap();
        assert_eq!(outcome.verdict, Verdict::Ok);
        cached += usize::from(outcome.cached);
    }
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(cached, 3);
}

#[tokio::test]
async fn disk_cache_stores_hashes_and_verdicts_never_keys() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("keylint").join("probe");
    let mock = Mock::always(Reply::json(401, OPENAI_INVALID)).await;
    let key = openai_key();
    let req = ProbeRequest {
        organization: Some("org-secretish0123".into()),
        ..request(&key, &mock)
    };
    let first = Prober::new(allow(&[&mock]))
        .with_disk_cache(cache_dir.clone())
        .probe(&req)
        .await;
    assert_eq!(first.verdict, Verdict::InvalidKey);

    let files: Vec<_> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(name.len(), 64 + ".json".len());
    assert!(name[..64].chars().all(|c| c.is_ascii_hexdigit()), "{name}");
    let content = std::fs::read_to_string(&files[0]).unwrap();
    keylint_test_support::Secrets::new([&key]).assert_no_leak("cache file", &content);
    assert!(content.contains("\"invalid_key\""), "{content}");

    // A new process (a new Prober) with the same directory answers from disk.
    let requests_before = mock.requests().len();
    let second = Prober::new(allow(&[&mock]))
        .with_disk_cache(cache_dir)
        .probe(&req)
        .await;
    assert!(second.cached);
    assert_eq!(second.verdict, Verdict::InvalidKey);
    assert_eq!(second.message, first.message);
    assert_eq!(second.headers_sent, first.headers_sent);
    assert_eq!(mock.requests().len(), requests_before);
    assert_no_key(&second, &key);
}

#[tokio::test]
async fn keylint_rate_limit_refuses_without_sending() {
    let mock = Mock::always(Reply::json(200, OPENAI_MODELS)).await;
    let prober = Prober::new(ProbeSettings {
        max_per_minute: 2,
        ..allow(&[&mock])
    });
    let first_key = openai_key();
    assert_eq!(
        prober.probe(&request(&first_key, &mock)).await.verdict,
        Verdict::Ok
    );
    assert_eq!(
        prober.probe(&request(&openai_key(), &mock)).await.verdict,
        Verdict::Ok
    );

    let limited = prober.probe(&request(&openai_key(), &mock)).await;
    assert_eq!(limited.verdict, Verdict::Unknown);
    assert_eq!(limited.http_status, None);
    assert!(
        limited.message.starts_with(
            "rate limit of keylint itself reached (2 probes per minute); try again in"
        ),
        "{}",
        limited.message
    );
    assert!(limited.message.contains(" s;"), "{}", limited.message);
    assert_eq!(mock.requests().len(), 2);

    // Cache hits are free.
    let cached = prober.probe(&request(&first_key, &mock)).await;
    assert!(cached.cached);
    assert_eq!(cached.verdict, Verdict::Ok);
    assert_eq!(mock.requests().len(), 2);
}

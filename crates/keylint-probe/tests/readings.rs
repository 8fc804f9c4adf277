//! The probe sends what the program would send: a key is probed as each program that
//! reads its file gets it, and a rejection caused by what a loader left around a valid
//! key says so. Against a loopback mock that accepts only the fabricated key itself.

mod common;

use common::{Mock, Reply, allow, assert_no_key, openai_key};
use keylint_core::consumer::Consumer;
use keylint_core::source::FileKind;
use keylint_probe::config_keys::{Filter, Readings, keys_in_text};
use keylint_probe::{Prober, Verdict};

const OPENAI_MODELS: &str = r#"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}"#;
const OPENAI_ORG: &str = r#"{"error":{"message":"OpenAI-Organization header should match organization for API key","type":"invalid_request_error","param":null,"code":"mismatched_organization"}}"#;
const OPENAI_INVALID: &str = r#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;

/// A provider that knows exactly one key.
async fn provider_knowing(key: &str) -> Mock {
    let accepted = format!("Bearer {key}");
    Mock::start(move |request, _| {
        if request.header("authorization") == Some(accepted.as_str()) {
            Reply::json(200, OPENAI_MODELS)
        } else {
            Reply::json(401, OPENAI_INVALID)
        }
    })
    .await
}

/// The key of `.env` as `consumers` read it, aimed at the mock.
fn readings_of(env: &str, consumers: &[Consumer]) -> Readings {
    let mut keys = keys_in_text(
        env,
        FileKind::EnvFile,
        ".env",
        consumers,
        &Filter::default(),
    )
    .unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    keys.remove(0)
}

fn env_file(mock: &Mock, value: &str) -> String {
    format!(
        "OPENAI_BASE_URL={}\nOPENAI_API_KEY={value}\n",
        mock.base("/v1")
    )
}

#[tokio::test]
async fn docker_keeps_the_quotes_and_the_probe_says_so() {
    let key = openai_key();
    let mock = provider_knowing(&key).await;
    let readings = readings_of(
        &env_file(&mock, &format!("\"{key}\"")),
        &[Consumer::DockerEnvFile],
    );
    let (at, outcome) = Prober::new(allow(&[&mock]))
        .probe_readings(&readings)
        .await
        .unwrap();
    assert_eq!(at, 0);
    assert_no_key(&outcome, &key);
    // What the program sends is rejected…
    assert_eq!(outcome.verdict, Verdict::InvalidKey);
    assert_eq!(outcome.http_status, Some(401));
    // …and the message says why, instead of blaming the key.
    assert!(
        outcome.message.starts_with(
            "the key itself is valid, but docker --env-file passes it with its quotes, so the program's request fails"
        ),
        "{}",
        outcome.message
    );
    assert!(outcome.fix.contains("remove the quotes"), "{}", outcome.fix);
    // Two requests: the program's value, then the key alone.
    let sent: Vec<String> = mock
        .requests()
        .iter()
        .map(|request| {
            request
                .header("authorization")
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(sent, [format!("Bearer \"{key}\""), format!("Bearer {key}")]);
}

#[tokio::test]
async fn each_program_reading_is_probed_and_the_failing_one_reported() {
    let key = openai_key();
    let mock = provider_knowing(&key).await;
    let readings = readings_of(
        &env_file(&mock, &format!("\"{key}\"")),
        &[Consumer::ComposeEnvFile, Consumer::DockerEnvFile],
    );
    assert_eq!(readings.len(), 2);
    let (at, outcome) = Prober::new(allow(&[&mock]))
        .probe_readings(&readings)
        .await
        .unwrap();
    assert_eq!(readings[at].read_by, [Consumer::DockerEnvFile]);
    assert_eq!(outcome.verdict, Verdict::InvalidKey);
    assert!(
        outcome.message.starts_with(
            "the key itself is valid (Compose reads the file right), but docker --env-file passes it with its quotes"
        ),
        "{}",
        outcome.message
    );
    assert_no_key(&outcome, &key);
    // Compose's reading is the key itself: no third request.
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_rejected_key_is_still_a_rejected_key() {
    let key = openai_key();
    let mock = provider_knowing(&openai_key()).await;
    let readings = readings_of(
        &env_file(&mock, &format!("\"{key}\"")),
        &[Consumer::DockerEnvFile],
    );
    let (_, outcome) = Prober::new(allow(&[&mock]))
        .probe_readings(&readings)
        .await
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::InvalidKey);
    assert!(
        !outcome.message.contains("itself is valid"),
        "{}",
        outcome.message
    );
    // The key alone was asked too, and rejected as well.
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_clean_key_is_probed_once() {
    let key = openai_key();
    let mock = provider_knowing(&key).await;
    let readings = readings_of(
        &env_file(&mock, &key),
        &[Consumer::ComposeEnvFile, Consumer::DockerEnvFile],
    );
    assert_eq!(readings.len(), 1, "both programs get the same value");
    let (_, outcome) = Prober::new(allow(&[&mock]))
        .probe_readings(&readings)
        .await
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::Ok);
    assert_eq!(mock.requests().len(), 1);
}

/// Docker keeps the quotes of the organization id, not of the key: the message says what
/// the program gets wrong.
#[tokio::test]
async fn a_quoted_organization_is_named_not_the_key() {
    let key = openai_key();
    let accepted = format!("Bearer {key}");
    let mock = Mock::start(move |request, _| {
        let organization = request.header("openai-organization");
        if request.header("authorization") != Some(accepted.as_str()) {
            Reply::json(401, OPENAI_INVALID)
        } else if organization.is_none_or(|organization| organization == "org-right") {
            Reply::json(200, OPENAI_MODELS)
        } else {
            Reply::json(401, OPENAI_ORG)
        }
    })
    .await;
    let env = format!(
        "OPENAI_BASE_URL={}\nOPENAI_API_KEY={key}\nOPENAI_ORG_ID=\"org-right\"\n",
        mock.base("/v1")
    );
    let readings = readings_of(&env, &[Consumer::ComposeEnvFile, Consumer::DockerEnvFile]);
    let (at, outcome) = Prober::new(allow(&[&mock]))
        .probe_readings(&readings)
        .await
        .unwrap();
    assert_eq!(readings[at].read_by, [Consumer::DockerEnvFile]);
    assert_eq!(outcome.verdict, Verdict::OrgMismatch);
    assert!(
        outcome.message.starts_with(
            "the key itself is valid (Compose reads the file right), but docker --env-file passes the organization id with its quotes, so the program's request fails"
        ),
        "{}",
        outcome.message
    );
    assert!(outcome.fix.contains("remove the quotes"), "{}", outcome.fix);
    assert_no_key(&outcome, &key);
}

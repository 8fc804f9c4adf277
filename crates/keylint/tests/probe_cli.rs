//! End-to-end tests of `keylint probe` and `keylint lint --probe` against a mock
//! provider on 127.0.0.1.
//!
//! The probe is aimed at the mock the way a user would do it: a base URL in the env
//! file plus `--allow-host 127.0.0.1:PORT` on the command line (there is no other hook).
//! Every key is fabricated; every run checks that no output contains it. `HOME` and
//! `XDG_CACHE_HOME` point into the test's temporary directory, so the disk cache is
//! isolated. Nothing here leaves loopback.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use keylint_test_support::{Secrets, random_alnum};
use serde_json::Value;

const OPENAI_MODELS: &str = r#"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}"#;
const OPENAI_INVALID: &str = r#"{"error":{"message":"Incorrect API key provided: sk-proj-****...abcd. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
const OPENAI_ORG: &str = r#"{"error":{"message":"OpenAI-Organization header should match organization for API key","type":"invalid_request_error","param":null,"code":"mismatched_organization"}}"#;
const SERVER_ERROR: &str = r#"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#;

// ---------------------------------------------------------------------------------
// A mock provider: plain std::net, one thread per connection.
// ---------------------------------------------------------------------------------

#[derive(Clone)]
enum Reply {
    Json(u16, &'static str),
    /// Read the request, never answer.
    Hang,
}

/// One request head as the mock received it.
#[derive(Clone, Debug)]
struct Recorded {
    raw: String,
}

impl Recorded {
    fn path(&self) -> &str {
        self.raw
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .split('?')
            .next()
            .unwrap_or_default()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.raw.split("\r\n").skip(1).find_map(|line| {
            let (header, value) = line.split_once(':')?;
            header
                .trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim())
        })
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

struct Mock {
    port: u16,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Mock {
    fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let connections = Arc::clone(&connections);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { return };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let requests = Arc::clone(&requests);
                    let handler = Arc::clone(&handler);
                    std::thread::spawn(move || serve(stream, &requests, &*handler));
                }
            });
        }
        Mock {
            port,
            connections,
            requests,
        }
    }

    fn always(reply: Reply) -> Mock {
        Mock::start(move |_| reply.clone())
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    fn allow(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, requests: &Mutex<Vec<Recorded>>, handler: &Handler) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let recorded = Recorded {
        raw: String::from_utf8_lossy(&head).into_owned(),
    };
    requests.lock().unwrap().push(recorded.clone());
    match handler(&recorded) {
        Reply::Hang => std::thread::sleep(Duration::from_secs(30)),
        Reply::Json(status, body) => {
            let response = format!(
                "HTTP/1.1 {status} Mock\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.flush();
        }
    }
}

// ---------------------------------------------------------------------------------
// Fabricated keys, a project directory, and running keylint.
// ---------------------------------------------------------------------------------

/// A fabricated OpenAI project key: `sk-proj-` + 150 alphanumerics around `T3BlbkFJ`.
fn openai_key() -> String {
    format!("sk-proj-{}T3BlbkFJ{}", random_alnum(71), random_alnum(71))
}

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cache_dir(&self) -> PathBuf {
        self.path().join("cache")
    }

    fn keylint(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("keylint").unwrap();
        command
            .current_dir(self.path())
            .env("HOME", self.path().join("home"))
            .env("XDG_CACHE_HOME", self.cache_dir())
            .env("NO_COLOR", "1")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .args(args);
        command
    }
}

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.stdout))
    }
}

/// Runs keylint and checks that neither stdout nor stderr shows any of `keys` (the
/// shared leak check: no 12 characters of one beyond its prefix).
fn run(mut command: Command, keys: &[&str]) -> Run {
    let output = command.timeout(Duration::from_secs(60)).output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if !keys.is_empty() {
        Secrets::new(keys.iter().copied())
            .assert_none_leaked([("stdout", &run.stdout), ("stderr", &run.stderr)]);
    }
    run
}

fn env_with_base(mock: &Mock, key: &str) -> String {
    format!("OPENAI_BASE_URL={}\nOPENAI_API_KEY={key}\n", mock.base())
}

/// `keylint lint --probe --format FORMAT --allow-host MOCK` in `project`; no output may
/// show `key`.
fn lint_probe(project: &Project, mock: &Mock, format: &str, key: &str) -> Run {
    run(
        project.keylint(&[
            "lint",
            "--probe",
            "--format",
            format,
            "--allow-host",
            &mock.allow(),
        ]),
        &[key],
    )
}

/// The diagnostics of `keylint lint --format json` output with this code.
fn with_code<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["code"] == code)
        .collect()
}

fn only_probe(run: &Run) -> Value {
    let json = run.json();
    let probes = json["probes"].as_array().expect("probes is an array");
    assert_eq!(probes.len(), 1, "{json:#}");
    probes[0].clone()
}

// ---------------------------------------------------------------------------------
// `keylint probe`
// ---------------------------------------------------------------------------------

#[test]
fn json_contract_and_exit_0_for_a_valid_key() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    let json = result.json();
    let top: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top.len(), 2);
    assert!(top.contains(&"version") && top.contains(&"probes"));
    assert_eq!(json["version"], 1);
    let probe = only_probe(&result);
    let mut fields: Vec<&str> = probe
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "error_code",
            "fix",
            "host",
            "http_status",
            "key",
            "line",
            "message",
            "path",
            "provider",
            "variable",
            "verdict"
        ]
    );
    assert_eq!(probe["variable"], "OPENAI_API_KEY");
    assert_eq!(probe["path"], ".env");
    assert_eq!(probe["line"], 2);
    assert_eq!(probe["provider"], "openai");
    assert_eq!(probe["host"], mock.allow());
    assert_eq!(
        probe["key"],
        format!("sk-proj-…{} (158 chars)", &key[key.len() - 4..])
    );
    assert_eq!(probe["verdict"], "ok");
    assert_eq!(probe["http_status"], 200);
    assert_eq!(probe["error_code"], Value::Null);
    assert!(probe["message"].is_string() && probe["fix"].is_string());

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v1/models");
    assert!(requests[0].raw.starts_with("GET "));
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {key}").as_str())
    );
}

#[test]
fn invalid_key_exits_1_in_json_and_human_output() {
    let mock = Mock::always(Reply::Json(401, OPENAI_INVALID));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["verdict"], "invalid_key");
    assert_eq!(probe["http_status"], 401);
    assert_eq!(probe["error_code"], "invalid_api_key");

    let human = run(
        project.keylint(&["probe", "--no-cache", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(human.code, 1, "{}{}", human.stdout, human.stderr);
    let tail = &key[key.len() - 4..];
    assert!(
        human
            .stdout
            .starts_with(&format!("OPENAI_API_KEY (sk-proj-…{tail}): ")),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("401 invalid_api_key"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("in:       .env:2"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains(&format!(
            "sent:     GET {}/models with headers Authorization",
            mock.base()
        )),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("verdict:  invalid_key"),
        "{}",
        human.stdout
    );
    // --no-cache asked again; the JSON run before it did too.
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn a_cached_result_is_reused_and_the_cache_holds_no_key() {
    let mock = Mock::always(Reply::Json(401, OPENAI_INVALID));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    for _ in 0..2 {
        let result = run(
            project.keylint(&["probe", "--allow-host", &mock.allow()]),
            &[&key],
        );
        assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    }
    assert_eq!(
        mock.requests().len(),
        1,
        "the second run uses the disk cache"
    );
    let cache = project.cache_dir().join("keylint").join("probe");
    let files: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap_or_else(|error| panic!("{}: {error}", cache.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        Secrets::new([&key])
            .assert_none_leaked([("cache file name", &name), ("cache file", &text)]);
    }
}

#[test]
fn server_errors_are_unknown_and_exit_3() {
    let mock = Mock::always(Reply::Json(500, SERVER_ERROR));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 3, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["verdict"], "unknown");
    assert_ne!(probe["verdict"], "invalid_key");
    assert!(mock.connections() >= 1);
}

#[test]
fn a_hanging_server_times_out_as_unknown() {
    let mock = Mock::always(Reply::Hang);
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let started = std::time::Instant::now();
    let result = run(
        project.keylint(&[
            "probe",
            "--format",
            "json",
            "--timeout-ms",
            "300",
            "--allow-host",
            &mock.allow(),
        ]),
        &[&key],
    );
    assert_eq!(result.code, 3, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["verdict"], "unknown");
    assert_eq!(probe["http_status"], Value::Null);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn org_mismatch_names_the_variable_and_the_fix() {
    // 401 mismatched_organization with the header, 200 without it.
    let mock = Mock::start(|request| {
        if request.header("openai-organization").is_some() {
            Reply::Json(401, OPENAI_ORG)
        } else {
            Reply::Json(200, OPENAI_MODELS)
        }
    });
    let key = openai_key();
    let env = format!(
        "{}OPENAI_ORG_ID=org-abcdefghijklmnopqrstuvwx\n",
        env_with_base(&mock, &key)
    );
    let project = Project::new(&[(".env", &env)]);
    let result = run(
        project.keylint(&["probe", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    let tail = &key[key.len() - 4..];
    assert!(
        result.stdout.starts_with(&format!(
            "OPENAI_API_KEY (sk-proj-…{tail}): key is valid, but OPENAI_ORG_ID=org-abcd… is not an \
             organization of this key → 401 mismatched_organization. Remove OPENAI_ORG_ID"
        )),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("with headers Authorization, OpenAI-Organization"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("verdict:  org_mismatch"));
}

#[test]
fn a_hostile_base_url_gets_no_connection_without_allow_host() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    for format in ["human", "json"] {
        let result = run(project.keylint(&["probe", "--format", format]), &[&key]);
        assert_eq!(result.code, 3, "{}{}", result.stdout, result.stderr);
        assert!(
            result.stdout.contains("did not send the key"),
            "{}",
            result.stdout
        );
        assert!(
            result
                .stdout
                .contains(&format!("--allow-host {}", mock.allow())),
            "{}",
            result.stdout
        );
    }
    // An allowlist entry for another port of the same host does not allow this one.
    let other = format!(
        "127.0.0.1:{}",
        if mock.port == 1 { 2 } else { mock.port - 1 }
    );
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &other]),
        &[&key],
    );
    assert_eq!(result.code, 3, "{}{}", result.stdout, result.stderr);
    assert_eq!(only_probe(&result)["verdict"], "unknown");
    // Plain `lint` never probes.
    let result = run(project.keylint(&["lint", "--format", "json"]), &[&key]);
    assert!(!result.stdout.contains("KL6"), "{}", result.stdout);
    assert_eq!(
        mock.connections(),
        0,
        "the mock must receive zero connections"
    );
}

#[test]
fn allow_host_lets_the_probe_reach_the_workspace_base_url() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    // `lint` without --probe stays off the network even with the host allowed.
    let result = run(
        project.keylint(&["lint", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert!(!result.stdout.contains("KL6"), "{}", result.stdout);
    assert_eq!(mock.connections(), 0);
    let result = run(
        project.keylint(&["probe", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(mock.connections() >= 1);
    assert!(
        result.stdout.contains("verdict:  ok (HTTP 200)"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("1 key probed: 1 ok, 0 failed, 0 unknown")
    );
}

#[test]
fn stdin_key_with_one_trailing_newline_removed() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let project = Project::new(&[]);
    let base = mock.base();
    let mut command = project.keylint(&[
        "probe",
        "--stdin",
        "--provider",
        "openai",
        "--base-url",
        &base,
        "--org",
        "org-abcdefghijklmnopqrstuvwx",
        "--allow-host",
        &mock.allow(),
        "--format",
        "json",
    ]);
    command.write_stdin(format!("{key}\n"));
    let result = run(command, &[&key]);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["verdict"], "ok");
    assert_eq!(probe["provider"], "openai");
    let requests = mock.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {key}").as_str())
    );
    assert_eq!(
        requests[0].header("openai-organization"),
        Some("org-abcdefghijklmnopqrstuvwx")
    );

    let mut command = project.keylint(&[
        "probe",
        "--stdin",
        "--provider",
        "openai",
        "--base-url",
        &base,
        "--allow-host",
        &mock.allow(),
    ]);
    command.write_stdin(format!("{key}\n"));
    let result = run(command, &[&key]);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .starts_with("key from standard input (sk-proj-…"),
        "{}",
        result.stdout
    );

    // --stdin without --provider is a usage error; so is an empty stdin.
    let result = run(project.keylint(&["probe", "--stdin"]), &[]);
    assert_eq!(result.code, 2);
    let mut command = project.keylint(&["probe", "--stdin", "--provider", "openai"]);
    command.write_stdin("\n");
    let result = run(command, &[]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("no key on standard input"),
        "{}",
        result.stderr
    );
}

#[test]
fn each_provider_gets_its_own_path_and_headers() {
    const ANTHROPIC_MODELS: &str = r#"{"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}"#;
    const GEMINI_MODELS: &str =
        r#"{"models":[{"name":"models/gemini-2.0-flash","displayName":"Gemini 2.0 Flash"}]}"#;
    const AZURE_MODELS: &str = r#"{"data":[{"id":"gpt-4o","object":"model"}],"object":"list"}"#;
    let mock = Mock::start(|request| match request.path() {
        "/v1/models" if request.header("x-api-key").is_some() => Reply::Json(200, ANTHROPIC_MODELS),
        "/v1beta/models" => Reply::Json(200, GEMINI_MODELS),
        "/openai/models" => Reply::Json(200, AZURE_MODELS),
        _ => Reply::Json(
            404,
            r#"{"error":{"code":"404","message":"Resource not found"}}"#,
        ),
    });
    let anthropic = format!("sk-ant-api03-{}AA", random_alnum(93));
    let gemini = format!("AIzaSy{}", random_alnum(33));
    let azure: String = random_alnum(64)
        .bytes()
        .map(|byte| char::from(b"0123456789abcdef"[usize::from(byte) % 16]))
        .take(32)
        .collect();
    let root = format!("http://127.0.0.1:{}", mock.port);
    let env = format!(
        "ANTHROPIC_BASE_URL={root}\nANTHROPIC_API_KEY={anthropic}\n\
         GOOGLE_GEMINI_BASE_URL={root}\nGEMINI_API_KEY={gemini}\n\
         AZURE_OPENAI_ENDPOINT={root}/\nAZURE_OPENAI_API_KEY={azure}\n"
    );
    let project = Project::new(&[(".env", &env)]);
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &mock.allow()]),
        &[&anthropic, &gemini, &azure],
    );
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    let json = result.json();
    let probes: Vec<(&str, &str, i64)> = json["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|probe| {
            assert_eq!(probe["verdict"], "ok", "{probe:#}");
            (
                probe["variable"].as_str().unwrap(),
                probe["provider"].as_str().unwrap(),
                probe["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        probes,
        [
            ("ANTHROPIC_API_KEY", "anthropic", 2),
            ("GEMINI_API_KEY", "gemini", 4),
            ("AZURE_OPENAI_API_KEY", "azure-openai", 6)
        ]
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    let find = |path: &str| {
        requests
            .iter()
            .find(|request| request.path() == path)
            .unwrap_or_else(|| {
                let paths: Vec<&str> = requests.iter().map(Recorded::path).collect();
                panic!("no request for {path}: {paths:?}")
            })
    };
    let anthropic_request = find("/v1/models");
    assert_eq!(
        anthropic_request.header("x-api-key"),
        Some(anthropic.as_str())
    );
    assert_eq!(
        anthropic_request.header("anthropic-version"),
        Some("2023-06-01")
    );
    assert_eq!(anthropic_request.header("authorization"), None);
    assert_eq!(
        find("/v1beta/models").header("x-goog-api-key"),
        Some(gemini.as_str())
    );
    let azure_request = find("/openai/models");
    assert_eq!(azure_request.header("api-key"), Some(azure.as_str()));
    assert!(azure_request.raw.contains("/openai/models?api-version="));
}

#[test]
fn compose_environment_literal_keys_are_probed_and_interpolations_skipped() {
    let mock = Mock::always(Reply::Json(401, OPENAI_INVALID));
    let key = openai_key();
    let compose = format!(
        "services:\n  api:\n    image: example/api\n    environment:\n      OPENAI_BASE_URL: {}\n      OPENAI_API_KEY: {key}\n  worker:\n    image: example/worker\n    environment:\n      - OPENAI_API_KEY=${{OPENAI_API_KEY}}\n",
        mock.base()
    );
    let project = Project::new(&[("compose.yaml", &compose)]);
    let result = run(
        project.keylint(&["probe", "--format", "json", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["path"], "compose.yaml");
    assert_eq!(probe["line"], 6);
    assert_eq!(probe["verdict"], "invalid_key");
    assert_eq!(mock.requests().len(), 1);
}

/// `keylint probe` without --consumer reads the file as `keylint lint` finds it read:
/// docker keeps the quotes, so docker's value is probed (and rejected).
#[test]
fn probe_reads_the_file_as_the_project_does() {
    let key = openai_key();
    let (mock, project) = docker_quoted_project(&key);
    let accepted_key = format!("Bearer {key}");
    let probe = |extra: &[&str]| {
        let mut args = vec!["probe", "--format", "json", "--no-cache", "--allow-host"];
        let allow = mock.allow();
        args.push(&allow);
        args.extend_from_slice(extra);
        run(project.keylint(&args), &[&key])
    };
    let detected = probe(&[]);
    assert_eq!(detected.code, 1, "{}{}", detected.stdout, detected.stderr);
    let quoted = format!("Bearer \"{key}\"");
    assert!(
        mock.requests()
            .iter()
            .any(|request| request.header("authorization") == Some(quoted.as_str())),
        "docker's reading (quotes kept) is what the program sends"
    );
    assert!(
        detected
            .stdout
            .contains("the key itself is valid, but docker --env-file passes it with its quotes"),
        "{}",
        detected.stdout
    );
    let sent_before = mock.requests().len();

    let chosen = probe(&["--consumer", "python-dotenv"]);
    assert_eq!(chosen.code, 0, "{}{}", chosen.stdout, chosen.stderr);
    assert!(
        mock.requests()[sent_before..]
            .iter()
            .all(|request| request.header("authorization") == Some(accepted_key.as_str())),
        "python-dotenv strips the quotes"
    );
}

#[test]
fn var_and_env_file_pick_what_is_probed() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let other = openai_key();
    let env = format!(
        "OPENAI_BASE_URL={}\nOPENAI_API_KEY={key}\nMY_OPENAI_KEY={other}\n",
        mock.base()
    );
    let project = Project::new(&[("deploy.env", &env)]);
    let result = run(
        project.keylint(&[
            "probe",
            "--env-file",
            "deploy.env",
            "--var",
            "MY_OPENAI_KEY",
            "--format",
            "json",
            "--allow-host",
            &mock.allow(),
        ]),
        &[&key, &other],
    );
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    let probe = only_probe(&result);
    assert_eq!(probe["variable"], "MY_OPENAI_KEY");
    assert_eq!(probe["path"], "deploy.env");
    assert_eq!(probe["line"], 3);
    assert_eq!(
        mock.requests()[0].header("authorization"),
        Some(format!("Bearer {other}").as_str())
    );

    // --provider alone keeps only that provider's keys: none here.
    let result = run(
        project.keylint(&[
            "probe",
            "--env-file",
            "deploy.env",
            "--provider",
            "anthropic",
            "--allow-host",
            &mock.allow(),
        ]),
        &[&key, &other],
    );
    assert_eq!(result.code, 2, "{}{}", result.stdout, result.stderr);
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn no_keys_or_no_files_is_a_usage_error() {
    let empty = Project::new(&[]);
    let result = run(empty.keylint(&["probe"]), &[]);
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("no .env"), "{}", result.stderr);

    let project = Project::new(&[(".env", "DEBUG=1\nOPENAI_API_KEY=\n")]);
    let result = run(project.keylint(&["probe"]), &[]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("no provider API keys found in .env"),
        "{}",
        result.stderr
    );

    let result = run(
        project.keylint(&["probe", "--env-file", "missing.env"]),
        &[],
    );
    assert_eq!(result.code, 2);
    let result = run(
        project.keylint(&["probe", "--allow-host", "not a host!"]),
        &[],
    );
    assert_eq!(result.code, 2);
}

// ---------------------------------------------------------------------------------
// `keylint lint --probe`, `rules`, `explain`
// ---------------------------------------------------------------------------------

#[test]
fn lint_probe_adds_kl601_for_a_rejected_key() {
    let mock = Mock::always(Reply::Json(401, OPENAI_INVALID));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let result = lint_probe(&project, &mock, "json", &key);
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    let json = result.json();
    let kl601 = with_code(&json, "KL601");
    assert_eq!(kl601.len(), 1, "{json:#}");
    let diagnostic = kl601[0];
    assert_eq!(diagnostic["name"], "rejected-key");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["path"], ".env");
    assert_eq!(diagnostic["line"], 2);
    assert_eq!(diagnostic["column"], 16);
    assert_eq!(diagnostic["end_column"], 16 + key.len());
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("invalid_api_key"),
        "{diagnostic:#}"
    );
    assert_eq!(mock.requests().len(), 1);

    // Human output too, and --ignore KL601 drops it.
    let result = run(
        project.keylint(&["lint", "--probe", "--allow-host", &mock.allow()]),
        &[&key],
    );
    assert!(result.stdout.contains("error[KL601]"), "{}", result.stdout);
    let result = run(
        project.keylint(&[
            "lint",
            "--probe",
            "--ignore",
            "KL601",
            "--format",
            "json",
            "--allow-host",
            &mock.allow(),
        ]),
        &[&key],
    );
    assert!(!result.stdout.contains("KL601"), "{}", result.stdout);
}

/// The KL6xx codes are rules like the others: `[severity]` of keylint.toml, inline
/// suppressions and SARIF's rule list treat them alike.
#[test]
fn lint_probe_findings_follow_the_config_and_suppressions() {
    let mock = Mock::always(Reply::Json(401, OPENAI_INVALID));
    let key = openai_key();
    let codes = |result: &Run| -> Vec<(String, String)> {
        result.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|diagnostic| {
                (
                    diagnostic["code"].as_str().unwrap().to_string(),
                    diagnostic["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };

    let demoted = Project::new(&[
        (".env", &env_with_base(&mock, &key)),
        ("keylint.toml", "[severity]\nKL601 = \"info\"\n"),
    ]);
    let result = lint_probe(&demoted, &mock, "json", &key);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(
        codes(&result).contains(&("KL601".to_string(), "info".to_string())),
        "{}",
        result.stdout
    );

    let suppressed = Project::new(&[(
        ".env",
        &format!(
            "OPENAI_BASE_URL={}\n# keylint: ignore-next-line[KL601]\nOPENAI_API_KEY={key}\n",
            mock.base()
        ),
    )]);
    let result = lint_probe(&suppressed, &mock, "json", &key);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    let found = codes(&result);
    assert!(
        !found
            .iter()
            .any(|(code, _)| code == "KL601" || code == "KL002"),
        "the suppression silences KL601 and counts as used: {found:?}"
    );

    let sarif = lint_probe(&demoted, &mock, "sarif", &key);
    let sarif = sarif.json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|rule| rule["id"] == "KL601"), "{sarif:#}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "KL601");
    assert_eq!(result["level"], "note");
    assert_eq!(
        mock.requests().len(),
        2,
        "one request per project: the SARIF run reuses the cached verdict"
    );
}

/// A project whose Makefile runs `docker run --env-file .env`, and an `.env` with `key`
/// in quotes (docker keeps them); the mock accepts only the key without quotes.
fn docker_quoted_project(key: &str) -> (Mock, Project) {
    let accepted = format!("Bearer {key}");
    let mock = Mock::start(move |request| {
        if request.header("authorization") == Some(accepted.as_str()) {
            Reply::Json(200, OPENAI_MODELS)
        } else {
            Reply::Json(401, OPENAI_INVALID)
        }
    });
    let project = Project::new(&[
        (
            ".env",
            &format!(
                "OPENAI_BASE_URL={}\nOPENAI_API_KEY=\"{key}\"\n",
                mock.base()
            ),
        ),
        ("Makefile", "run:\n\tdocker run --env-file .env app\n"),
    ]);
    (mock, project)
}

/// The probe sends what the program gets: a Makefile runs `docker run --env-file .env`,
/// docker keeps the quotes, so the program's key is rejected though the key is valid.
#[test]
fn lint_probe_probes_the_value_docker_passes() {
    let key = openai_key();
    let (mock, project) = docker_quoted_project(&key);
    let result = lint_probe(&project, &mock, "json", &key);
    let json = result.json();
    let kl601 = with_code(&json, "KL601");
    assert_eq!(kl601.len(), 1, "{json:#}");
    let message = kl601[0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "the key itself is valid, but docker --env-file passes it with its quotes, so the program's request fails"
        ),
        "{message}"
    );
    // Without the Makefile nobody is known to keep the quotes: the dotenv reading is
    // the key itself, and it works.
    std::fs::remove_file(project.path().join("Makefile")).unwrap();
    let result = lint_probe(&project, &mock, "json", &key);
    assert!(!result.stdout.contains("KL60"), "{}", result.stdout);
}

#[test]
fn lint_probe_reports_a_refused_base_url_as_kl605_info() {
    let mock = Mock::always(Reply::Json(200, OPENAI_MODELS));
    let key = openai_key();
    let project = Project::new(&[(".env", &env_with_base(&mock, &key))]);
    let result = run(
        project.keylint(&["lint", "--probe", "--format", "json"]),
        &[&key],
    );
    let json = result.json();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|diagnostic| diagnostic["code"].as_str())
        .collect();
    assert!(codes.contains(&"KL605"), "{json:#}");
    assert_eq!(mock.connections(), 0);
}

#[test]
fn rules_and_explain_know_the_probe_codes() {
    let project = Project::new(&[]);
    let result = run(project.keylint(&["rules"]), &[]);
    assert_eq!(result.code, 0);
    for code in ["KL601", "KL602", "KL603", "KL604", "KL605"] {
        assert!(result.stdout.contains(code), "{code}: {}", result.stdout);
    }
    let result = run(project.keylint(&["explain", "KL601"]), &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.starts_with("# KL601 rejected-key"),
        "{}",
        result.stdout
    );
    let result = run(project.keylint(&["explain", "probe-unknown"]), &[]);
    assert!(
        result.stdout.contains("Default severity: info"),
        "{}",
        result.stdout
    );
}

//! `keylint inspect`: values against the real loaders' table, Compose merges, masking and
//! exit codes. Every key here is fabricated.

use std::path::Path;

use assert_cmd::Command;
use keylint_test_support::Secrets;
use serde_json::Value;

const CONSUMERS: [&str; 6] = [
    "python-dotenv",
    "node-dotenv",
    "dotenvy",
    "compose",
    "docker-env-file",
    "shell",
];

fn keylint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("keylint").unwrap();
    command.current_dir(dir).env_clear();
    command
}

fn json(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let output = keylint(dir)
        .arg("inspect")
        .args(args)
        .args(["--format", "json"])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn human(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = keylint(dir)
        .arg("inspect")
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn variable<'a>(output: &'a Value, name: &str) -> Option<&'a Value> {
    output["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variable| variable["name"] == name)
}

fn service_variable<'a>(output: &'a Value, service: &str, name: &str) -> &'a Value {
    output["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variable| variable["name"] == name && variable["service"] == service)
        .unwrap_or_else(|| panic!("{service}/{name} in {output}"))
}

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&hex[index..index + 2], 16).unwrap())
        .collect()
}

/// Random-looking but fabricated: a fixed seed expanded by a small LCG.
fn fabricated_key(prefix: &str, seed: u64, middle: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed;
    let mut next = |count: usize| -> String {
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ALPHABET[(state >> 33) as usize % ALPHABET.len()] as char
            })
            .collect()
    };
    format!("{prefix}{}T3BlbkFJ{}", next(middle), next(middle))
}

/// For a non-secret name and value, `value` in the JSON is what the real python-dotenv,
/// node dotenv, dotenvy, Compose, docker and bash gave the program (the cases of docs/loaders.md).
#[test]
fn json_values_match_the_real_loaders() {
    let cases: Value = serde_json::from_str(include_str!(
        "../../keylint-core/resources/test/loader_cases.json"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases["cases"].as_array().unwrap() {
        let text = String::from_utf8(decode_hex(case["hex"].as_str().unwrap())).unwrap();
        // Same lengths, so offsets and line shapes are unchanged: a name and a value
        // that say nothing secret, so inspect shows them in full.
        let text = text
            .replace("OPENAI_API_KEY", "OPENAI_API_VAL")
            .replace("sk-", "zz-");
        std::fs::write(dir.path().join(".env"), &text).unwrap();
        for consumer in CONSUMERS {
            let expected = case["expected"][consumer]
                .as_str()
                .map(|value| value.replace("sk-", "zz-"));
            let output = json(dir.path(), &[".env", "--consumer", consumer], &[]);
            let entry = variable(&output, "OPENAI_API_VAL");
            let actual = entry.and_then(|entry| entry["value"].as_str().map(str::to_string));
            if let Some(entry) = entry {
                assert_eq!(entry["masked"], false, "case {}", case["id"]);
                assert_eq!(entry["consumer"], consumer);
                if let Some(value) = &actual {
                    assert_eq!(entry["length"], value.chars().count());
                }
            }
            checked += 1;
            if actual != expected {
                failures.push(format!(
                    "case {} ({}), {consumer}: expected {expected:?}, got {actual:?}",
                    case["id"], case["label"]
                ));
            }
        }
    }
    assert!(checked > 300, "only {checked} checks");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn differs_lists_the_other_consumers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.env"),
        "MODEL=\"gpt-4o\"\nMODE=one\nMODE=two\n",
    )
    .unwrap();
    let output = json(dir.path(), &["app.env"], &[]);
    assert_eq!(output["version"], 1);
    let model = variable(&output, "MODEL").unwrap();
    assert_eq!(model["consumer"], "python-dotenv");
    assert_eq!(model["value"], "gpt-4o");
    assert_eq!(model["path"], "app.env");
    assert_eq!(model["line"], 1);
    assert_eq!(
        model["differs"],
        serde_json::json!([{"consumer": "docker-env-file", "value": "\"gpt-4o\"", "length": 8}])
    );
    let mode = variable(&output, "MODE").unwrap();
    assert_eq!(
        (mode["value"].as_str(), mode["line"].as_u64()),
        (Some("two"), Some(3))
    );
    assert_eq!(
        mode["differs"],
        serde_json::json!([{"consumer": "dotenvy", "value": "one", "length": 3}])
    );
    let dotenvy = json(dir.path(), &["app.env", "--consumer", "dotenvy"], &[]);
    let mode = variable(&dotenvy, "MODE").unwrap();
    assert_eq!(
        (mode["value"].as_str(), mode["line"].as_u64()),
        (Some("one"), Some(2))
    );
    // Exactly the documented fields, in order.
    let raw = String::from_utf8(
        keylint(dir.path())
            .args(["inspect", "app.env", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        raw.starts_with(
            "{\"version\":1,\"variables\":[{\"name\":\"MODEL\",\"path\":\"app.env\",\"line\":1,\"consumer\":\"python-dotenv\",\"value\":\"gpt-4o\",\"masked\":false,\"length\":6,\"overridden_by_env\":false,\"differs\":[{\"consumer\":\"docker-env-file\",\"value\":\"\\\"gpt-4o\\\"\",\"length\":8}]},"
        ),
        "{raw}"
    );
}

#[test]
fn the_shell_overrides_the_file_for_dotenv_libraries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "REGION=eu\nLEVEL=debug\n").unwrap();
    for (consumer, wins) in [
        ("python-dotenv", true),
        ("node-dotenv", true),
        ("dotenvy", true),
        ("godotenv", true),
        ("compose", true),
        ("docker-env-file", false),
        ("shell", false),
    ] {
        let output = json(
            dir.path(),
            &[".env", "--consumer", consumer],
            &[("REGION", "ap")],
        );
        let region = variable(&output, "REGION").unwrap();
        assert_eq!(region["overridden_by_env"], wins, "{consumer}");
        // `value` is still what the file yields.
        assert_eq!(region["value"], "eu");
        assert_eq!(
            variable(&output, "LEVEL").unwrap()["overridden_by_env"],
            false
        );
    }
    let text = human(dir.path(), &[".env"], &[("REGION", "ap")]);
    assert!(
        text.contains(
            "overridden by your shell for python-dotenv, node dotenv, dotenvy, godotenv, Compose: ap (2)"
        ),
        "{text}"
    );
}

fn compose_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "compose.yaml",
            r#"services:
  api:
    image: app
    env_file:
      - ./common.env
      - path: ./api.env
      - path: ./local.env
        required: false
    environment:
      - MODE=list
      - QUOTED="${REGION}"
      - TAG=${TAG:-latest}
      - PRICE=$$5
      - FROM_ENV
  worker:
    env_file: common.env
    environment:
      MODE: map
      QUOTED: "${REGION}"
      REGION: ${REGION:-us}-1
      SIZE: ${SIZE-small}
"#,
        ),
        (".env", "REGION=eu\nFROM_ENV=from-dotenv\n"),
        ("common.env", "MODE=common\nLOG=info\nSHARED=common\n"),
        (
            "api.env",
            "SHARED=api\nLOG=\"debug\"\nURL=http://${HOST:-localhost}:8080\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn compose_merge_env_file_order_list_map_and_interpolation() {
    let dir = compose_project();
    let output = json(dir.path(), &["compose.yaml"], &[]);
    let check = |service: &str, name: &str, value: &str, path: &str, line: u64| {
        let entry = service_variable(&output, service, name);
        assert_eq!(entry["value"], value, "{service}/{name}");
        assert_eq!(entry["path"], path, "{service}/{name}");
        assert_eq!(entry["line"], line, "{service}/{name}");
        assert_eq!(entry["consumer"], "compose");
        assert_eq!(entry["masked"], false);
        entry
    };
    // env_file in order: the later file wins; `environment:` beats every env_file.
    let shared = check("api", "SHARED", "api", "api.env", 1);
    assert_eq!(
        shared["losers"],
        serde_json::json!([{"path": "common.env", "line": 3, "value": "common", "length": 6}])
    );
    check("api", "LOG", "debug", "api.env", 2);
    check("api", "URL", "http://localhost:8080", "api.env", 3);
    let mode = check("api", "MODE", "list", "compose.yaml", 10);
    assert_eq!(mode["losers"][0]["value"], "common");
    // List form keeps the quotes; map form's quotes are YAML syntax.
    check("api", "QUOTED", "\"eu\"", "compose.yaml", 11);
    check("worker", "QUOTED", "eu", "compose.yaml", 19);
    check("worker", "MODE", "map", "compose.yaml", 18);
    // Defaults, `$$` and bare names.
    check("api", "TAG", "latest", "compose.yaml", 12);
    check("api", "PRICE", "$5", "compose.yaml", 13);
    check("api", "FROM_ENV", "from-dotenv", "compose.yaml", 14);
    check("worker", "REGION", "eu-1", "compose.yaml", 20);
    check("worker", "SIZE", "small", "compose.yaml", 21);
    assert_eq!(
        service_variable(&output, "worker", "REGION")["overridden_by_env"],
        false
    );

    let only_worker = json(dir.path(), &["compose.yaml", "--service", "worker"], &[]);
    assert!(
        only_worker["variables"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["service"] == "worker")
    );
}

#[test]
fn compose_shell_beats_the_project_dotenv() {
    let dir = compose_project();
    let env = [
        ("REGION", "ap"),
        ("TAG", "v2"),
        ("SIZE", ""),
        ("MODE", "the shell does not reach the container"),
    ];
    let output = json(dir.path(), &["compose.yaml"], &env);
    let region = service_variable(&output, "worker", "REGION");
    assert_eq!(region["value"], "ap-1");
    assert_eq!(region["overridden_by_env"], true);
    assert_eq!(
        service_variable(&output, "api", "QUOTED")["value"],
        "\"ap\""
    );
    assert_eq!(service_variable(&output, "api", "TAG")["value"], "v2");
    // `${SIZE-small}`: set but empty is not unset.
    assert_eq!(service_variable(&output, "worker", "SIZE")["value"], "");
    assert_eq!(service_variable(&output, "api", "MODE")["value"], "list");
    assert_eq!(
        service_variable(&output, "api", "MODE")["overridden_by_env"],
        false
    );
    let text = human(dir.path(), &["compose.yaml", "--service", "worker"], &env);
    assert!(
        text.contains("overridden by your shell: ${REGION} in .env is eu (2)"),
        "{text}"
    );
}

#[test]
fn human_tables() {
    let dir = compose_project();
    std::fs::write(
        dir.path().join("app.env"),
        "MODEL=\"gpt-4o\"\nBASE_URL=https://api.example.test/v1 \nMODE=one\nMODE=two\nHASH=#frag\n",
    )
    .unwrap();
    insta::assert_snapshot!("env_file", human(dir.path(), &["app.env"], &[]));
    insta::assert_snapshot!(
        "env_file_docker",
        human(
            dir.path(),
            &["app.env", "--consumer", "docker-env-file"],
            &[]
        )
    );
    insta::assert_snapshot!(
        "compose",
        human(dir.path(), &["compose.yaml"], &[("REGION", "ap")])
    );
}

#[test]
fn no_full_key_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let file_key = fabricated_key("sk-proj-", 7, 74);
    let quoted_key = fabricated_key("sk-proj-", 11, 60);
    let shell_key = fabricated_key("sk-proj-", 13, 74);
    let anthropic = format!("sk-ant-api03-{}AA", &fabricated_key("", 17, 46)[..93]);
    let azure = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    std::fs::write(
        dir.path().join(".env"),
        format!(
            "OPENAI_API_KEY={file_key}\nQUOTED=\"{quoted_key}\"\nLLM={anthropic}\nAZURE={azure}\nDB_PASSWORD=hunter2hunter2\nSHORT_TOKEN=abc\nPADDED={file_key}\u{200b}\r\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=\"${OPENAI_API_KEY}\"\n      - COPY=${LLM}\n      - FROM_SECRET=${DB_PASSWORD}\n",
    )
    .unwrap();
    let env = [("OPENAI_API_KEY", shell_key.as_str())];
    let mut outputs = Vec::new();
    for format in ["human", "json"] {
        for args in [
            vec![".env"],
            vec![".env", "--consumer", "docker-env-file"],
            vec![".env", "--consumer", "shell"],
            vec!["compose.yaml"],
        ] {
            let output = keylint(dir.path())
                .arg("inspect")
                .args(&args)
                .args(["--format", format])
                .envs(env)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(0));
            let label = format!("inspect {} --format {format}", args.join(" "));
            outputs.push((label.clone(), String::from_utf8(output.stdout).unwrap()));
            outputs.push((
                label + " (stderr)",
                String::from_utf8(output.stderr).unwrap(),
            ));
        }
    }
    Secrets::new([
        file_key.as_str(),
        &quoted_key,
        &shell_key,
        &anthropic,
        azure,
    ])
    .assert_none_leaked(outputs.iter().map(|(label, output)| (label, output)));
    for (label, output) in &outputs {
        // Shorter than the leak check's window: not even the password's start.
        assert!(!output.contains("hunter2"), "{label}");
    }
    let json_output: Value = serde_json::from_str(&outputs[8].1).unwrap();
    for name in [
        "OPENAI_API_KEY",
        "QUOTED",
        "LLM",
        "AZURE",
        "DB_PASSWORD",
        "SHORT_TOKEN",
    ] {
        let entry = variable(&json_output, name).unwrap();
        assert_eq!(entry["masked"], true, "{name}");
    }
    assert_eq!(
        variable(&json_output, "SHORT_TOKEN").unwrap()["value"],
        "(3 chars)"
    );
    assert_eq!(
        variable(&json_output, "OPENAI_API_KEY").unwrap()["length"],
        file_key.len()
    );
    assert!(outputs[0].1.contains(&format!(
        "sk-proj-…{} ({})",
        &file_key[file_key.len() - 4..],
        file_key.len()
    )));
}

#[test]
fn invisible_characters_are_always_visible() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "NAME=a\u{200b}b\u{a0}\r\nTABBED=\"x\ty\"\r\nMARK=p\u{feff}q\r\n",
    )
    .unwrap();
    let text = human(dir.path(), &[".env"], &[]);
    for visible in ["<U+200B>", "<NBSP>", "\\r", "\\t", "<BOM>"] {
        assert!(text.contains(visible), "{visible} missing:\n{text}");
    }
    let raw_json = String::from_utf8(
        keylint(dir.path())
            .args(["inspect", ".env", "--format", "json", "--consumer", "shell"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for output in [&text, &raw_json] {
        for invisible in ['\u{200b}', '\u{a0}', '\u{feff}', '\r', '\t'] {
            assert!(
                !output.contains(invisible),
                "raw {invisible:?} in output:\n{output}"
            );
        }
    }
    assert!(raw_json.contains("\\u200b") && raw_json.contains("\\u00a0"));
    let parsed: Value = serde_json::from_str(&raw_json).unwrap();
    assert_eq!(
        variable(&parsed, "NAME").unwrap()["value"],
        "a\u{200b}b\u{a0}\r"
    );
}

#[test]
fn exit_codes() {
    let dir = compose_project();
    keylint(dir.path())
        .args(["inspect", ".env"])
        .assert()
        .code(0);
    keylint(dir.path())
        .args(["inspect", "compose.yaml", "--service", "api"])
        .assert()
        .code(0);
    for args in [
        vec!["inspect", "missing.env"],
        vec!["inspect", "compose.yaml", "--service", "nope"],
        vec!["inspect", ".env", "--service", "api"],
        vec!["inspect", ".env", "--consumer", "nobody"],
        vec!["inspect", "compose.yaml", "--consumer", "shell"],
        vec!["inspect", "compose.yaml", "--env-file", "missing.env"],
    ] {
        let output = keylint(dir.path()).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let unknown = keylint(dir.path())
        .args(["inspect", "compose.yaml", "--service", "nope"])
        .output()
        .unwrap();
    let message = String::from_utf8(unknown.stderr).unwrap();
    assert!(message.contains("no service `nope`") && message.contains("api, worker"));
}

#[test]
fn compose_env_file_flag_replaces_the_project_dotenv() {
    let dir = compose_project();
    std::fs::write(dir.path().join("prod.env"), "REGION=jp\n").unwrap();
    let output = json(
        dir.path(),
        &[
            "compose.yaml",
            "--service",
            "worker",
            "--env-file",
            "prod.env",
        ],
        &[],
    );
    assert_eq!(
        service_variable(&output, "worker", "REGION")["value"],
        "jp-1"
    );
}

#[test]
fn missing_required_env_file_is_reported() {
    let dir = compose_project();
    std::fs::remove_file(dir.path().join("api.env")).unwrap();
    let output = keylint(dir.path())
        .args(["inspect", "compose.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("service api: env_file api.env is missing"),
        "{stderr}"
    );
    let text = human(dir.path(), &["compose.yaml"], &[]);
    assert!(text.contains("! env_file api.env is missing"), "{text}");
}

#[test]
fn without_a_path_inspect_reads_the_env_file_else_the_compose_file_here() {
    let dir = compose_project();
    assert_eq!(
        human(dir.path(), &[], &[]),
        human(dir.path(), &[".env"], &[])
    );
    std::fs::remove_file(dir.path().join(".env")).unwrap();
    assert_eq!(
        human(dir.path(), &[], &[]),
        human(dir.path(), &["compose.yaml"], &[])
    );
    let empty = tempfile::tempdir().unwrap();
    let output = keylint(empty.path()).arg("inspect").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("no .env or Compose file in the current directory"),
    );
}

/// A Secret's `data:` is shown as the container receives it, base64-decoded, with the
/// newline `echo` added visible; a Deployment's `env:` too; keys masked.
#[test]
fn kubernetes_secrets_and_container_env() {
    let key = fabricated_key("sk-proj-", 18, 40);
    // `echo "$OPENAI_API_KEY" | base64`: the newline is encoded too.
    let encoded = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{key}\n"))
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("k8s")).unwrap();
    std::fs::write(
        dir.path().join("k8s/app.yaml"),
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: {encoded}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\nspec:\n  template:\n    spec:\n      containers:\n        - name: chat\n          env:\n            - name: LOG_LEVEL\n              value: \"info \"\n"
        ),
    )
    .unwrap();
    let output = json(dir.path(), &["k8s/app.yaml"], &[]);
    let secret = variable(&output, "OPENAI_API_KEY").unwrap();
    assert_eq!(secret["line"], 6);
    assert_eq!(secret["consumer"], "yaml");
    assert_eq!(secret["masked"], true);
    let length = key.chars().count() + 1;
    assert_eq!(secret["length"], length);
    assert!(
        secret["value"]
            .as_str()
            .unwrap()
            .ends_with(&format!("\\n ({length} chars)")),
        "{secret}"
    );
    assert_eq!(secret["origin"], "Secret data (base64)");
    assert_eq!(secret["object"], "Secret/openai");
    let level = variable(&output, "LOG_LEVEL").unwrap();
    assert_eq!(level["value"], "info ");
    assert_eq!(level["object"], "Deployment/chat");
    let table = human(dir.path(), &["k8s/app.yaml"], &[]);
    assert!(
        table.contains(&format!(
            "({length}, ends with a line break)  [Secret data (base64), Secret/openai]"
        )),
        "{table}"
    );
    assert!(
        table.contains("info␠ (5, trailing whitespace kept)"),
        "{table}"
    );
    Secrets::new([key.as_str()]).assert_none_leaked([
        ("inspect k8s json".to_string(), output.to_string()),
        ("inspect k8s human".to_string(), table),
    ]);
}

fn clean_app() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clean-app")
}

/// `inspect --names` on the example app (Python, `.env`, Compose): where each variable is
/// set, who gets which line, where the code reads it.
#[test]
fn names_of_the_example_project() {
    let dir = clean_app();
    let text = human(&dir, &["--names"], &[]);
    insta::assert_snapshot!("names", text);
    let output = json(&dir, &["--names"], &[]);
    insta::assert_json_snapshot!("names_json", output);
    Secrets::in_dir(&dir).assert_no_leak("inspect --names", &text);
    Secrets::in_dir(&dir).assert_no_leak("inspect --names --format json", &output.to_string());
}

/// A key pasted where a name goes (in `.env` and in the code) is masked in both formats,
/// and a control character in a path is shown escaped.
#[test]
fn names_mask_a_key_used_as_a_name_and_escape_paths() {
    let dir = tempfile::tempdir().unwrap();
    let key = fabricated_key("sk-proj-", 23, 74);
    std::fs::write(dir.path().join(".env"), format!("{key}=x\nMODEL=gpt\n")).unwrap();
    std::fs::write(
        dir.path().join("main.py"),
        format!(
            "import os\nfrom dotenv import load_dotenv\nload_dotenv()\nos.environ[\"{key}\"]\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("a\u{1b}[31mb")).unwrap();
    std::fs::write(dir.path().join("a\u{1b}[31mb/.env"), "MODEL=gpt\n").unwrap();
    let secrets = Secrets::in_dir(dir.path());
    assert!(!secrets.is_empty());
    let masked = format!("sk-proj-…{}", &key[key.len() - 4..]);

    let text = human(dir.path(), &["--names"], &[]);
    secrets.assert_no_leak("inspect --names", &text);
    assert!(text.contains(&masked), "{text}");
    assert!(text.contains("main.py:4"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("a<U+001B>[31mb/.env:1"), "{text}");

    let output = json(dir.path(), &["--names"], &[]);
    secrets.assert_no_leak("inspect --names --format json", &output.to_string());
    assert_eq!(output["version"], 1);
    let pasted = output["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variable| variable["name"].as_str().unwrap().starts_with(&masked))
        .unwrap_or_else(|| panic!("{output}"));
    assert_eq!(pasted["set"][0]["path"], ".env");
    assert_eq!(pasted["read"][0]["path"], "main.py");
    assert_eq!(pasted["read"][0]["line"], 4);
    let model = variable(&output, "MODEL").unwrap();
    let paths: Vec<&str> = model["set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|set| set["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"a\u{1b}[31mb/.env"), "{paths:?}");
}

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::*;
use crate::mask::{escape_invisible, mask_secret};

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&hex[index..index + 2], 16).unwrap())
        .collect()
}

fn env(pairs: &[(&str, &str)]) -> Environment {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_string(), (*value).to_string()))
        .collect()
}

fn shown(secret: bool, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Value(value) if secret => mask_secret(value),
        Outcome::Value(value) => format!("{:?}", escape_invisible(value)),
        Outcome::Absent(reason) => format!("absent ({reason})"),
        Outcome::Refused(reason) => format!("refused ({reason})"),
    }
}

fn summary(report: &EnvReport) -> String {
    let mut out = String::new();
    for variable in &report.variables {
        let lines: Vec<String> = variable.lines.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "{} lines {} secret={} disagree={}",
            variable.name,
            lines.join(","),
            variable.secret,
            variable.consumers_disagree()
        )
        .unwrap();
        for view in &variable.views {
            let overridden = view
                .overridden_by
                .as_deref()
                .map(|value| format!(" overridden by env {}", mask_secret(value)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:16} {} {}{overridden}",
                view.consumer.id(),
                view.source,
                shown(variable.secret, &view.outcome)
            )
            .unwrap();
        }
    }
    out
}

fn compose_summary(report: &ComposeReport) -> String {
    let mut out = String::new();
    for problem in &report.problems {
        writeln!(out, "problem: {problem}").unwrap();
    }
    for service in &report.services {
        writeln!(out, "service {}", service.name).unwrap();
        for problem in &service.problems {
            writeln!(out, "  problem: {problem}").unwrap();
        }
        for variable in &service.variables {
            let entry = |entry: &ComposeEntry| {
                let mut text = format!(
                    "{} [{}] {}",
                    entry.source,
                    entry.kind.describe(),
                    shown(variable.secret, &entry.outcome)
                );
                if !entry.from_shell.is_empty() {
                    write!(text, " shell:{}", entry.from_shell.join(",")).unwrap();
                }
                if !entry.from_dotenv.is_empty() {
                    write!(text, " dotenv:{}", entry.from_dotenv.join(",")).unwrap();
                }
                for (name, lost) in &entry.shell_beats_dotenv {
                    write!(text, " shell-beats-.env:{name}={}", mask_secret(lost)).unwrap();
                }
                text
            };
            writeln!(out, "  {} = {}", variable.name, entry(&variable.winner)).unwrap();
            for loser in &variable.losers {
                writeln!(out, "      beats {}", entry(loser)).unwrap();
            }
        }
    }
    out
}

/// Every row of the verified loader table: per consumer, the value inspect reports is the
/// value the real loader gave the program.
#[test]
fn values_match_the_real_loaders() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../resources/test/loader_cases.json")).unwrap();
    let mut failures = Vec::new();
    let empty = Environment::new();
    for case in cases["cases"].as_array().unwrap() {
        let text = String::from_utf8(decode_hex(case["hex"].as_str().unwrap())).unwrap();
        let report = inspect_env_file(".env.test", &text, &empty);
        let variable = report
            .variables
            .iter()
            .find(|variable| variable.name == "OPENAI_API_KEY");
        for consumer in Consumer::ENV_FILE {
            let expected = case["expected"][consumer.id()].as_str();
            let actual = variable
                .and_then(|variable| variable.view(consumer))
                .and_then(ConsumerView::value);
            if actual != expected {
                failures.push(format!(
                    "case {} ({}), {}: expected {expected:?}, got {actual:?}",
                    case["id"],
                    case["label"],
                    consumer.id()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn env_file_per_consumer() {
    let text = "\u{feff}# settings\r\nMODEL=\"gpt-4o\" # comment\r\nBASE_URL=https://api.example.test/v1 \r\nexport REGION=eu\r\nNAME=a\u{200b}b\u{a0}\r\nHASH=#frag\r\n";
    insta::assert_snapshot!(summary(&inspect_env_file(
        ".env.local",
        text,
        &Environment::new()
    )));
}

#[test]
fn duplicates_say_which_line_wins() {
    let report = inspect_env_file(
        ".env.local",
        "MODE=one\nOTHER=x\nMODE=two\n",
        &Environment::new(),
    );
    let mode = &report.variables[0];
    assert_eq!(mode.lines, vec![1, 3]);
    for view in &mode.views {
        let (value, line) = if view.consumer == Consumer::Dotenvy {
            ("one", 1)
        } else {
            ("two", 3)
        };
        assert_eq!(view.value(), Some(value), "{}", view.consumer.id());
        assert_eq!(view.source.line, line, "{}", view.consumer.id());
    }
    insta::assert_snapshot!(summary(&report));
}

#[test]
fn the_environment_wins_for_dotenv_libraries_only() {
    let key = format!(
        "sk-proj-{}T3BlbkFJ{}Zz9Q",
        "Ab1".repeat(20),
        "x7".repeat(30)
    );
    let shell_key = format!(
        "sk-proj-{}T3BlbkFJ{}Old1",
        "Qw2".repeat(20),
        "y8".repeat(30)
    );
    let text = format!("OPENAI_API_KEY={key}\nDEBUG=1\n");
    let shell = env(&[("OPENAI_API_KEY", &shell_key), ("PATH", "/bin")]);
    for (path, compose_wins) in [(".env", true), ("api.env", false)] {
        let report = inspect_env_file(path, &text, &shell);
        let variable = &report.variables[0];
        assert!(variable.secret);
        for view in &variable.views {
            let expected = match view.consumer {
                Consumer::PythonDotenv
                | Consumer::NodeDotenv
                | Consumer::Dotenvy
                | Consumer::Godotenv => true,
                Consumer::ComposeEnvFile => compose_wins,
                _ => false,
            };
            assert_eq!(
                view.overridden_by.is_some(),
                expected,
                "{path} {}",
                view.consumer.id()
            );
        }
        assert!(
            report.variables[1]
                .views
                .iter()
                .all(|view| view.overridden_by.is_none())
        );
        let rendered = summary(&report);
        keylint_test_support::Secrets::new([&key, &shell_key]).assert_no_leak(path, &rendered);
        if path == ".env" {
            insta::assert_snapshot!(rendered);
        }
    }
}

#[test]
fn secrets_by_name_or_shape() {
    assert!(is_secret_name("OPENAI_API_KEY"));
    assert!(is_secret_name("github_token"));
    assert!(is_secret_name("DB_PASSWORD"));
    assert!(is_secret_name("CLIENT_SECRET"));
    assert!(!is_secret_name("OPENAI_BASE_URL"));
    let key = format!("sk-ant-api03-{}AA", "k".repeat(93));
    assert!(is_secret("LLM", [key.as_str()]));
    assert!(is_secret("LLM", [format!("\"{key}\"").as_str()]));
    assert!(is_secret("AZURE", ["0123456789abcdef0123456789abcdef"]));
    assert!(!is_secret("MODEL", ["gpt-4o"]));
    let copied = inspect_env_file(
        ".env.local",
        "OPENAI_API_KEY=short\nLLM=${OPENAI_API_KEY}\nMODEL=${LLM}x\n",
        &Environment::new(),
    );
    let secrets: Vec<bool> = copied.variables.iter().map(|v| v.secret).collect();
    assert_eq!(secrets, vec![true, true, true]);
}

const COMPOSE: &str = r#"services:
  api:
    image: app
    env_file:
      - ./common.env
      - path: ./api.env
      - path: ./optional.env
        required: false
    environment:
      - MODE=list
      - QUOTED="${OPENAI_API_KEY}"
      - TAG=${TAG:-latest}
      - PRICE=$$5
      - FROM_SHELL
  worker:
    env_file: missing.env
    environment:
      MODE: map
      OPENAI_API_KEY: ${OPENAI_API_KEY}
      REGION: ${REGION:-us}-1
      LEVEL:
      NEEDED: ${NEEDED:?set NEEDED}
"#;

fn compose_fixture(shell: &Environment, service: Option<&str>) -> ComposeReport {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("deploy/common.env"),
        "MODE=common\nLOG=info\nSHARED=common\n".to_string(),
    );
    files.insert(
        PathBuf::from("deploy/api.env"),
        "SHARED=api\nLOG=\"debug\"\nBARE\nURL=http://${HOST:-localhost}:8080\n".to_string(),
    );
    let dotenv = format!(
        "OPENAI_API_KEY=sk-proj-{}T3BlbkFJ{}EnvF\nREGION=eu\nBARE=from-dotenv\n",
        "Zx3".repeat(20),
        "q1".repeat(30)
    );
    inspect_compose(&ComposeInput {
        path: "deploy/compose.yaml",
        text: COMPOSE,
        project_env: Some(("deploy/.env", &dotenv)),
        env_files: &files,
        env: shell,
        service,
    })
}

#[test]
fn compose_merge_without_shell() {
    let report = compose_fixture(&Environment::new(), None);
    let rendered = compose_summary(&report);
    assert!(!rendered.contains("T3BlbkFJ"));
    insta::assert_snapshot!(rendered);
}

#[test]
fn compose_merge_with_shell_override() {
    let shell_key = format!(
        "sk-proj-{}T3BlbkFJ{}Shel",
        "Ty7".repeat(20),
        "w3".repeat(30)
    );
    let shell = env(&[
        ("OPENAI_API_KEY", &shell_key),
        ("REGION", "ap"),
        ("TAG", "v2"),
        ("FROM_SHELL", "yes"),
        ("NEEDED", "ok"),
        ("MODE", "ignored: the files win for the container"),
    ]);
    let report = compose_fixture(&shell, None);
    let api = &report.services[0];
    let mode = api.variables.iter().find(|v| v.name == "MODE").unwrap();
    assert_eq!(mode.winner.outcome.value(), Some("list"));
    let rendered = compose_summary(&report);
    keylint_test_support::Secrets::new([&shell_key]).assert_no_leak("summary", &rendered);
    // Nor the marker every OpenAI key of the fixture carries.
    assert!(!rendered.contains("T3BlbkFJ"));
    insta::assert_snapshot!(rendered);
}

#[test]
fn compose_single_service() {
    let report = compose_fixture(&Environment::new(), Some("worker"));
    assert_eq!(report.services.len(), 1);
    assert_eq!(report.services[0].name, "worker");
    assert_eq!(compose_services(COMPOSE), vec!["api", "worker"]);
}

/// python-dotenv's own test input: a quoted name sets the name without its quotes, which
/// keylint's reader spells with them. Inspect lists the loader's name with its value.
#[test]
fn names_a_loader_spells_differently_are_listed() {
    let report = inspect_env_file(".env", "'a'=b\n", &Environment::new());
    let names: Vec<&str> = report
        .variables
        .iter()
        .map(|variable| variable.name.as_str())
        .collect();
    assert_eq!(names, ["'a'", "a"]);
    let loaded = &report.variables[1];
    assert_eq!(loaded.lines, [1]);
    assert_eq!(
        loaded
            .view(Consumer::PythonDotenv)
            .and_then(ConsumerView::value),
        Some("b")
    );
}

/// A Secret's `data:` is what the container gets base64-decoded, the newline `echo` added
/// included; a Deployment's `env:` value as YAML reads it; each with its object.
#[test]
fn kubernetes_values_as_the_container_gets_them() {
    let key = "sk-proj-Qw3rTy7uIo9pAs1dFg4hJk6lZx8cVb0nM2QwErTyUiOpT3BlbkFJAsDfGhJkLzXcVbNm";
    let encoded = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{key}\n"))
    };
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ndata:\n  OPENAI_API_KEY: {encoded}\nstringData:\n  REGION: eu\n---\nkind: Deployment\nmetadata:\n  name: chat\nspec:\n  template:\n    spec:\n      containers:\n        - name: chat\n          env:\n            - name: LOG_LEVEL\n              value: \"info \"\n"
    );
    let report = inspect_yaml("k8s.yaml", &text, FileKind::OtherYaml);
    let rows: Vec<String> = report
        .variables
        .iter()
        .map(|variable| {
            format!(
                "{} {} {} [{} {}]",
                variable.source,
                variable.name,
                shown(variable.secret, &variable.outcome),
                variable.origin,
                variable.scope.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            format!(
                "k8s.yaml:6 OPENAI_API_KEY {} [Secret data (base64) Secret/openai]",
                mask_secret(&format!("{key}\n"))
            ),
            "k8s.yaml:8 REGION \"eu\" [Secret stringData Secret/openai]".to_string(),
            "k8s.yaml:19 LOG_LEVEL \"info \" [container env Deployment/chat]".to_string(),
        ]
    );
    assert_eq!(
        report.variables[0].outcome.value(),
        Some(format!("{key}\n").as_str())
    );
}

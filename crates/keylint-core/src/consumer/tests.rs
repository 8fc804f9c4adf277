//! Every case of the verified loader table (`resources/test/loader_cases.json`, described
//! in docs/loaders.md) must give, per consumer, the value the real
//! loader gave the program.

use super::{Consumer, Outcome, load_env_file};

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&hex[index..index + 2], 16).unwrap())
        .collect()
}

/// The value the program finally sees for `name`, given what the consumer read per line.
fn program_value(consumer: Consumer, text: &str, name: &str) -> Option<String> {
    let loaded = load_env_file(consumer, text);
    let refuses_file = consumer.refuses_whole_file()
        && loaded
            .iter()
            .any(|entry| matches!(entry.outcome, Outcome::Refused(_)));
    if refuses_file {
        return None;
    }
    let mut values = loaded
        .iter()
        .filter(|entry| entry.name == name)
        .filter_map(|entry| entry.outcome.value());
    let value = if consumer.first_wins() {
        values.next()
    } else {
        values.next_back()
    };
    value.map(str::to_string)
}

#[test]
fn consumers_match_the_real_loaders() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../resources/test/loader_cases.json")).unwrap();
    let mut failures = Vec::new();
    for case in cases["cases"].as_array().unwrap() {
        let text = String::from_utf8(decode_hex(case["hex"].as_str().unwrap())).unwrap();
        for consumer in Consumer::ENV_FILE {
            let expected = case["expected"][consumer.id()].as_str().map(str::to_string);
            let actual = program_value(consumer, &text, "OPENAI_API_KEY");
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

/// `A1=${A0}${A0}`, `A2=${A1}${A1}`, … doubles per line: 40 lines would be a terabyte.
/// Each model that expands stops at its budget and says so, instead of filling memory.
#[test]
fn copies_that_double_per_line_stop_at_the_budget() {
    let mut text = format!("A0={}\n", "x".repeat(1024));
    for line in 1..40 {
        let previous = line - 1;
        text.push_str(&format!("A{line}=${{A{previous}}}${{A{previous}}}\n"));
    }
    for consumer in [
        Consumer::PythonDotenv,
        Consumer::Dotenvy,
        Consumer::Godotenv,
        Consumer::ComposeEnvFile,
        Consumer::Shell,
    ] {
        let loaded = load_env_file(consumer, &text);
        let total: usize = loaded
            .iter()
            .filter_map(|entry| entry.outcome.value())
            .map(str::len)
            .sum();
        assert!(
            total <= 2 * super::MAX_EXPANDED_BYTES,
            "{consumer:?}: {total}"
        );
        let last = loaded.last().expect("entries");
        assert_eq!(
            last.outcome,
            Outcome::Absent(super::EXPANSION_STOPPED.to_string()),
            "{consumer:?}"
        );
        // Lines that fit keep their real value.
        let a3 = loaded.iter().find(|entry| entry.name == "A3").expect("A3");
        assert_eq!(
            a3.outcome.value().map(str::len),
            Some(8 * 1024),
            "{consumer:?}"
        );
    }
}

//! Prints, as JSON, the environment keylint says each env-file consumer gives the program
//! for each file named on the command line. Used by `scripts/conformance.sh`, which
//! compares it with what the real loaders give.
//!
//! Output: `{"FILE-ID": {"CONSUMER-ID": {"env": {NAME: VALUE}, "refused": REASON|null,
//! "inspect": {NAME: VALUE}}}}`, where the env is the winner of each name (the first value
//! for dotenvy, the last one otherwise), a consumer that refuses the whole file (docker,
//! Compose, godotenv) gets `{}`, and `inspect` is what `keylint inspect` reports for that
//! consumer (the variables it shows with a value, unmasked), which must say the same.

use std::path::Path;

use keylint_core::consumer::{Consumer, Outcome, load_env_file};
use keylint_core::inspect::{Environment, inspect_env_file};
use serde_json::{Map, Value, json};

fn main() {
    let mut results = Map::new();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let id = Path::new(&path)
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let Ok(text) = String::from_utf8(bytes) else {
            results.insert(id, json!({"error": "not UTF-8"}));
            continue;
        };
        let report = inspect_env_file(&path, &text, &Environment::new());
        let mut consumers = Map::new();
        for consumer in Consumer::ENV_FILE {
            let inspected: Map<String, Value> = report
                .variables
                .iter()
                .filter_map(|variable| {
                    let value = variable.view(consumer)?.value()?;
                    Some((variable.name.clone(), Value::String(value.to_string())))
                })
                .collect();
            let loaded = load_env_file(consumer, &text);
            let refused = consumer
                .refuses_whole_file()
                .then(|| {
                    loaded.iter().find_map(|entry| match &entry.outcome {
                        Outcome::Refused(reason) => Some(reason.clone()),
                        _ => None,
                    })
                })
                .flatten();
            let mut env = Map::new();
            if refused.is_none() {
                for entry in &loaded {
                    if let Outcome::Value(value) = &entry.outcome {
                        if consumer.first_wins() && env.contains_key(&entry.name) {
                            continue;
                        }
                        env.insert(entry.name.clone(), Value::String(value.clone()));
                    }
                }
            }
            consumers.insert(
                consumer.id().to_string(),
                json!({"env": env, "refused": refused, "inspect": inspected}),
            );
        }
        results.insert(id, Value::Object(consumers));
    }
    println!("{}", Value::Object(results));
}

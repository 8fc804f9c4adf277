//! The real `dotenvy` crate as an application uses it: `dotenvy::from_path(FILE)`, then
//! the variables it set. Prints JSON `{"env": {NAME: VALUE}, "error": MESSAGE|null}` for
//! the one file named on the command line; `scripts/conformance.sh` runs it once per
//! file in a clean environment (`from_path` never overrides, so files must not share a
//! process). keylint's dotenvy consumer is a port of the crate's parser; this is the one
//! place (with the property test) where the real crate runs.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: conformance_dotenvy FILE");
    let before: HashSet<_> = std::env::vars_os().map(|(name, _)| name).collect();
    let error = dotenvy::from_path(&path)
        .err()
        .map(|error| error.to_string());
    let mut env = Map::new();
    for (name, value) in std::env::vars_os() {
        if !before.contains(&name) {
            env.insert(
                name.to_string_lossy().into_owned(),
                Value::String(value.to_string_lossy().into_owned()),
            );
        }
    }
    println!("{}", json!({"env": env, "error": error}));
}

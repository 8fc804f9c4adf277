#!/usr/bin/env bash
# The full test suite: every crate's unit, snapshot, property and end-to-end tests.
# Needs only a Rust toolchain; no network beyond crates.io for the first build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"

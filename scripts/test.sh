#!/usr/bin/env bash
# The full test suite (README: "The two commands"):
#   1. every crate's unit, snapshot, property and end-to-end tests (cargo test), with Go
#      and TypeScript installed for the startup-validation snippets (required here);
#   2. live loader conformance against the real python-dotenv, node dotenv, dotenvy and bash;
#   3. the pre-commit hook through `pre-commit try-repo`;
#   4. the editors: Neovim 0.7.2 and 0.11 headless, VS Code in code-server + headless Chromium.
# Steps 2-4 install what they need (PyPI, npm, Debian packages) under target/ and caches.
# `scripts/test.sh --quick` runs only step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--quick" ]; then
    # Go and TypeScript for the startup-validation tests, which then fail, instead of
    # skipping a language, when a toolchain is missing.
    scripts/install-test-toolchains.sh
    export KEYLINT_REQUIRE_TOOLCHAINS=1
    export KEYLINT_TSC="$PWD/target/test-toolchains/node_modules/.bin/tsc"
fi
echo "== cargo test"
cargo test --workspace --locked
if [ "${1:-}" = "--quick" ]; then
    exit 0
fi
echo "== loader conformance (scripts/conformance.sh)"
scripts/conformance.sh
echo "== pre-commit hook (scripts/test-pre-commit.sh)"
scripts/test-pre-commit.sh
echo "== editors (scripts/test-editors.sh)"
scripts/test-editors.sh

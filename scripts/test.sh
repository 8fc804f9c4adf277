#!/usr/bin/env bash
# The full test suite (README: "The two commands"):
#   1. every crate's unit, snapshot, property and end-to-end tests (cargo test), with Go
#      and TypeScript installed for the startup-validation snippets (required here);
#   2. the crates package for crates.io, and rust-version holds (scripts/publish-crates.sh,
#      scripts/check-msrv.sh);
#   3. live loader conformance against the real python-dotenv, node dotenv, dotenvy,
#      godotenv, bash, the docker CLI and Docker Compose;
#   4. the release artifacts for this machine, built by scripts/dist.sh and installed from
#      those local files: archive (install.sh), wheel, VS Code packages, the GitHub Action's
#      steps and the pre-commit hook (scripts/test-dist.sh);
#   5. the editors: Neovim 0.7.2 and 0.11 headless, and the VS Code package with the server
#      inside in code-server + headless Chromium, with no keylint on PATH.
# Steps 2-5 install what they need (PyPI, npm, Debian packages) under target/ and caches.
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
echo "== crates.io packages (scripts/publish-crates.sh --dry-run)"
scripts/publish-crates.sh --dry-run
echo "== rust-version (scripts/check-msrv.sh)"
scripts/check-msrv.sh
echo "== loader conformance (scripts/conformance.sh)"
scripts/conformance.sh
echo "== release artifacts (scripts/test-dist.sh)"
t0=$(date +%s)
scripts/test-dist.sh
echo "== release artifacts: $(($(date +%s) - t0)) s"
echo "== editors (scripts/test-editors.sh)"
vsix=$(ls target/dist/keylint-vscode-*-*.vsix)
KEYLINT_VSCODE_VSIX="$PWD/$vsix" scripts/test-editors.sh

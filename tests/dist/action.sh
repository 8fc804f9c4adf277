#!/usr/bin/env bash
# The GitHub Action's steps (action.yml) as a runner runs them, against the archive
# scripts/dist.sh built (target/dist/ stands in for the release download) and with no cargo
# on PATH: the cache key, the install (then a cache hit), and the lint step's annotations,
# SARIF and exit-code output.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
target=$(host_target)
dist_artifact "keylint-*-$target.tar.gz" >/dev/null
version=$("$DIST_ROOT/scripts/release-version.sh")
PATH=$(path_without_rust_or_keylint)
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What the runner provides.
export HOME="$work/home" GITHUB_PATH="$work/github_path" GITHUB_OUTPUT="$work/github_output"
mkdir -p "$HOME"
: > "$GITHUB_PATH"
# The archive of this machine's build, from the local directory instead of the release.
export KEYLINT_DOWNLOAD_URL="$DIST" KEYLINT_TARGET="$target"
action="$DIST_ROOT/scripts"

echo "== cache key"
check "a download is keyed by the version ($version)" [ "$(bash "$action/action-install.sh" cache-key)" = "$version-release" ]
check "an input version wins" [ "$(KEYLINT_VERSION=v9.8.7 bash "$action/action-install.sh" cache-key)" = "9.8.7-release" ]
source_key=$(KEYLINT_FROM_SOURCE=true bash "$action/action-install.sh" cache-key)
check "a source build is keyed by its sources ($source_key)" grep -Eqx "$version-source-[0-9a-f]{16}" <<<"$source_key"

echo "== install"
bash "$action/action-install.sh" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
cat "$work/install.log"
check "keylint installed into ~/.keylint-action/bin" [ -x "$HOME/.keylint-action/bin/keylint" ]
check "… which is added to GITHUB_PATH" grep -qx "$HOME/.keylint-action/bin" "$GITHUB_PATH"
KEYLINT_DOWNLOAD_URL="$work/nowhere" bash "$action/action-install.sh" > "$work/cached.log" 2>&1
check "a second run uses the cached binary (no download)" grep -q 'cached' "$work/cached.log"

echo "== lint (PATH as the next steps see it)"
# Actions puts every line of GITHUB_PATH in front of PATH.
PATH="$(paste -sd: "$GITHUB_PATH"):$PATH"
check "keylint runs from GITHUB_PATH, without cargo" sh -c '[ "$(command -v keylint)" = "$HOME/.keylint-action/bin/keylint" ] && ! command -v cargo >/dev/null'
cd "$DIST_ROOT"
KEYLINT_PATHS=examples/broken-app KEYLINT_ARGS="--fail-on error" KEYLINT_SARIF=false bash "$action/action-lint.sh" > "$work/annotations.txt"
check "workflow-command annotations for the findings" grep -q '^::error file=examples/broken-app/.*title=KL101 quotes-kept::' "$work/annotations.txt"
check "exit-code output 1 on findings" grep -qx 'exit-code=1' "$GITHUB_OUTPUT"
: > "$GITHUB_OUTPUT"
(cd "$work" && KEYLINT_PATHS="$DIST_ROOT/examples/clean-app" KEYLINT_SARIF=true bash "$action/action-lint.sh")
check "sarif: true writes keylint.sarif" grep -q '"version": "2.1.0"' "$work/keylint.sarif"
check "exit-code output 0 on a clean project" grep -qx 'exit-code=0' "$GITHUB_OUTPUT"

summary action

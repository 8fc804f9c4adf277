#!/usr/bin/env bash
# The wheel scripts/dist.sh built, installed into a fresh venv with no package index (as pip,
# pipx or uv would from PyPI): `keylint` is on the venv's PATH and lints. Also checks that
# the wheel, the archive and the platform .vsix carry the same binary (one release build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
target=$(host_target)
wheel=$(dist_artifact 'keylint-*.whl')
archive=$(dist_artifact "keylint-*-$target.tar.gz")
vsix=$(dist_artifact 'keylint-vscode-*-*.vsix')
PATH=$(path_without_rust_or_keylint)
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== pip install --no-index $(basename "$wheel")"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$wheel"
check "keylint is installed as a script of the venv" "$work/venv/bin/keylint" --version
status=0
(cd "$DIST_ROOT" && "$work/venv/bin/keylint" lint examples/broken-app > "$work/lint.txt") || status=$?
check "the wheel's keylint finds the example's mistakes (exit 1)" [ "$status" -eq 1 ]
check "… and reports them" grep -q 'error\[KL101\]' "$work/lint.txt"

echo "== one build for all three"
mkdir "$work/archive" "$work/vsix"
tar -xzf "$archive" -C "$work/archive"
python3 -m zipfile -e "$vsix" "$work/vsix"
sums=$(sha256sum "$work/venv/bin/keylint" "$work/archive"/*/keylint "$work/vsix/extension/server/keylint" | cut -d ' ' -f 1 | sort -u | wc -l)
check "the wheel, the archive and the .vsix carry the same binary" [ "$sums" -eq 1 ]

summary wheel

#!/usr/bin/env bash
# Runs the hook definition in .pre-commit-hooks.yaml through `pre-commit try-repo` on
# fixture repositories: it must fail on a broken file and pass on a clean one.
# The hook installs the `keylint` wheel, as it does from PyPI for users, but here from the
# wheel scripts/dist.sh built (target/dist/) with no package index at all: nothing is
# compiled and cargo is not on PATH. Run scripts/dist.sh first.
# Needs python3 (venv); network for `pip install pre-commit` and the setuptools wheel
# (the root pyproject.toml's build backend) on the first run only.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
PRE_COMMIT_VERSION=4.7.0
SETUPTOOLS_VERSION=84.2.1
venv="$repo/target/pre-commit-venv"
if ! "$venv/bin/pre-commit" --version 2>/dev/null | grep -q "$PRE_COMMIT_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "pre-commit==$PRE_COMMIT_VERSION"
fi
wheels="$repo/target/pre-commit-wheels"
if [ ! -f "$wheels/setuptools-$SETUPTOOLS_VERSION-py3-none-any.whl" ]; then
    "$venv/bin/pip" download --quiet --only-binary=:all: --no-deps --dest "$wheels" "setuptools==$SETUPTOOLS_VERSION"
fi
. "$repo/tests/dist/lib.sh"
dist_artifact 'keylint-*.whl' >/dev/null

# A fresh pre-commit cache (the hook environment is built from the current wheel), out of
# $HOME; pip sees only the local wheels; no cargo on PATH.
export PRE_COMMIT_HOME="$repo/target/pre-commit-home"
rm -rf "$PRE_COMMIT_HOME"
export PIP_NO_INDEX=1
export PIP_FIND_LINKS="$repo/target/dist $wheels"
PATH=$(path_without_rust_or_keylint)
export PATH
unset CI

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fixture() {
    local dir="$work/$1"
    mkdir -p "$dir"
    git -C "$dir" init -q
    git -C "$dir" config user.email test@example.invalid
    git -C "$dir" config user.name test
    printf '%s' "$2" > "$dir/compose.yaml"
    printf 'LOG_LEVEL=info\n' > "$dir/.env.example"
    printf '# not linted\n' > "$dir/README.md"
    git -C "$dir" add -A
    echo "$dir"
}

broken=$(fixture broken $'services:\n  api:\n    image: app\n    environment:\n      - OPENAI_API_KEY="${OPENAI_API_KEY:-}"\n')
clean=$(fixture clean $'services:\n  api:\n    image: app\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY:-}\n')

echo "== broken repository: the hook must fail"
status=0
(cd "$broken" && "$venv/bin/pre-commit" try-repo "$repo" keylint --all-files --color never) > "$work/broken.log" 2>&1 || status=$?
cat "$work/broken.log"
if [ "$status" -eq 0 ] || ! grep -q 'KL101' "$work/broken.log"; then
    echo "FAIL: expected the hook to fail with KL101 (exit $status)"
    exit 1
fi

echo "== clean repository: the hook must pass"
status=0
(cd "$clean" && "$venv/bin/pre-commit" try-repo "$repo" keylint --all-files --color never) > "$work/clean.log" 2>&1 || status=$?
cat "$work/clean.log"
if [ "$status" -ne 0 ]; then
    echo "FAIL: expected the hook to pass on a clean repository (exit $status)"
    exit 1
fi
echo "pre-commit hook: ok"

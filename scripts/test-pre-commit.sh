#!/usr/bin/env bash
# Runs the hook definition in .pre-commit-hooks.yaml through `pre-commit try-repo` on
# fixture repositories: it must fail on a broken file and pass on a clean one.
# Needs python3 (venv) and network access for `pip install pre-commit` on the first run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/target/pre-commit-venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pre-commit
fi
# Keep pre-commit's cache out of $HOME, and build the hook's keylint in debug mode,
# reusing this checkout's dependency builds.
export PRE_COMMIT_HOME="$repo/target/pre-commit-home"
export CARGO_TARGET_DIR="$repo/target"
export KEYLINT_HOOK_DEBUG=1
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

#!/bin/sh
# The pre-commit hook entry (see .pre-commit-hooks.yaml): builds keylint from this
# checkout once, then lints the files pre-commit passes. Arguments go to `keylint lint`.
#   KEYLINT_HOOK_DEBUG=1   build a debug binary (faster to build; used by the tests)
set -eu
repo=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
root="$repo/target/pre-commit"
bin="$root/bin/keylint"
if [ ! -x "$bin" ]; then
    echo "keylint: building keylint from source (first run only)..." >&2
    if [ "${KEYLINT_HOOK_DEBUG:-}" = 1 ]; then
        cargo install --locked --quiet --debug --root "$root" --path "$repo/crates/keylint" >&2
    else
        cargo install --locked --quiet --root "$root" --path "$repo/crates/keylint" >&2
    fi
fi
exec "$bin" lint "$@"

# Shared by the tests of what scripts/dist.sh builds (tests/dist/*.sh, the pre-commit and
# VS Code tests): they install keylint the way a user without a Rust toolchain does.
# shellcheck shell=bash

DIST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIST="$DIST_ROOT/target/dist"

# PATH without the folders that hold cargo, rustc or a keylint: what is found after this
# was installed by the test itself.
path_without_rust_or_keylint() {
    local dir kept=()
    local IFS=:
    for dir in $PATH; do
        [ -n "$dir" ] || continue
        if [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || [ -e "$dir/keylint" ]; then
            continue
        fi
        kept+=("$dir")
    done
    echo "${kept[*]}"
}

# The one file in target/dist matching a glob, or a failure that says to run dist.sh.
dist_artifact() {
    local matches=()
    local file
    for file in "$DIST"/$1; do
        [ -e "$file" ] && matches+=("$file")
    done
    if [ "${#matches[@]}" -ne 1 ]; then
        echo "expected one $1 in target/dist, found ${#matches[@]}: run scripts/dist.sh" >&2
        return 2
    fi
    echo "${matches[0]}"
}

# The Rust target triple scripts/dist.sh builds for by default.
host_target() {
    rustc -vV | sed -n 's/^host: //p'
}

# check DESCRIPTION COMMAND...: runs the command, prints ok/FAIL and counts.
passed=0 failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        echo "ok   $what"; passed=$((passed + 1))
    else
        echo "FAIL $what"; failed=$((failed + 1))
    fi
}

# summary NAME: the closing line, and the exit status.
summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts keylint on the job's PATH without a
# Rust toolchain, by downloading the release archive for the runner through install.sh
# (SHA-256 checked), or, only when asked, by building this checkout with cargo.
#
#   scripts/action-install.sh cache-key   what the installed keylint depends on: the version
#                                         (a download), or the sources (a source build)
#   scripts/action-install.sh             install it into $KEYLINT_HOME/bin (unless cached there)
#
# Env: KEYLINT_VERSION (default: this checkout's version, so a pinned action gets its own
# release), KEYLINT_FROM_SOURCE=true (cargo install this checkout instead), KEYLINT_HOME
# (default ~/.keylint-action), GITHUB_PATH (set by Actions: the bin folder is added to it),
# and install.sh's KEYLINT_DOWNLOAD_URL / KEYLINT_TARGET.
set -euo pipefail
action=$(cd "$(dirname "$0")/.." && pwd)
version="${KEYLINT_VERSION:-$("$action/scripts/release-version.sh")}"
version="${version#v}"
if [ "${1:-}" = cache-key ]; then
    if [ "${KEYLINT_FROM_SOURCE:-false}" = true ]; then
        sources=$(cd "$action" && find Cargo.toml Cargo.lock crates -type f -print0 | LC_ALL=C sort -z | xargs -0 cat |
            { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16)
        echo "$version-source-$sources"
    else
        echo "$version-release"
    fi
    exit 0
fi
home="${KEYLINT_HOME:-$HOME/.keylint-action}"
bin="$home/bin"
case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN* | Windows_NT) exe=keylint.exe ;;
    *) exe=keylint ;;
esac

if [ -x "$bin/$exe" ]; then
    echo "keylint: cached in $bin"
elif [ "${KEYLINT_FROM_SOURCE:-false}" = true ]; then
    echo "keylint: building this checkout from source (cargo install)"
    cargo install --locked --root "$home" --path "$action/crates/keylint"
else
    KEYLINT_VERSION="$version" KEYLINT_INSTALL_DIR="$bin" sh "$action/install.sh"
fi
"$bin/$exe" --version
if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin" >> "$GITHUB_PATH"
fi

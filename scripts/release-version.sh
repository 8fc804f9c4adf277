#!/usr/bin/env bash
# Prints the release version: the workspace version in Cargo.toml, the one place it is set.
#   scripts/release-version.sh --check-tag TAG   fail unless TAG is v<version> (the release
#                                                workflow runs it on the pushed tag)
set -euo pipefail
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$(dirname "$0")/../Cargo.toml")
[ -n "$version" ] || { echo "no version in [workspace.package] of Cargo.toml" >&2; exit 2; }
if [ "${1:-}" = --check-tag ]; then
    if [ "${2:-}" != "v$version" ]; then
        echo "tag ${2:-(none)} does not match the version in Cargo.toml ($version): expected v$version" >&2
        exit 1
    fi
    echo "tag v$version matches Cargo.toml"
else
    echo "$version"
fi

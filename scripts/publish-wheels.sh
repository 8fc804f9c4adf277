#!/usr/bin/env bash
# Uploads the wheels in a folder (scripts/dist.sh's output, one per target) to PyPI with
# maturin (MATURIN_PYPI_TOKEN, or trusted publishing on GitHub). The release workflow runs it.
#
#   scripts/publish-wheels.sh [--dry-run] DIR
#   --dry-run   what CI runs: check each wheel's name, version and platform tag (PyPI refuses
#               a bare `linux_*` tag) without uploading
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dry_run=0
[ "${1:-}" = --dry-run ] && { dry_run=1; shift; }
dir="${1:?usage: scripts/publish-wheels.sh [--dry-run] DIR}"
version=$("$root/scripts/release-version.sh")
shopt -s nullglob
wheels=("$dir"/keylint-*.whl)
[ "${#wheels[@]}" -gt 0 ] || { echo "no keylint wheel in $dir" >&2; exit 2; }
for wheel in "${wheels[@]}"; do
    name=$(basename "$wheel")
    case "$name" in
        "keylint-$version-py3-none-"*) ;;
        *) echo "FAIL $name: not keylint $version for any Python 3"; exit 1 ;;
    esac
    case "$name" in
        *-linux_*) echo "FAIL $name: PyPI refuses the bare linux tag"; exit 1 ;;
    esac
    echo "ok   $name"
done
if [ "$dry_run" = 1 ]; then
    echo "dry run: would upload ${#wheels[@]} wheel(s) with maturin upload"
    exit 0
fi
"$root/scripts/maturin.sh" upload --skip-existing "${wheels[@]}"

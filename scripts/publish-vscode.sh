#!/usr/bin/env bash
# Publishes the VS Code packages in a folder (scripts/dist.sh's output: one per platform with
# the server inside, and the universal one) to the Visual Studio Marketplace (VSCE_PAT) and
# Open VSX (OVSX_PAT). The release workflow runs it.
#
#   scripts/publish-vscode.sh [--dry-run] DIR
#   --dry-run   what CI runs: check each package's version, publisher and platform against
#               editors/vscode/package.json without uploading
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
OVSX_VERSION=1.4.0
dry_run=0
[ "${1:-}" = --dry-run ] && { dry_run=1; shift; }
dir="${1:?usage: scripts/publish-vscode.sh [--dry-run] DIR}"
manifest="$root/editors/vscode/package.json"
version=$(node -p 'require(process.argv[1]).version' "$manifest")
publisher=$(node -p 'require(process.argv[1]).publisher' "$manifest")
shopt -s nullglob
packages=("$dir"/keylint-vscode-*.vsix)
[ "${#packages[@]}" -gt 0 ] || { echo "no keylint-vscode-*.vsix in $dir" >&2; exit 2; }
for package in "${packages[@]}"; do
    identity=$(unzip -p "$package" extension.vsixmanifest | grep -o '<Identity [^>]*>')
    platform=$(sed -n 's/.*TargetPlatform="\([^"]*\)".*/\1/p' <<<"$identity")
    expected="keylint-vscode-$version${platform:+-$platform}.vsix"
    if ! grep -q "Version=\"$version\"" <<<"$identity" || ! grep -q "Publisher=\"$publisher\"" <<<"$identity" ||
        [ "$(basename "$package")" != "$expected" ]; then
        echo "FAIL $(basename "$package"): $identity (expected $expected)"
        exit 1
    fi
    echo "ok   $(basename "$package") (${platform:-universal})"
done
if [ "$dry_run" = 1 ]; then
    echo "dry run: would publish ${#packages[@]} package(s) to the Marketplace and Open VSX"
    exit 0
fi
cd "$root/editors/vscode"
for package in "${packages[@]}"; do
    npx vsce publish --packagePath "$package"
    npx --yes "ovsx@$OVSX_VERSION" publish "$package"
done

#!/usr/bin/env bash
# Builds everything a release ships for one target into target/dist/ (the release workflow
# runs it once per target; CI runs it for the host and installs each artifact):
#   keylint-<version>-<target>.tar.gz (.zip on Windows) + .sha256   install.sh, cargo binstall, the action
#   keylint-<version>-<py tags>.whl                                 pip, pipx, uvx, the pre-commit hook
#   keylint-vscode-<version>-<vscode target>.vsix                   VS Code with the server inside
#   keylint-vscode-<version>.vsix                                   VS Code, finds keylint on PATH
# One release build serves all three: maturin compiles the binary into the wheel, and the
# archive and the .vsix take that same file (the test compares their checksums).
#
# Usage: scripts/dist.sh [--target TRIPLE] [--no-universal]
#   --target        a Rust target triple (default: the host's); its std must be installed
#   --no-universal  skip the universal .vsix (the release builds it in one job only)
# Needs cargo, python3 (venv; PYTHON names another interpreter) and node/npm; installs
# maturin (PyPI, scripts/maturin.sh) under target/ and the extension's npm packages (vsce
# among them) the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

target=""
universal=1
while [ $# -gt 0 ]; do
    case "$1" in
        --target) target="$2"; shift 2 ;;
        --no-universal) universal=0; shift ;;
        *) echo "usage: scripts/dist.sh [--target TRIPLE] [--no-universal]" >&2; exit 2 ;;
    esac
done
host=$(rustc -vV | sed -n 's/^host: //p')
target="${target:-$host}"
version=$(scripts/release-version.sh)
dist="$root/target/dist"
start=$(date +%s)

case "$target" in
    x86_64-unknown-linux-*) vscode_target=linux-x64 ;;
    aarch64-unknown-linux-*) vscode_target=linux-arm64 ;;
    x86_64-apple-darwin) vscode_target=darwin-x64 ;;
    aarch64-apple-darwin) vscode_target=darwin-arm64 ;;
    x86_64-pc-windows-msvc) vscode_target=win32-x64 ;;
    *) echo "dist: no VS Code platform for $target" >&2; exit 2 ;;
esac
case "$target" in
    *windows*) exe=keylint.exe archive_ext=zip ;;
    *) exe=keylint archive_ext=tar.gz ;;
esac

echo "== dist: keylint $version for $target into target/dist/"
rm -rf "$dist"
mkdir -p "$dist"

echo "== wheel (maturin, release build)"
compatibility=()
case "$target" in
    # A static musl binary runs on glibc and musl systems alike: tag it for both (maturin
    # allows two tags for bin bindings on a musl target, and checks both).
    *-linux-musl) compatibility=(--compatibility manylinux_2_17 musllinux_1_2) ;;
esac
# (`${a[@]+"${a[@]}"}`: an empty array under set -u in macOS's bash 3.2.)
# No explicit --target for the host: the build then lands in target/release like any
# other `cargo build --release`, and reuses it.
target_args=()
binary="$root/target/release/$exe"
if [ "$target" != "$host" ]; then
    target_args=(--target "$target")
    binary="$root/target/$target/release/$exe"
fi
(cd crates/keylint && "$root/scripts/maturin.sh" build --release --locked --quiet ${target_args[@]+"${target_args[@]}"} ${compatibility[@]+"${compatibility[@]}"} --out "$dist")

echo "== archive"
name="keylint-$version-$target"
stage="$root/target/dist-stage"
rm -rf "$stage"
mkdir -p "$stage/$name"
cp "$binary" LICENSE crates/keylint/README.md "$stage/$name/"
archive="$dist/$name.$archive_ext"
if [ "$archive_ext" = zip ]; then
    (cd "$stage" && "${PYTHON:-python3}" -m zipfile -c "$archive" "$name")
else
    # COPYFILE_DISABLE: no macOS metadata files (._*) in the archive.
    (cd "$stage" && COPYFILE_DISABLE=1 tar -czf "$archive" "$name")
fi
(cd "$dist" && "${PYTHON:-python3}" -c 'import hashlib, sys
name = sys.argv[1]
digest = hashlib.sha256(open(name, "rb").read()).hexdigest()
open(name + ".sha256", "w").write(f"{digest}  {name}\n")' "$(basename "$archive")")

echo "== VS Code extension ($vscode_target, the server inside)"
KEYLINT_BUNDLE_SERVER="$binary" KEYLINT_VSCODE_TARGET="$vscode_target" \
    KEYLINT_VSIX="$dist/keylint-vscode-$version-$vscode_target.vsix" sh editors/vscode/scripts/package.sh
if [ "$universal" = 1 ]; then
    echo "== VS Code extension (universal: keylint from PATH)"
    KEYLINT_VSIX="$dist/keylint-vscode-$version.vsix" sh editors/vscode/scripts/package.sh
fi

rm -rf "$stage"
echo "== dist: done in $(($(date +%s) - start)) s"
ls -l "$dist"

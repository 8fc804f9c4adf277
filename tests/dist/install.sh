#!/usr/bin/env bash
# install.sh against the archive scripts/dist.sh built (target/dist/), as a user without a
# Rust toolchain runs it: it picks the archive for the machine, installs a keylint that
# lints, and refuses a tampered archive or a missing checksum without installing anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
target=$(host_target)
archive=$(dist_artifact "keylint-*-$target.tar.gz")
PATH=$(path_without_rust_or_keylint)
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== the archive for each machine"
# install.sh with a fake `uname` (and `sysctl`, for Rosetta) standing in for a platform and
# an empty download directory: it names the archive it wants (or why it has none), then stops.
mkdir -p "$work/empty"
on_machine() { # on_machine UNAME_S UNAME_M [ROSETTA]
    local fake="$work/fake"
    rm -rf "$fake"
    mkdir -p "$fake"
    printf '#!/bin/sh\ncase "$1" in -s) echo %s ;; -m) echo %s ;; esac\n' "$1" "$2" > "$fake/uname"
    printf '#!/bin/sh\necho %s\n' "${3:-0}" > "$fake/sysctl"
    chmod +x "$fake/uname" "$fake/sysctl"
    PATH="$fake:$PATH" KEYLINT_DOWNLOAD_URL="$work/empty" KEYLINT_INSTALL_DIR="$work/unused" \
        sh "$DIST_ROOT/install.sh" 2>&1 || true
}
wants() { on_machine "$@" | sed -n 's/.*downloading \(keylint-[^ ]*\) from.*/\1/p'; }
version=$(basename "$archive" | sed "s/^keylint-\(.*\)-$target.tar.gz$/\1/")
while read -r uname_s uname_m expected; do
    check "$uname_s $uname_m -> keylint-$version-$expected" [ "$(wants "$uname_s" "$uname_m")" = "keylint-$version-$expected" ]
done <<'MACHINES'
Linux x86_64 x86_64-unknown-linux-musl.tar.gz
Linux aarch64 aarch64-unknown-linux-musl.tar.gz
Darwin x86_64 x86_64-apple-darwin.tar.gz
Darwin arm64 aarch64-apple-darwin.tar.gz
MINGW64_NT-10.0-20348 x86_64 x86_64-pc-windows-msvc.zip
MACHINES
check "Darwin x86_64 under Rosetta -> the arm64 build" \
    [ "$(wants Darwin x86_64 1)" = "keylint-$version-aarch64-apple-darwin.tar.gz" ]
on_machine Linux riscv64 > "$work/riscv.log"
check "no release build for riscv64: says so and points to cargo install" grep -q 'cargo install keylint' "$work/riscv.log"
check "… and installs nothing" [ ! -e "$work/unused" ]

echo "== install from target/dist (this machine: $target; release builds are musl, this one is the host's)"
bin="$work/bin"
KEYLINT_TARGET="$target" KEYLINT_DOWNLOAD_URL="$DIST" KEYLINT_INSTALL_DIR="$bin" sh "$DIST_ROOT/install.sh"
check "keylint installed into KEYLINT_INSTALL_DIR and runs" "$bin/keylint" --version
status=0
(cd "$DIST_ROOT" && "$bin/keylint" lint examples/broken-app > "$work/lint.txt") || status=$?
check "the installed keylint finds the example's mistakes (exit 1)" [ "$status" -eq 1 ]
check "… and reports them" grep -q 'error\[KL101\]' "$work/lint.txt"
check "no keylint or cargo on PATH outside the install" sh -c '! command -v cargo >/dev/null && ! command -v keylint >/dev/null'
HOME="$work/home" KEYLINT_TARGET="$target" KEYLINT_DOWNLOAD_URL="file://$DIST" sh "$DIST_ROOT/install.sh" 2>/dev/null
check "default install dir is ~/.local/bin; file:// URLs work" "$work/home/.local/bin/keylint" --version

echo "== a tampered archive is refused"
mirror="$work/mirror"
mkdir -p "$mirror"
cp "$archive" "$archive.sha256" "$mirror/"
printf 'tampered' >> "$mirror/$(basename "$archive")"
status=0
KEYLINT_TARGET="$target" KEYLINT_DOWNLOAD_URL="$mirror" KEYLINT_INSTALL_DIR="$work/tampered" sh "$DIST_ROOT/install.sh" 2> "$work/tampered.log" || status=$?
cat "$work/tampered.log"
check "install.sh fails on a checksum mismatch" [ "$status" -ne 0 ]
check "… says so" grep -q 'checksum mismatch' "$work/tampered.log"
check "… and installs nothing" [ ! -e "$work/tampered" ]
cp "$archive" "$mirror/"
rm "$mirror/$(basename "$archive").sha256"
status=0
KEYLINT_TARGET="$target" KEYLINT_DOWNLOAD_URL="$mirror" KEYLINT_INSTALL_DIR="$work/unchecked" sh "$DIST_ROOT/install.sh" 2>/dev/null || status=$?
check "an archive without its .sha256 is refused" [ "$status" -ne 0 ]
check "… and nothing installed" [ ! -e "$work/unchecked" ]

echo "== cargo binstall finds the same archive (crates/keylint/Cargo.toml, [package.metadata.binstall])"
read -r binstall_url binstall_bin < <(python3 - "$DIST_ROOT" "$version" "$target" <<'PY'
import sys, tomllib
root, version, target = sys.argv[1:]
workspace = tomllib.load(open(f"{root}/Cargo.toml", "rb"))["workspace"]["package"]
meta = tomllib.load(open(f"{root}/crates/keylint/Cargo.toml", "rb"))["package"]["metadata"]["binstall"]
values = {"repo": workspace["repository"], "version": version, "target": target,
          "archive-suffix": ".tar.gz", "bin": "keylint", "binary-ext": ""}
def render(template):
    for name, value in values.items():
        template = template.replace("{ " + name + " }", value)
    return template
print(render(meta["pkg-url"]), render(meta["bin-dir"]))
PY
)
check "binstall's URL names the archive dist.sh built ($binstall_url)" [ "$(basename "$binstall_url")" = "$(basename "$archive")" ]
check "… in the release of that version" grep -q "/releases/download/v$version/" <<<"$binstall_url"
check "… and its bin-dir is the binary inside ($binstall_bin)" grep -qx "$binstall_bin" <<<"$(tar -tzf "$archive")"

summary install.sh

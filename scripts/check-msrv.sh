#!/usr/bin/env bash
# The `rust-version` in Cargo.toml tells the truth:
#   1. no dependency needs a newer Rust (their own `rust-version`, from cargo metadata);
#   2. the workspace builds with exactly that toolchain, when rustup has it installed.
# Step 2 cannot download a toolchain: without it, it says so and how to get it, and passes.
# (Clippy's incompatible_msrv lint, run by .ci/run, catches standard-library APIs that are
# newer than rust-version.)
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n '/^\[workspace.package\]/,/^\[/s/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
echo "== rust-version = $msrv"

newest=$(cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
def key(version):
    return tuple(int(part) for part in version.split("."))
packages = [(p["rust_version"], p["name"]) for p in json.load(sys.stdin)["packages"] if p.get("rust_version")]
version, name = max(packages, key=lambda package: key(package[0]))
print(version, name)')
set -- $newest
if python3 -c 'import sys; a, b = (tuple(int(x) for x in v.split(".")) for v in sys.argv[1:]); sys.exit(a > b + (0,) * (len(a) - len(b)))' "$1" "$msrv"; then
    echo "ok   the dependency needing the newest Rust ($2) needs $1"
else
    echo "FAIL $2 needs Rust $1, newer than rust-version $msrv"
    exit 1
fi

toolchain=$(rustup toolchain list 2>/dev/null | sed -n "s/^\($msrv\(\.[0-9]*\)\?-[^ ]*\).*/\1/p" | head -n 1)
if [ -z "$toolchain" ]; then
    echo "skip building with Rust $msrv: that toolchain is not installed (rustup toolchain install $msrv, then rerun)"
    exit 0
fi
echo "== cargo +$toolchain check --workspace --all-targets"
CARGO_TARGET_DIR=target/msrv cargo "+$toolchain" check --workspace --all-targets --locked
echo "ok   builds with $toolchain"

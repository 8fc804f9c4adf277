#!/usr/bin/env bash
# Publishes the crates to crates.io, in dependency order (keylint-core, keylint-code,
# keylint-workspace, keylint-probe, keylint-lsp, keylint), so `cargo install keylint` and `cargo binstall keylint` work.
# The release workflow runs it with CARGO_REGISTRY_TOKEN set.
#
#   scripts/publish-crates.sh --dry-run   what CI runs: package every crate as cargo publish
#                                         would (no upload, no verification build), then check
#                                         inside the packages what crates.io shows and cargo
#                                         binstall reads
set -euo pipefail
cd "$(dirname "$0")/.."
crates=(keylint-core keylint-code keylint-workspace keylint-probe keylint-lsp keylint)
if [ "${1:-}" != --dry-run ]; then
    exec cargo publish --workspace --exclude keylint-e2e --locked
fi
echo "== cargo package ${crates[*]}"
args=()
for crate in "${crates[@]}"; do args+=(-p "$crate"); done
# What `cargo publish` uploads, written to target/package/ (--no-verify: without the
# verification build; --allow-dirty: uncommitted changes package too, CI's clone is clean).
log=target/publish-crates.log
mkdir -p target
status=0
cargo package "${args[@]}" --no-verify --locked --allow-dirty > "$log" 2>&1 || status=$?
grep -E '^ *(Packaging|Packaged|error)' "$log" || true
[ "$status" -eq 0 ] || { cat "$log"; echo "FAIL cargo package (exit $status)"; exit 1; }
version=$(scripts/release-version.sh)
failed=0
for crate in "${crates[@]}"; do
    file="target/package/$crate-$version.crate"
    manifest=$(tar -xzOf "$file" "$crate-$version/Cargo.toml")
    for field in description license repository rust-version; do
        if ! grep -q "^$field = " <<<"$manifest"; then
            echo "FAIL $crate: no $field"; failed=1
        fi
    done
done
keylint_manifest=$(tar -xzOf "target/package/keylint-$version.crate" "keylint-$version/Cargo.toml")
grep -q '^\[package.metadata.binstall\]' <<<"$keylint_manifest" || { echo "FAIL keylint: no [package.metadata.binstall]"; failed=1; }
files=$(tar -tzf "target/package/keylint-$version.crate")
grep -qx "keylint-$version/README.md" <<<"$files" || { echo "FAIL keylint: no README.md"; failed=1; }
[ "$failed" -eq 0 ] && echo "ok   ${#crates[@]} crates package with their metadata"
exit "$failed"

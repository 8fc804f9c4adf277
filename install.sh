#!/bin/sh
# Installs the keylint binary from a release archive, without a Rust toolchain:
#
#   curl -LsSf https://github.com/keylint/keylint/releases/latest/download/install.sh | sh
#
# It picks the archive for this machine (Linux x86_64/aarch64 (static musl builds), macOS
# x86_64/arm64, Windows x86_64 under Git Bash or MSYS2), checks it against the SHA-256 file
# published beside it, and installs `keylint` into ~/.local/bin. On a checksum mismatch it
# installs nothing.
#
# Environment:
#   KEYLINT_VERSION       the version to install (default: the release this script belongs to)
#   KEYLINT_INSTALL_DIR   where to put the binary (default: ~/.local/bin)
#   KEYLINT_DOWNLOAD_URL  where the archives are: a base URL (a mirror) or a local directory
#                         (default: the GitHub release of KEYLINT_VERSION)
#   KEYLINT_TARGET        the target triple to install, instead of the detected one
set -eu

# The release this script is published with (tests/tests/release_metadata.rs keeps it
# equal to the workspace version) and where releases live (the repository URL).
RELEASE_VERSION=0.1.0
REPOSITORY=https://github.com/keylint/keylint

say() { printf 'keylint install: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

# The Rust target triple of the release build for this machine.
detect_target() {
    os=$(uname -s)
    arch=$(uname -m)
    case "$arch" in
        x86_64 | amd64) arch=x86_64 ;;
        aarch64 | arm64) arch=aarch64 ;;
        *) fail "no release build for the $arch processor; build from source: cargo install keylint" ;;
    esac
    case "$os" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        Darwin)
            # An x86_64 shell under Rosetta on Apple silicon: the native build is better.
            if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
                arch=aarch64
            fi
            echo "$arch-apple-darwin"
            ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT)
            [ "$arch" = x86_64 ] || fail "no release build for Windows on $arch; build from source: cargo install keylint"
            echo "x86_64-pc-windows-msvc"
            ;;
        *) fail "no release build for $os; build from source: cargo install keylint" ;;
    esac
}

# fetch SOURCE DEST: SOURCE is a URL, a file:// URL or a local path.
fetch() {
    case "$1" in
        http://* | https://*)
            if command -v curl >/dev/null 2>&1; then
                curl --proto '=https,http' --tlsv1.2 -fsSL "$1" -o "$2"
            elif command -v wget >/dev/null 2>&1; then
                wget -q -O "$2" "$1"
            else
                fail "needs curl or wget to download $1"
            fi
            ;;
        file://*) cp "${1#file://}" "$2" ;;
        *) cp "$1" "$2" ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 "$1" | sed 's/.*= *//'
    else
        fail "needs sha256sum, shasum or openssl to check the download"
    fi
}

main() {
    version="${KEYLINT_VERSION:-$RELEASE_VERSION}"
    version="${version#v}"
    target="${KEYLINT_TARGET:-$(detect_target)}"
    base="${KEYLINT_DOWNLOAD_URL:-$REPOSITORY/releases/download/v$version}"
    base="${base%/}"
    install_dir="${KEYLINT_INSTALL_DIR:-$HOME/.local/bin}"
    case "$target" in
        *windows*) archive_ext=zip exe=keylint.exe ;;
        *) archive_ext=tar.gz exe=keylint ;;
    esac
    name="keylint-$version-$target"
    archive="$name.$archive_ext"

    tmp=$(mktemp -d 2>/dev/null || mktemp -d -t keylint)
    trap 'rm -rf "$tmp"' EXIT INT TERM

    say "downloading $archive from $base"
    fetch "$base/$archive" "$tmp/$archive" || fail "could not get $base/$archive"
    fetch "$base/$archive.sha256" "$tmp/$archive.sha256" || fail "could not get $base/$archive.sha256"

    expected=$(cut -d ' ' -f 1 < "$tmp/$archive.sha256" | tr 'A-F' 'a-f')
    actual=$(sha256_of "$tmp/$archive")
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
        fail "checksum mismatch for $archive (expected ${expected:-nothing}, got $actual): nothing installed"
    fi

    mkdir "$tmp/unpacked"
    case "$archive_ext" in
        zip) unzip -q "$tmp/$archive" -d "$tmp/unpacked" ;;
        *) tar -xzf "$tmp/$archive" -C "$tmp/unpacked" ;;
    esac
    binary="$tmp/unpacked/$name/$exe"
    [ -f "$binary" ] || fail "$archive has no $name/$exe"

    mkdir -p "$install_dir"
    # Copy next to the destination, then rename: a running keylint is never half-written.
    cp "$binary" "$install_dir/.$exe.partial"
    chmod 755 "$install_dir/.$exe.partial"
    mv -f "$install_dir/.$exe.partial" "$install_dir/$exe"
    say "installed $("$install_dir/$exe" --version) into $install_dir"
    case ":$PATH:" in
        *":$install_dir:"*) ;;
        *) say "$install_dir is not on your PATH: add it, e.g. export PATH=\"$install_dir:\$PATH\"" ;;
    esac
}

main "$@"

#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last line that runs on node 20) and the
# Debian chromium, offline apart from the package registries (npm, Debian): code-server's own
# postinstall would download ripgrep from GitHub, so it is given Debian's ripgrep instead.
# The install is cached in $KEYLINT_EDITORS_CACHE (default ~/.cache/keylint-editors) and
# linked as target/editors/code-server, so a fresh clone on the same machine reuses it.
# Prints the path of the code-server executable on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION=4.100.3
CACHE="${KEYLINT_EDITORS_CACHE:-$HOME/.cache/keylint-editors}"
D="$CACHE/code-server-$VERSION"
CS="$D/node_modules/.bin/code-server"

need_apt=()
for bin in chromium rg; do command -v "$bin" >/dev/null || need_apt+=("$bin"); done
if [ ! -x "$CS" ]; then
  for pkg in build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  pkgs=()
  for p in "${need_apt[@]}"; do [ "$p" = rg ] && pkgs+=(ripgrep) || pkgs+=("$p"); done
  echo "== apt-get install ${pkgs[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
fi

if [ ! -f "$D/.installed" ] || ! "$CS" --version >/dev/null 2>&1; then
  echo "== installing code-server $VERSION into $D" >&2
  rm -rf "$D"
  mkdir -p "$D"
  (
    cd "$D"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >&2
    # @vscode/ripgrep looks in this cache before trying to download from GitHub.
    RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
    mkdir -p "$RG_CACHE"
    tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
    (cd node_modules/code-server && npm_config_yes=true npm_config_unsafe_perm=true \
       npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh) >&2
    (cd node_modules/argon2 && npx --yes node-pre-gyp install --fallback-to-build) >&2
  )
  touch "$D/.installed"
fi
"$CS" --version >&2
mkdir -p "$ROOT/target/editors"
ln -sfn "$D" "$ROOT/target/editors/code-server"
echo "$CS"

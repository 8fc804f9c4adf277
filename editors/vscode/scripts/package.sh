#!/bin/sh
# Type-checks, bundles and packages the extension into target/editors/keylint.vsix.
#   KEYLINT_BUNDLE_SERVER=/path/to/keylint  ship that binary inside as server/keylint[.exe]
#   KEYLINT_VSCODE_TARGET=linux-x64         the platform of that binary (`vsce package --target`)
#   KEYLINT_VSIX=FILE                       where to write the .vsix
# Without a bundled server the package is universal: the extension finds keylint through
# keylint.path, KEYLINT_PATH or PATH. scripts/dist.sh builds both kinds for a release.
set -eu
cd "$(dirname "$0")/.."
OUT="${KEYLINT_VSIX:-../../target/editors/keylint.vsix}"
mkdir -p "$(dirname "$OUT")"
if [ ! -d node_modules/vscode-languageclient ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsc --noEmit -p .
npx esbuild src/extension.ts --bundle --outfile=out/extension.js --external:vscode --format=cjs \
  --platform=node --target=node20 --minify --sourcemap=external --log-level=warning
rm -rf server
target_args=""
if [ -n "${KEYLINT_BUNDLE_SERVER:-}" ]; then
  [ -n "${KEYLINT_VSCODE_TARGET:-}" ] || { echo "KEYLINT_BUNDLE_SERVER needs KEYLINT_VSCODE_TARGET" >&2; exit 2; }
  mkdir -p server
  case "$KEYLINT_VSCODE_TARGET" in
    win32-*) exe=keylint.exe ;;
    *) exe=keylint ;;
  esac
  cp "$KEYLINT_BUNDLE_SERVER" "server/$exe"
  chmod 755 "server/$exe"
  target_args="--target $KEYLINT_VSCODE_TARGET"
fi
# The Marketplace and Open VSX render README.md away from the repository: resolve its
# relative links and images against this folder in the repository package.json names.
repository=$(node -p 'const p = require("./package.json"); p.repository.url.replace(/\.git$/, "") + "/{kind}/HEAD/" + p.repository.directory')
# shellcheck disable=SC2086 # target_args is empty or two words
npx vsce package --no-dependencies $target_args \
  --baseContentUrl "$(echo "$repository" | sed 's/{kind}/blob/')" \
  --baseImagesUrl "$(echo "$repository" | sed 's/{kind}/raw/')" \
  -o "$OUT"
rm -rf server
ls -l "$OUT"

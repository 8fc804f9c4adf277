#!/bin/sh
# Type-checks, bundles and packages the extension into target/editors/keylint.vsix.
# With KEYLINT_BUNDLE_SERVER=/path/to/keylint the binary is shipped inside the .vsix as
# server/keylint (a per-platform package); without it the extension finds keylint through
# keylint.path, KEYLINT_PATH or PATH.
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
if [ -n "${KEYLINT_BUNDLE_SERVER:-}" ]; then
  mkdir -p server
  cp "$KEYLINT_BUNDLE_SERVER" server/keylint
  chmod 755 server/keylint
fi
# The marketplace page has no repository to resolve relative images against: drop them.
grep -v '^!\[' README.md > out/README.md
npx vsce package --readme-path out/README.md --no-dependencies --allow-missing-repository --skip-license -o "$OUT"
rm -rf server
ls -l "$OUT"

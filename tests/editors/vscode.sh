#!/usr/bin/env bash
# VS Code e2e: a platform .vsix with the server inside (the one scripts/dist.sh built, or
# editors/vscode packaged here around $KEYLINT_PATH), installed into code-server 4.100.3
# (cached, see install-code-server.sh) with no keylint on PATH and no keylint.path, so the
# extension must run the server it carries. Opens a copy of
# tests/editors/fixture in headless chromium through playwright-core and checks squiggles,
# Problems, quick fixes, hover (masked key + probe verdict from a loopback mock) and the
# probe command, go to definition from code to the .env line, references back, hover on a read
# in code and completion of names in .env and Compose. Screenshots
# and logs land in target/editors/. Exit non-zero on failure.
# Env: KEYLINT_VSCODE_VSIX (a platform .vsix; default: package one around KEYLINT_PATH, itself
# by default a cargo build of this checkout).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start=$(date +%s)

CS="$("$ROOT/tests/editors/install-code-server.sh" | tail -n 1)"
command -v chromium >/dev/null || { echo "chromium missing" >&2; exit 2; }
keylint_binary
leak_check_binary
echo "== server: $KEYLINT_PATH ($("$KEYLINT_PATH" --version))"

if [ -n "${KEYLINT_VSCODE_VSIX:-}" ]; then
  VSIX="$KEYLINT_VSCODE_VSIX"
else
  echo "== package the extension with $KEYLINT_PATH inside"
  case "$(uname -m)" in
    x86_64) vscode_target=linux-x64 ;;
    aarch64) vscode_target=linux-arm64 ;;
    *) echo "no VS Code platform for $(uname -m)" >&2; exit 2 ;;
  esac
  VSIX="$OUT/keylint.vsix"
  KEYLINT_BUNDLE_SERVER="$KEYLINT_PATH" KEYLINT_VSCODE_TARGET="$vscode_target" KEYLINT_VSIX="$VSIX" \
    sh "$ROOT/editors/vscode/scripts/package.sh" | tail -n 2
fi
echo "== extension: $VSIX"

echo "== playwright-core"
E2E="$ROOT/tests/editors/vscode"
if [ ! -d "$E2E/node_modules/playwright-core" ]; then
  (cd "$E2E" && { [ -f package-lock.json ] && npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >/dev/null
fi

trap 'stop_mock; [ -n "${CS_PID:-}" ] && kill "$CS_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
start_mock "$OUT/vscode-mock.log"
echo "== mock provider on $MOCK_HOST"

WS="$OUT/vscode-fixture"
make_fixture "$WS"
# A workspace that tries to widen the probe and to turn on verbose tracing (which would
# log document text, keys included): both must be ignored (user-level settings only).
mkdir -p "$WS/.vscode"
printf '{ "keylint.probe.allowedHosts": ["evil.invalid"], "keylint.trace.server": "verbose" }\n' > "$WS/.vscode/settings.json"

UD="$OUT/vscode-user-data"
EXT="$OUT/vscode-extensions"
rm -rf "$UD" "$EXT"
mkdir -p "$UD/User" "$EXT"
cat > "$UD/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "editor.fontSize": 15,
  "editor.hover.delay": 300,
  "editor.gotoLocation.multipleDefinitions": "goto",
  "window.commandCenter": false,
  "keylint.probe.timeoutMs": 3000,
  "keylint.probe.allowedHosts": ["$MOCK_HOST"]
}
JSON
"$CS" --user-data-dir "$UD" --extensions-dir "$EXT" --install-extension "$VSIX" 2>&1 | tail -n 2

# No keylint (nor cargo) on code-server's PATH: the extension has only the server it carries.
. "$ROOT/tests/dist/lib.sh"
CS_PATH="$(path_without_rust_or_keylint)"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
env -u KEYLINT_PATH PATH="$CS_PATH" "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$UD" --extensions-dir "$EXT" "$WS" >"$OUT/code-server.log" 2>&1 &
CS_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "== code-server on 127.0.0.1:$PORT"

status=0
KEYLINT_LEAK_CHECK="$KEYLINT_LEAK_CHECK" MOCK_HOST="$MOCK_HOST" MOCK_LOG="$OUT/vscode-mock.log" USER_SETTINGS="$UD/User/settings.json" timeout 480 node "$E2E/e2e.js" "http://127.0.0.1:$PORT" "$WS" "$OUT" 2>&1 | tee "$OUT/vscode-e2e.log" || true
grep -q '^PASS$' "$OUT/vscode-e2e.log" || status=1
# the extension host log holds the server's stderr: no log or result shows a fixture key
find "$UD/logs" -name '*.log' -path '*keylint*' -exec cp {} "$OUT/" \; 2>/dev/null || true
if grep -rqE 'keylint server: .*/server/keylint \(from bundled\)' "$UD/logs"; then
  echo "ok   the extension ran the server it carries (from bundled)"
else
  echo "FAIL the output channel does not show the bundled server"
  status=1
fi
if "$KEYLINT_LEAK_CHECK" --fixture "$ROOT/tests/editors/fixture" --min-secrets 2 \
    "$UD/logs" "$OUT/code-server.log" "$OUT"/vscode-*.log "$OUT/vscode-results.json"; then
  echo "ok   no log or result file shows a key"
else
  echo "FAIL a log or result file shows a key"
  status=1
fi
if grep -rqs "Sending notification 'textDocument/didOpen'" "$UD/logs"; then
  echo "FAIL the workspace's keylint.trace.server turned on message tracing"
  status=1
else
  echo "ok   a workspace cannot turn on message tracing"
fi
echo "== vscode e2e: $(( $(date +%s) - start ))s"
exit $status

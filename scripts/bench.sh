#!/usr/bin/env bash
# Benchmarks (not a test, not run in CI): keylint against dotenv-linter on the same trees,
# in the same run, with hyperfine. Writes target/bench/results.md (+ hyperfine JSON and
# markdown per case), plus the core alone on the 10,000-line file and the server's
# didChange → diagnostics latency; docs/benchmarks.md holds the latest published numbers.
#
#   scripts/bench.sh                 # trees of 100 / 2,000 / 20,000 files + a 10,000-line .env
#   BENCH_SIZES="100 2000" scripts/bench.sh
#
# Needs cargo, python3, hyperfine and GNU time (apt-get install -y hyperfine time), and
# network on the first run to install dotenv-linter into target/bench-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/target/bench
trees=${BENCH_DIR:-/tmp/keylint-bench}   # outside the repository: no .gitignore applies
sizes=${BENCH_SIZES:-100 2000 20000}
dotenv_linter_version=4.0.0
mkdir -p "$out" "$trees"

command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
if ! "$root/target/bench-tools/bin/dotenv-linter" --version 2>/dev/null | grep -q "$dotenv_linter_version"; then
  cargo install dotenv-linter --version "$dotenv_linter_version" --locked --root "$root/target/bench-tools"
fi
cargo build -q --release --locked -p keylint
cargo build -q --release --locked -p keylint-core --example bench_lint
cargo build -q --release --locked -p keylint-lsp --example bench_did_change
keylint=$root/target/release/keylint
dotenv_linter=$root/target/bench-tools/bin/dotenv-linter

# peak RSS in MB of one run of "$@"
peak_rss() {
  /usr/bin/time -v "$@" >/dev/null 2>"$out/time.txt" || true
  awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$out/time.txt"
}
# median in ms of hyperfine's JSON result number $2
median_ms() {
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$1" "$2"
}

{
  echo "| case | files | keylint median | dotenv-linter median | ratio keylint/dotenv-linter | keylint peak RSS | dotenv-linter peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$out/results.md"

run_case() { # name target
  local name=$1 target=$2 files
  files=$(find "$target" -type f | wc -l)
  hyperfine --warmup 2 --ignore-failure --style basic \
    --export-json "$out/$name.json" --export-markdown "$out/$name.md" \
    -n keylint "$keylint lint $target" \
    -n dotenv-linter "$dotenv_linter check --recursive --quiet --skip-updates --plain $target" >&2
  local k d
  k=$(median_ms "$out/$name.json" 0)
  d=$(median_ms "$out/$name.json" 1)
  printf '| %s | %s | %s ms | %s ms | %s | %s MB | %s MB |\n' "$name" "$files" "$k" "$d" \
    "$(python3 -c "print('%.2f' % ($k / $d))")" \
    "$(peak_rss "$keylint" lint "$target")" \
    "$(peak_rss "$dotenv_linter" check --recursive --quiet --skip-updates --plain "$target")" >> "$out/results.md"
}

for size in $sizes; do
  if [ ! -f "$trees/tree-$size/.complete" ]; then
    rm -rf "$trees/tree-$size"
    python3 scripts/bench/gen_tree.py "$trees/tree-$size" "$size"
    touch "$trees/tree-$size/.complete"
  fi
  run_case "tree-$size" "$trees/tree-$size"
done

mkdir -p "$trees/big"
[ -f "$trees/big/.env" ] || python3 scripts/bench/gen_tree.py --big "$trees/big/.env" 10000
run_case "one .env, 10,000 lines" "$trees/big/.env"

{
  echo
  echo "Core only, in process (\`bench_lint\`, median of 20), same 10,000-line file:"
  echo
  echo '```'
  "$root/target/release/examples/bench_lint" "$trees/big/.env" 20
  echo '```'
  echo
  echo "Server: \`didChange\` → \`publishDiagnostics\` over in-memory pipes (\`bench_did_change\`, typing and deleting one character, ${BENCH_ROUNDS:-200} edits per file):"
  echo
  echo '```'
  "$root/target/release/examples/bench_did_change"
  echo '```'
  echo
  echo "Versions: $("$keylint" --version 2>/dev/null || echo keylint), $("$dotenv_linter" --version), $(hyperfine --version)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)."
} >> "$out/results.md"
cat "$out/results.md"

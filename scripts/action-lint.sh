#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml): runs `keylint lint` with workflow-command
# annotations, or SARIF into keylint.sarif, and records keylint's exit code as the step
# output `exit-code` (the action fails on it later, unless `fail: false`).
# Env: KEYLINT_PATHS, KEYLINT_ARGS (split on blanks), KEYLINT_SARIF (true|false), GITHUB_OUTPUT.
set -uo pipefail
if [ "${KEYLINT_SARIF:-false}" = true ]; then
    format=(--format sarif --output keylint.sarif)
else
    format=(--format github)
fi
status=0
# Word splitting of the paths and args inputs is intended.
# shellcheck disable=SC2086
keylint lint "${format[@]}" ${KEYLINT_ARGS:-} ${KEYLINT_PATHS:-.} || status=$?
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
if [ "$status" -eq 2 ]; then
    echo "::error title=keylint::keylint could not run (usage or I/O error, see the log)"
fi

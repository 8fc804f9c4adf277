#!/usr/bin/env bash
# Real bash: for each FILE, the variables `set -a; . ./FILE; set +a` leaves exported,
# minus what an empty file leaves (PWD, SHLVL, _). Prints NUL-separated `env -0` output
# per file between markers, then bash's process id (what `$$` gave); compare.py parses it. Run in a scratch directory with
# `env -i PATH=/usr/bin:/bin`: sourcing really executes the file (the corpus has no
# `$(`, `;`, `|`, `&` or redirections; a backtick value runs a command that does not exist).
for file in "$@"; do
  printf '\0@@FILE %s\0' "$(basename "$file" .env)"
  bash --noprofile --norc -c 'set -a; . "$1"; set +a; env -0; printf "@@PID %s\0" "$$"' bash "$file" 2>/dev/null < /dev/null
done

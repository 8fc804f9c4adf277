#!/bin/sh
# Loads .env into the shell, then starts the app.
set -a
. ./.env
set +a
exec python -m app.main

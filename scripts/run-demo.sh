#!/usr/bin/env bash
# Installs everything, prepares the embedded database with demo contracts and starts Pactum.
#   scripts/run-demo.sh            (HOST and PORT override 127.0.0.1:8000)
# Embedded defaults: SQLite, blob folder and secret key under ./var — no server needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PACTUM_DATA_DIR="${PACTUM_DATA_DIR:-$PWD/var}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
.venv/bin/pactum db upgrade
.venv/bin/pactum demo
echo "Open http://${HOST}:${PORT}/ and log in with the account above."
exec .venv/bin/pactum serve --host "$HOST" --port "$PORT"

#!/usr/bin/env bash
# Installs what the tests need (idempotently), runs the quality gates (scripts/lint.sh), then
# the whole suite, listing the 15 slowest tests at the end.
#   scripts/test.sh [pytest arguments]
# PostgreSQL legs run when PACTUM_TEST_DATABASE_URL is set, or when PostgreSQL answers on
# 127.0.0.1:5432 (database "test"); see docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test
bash scripts/lint.sh
if [[ -z "${PACTUM_TEST_DATABASE_URL:-}" ]] && .venv/bin/python - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
PY
then
  export PACTUM_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi
if [[ -z "${PACTUM_TEST_REDIS_URL:-}" ]] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  export PACTUM_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
fi
exec .venv/bin/python -m pytest -n 2 --durations=15 "$@"

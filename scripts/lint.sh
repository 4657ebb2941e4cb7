#!/usr/bin/env bash
# Quality gates, run with the project's virtualenv (scripts/bootstrap.sh --test makes it):
#   ruff check, ruff format --check, mypy on the libraries, the app and the demo tool (strict, see
#   setup.cfg) and, when a .importlinter file exists, the import contracts (lint-imports).
# Stops at the first gate that fails and says which one. scripts/test.sh runs it before pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

log() { printf '\033[1m[lint]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[lint]\033[0m %s\n' "$*" >&2; exit 1; }

# gate NAME HINT COMMAND...: runs COMMAND; on failure stops with NAME and what to do.
gate() {
  local name=$1 hint=$2
  shift 2
  log "$name: $*"
  "$@" || fail "$name failed: $hint"
}

for tool in ruff mypy; do
  [[ -x $BIN/$tool ]] || fail "$BIN/$tool not found: run scripts/bootstrap.sh --test first"
done

gate "ruff check" "fix the problems above (many are fixed by '$BIN/ruff check --fix .')" \
  "$BIN/ruff" check .
gate "ruff format" "run '$BIN/ruff format .' and commit the result" \
  "$BIN/ruff" format --check .
gate "mypy" "fix the type errors above (everything is checked strictly; see setup.cfg)" \
  "$BIN/mypy" storage indexer signer repo_app demo
if [[ -f .importlinter ]]; then
  [[ -x $BIN/lint-imports ]] || fail "$BIN/lint-imports not found: run scripts/bootstrap.sh --test first"
  gate "import contracts" "an import breaks a contract in .importlinter (see above)" \
    "$BIN/lint-imports"
else
  log "import contracts: skipped (no .importlinter file)"
fi
log "all gates passed"

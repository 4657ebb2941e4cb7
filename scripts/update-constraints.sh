#!/usr/bin/env bash
# Rewrites constraints.txt: the exact version of every third-party Python package that Pactum,
# its extras and the test tools install. scripts/bootstrap.sh installs with `-c constraints.txt`.
#   scripts/update-constraints.sh             pin what .venv has installed now (for example after
#                                             `.venv/bin/pip install -U some-package`)
#   scripts/update-constraints.sh --upgrade   pin the newest versions that setup.cfg allows,
#                                             resolved in a throw-away virtualenv
# Then run scripts/test.sh (bootstrap reinstalls because constraints.txt changed) and commit
# constraints.txt with the change that needed it.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[constraints]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[constraints]\033[0m %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
  "")
    python=.venv/bin/python
    [[ -x $python ]] || die "no .venv: run scripts/bootstrap.sh --test first"
    ;;
  --upgrade)
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    log "resolving the newest allowed versions in a scratch virtualenv"
    python3 -m venv "$scratch/venv"
    python=$scratch/venv/bin/python
    "$python" -m pip install -q --upgrade pip
    "$python" -m pip install -q ".[all,test]"
    ;;
  *) die "unknown option '$1': use no option or --upgrade" ;;
esac

{
  echo "# Exact versions of every third-party package installed by \`pip install -e .[all,test]\`."
  echo "# scripts/bootstrap.sh installs with -c constraints.txt; regenerate this file with"
  echo "# scripts/update-constraints.sh (see docs/operations.md) rather than editing it by hand."
  "$python" -m pip freeze --exclude-editable | grep -viE '^pactum( |=|@)'
} > constraints.txt.new
mv constraints.txt.new constraints.txt
log "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"

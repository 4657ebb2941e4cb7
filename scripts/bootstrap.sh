#!/usr/bin/env bash
# Installs everything Pactum needs on a Debian machine, idempotently.
#   scripts/bootstrap.sh           app: system packages, virtualenv, front-end assets, translations
#   scripts/bootstrap.sh --test    the same plus what the test suite needs (chromium, NSS tools)
# Re-running is cheap: each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WITH_TEST=0
[[ "${1:-}" == "--test" ]] && WITH_TEST=1

log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
APT_PACKAGES=(python3-venv poppler-utils qpdf tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
              fonts-wqy-zenhei libreoffice-writer-nogui
              libgl1 libglib2.0-0)  # the last two: OpenCV (RapidOCR)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
if [[ $WITH_TEST -eq 1 ]]; then
  APT_PACKAGES+=(chromium libnss3-tools)
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
# python3-venv is only needed when the interpreter has no venv module of its own
if python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if (( ${#missing[@]} )); then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Python virtualenv -------------------------------------------------------
VENV="$ROOT/.venv"
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating virtualenv in .venv"
  python3 -m venv "$VENV"
fi
EXTRAS="all"
[[ $WITH_TEST -eq 1 ]] && EXTRAS="all,test"
# Third-party packages at the exact versions of constraints.txt (what CI tested). The stamp
# records what was installed: the package definition, the pins and the extras.
STAMP="$VENV/.pactum-install"
wanted="$(cat pyproject.toml setup.cfg setup.py constraints.txt | sha256sum | cut -c1-16) $EXTRAS"
if [[ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]]; then
  log "installing Python packages ($EXTRAS) at the versions in constraints.txt"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -c constraints.txt -e ".[${EXTRAS}]"
  echo "$wanted" > "$STAMP"
fi

# --- front-end assets (npm, served locally from ui/static/vendor) ----------
bash scripts/assets.sh

# --- translations -------------------------------------------------------------
"$VENV/bin/pybabel" compile -f -d repo_app/translations >/dev/null
log "ready"

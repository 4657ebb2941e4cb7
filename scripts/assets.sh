#!/usr/bin/env bash
# Installs the front-end packages pinned in ui/package-lock.json and copies the
# files the pages use into ui/static/vendor/ (gitignored, served by Flask; no CDN).
#
# Cheap on re-run:
#   - `npm ci` runs only when the lock's sha256 differs from the stamp kept in
#     ui/node_modules/ (or node_modules is missing);
#   - ui/static/vendor/ is rebuilt from scratch only when the lock or the list
#     below changed since it was last built, or when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

UI=ui
MODULES="$UI/node_modules"
VENDOR="$UI/static/vendor"
NPM_STAMP="$MODULES/.pactum-lock.sha256"
VENDOR_STAMP="$VENDOR/.pactum-vendor.sha256"

# What to copy: "source under node_modules" -> "destination under static/vendor".
# A source ending in / is a directory, copied whole.
VENDOR_FILES=(
  "bootstrap/dist/css/bootstrap.min.css                bootstrap/bootstrap.min.css"
  "bootstrap/dist/js/bootstrap.bundle.min.js           bootstrap/bootstrap.bundle.min.js"
  "bootstrap-icons/font/bootstrap-icons.min.css        bootstrap-icons/bootstrap-icons.min.css"
  "bootstrap-icons/font/fonts/                         bootstrap-icons/fonts/"
  "htmx.org/dist/htmx.min.js                           htmx/htmx.min.js"
  # pdf.js legacy build: same API, runs on older browsers (older Safari, Chinese vendor browsers)
  "pdfjs-dist/legacy/build/pdf.min.mjs                 pdfjs/pdf.min.mjs"
  "pdfjs-dist/legacy/build/pdf.worker.min.mjs          pdfjs/pdf.worker.min.mjs"
  "pdfjs-dist/cmaps/                                   pdfjs/cmaps/"
  "pdfjs-dist/standard_fonts/                          pdfjs/standard_fonts/"
  "pdfjs-dist/wasm/                                    pdfjs/wasm/"
  "pdfjs-dist/iccs/                                    pdfjs/iccs/"
  "swagger-ui-dist/swagger-ui.css                      swagger-ui/swagger-ui.css"
  "swagger-ui-dist/swagger-ui-bundle.js                swagger-ui/swagger-ui-bundle.js"
  "chart.js/dist/chart.umd.min.js                      chartjs/chart.umd.min.js"
  # licence files served beside the code they cover (NOTICE lists them all)
  "bootstrap/LICENSE                                    bootstrap/LICENSE"
  "@popperjs/core/LICENSE.md                            bootstrap/LICENSE-popper.md"
  "bootstrap-icons/LICENSE                              bootstrap-icons/LICENSE"
  "htmx.org/LICENSE                                     htmx/LICENSE"
  "pdfjs-dist/LICENSE                                   pdfjs/LICENSE"
  "swagger-ui-dist/LICENSE                              swagger-ui/LICENSE"
  "chart.js/LICENSE.md                                  chartjs/LICENSE.md"
  "swagger-ui-dist/NOTICE                               swagger-ui/NOTICE"
  "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt    swagger-ui/swagger-ui-bundle.js.LICENSE.txt"
)

log() { printf '\033[1m[assets]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[assets]\033[0m %s\n' "$*" >&2; exit 1; }

lock_hash=$(sha256sum "$UI/package-lock.json" | cut -d' ' -f1)
vendor_hash=$( { echo "$lock_hash"; printf '%s\n' "${VENDOR_FILES[@]}"; } | sha256sum | cut -d' ' -f1)

if [[ "$(cat "$NPM_STAMP" 2>/dev/null)" != "$lock_hash" ]]; then
  command -v npm >/dev/null 2>&1 \
    || die "npm not found: install Node.js 20.19+ and npm (Debian: apt-get install nodejs npm), then re-run"
  log "installing npm packages from ui/package-lock.json"
  # ui/.npmrc adds ignore-scripts and omit=optional
  (cd "$UI" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$NPM_STAMP"
fi

if [[ "$(cat "$VENDOR_STAMP" 2>/dev/null)" != "$vendor_hash" ]]; then
  log "copying vendor files into $VENDOR"
  rm -rf "$VENDOR"
  for entry in "${VENDOR_FILES[@]}"; do
    read -r src dest <<<"$entry"
    [[ -e "$MODULES/$src" ]] || die "missing $MODULES/$src: was a package updated? fix VENDOR_FILES in $0"
    mkdir -p "$(dirname "$VENDOR/$dest")"
    cp -R "$MODULES/$src" "$VENDOR/$dest"
  done
  echo "$vendor_hash" > "$VENDOR_STAMP"
fi

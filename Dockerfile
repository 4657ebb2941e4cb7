# syntax=docker/dockerfile:1
# Pactum container image.
#   docker build -t pactum .
#   docker run -p 8000:8000 -v pactum-data:/data pactum      # SQLite + local blobs in /data
# The scaled set (PostgreSQL, Redis, MinIO) is in docker-compose.yml.
#
# Stages:
#   assets  front-end packages from ui/package-lock.json -> ui/static/vendor (scripts/assets.sh)
#   build   virtualenv in /opt/venv with `pip install .[all]` (versions of constraints.txt) and compiled translations
#   runtime Debian runtime packages + the virtualenv + ui/ templates and static files

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- 1. front-end assets ---------------------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
# Only what scripts/assets.sh reads, so this layer is rebuilt only when the lock changes.
COPY ui/package.json ui/package-lock.json ui/.npmrc ui/
COPY scripts/assets.sh scripts/
RUN bash scripts/assets.sh

# --- 2. Python packages -------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY . .
# Not editable: the package lands in site-packages and the source tree stays in this stage.
# constraints.txt: the exact versions CI tested (see docs/operations.md).
RUN pip install --upgrade pip \
 && pip install -c constraints.txt ".[all]"
# Message catalogs are installed as package data (repo_app/translations/*/LC_MESSAGES/*) and
# compiled where the app reads them (repo_app.PACKAGE_DIR / "translations"; `python -P` so that
# the installed package is found, not the source tree in the working directory). The only case
# skipped is "no catalogs yet"; once a .po file exists, any pybabel error fails the build.
RUN if find repo_app/translations -name '*.po' -path '*/LC_MESSAGES/*' 2>/dev/null | grep -q .; then \
      pkg_dir=$(python -P -c 'import pathlib, repo_app; print(pathlib.Path(repo_app.__file__).parent)') \
      && pybabel -q compile -f -d "$pkg_dir/translations"; \
    else \
      echo "no message catalogs in repo_app/translations yet: skipping pybabel compile"; \
    fi

# --- 3. runtime ---------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# Text extraction (poppler-utils), PDF repair/linearising (qpdf), OCR for scans in Chinese and
# English (tesseract), a TrueType CJK font for generated PDFs (fonts-wqy-zenhei), and LibreOffice
# without its GUI (libreoffice-writer-nogui) for the PDF previews of Word, ODT, RTF and DOC
# versions, which the worker makes (PACTUM_PREVIEW_CONVERTER).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      poppler-utils qpdf tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng fonts-wqy-zenhei \
      libreoffice-writer-nogui \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 pactum \
 && useradd --system --uid 10001 --gid pactum --create-home --home-dir /home/pactum \
      --shell /usr/sbin/nologin pactum \
 && mkdir -p /data \
 && chown pactum:pactum /data

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PACTUM_DATA_DIR=/data

COPY --from=build /opt/venv /opt/venv

# The app finds its templates and static files at repo_app.UI_DIR, i.e. <site-packages>/ui
# (the folder next to the installed repo_app package), so ui/ is placed there.
ARG UI_DIR=/opt/venv/lib/python3.11/site-packages/ui
COPY ui/templates ${UI_DIR}/templates
COPY ui/static ${UI_DIR}/static
COPY --from=assets /src/ui/static/vendor ${UI_DIR}/static/vendor
# Fail the build, not the first request, if that layout assumption ever stops holding.
RUN python -P -c "import repo_app, sys; ui = repo_app.UI_DIR; \
missing = [p for p in ('templates/base.html', 'static/vendor/bootstrap/bootstrap.min.css') if not (ui / p).is_file()]; \
sys.exit(f'UI files missing under {ui}: {missing}' if missing else 0)"

COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/pactum-entrypoint

USER pactum
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000

# /healthz is a liveness probe (no database or storage round trip); slim has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["pactum-entrypoint"]
CMD ["pactum", "serve", "--host", "0.0.0.0", "--port", "8000"]

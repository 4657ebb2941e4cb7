#!/bin/sh
# Container entrypoint: bring the database schema up to date, then run the command
# (default: `pactum serve --host 0.0.0.0 --port 8000`, see the Dockerfile's CMD).
#
#   DB_UPGRADE_ON_START=0   skip `pactum db upgrade` (e.g. for a one-off shell, or when
#                           another container already migrates the same database)
set -eu

if [ "${DB_UPGRADE_ON_START:-1}" != "0" ]; then
  pactum db upgrade
fi

exec "$@"

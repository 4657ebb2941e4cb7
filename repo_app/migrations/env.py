"""Alembic environment: runs on the connection handed over by repo_app.migrations_runner."""

from __future__ import annotations

from alembic import context

import repo_app.models  # noqa: F401  (registers every table on the metadata)
from repo_app.core.extensions import db

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `pactum db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

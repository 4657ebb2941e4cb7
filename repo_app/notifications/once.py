"""Insert a row unless its unique key exists already — the primitive behind "exactly once".

``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL, and SQLite ≥ 3.35 for RETURNING): no exception, no savepoint. When
two workers insert the same key at once, PostgreSQL makes the second wait for the first and
then do nothing; SQLite serialises writers. The caller learns whether its insert won.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from ..core.extensions import db


def insert_once(model: Any, **values: Any) -> bool:
    """Insert ``model(**values)`` in the current transaction; False if the key was taken."""
    dialect = db.session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table = model.__table__
    key = list(table.primary_key.columns)[0]
    # RETURNING rather than rowcount: drivers disagree on rowcount for DO NOTHING.
    statement = module.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return db.session.execute(statement).first() is not None

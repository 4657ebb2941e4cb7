"""Import ``sqlite_database_url`` (it is the fixture ``database_url``) into a test module
whose behaviour does not depend on the database engine (pages, e-mail and webhook transport,
routing arithmetic): it then runs on SQLite only, keeping the PostgreSQL leg for what can
differ there (locking, races, JSON)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(name="database_url", params=["sqlite"])
def sqlite_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    target = tmp_path / "pactum.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"

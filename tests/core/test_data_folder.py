"""The data folder, the SQLite database, the search index and the blobs are readable by the
service account only, even when the process runs with a permissive umask."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from repo_app import create_app
from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.samples import pdf_bytes


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def app_config(app_config: dict[str, Any], permissive_umask: None) -> dict[str, Any]:
    """The shared test settings, built after the umask is opened wide."""
    return app_config


def test_a_fresh_data_folder_and_its_sqlite_database_are_private(tmp_path: Path, permissive_umask: None) -> None:
    data_dir = tmp_path / "fresh"
    fresh = create_app({"data_dir": data_dir, "check_schema": False, "testing": True})
    with fresh.app_context():
        db.session.execute(text("CREATE TABLE probe (x INTEGER)"))
        db.session.commit()
        database = data_dir / "pactum.sqlite3"
        written = [database, *[database.with_name(database.name + s) for s in ("-wal", "-shm")]]
        assert {path.name: oct(mode_of(path)) for path in written if path.exists()} == {
            path.name: "0o600" for path in written if path.exists()
        }
        assert database.with_name(database.name + "-wal").exists()
        db.session.remove()
        db.engine.dispose()
    assert mode_of(data_dir) == 0o700
    assert mode_of(data_dir / "secret_key") == 0o600
    assert mode_of(data_dir / "blobs") == 0o700


def test_an_existing_world_readable_installation_is_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    data_dir.mkdir(mode=0o755)
    database = data_dir / "pactum.sqlite3"
    database.touch(mode=0o644)
    os.chmod(data_dir, 0o755)
    os.chmod(database, 0o644)
    create_app({"data_dir": data_dir, "check_schema": False, "testing": True, "secret_key": "x"})
    assert mode_of(data_dir) == 0o700
    assert mode_of(database) == 0o600


def test_uploaded_blobs_and_the_search_index_are_private(
    app: Flask, client: FlaskClient, admin_token: str, tmp_path: Path
) -> None:
    created = client.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(pdf_bytes("private bytes")), "p.pdf")},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201
    blob = tmp_path / "blobs" / created.json["versions"][0]["sha256"]
    blobs = [path for path in (tmp_path / "blobs").rglob("*") if path.is_file()]
    assert blobs and {oct(mode_of(path)) for path in blobs} == {"0o400"}, blob
    folders = [path for path in (tmp_path / "blobs").rglob("*") if path.is_dir()]
    assert {oct(mode_of(path)) for path in folders} == {"0o700"}
    index = tmp_path / "var" / "index" / "tantivy"
    assert index.is_dir()
    assert {oct(mode_of(path)) for path in [index, *index.iterdir()] if path.is_dir()} == {"0o700"}
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if database_url.startswith("sqlite"):
        assert mode_of(Path(database_url.removeprefix("sqlite:///"))) == 0o600

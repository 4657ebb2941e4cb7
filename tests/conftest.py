"""Fixtures that build real things: a migrated database (SQLite always, PostgreSQL when
PACTUM_TEST_DATABASE_URL is set), a local blob folder, users of every role, logged-in clients."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from repo_app import create_app
from repo_app.auth.models import User
from repo_app.auth.roles import Role
from repo_app.core.extensions import db
from tests.paths import corpus_problem, on_ci

pytest_plugins = ["tests.fixtures.s3", "tests.fixtures.schemathesis_summary"]

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("PACTUM_TEST_DATABASE_URL", "")
DB_BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
#: Tables whose rows come from migrations and survive between tests.
SEEDED_TABLES = {"alembic_version", "contract_types", "audit_head"}


def pytest_configure(config: pytest.Config) -> None:
    """On CI the shared corpus must be there: stop before any test rather than skip the corpus tests."""
    problem = corpus_problem()
    if problem is not None and on_ci():
        raise pytest.UsageError(f"{problem}; CI must provide the shared corpus")


@pytest.fixture(autouse=True)
def cheap_passwords(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at the lowest cost: the production cost (about 0.1 s per hash and per log-in) is
    what ``@pytest.mark.production_password_cost`` tests measure, not what the others test."""
    if request.node.get_closest_marker("production_password_cost"):
        return
    from argon2 import PasswordHasher, profiles

    from repo_app.auth import services

    monkeypatch.setattr(services, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _migrate(database_url: str, data_dir: Path) -> None:
    from repo_app.migrations_runner import upgrade

    app = create_app({"data_dir": data_dir, "database_url": database_url, "check_schema": False, "secret_key": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test instead of migrating each time."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def postgres_schema_url(worker_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A schema of its own per xdist worker and test run (two checkouts may test at once) in the
    PostgreSQL test database, migrated once and dropped at the end."""
    schema = f"pactum_test_{worker_id}_{os.getpid()}"
    _run_on_postgres(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    _migrate(url, tmp_path_factory.mktemp("pg"))
    yield url
    _run_on_postgres(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _run_on_postgres(*statements: str) -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tables = [table.name for table in db.metadata.sorted_tables if table.name not in SEEDED_TABLES]
        connection.execute(
            sa.text("TRUNCATE " + ", ".join(f'"{name}"' for name in tables) + " RESTART IDENTITY CASCADE")
        )
        connection.execute(sa.text("UPDATE audit_head SET seq = 0, hash = :genesis"), {"genesis": "0" * 64})
    engine.dispose()


@pytest.fixture(params=DB_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "pactum.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_schema_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """Settings for the test app; tests may change them before ``app`` is built."""
    return {
        "data_dir": tmp_path / "var",
        "database_url": database_url,
        "storage_url": f"file://{tmp_path / 'blobs'}",
        "secret_key": "test-secret",
        "testing": True,
        "queue_immediate": True,
        "default_language": "en",
        # LibreOffice takes seconds per Word file: the tests of the preview renditions turn it on.
        "preview_converter": "off",
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """``app`` served over HTTP on 127.0.0.1 by a werkzeug server in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from repo_app.auth.services import create_user

    made: list[str] = []

    def make(
        role: str = "editor", email: str | None = None, password: str = PASSWORD, department: str | None = None
    ) -> User:
        """The first user of a role is ``<role>@example.com``, later ones ``<role>2@…`` and so on."""
        if email is None:
            count = sum(1 for previous in made if previous == role)
            email = f"{role}{count + 1 if count else ''}@example.com"
        made.append(role)
        with app.app_context():
            user = create_user(email, password, role, display_name=f"{role.title()} User")
            if department is not None:
                user.department_id = ensure_department(department).id
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def ensure_department(name: str, parent: str | None = None) -> Any:
    """The department called ``name`` (created under ``parent`` when missing); needs an app context."""
    from repo_app.contracts.models import Department

    department = db.session.scalar(sa.select(Department).where(Department.name == name))
    if department is None:
        department = Department(name=name, parent=ensure_department(parent) if parent else None)
        db.session.add(department)
        db.session.flush()
    return department


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """A fresh client logged in as a new user of ``role``."""

    def logged_in(role: str, **kwargs: Any) -> FlaskClient:
        user = make_user(role, **kwargs)
        browser = app.test_client()
        response = log_in(browser, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return logged_in


@pytest.fixture
def token_for(app: Flask, make_user: Callable[..., User]) -> Callable[..., str]:
    """An API token for a new user of ``role``."""
    from repo_app.auth.services import create_token

    def make(role: str, **kwargs: Any) -> str:
        user = make_user(role, **kwargs)
        with app.app_context():
            _row, secret = create_token(db.session.merge(user), "tests")
            db.session.commit()
        return secret

    return make


@pytest.fixture
def admin_token(token_for: Callable[[str], str]) -> str:
    return token_for(Role.ADMIN.value)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stored_blobs(app: Flask) -> set[str]:
    """Names of the blobs in the app's local blob folder (its temporary folder left out)."""
    root = Path(app.extensions["pactum.settings"].resolved_storage_url.removeprefix("file://"))
    return {path.name for path in root.rglob("*") if path.is_file() and path.relative_to(root).parts[0] != "tmp"}

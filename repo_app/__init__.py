"""Pactum web application."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask.json.provider import DefaultJSONProvider

from .core.bodies import IdConverter
from .core.data_folder import prepare_data_folder
from .core.settings import SUPPORTED_LANGUAGES, Settings, ensure_secret_key, load_settings

PACKAGE_DIR = Path(__file__).resolve().parent
UI_DIR = PACKAGE_DIR.parent / "ui"


#: The features, lowest layer first: each package's ``setup.init_app(app)`` registers its
#: blueprints, API routes, jobs, periodic steps, task providers, page parts and signal
#: receivers. The API comes last: it serves the routes the others added.
FEATURES = (
    "auth",
    "contracts",
    "notifications",
    "lifecycle",
    "signing",
    "workflows",
    "drafting",
    "search",
    "money",
    "review",
    "tasks_inbox",
    "reports",
    "audit",
    "admin",
    "health",
    "help",
    "api",
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. ``config`` overrides settings (field names of :class:`Settings`)."""
    settings = load_settings(config)
    prepare_data_folder(settings.data_dir, settings.resolved_database_url)
    app = Flask(__name__, template_folder=str(UI_DIR / "templates"), static_folder=str(UI_DIR / "static"))
    _configure_flask(app, settings)
    _init_core(app, settings)
    for feature in FEATURES:
        import_module(f"{__name__}.{feature}.setup").init_app(app)
    if settings.check_schema:
        from .migrations_runner import require_current_schema

        with app.app_context():
            require_current_schema()
    return app


def _configure_flask(app: Flask, settings: Settings) -> None:
    app.extensions["pactum.settings"] = settings
    app.url_map.converters["int"] = IdConverter
    app.config.update(
        SECRET_KEY=ensure_secret_key(settings),
        TESTING=settings.testing,
        SQLALCHEMY_DATABASE_URI=settings.resolved_database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.resolved_database_url),
        # The multipart envelope adds a little to the file itself.
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in auth.setup, where API tokens are exempted
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=settings.default_language,
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
    )
    app.json = _JSONProvider(app)


class _JSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # Chinese stays readable
    sort_keys = False


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # SQLite: wait for a writer instead of failing at once with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def select_locale() -> str:
    from .core.extensions import settings

    if not has_request_context():
        return _terminal_language() or settings().default_language
    chosen = session.get("language")
    if chosen in SUPPORTED_LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    if best is None:
        return settings().default_language
    return "zh_CN" if best.startswith("zh") else "en"


def _terminal_language() -> str | None:
    """Commands speak the language of the terminal's locale (LANG=zh_CN.UTF-8 → Chinese)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return None


def _init_core(app: Flask, settings: Settings) -> None:
    from .core import deadline, security_headers, timefmt, uow
    from .core.errors import register_error_handlers
    from .core.extensions import babel, csrf, db, init_search, init_storage
    from .core.jobs import periodic, recovery
    from .core.jobs.queue import init_queue

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_storage(app, settings)
    init_search(app, settings)
    init_queue(app, settings)
    periodic.init_app(app)
    recovery.init_app(app)
    uow.init_app(app)
    security_headers.init_app(app)
    timefmt.init_app(app)
    deadline.init_app(app)
    register_error_handlers(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_pragmas(app)

    @app.context_processor
    def inject_locale() -> dict[str, Any]:
        return {"current_locale": select_locale()}


def _enable_sqlite_pragmas(app: Flask) -> None:
    from sqlalchemy import event

    from .core.extensions import db

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

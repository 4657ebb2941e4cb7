"""Flask extensions, created unbound and attached in :func:`repo_app.create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, MetaData, Update
from sqlalchemy.orm import DeclarativeBase

from storage import BlobStore, open_blob_store

from .settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # db.Model is made at run time from Base's body (plus Flask-SQLAlchemy's table-name and
    # bind-key mixins), so mypy reads the models' columns through SQLAlchemy's own types.
    Model = Base
else:
    #: The base class of every model.
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rows_updated(statement: Update) -> int:
    """Run an UPDATE in the session; how many rows it changed (a conditional UPDATE that
    changed none lost its claim to another worker)."""
    result = cast(CursorResult[Any], db.session.execute(statement))  # what an UPDATE returns
    return result.rowcount


def init_storage(app: Flask, settings: Settings) -> None:
    app.extensions["pactum.storage"] = open_blob_store(settings.resolved_storage_url, settings.storage_options)


def init_search(app: Flask, settings: Settings) -> None:
    from indexer.search import open_search_backend

    app.extensions["pactum.search"] = open_search_backend(
        settings.search_url, data_dir=settings.data_dir, options=settings.search_options
    )


def blob_store() -> BlobStore:
    store: BlobStore = current_app.extensions["pactum.storage"]
    return store


def settings() -> Settings:
    value: Settings = current_app.extensions["pactum.settings"]
    return value

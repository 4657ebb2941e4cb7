"""Flask extensions, created unbound and attached in :func:`repo_app.create_app`."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
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
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


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

"""The "My tasks" feature: the inbox page and API, and the navigation's counts."""

from __future__ import annotations

from flask import Flask

from ..core.api import add_route
from . import api
from .blueprint import bp
from .context import register_context


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_context(app)
    add_route(app, "/tasks", api.list_tasks, "GET")

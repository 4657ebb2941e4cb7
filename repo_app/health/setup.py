"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Flask

from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The help feature: the guide's page and the "?" link every page's header shows."""

from __future__ import annotations

from flask import Flask

from .blueprint import bp
from .sections import help_url


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["help_url"] = help_url

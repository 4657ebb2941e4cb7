"""The REST API v1: one blueprint at ``/api/v1`` built from the routes the features added
(``core/api.py``), the OpenAPI document and its viewer. This feature comes last in
``create_app`` so that every feature's routes are there."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..core import registry
from ..core.api import ROUTES
from . import views


def init_app(app: Flask) -> None:
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    for route in registry.items_of(app, ROUTES):
        bp.add_url_rule(route.rule, view_func=route.view, methods=list(route.methods))
    bp.add_url_rule("/openapi.json", view_func=views.openapi_document, methods=["GET"])
    bp.add_url_rule("/docs", view_func=views.docs, methods=["GET"])
    app.register_blueprint(bp)

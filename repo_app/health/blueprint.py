from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("health", __name__)
bp.add_url_rule("/healthz", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/readyz", view_func=views.readyz, methods=["GET"])

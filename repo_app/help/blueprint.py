from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("help", __name__)
bp.add_url_rule("/help", endpoint="guide", view_func=views.guide, methods=["GET"])

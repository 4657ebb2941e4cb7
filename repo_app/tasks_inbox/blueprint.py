from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("tasks", __name__)

bp.add_url_rule("/tasks", endpoint="inbox", view_func=views.inbox, methods=["GET"])

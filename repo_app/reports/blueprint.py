from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("reports", __name__)
bp.add_url_rule("/dashboard", view_func=views.dashboard_page, methods=["GET"])
bp.add_url_rule("/reports/ledger.<any(xlsx, csv, pdf):fmt>", view_func=views.export, methods=["GET"])

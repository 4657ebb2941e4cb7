from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.add_url_rule("", view_func=views.trail, methods=["GET"])
bp.add_url_rule("/export.csv", view_func=views.export_csv, methods=["GET"])
bp.add_url_rule("/export.pdf", view_func=views.export_pdf, methods=["GET"])
bp.add_url_rule("/verify", view_func=views.check_chain, methods=["GET"])

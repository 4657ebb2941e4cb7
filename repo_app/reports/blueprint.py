from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("reports", __name__)
bp.add_url_rule("/dashboard", view_func=views.dashboard_page, methods=["GET"])
bp.add_url_rule("/reports/ledger.<any(xlsx, csv, pdf):fmt>", view_func=views.export, methods=["GET"])
bp.add_url_rule("/reports", view_func=views.builder_page, methods=["GET"])
bp.add_url_rule("/reports/run.<any(xlsx, csv, pdf):fmt>", view_func=views.export_report, methods=["GET"])
bp.add_url_rule("/reports/saved", view_func=views.save_report, methods=["POST"])
bp.add_url_rule("/reports/saved/<int:report_id>/delete", view_func=views.delete_report, methods=["POST"])

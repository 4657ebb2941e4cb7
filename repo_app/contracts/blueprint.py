from __future__ import annotations

from flask import Blueprint

from . import result_views, version_views, views

bp = Blueprint("contracts", __name__)

bp.add_url_rule("/", endpoint="home", view_func=views.home)  # the dashboard or "My tasks", by role
bp.add_url_rule("/contracts", view_func=views.list_contracts, methods=["GET"])
bp.add_url_rule("/contracts/upload", view_func=views.upload, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>", endpoint="detail", view_func=views.detail, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/contracts/<int:contract_id>/versions", view_func=views.upload_version, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/delete", view_func=views.delete, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/restore", view_func=views.restore, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/access", view_func=views.share, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/suggestions", view_func=views.accept_suggestion, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/legal-hold", view_func=views.legal_hold, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/purge", view_func=views.purge, methods=["POST"])
bp.add_url_rule("/trash", view_func=views.trash, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/compare", view_func=version_views.compare, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/compare/status", view_func=version_views.compare_status, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/compare.pdf", view_func=version_views.compare_pdf, methods=["GET"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<int:number>/restore",
    endpoint="restore_version",
    view_func=version_views.restore,
    methods=["POST"],
)
bp.add_url_rule("/contracts/<int:contract_id>/lineage", view_func=version_views.lineage_page, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/relate", view_func=version_views.relate, methods=["POST"])
bp.add_url_rule("/results/<key>", view_func=result_views.result_file, methods=["GET"])
bp.add_url_rule("/results/<key>/status", view_func=result_views.result_status, methods=["GET"])

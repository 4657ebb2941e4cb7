from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("workflows", __name__)

bp.add_url_rule("/contracts/<int:contract_id>/approval", view_func=views.submit, methods=["POST"])
bp.add_url_rule("/approvals/<int:approval_id>", endpoint="decide_page", view_func=views.decide_page, methods=["GET"])
bp.add_url_rule("/approvals/<int:approval_id>/decision", view_func=views.decide, methods=["POST"])
bp.add_url_rule("/approvals/<int:approval_id>/withdraw", view_func=views.withdraw, methods=["POST"])
bp.add_url_rule("/admin/workflows", view_func=views.workflows, methods=["GET", "POST"])
bp.add_url_rule("/admin/workflows/<int:workflow_id>", view_func=views.workflow, methods=["GET", "POST"])
bp.add_url_rule("/admin/workflows/<int:workflow_id>/delete", view_func=views.delete_workflow, methods=["POST"])
bp.add_url_rule("/admin/workflows/<int:workflow_id>/levels", view_func=views.level, methods=["POST"])
bp.add_url_rule("/admin/workflows/<int:workflow_id>/levels/<int:level_id>", view_func=views.level, methods=["POST"])
bp.add_url_rule("/admin/routing", view_func=views.rules, methods=["GET", "POST"])
bp.add_url_rule("/admin/routing/<int:rule_id>", view_func=views.rule, methods=["GET", "POST"])

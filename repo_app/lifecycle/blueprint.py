from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("lifecycle", __name__)

bp.add_url_rule("/contracts/<int:contract_id>/status", view_func=views.change_status, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/signed", view_func=views.record_signed, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/renew", view_func=views.renew, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/terminate", view_func=views.terminate, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/terms", view_func=views.terms, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/notice", view_func=views.notice, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/milestones", view_func=views.add_milestone, methods=["POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/milestones/<int:milestone_id>/done", view_func=views.milestone_done, methods=["POST"]
)
bp.add_url_rule(
    "/contracts/<int:contract_id>/milestones/<int:milestone_id>/delete",
    view_func=views.delete_milestone,
    methods=["POST"],
)
bp.add_url_rule("/contracts/<int:contract_id>/watch", view_func=views.watch, methods=["POST"])

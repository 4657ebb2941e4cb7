from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("review", __name__)

bp.add_url_rule("/contracts/<int:contract_id>/comments", view_func=views.add_comment, methods=["POST"])
bp.add_url_rule("/comments/<int:comment_id>/replies", view_func=views.add_reply, methods=["POST"])
bp.add_url_rule("/comments/<int:comment_id>/resolution", view_func=views.resolve, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/periodic-review", view_func=views.periodic_outcome, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/review-date", view_func=views.periodic_schedule, methods=["POST"])
bp.add_url_rule("/admin/review-checklist", view_func=views.checklist_page, methods=["GET", "POST"])
bp.add_url_rule("/admin/review-intervals", view_func=views.save_interval, methods=["POST"])

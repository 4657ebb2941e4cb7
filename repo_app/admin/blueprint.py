from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("admin", __name__, url_prefix="/admin")

bp.add_url_rule("/users", view_func=views.users, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>", view_func=views.update_user, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/password", view_func=views.set_user_password, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/password-link", view_func=views.send_password_link, methods=["POST"])
bp.add_url_rule("/organisation", view_func=views.organisation, methods=["GET"])
bp.add_url_rule("/own-names", view_func=views.save_own_names, methods=["POST"])
bp.add_url_rule("/departments", view_func=views.save_department, methods=["POST"])
bp.add_url_rule("/groups", view_func=views.create_group, methods=["POST"])
bp.add_url_rule("/groups/<int:group_id>/members", view_func=views.group_member, methods=["POST"])
bp.add_url_rule("/contract-types", view_func=views.contract_types, methods=["GET", "POST"])
bp.add_url_rule("/custom-fields", view_func=views.custom_fields, methods=["GET", "POST"])
bp.add_url_rule("/custom-fields/<key>/retire", view_func=views.retire_custom_field, methods=["POST"])

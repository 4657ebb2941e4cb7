from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/logout/everywhere", view_func=views.logout_everywhere, methods=["POST"])
bp.add_url_rule("/account/password", endpoint="password", view_func=views.password, methods=["GET", "POST"])
bp.add_url_rule("/password/forgot", view_func=views.forgot_password, methods=["GET", "POST"])
bp.add_url_rule("/password/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/language/<lang>", view_func=views.set_language, methods=["GET"])
bp.add_url_rule("/account/tokens", view_func=views.tokens, methods=["GET", "POST"])
bp.add_url_rule("/account/tokens/<int:token_id>/revoke", view_func=views.revoke_token, methods=["POST"])
bp.add_url_rule("/account/authenticator", endpoint="authenticator", view_func=views.authenticator_page, methods=["GET"])
bp.add_url_rule("/account/authenticator/start", view_func=views.start_authenticator, methods=["POST"])
bp.add_url_rule("/account/authenticator/confirm", view_func=views.confirm_authenticator, methods=["POST"])
bp.add_url_rule("/account/authenticator/remove", view_func=views.remove_authenticator, methods=["POST"])

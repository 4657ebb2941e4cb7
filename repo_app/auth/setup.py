"""Wires authentication into the app: sessions for the UI, bearer tokens for the API, and
CSRF checks for every state-changing request that a browser could send."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import error_response, wants_json
from ..core.extensions import csrf, db, login_manager
from . import services
from .blueprint import bp
from .models import User

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def load_user(user_id: str) -> User | None:
    """The user of a session (Flask-Login calls this with the id it stored)."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def unauthorized() -> Any:
    """What a guarded view answers when nobody is logged in."""
    if wants_json():
        return error_response(401, "unauthenticated", _("Log in or send an API token (Authorization: Bearer …)."))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)

    @app.before_request
    def authenticate_request() -> Any:
        """A bearer token, when sent, decides who the user is (never the session cookie), and
        such requests need no CSRF token since a browser never attaches one by itself. Browser
        sessions must prove that a state-changing request came from our own pages."""
        token = bearer_token(request)
        if token:
            user = services.user_for_token(token)
            if user is None:
                return error_response(401, "invalid_token", _("The API token is invalid or revoked."))
            g._login_user = user  # Flask-Login's per-request user; set so the session is ignored
            return None
        if request.method not in _SAFE_METHODS:
            csrf.protect()
        return None

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": current_user}

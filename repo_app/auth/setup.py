"""Wires authentication into the app: sessions for the UI, bearer tokens for the API, and
CSRF checks for every state-changing request that a browser could send."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from ..core import registry
from ..core.errors import error_response, wants_json
from ..core.extensions import csrf, login_manager
from ..core.jobs.periodic import STEPS, Step
from ..core.settings import Settings
from . import services, sessions, throttle
from .blueprint import bp
from .forms import role_label
from .login import may_open
from .models import User

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def load_user(cookie_id: str) -> User | None:
    """The user of a session or remember cookie (Flask-Login calls this with the id it stored):
    only while the log-in session it names is live on the server (``sessions.py``)."""
    return sessions.user_for_cookie_id(cookie_id)


def unauthorized() -> Any:
    """What a guarded view answers when nobody is logged in."""
    if wants_json():
        return error_response(401, "unauthenticated", _("Log in or send an API token (Authorization: Bearer …)."))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def configure_cookies(app: Flask, settings: Settings) -> None:
    """Session and remember cookies: HttpOnly, SameSite=Lax, Secure over HTTPS; "keep me signed
    in" lasts ``remember_days`` (Flask-Login's default is a year)."""
    secure = settings.secure_cookies
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=settings.remember_days),
    )


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind ``hops`` reverse proxies, take the client's address, scheme and host from the
    X-Forwarded-* headers they set (the last ``hops`` entries only, so a client cannot choose its
    address by sending the header itself). Without proxies the headers are ignored."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def forget_stale_records() -> None:
    """Once a minute: drop finished log-in sessions and failed attempts too old to count."""
    sessions.forget_all_finished()
    throttle.forget_old_attempts()


def init_app(app: Flask) -> None:
    settings: Settings = app.extensions["pactum.settings"]
    configure_cookies(app, settings)
    trust_proxies(app, settings.trusted_proxies)
    app.register_blueprint(bp)
    registry.add(app, STEPS, Step("auth_housekeeping", forget_stale_records, rank=5))
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

    app.add_template_filter(role_label, "role_label")
    app.jinja_env.globals["may_open"] = may_open
    app.jinja_env.tests["may_open"] = may_open

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": current_user}

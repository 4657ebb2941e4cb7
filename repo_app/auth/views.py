from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..core.audit import record
from ..core.errors import TooManyRequests
from ..core.form_actions import run_form_action
from ..core.forms import ConfirmForm
from ..core.settings import SUPPORTED_LANGUAGES
from . import authenticator, services
from .forms import AuthenticatorCodeForm, AuthenticatorRemoveForm, LoginForm, RevokeTokenForm, TokenForm
from .login import login_required


def _safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths; anything else could send users to another site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("tasks.inbox"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data or "", form.password.data or "", request.remote_addr or "")
        except TooManyRequests as error:
            flash(error.message, "danger")
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            if user.language:
                session["language"] = user.language
            return redirect(_safe_next(request.args.get("next"), url_for("tasks.inbox")))
        flash(_("Wrong e-mail or password."), "danger")
        status = 401
    return render_template("auth/login.html", form=form), status


@login_required
def logout() -> Any:
    record("auth.logout")
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def set_language(lang: str) -> Any:
    if lang in SUPPORTED_LANGUAGES:
        session["language"] = lang
    return redirect(_safe_next(request.args.get("next"), url_for("contracts.list_contracts")))


@login_required
def tokens() -> Any:
    form = TokenForm()
    new_secret = None
    if form.validate_on_submit():
        _token, new_secret = services.create_token(current_user, form.name.data or "")
        form = TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        form=form,
        revoke_form=RevokeTokenForm(),
        tokens=services.list_tokens(current_user),
        new_secret=new_secret,
    )


@login_required
def revoke_token(token_id: int) -> Any:
    if RevokeTokenForm().validate_on_submit():
        services.revoke_token(current_user, token_id)
        flash(_("The token is revoked."), "success")
    return redirect(url_for("auth.tokens"))


@login_required
def authenticator_page() -> Any:
    """Set up or remove the authenticator app that can confirm signatures instead of the password."""
    secret = authenticator.pending_secret(current_user)
    return render_template(
        "auth/authenticator.html",
        enabled=authenticator.has_authenticator(current_user),
        secret=secret,
        qr=authenticator.qr_svg(authenticator.setup_uri(current_user, secret)) if secret else None,
        start_form=ConfirmForm(),
        code_form=AuthenticatorCodeForm(),
        remove_form=AuthenticatorRemoveForm(),
    )


@login_required
def start_authenticator() -> Any:
    if ConfirmForm().validate_on_submit():
        run_form_action(lambda: authenticator.start_setup(current_user))
    return redirect(url_for("auth.authenticator"))


@login_required
def confirm_authenticator() -> Any:
    form = AuthenticatorCodeForm()
    if form.validate_on_submit():
        run_form_action(
            lambda: authenticator.confirm_setup(current_user, form.code.data or ""),
            _("Your authenticator app is set up: its codes can now confirm signatures."),
        )
    else:
        flash(_("Enter the 6-digit code the app shows."), "danger")
    return redirect(url_for("auth.authenticator"))


@login_required
def remove_authenticator() -> Any:
    form = AuthenticatorRemoveForm()
    if form.validate_on_submit():
        run_form_action(
            lambda: authenticator.remove(current_user, form.password.data or ""),
            _("The authenticator app is removed."),
        )
    return redirect(url_for("auth.authenticator"))

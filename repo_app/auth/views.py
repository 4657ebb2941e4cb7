from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from ..core import uow
from ..core.audit import record
from ..core.errors import PactumError, TooManyRequests
from ..core.extensions import settings
from ..core.form_actions import run_form_action
from ..core.forms import ConfirmForm
from ..core.settings import SUPPORTED_LANGUAGES
from . import authenticator, password_reset, services, sessions
from .forms import (
    AuthenticatorCodeForm,
    AuthenticatorRemoveForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    RevokeTokenForm,
    TokenForm,
)
from .login import login_required
from .models import User


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
        return redirect(url_for("contracts.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data or "", form.password.data or "", request.remote_addr or "")
        except TooManyRequests as error:
            flash(error.message, "danger")
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            _start_session(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next"), url_for("contracts.home")))
        flash(_("Wrong e-mail or password."), "danger")
        status = 401
    return render_template("auth/login.html", form=form), status


def _start_session(user: User, remember: bool) -> None:
    sessions.start(user, remember)
    login_user(user, remember=remember, duration=timedelta(days=settings().remember_days))
    if user.language:
        session["language"] = user.language


@login_required
def logout() -> Any:
    """End this session on the server too: a copy of its cookies no longer logs anybody in."""
    record("auth.logout")
    sessions.end(current_user)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@login_required
def logout_everywhere() -> Any:
    if ConfirmForm().validate_on_submit():
        ended = sessions.end_all(current_user)
        record("auth.logout_everywhere", sessions_ended=ended)
        logout_user()
        flash(_("You are logged out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.password"))


@login_required
def password() -> Any:
    """Change one's own password; "log out everywhere" is on the same page."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data or "", form.new_password.data or "", request.remote_addr or ""
            )
        except PactumError as error:
            return _refused(error, "auth/password.html", **_password_page(form))
        flash(_("Your password is changed. You stay logged in here; other devices are logged out."), "success")
        return redirect(url_for("auth.password"))
    return render_template("auth/password.html", **_password_page(form)), _form_status(form)


def _password_page(form: ChangePasswordForm) -> dict[str, Any]:
    return {"form": form, "logout_form": ConfirmForm(), "min_length": settings().password_min_length}


def forgot_password() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("auth.password"))
    form = ForgotPasswordForm()
    if not password_reset.can_send():
        return render_template("auth/forgot_password.html", form=form, can_reset=False)
    if form.validate_on_submit():
        try:
            password_reset.request_link(form.email.data or "", request.remote_addr or "")
        except PactumError as error:
            return _refused(error, "auth/forgot_password.html", form=form, can_reset=True)
        flash(
            _("If this address belongs to an account, a link to set a new password is on its way. Check your e-mail."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, can_reset=True), _form_status(form)


def reset_password(token: str) -> Any:
    if password_reset.user_for_token(token) is None:
        flash(password_reset.invalid_link_message(), "danger")
        return render_template("auth/reset_password.html", form=None), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset(token, form.new_password.data or "")
        except PactumError as error:
            return _refused(error, "auth/reset_password.html", form=form)
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), _form_status(form)


def _refused(error: PactumError, template: str, **context: Any) -> Any:
    """A refused form: the page again with the reason. What the refusal recorded (an audit
    event, a counted attempt) is kept; everything else rolls back."""
    uow.end_with_error()
    flash(error.message, "danger")
    return render_template(template, **context), error.status


def _form_status(form: FlaskForm) -> int:
    """422 for a posted form that failed its own checks (e.g. passwords that differ), else 200."""
    return 422 if form.is_submitted() and form.errors else 200


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

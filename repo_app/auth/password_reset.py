"""Resetting a forgotten password with a link sent by e-mail.

The link carries a token signed with the app's secret key whose salt includes the user's
current password hash: it expires after ``PACTUM_PASSWORD_RESET_MINUTES`` and works once,
since setting the password changes the hash. Asking for a link answers the same whether the
address belongs to a user or not; requests count towards the client address's throttle, and
an address gets at most ``PACTUM_LOGIN_MAX_FAILURES`` links per window.

The e-mail goes through the outbox of the notifications feature, a layer above this one:
it registers its sender under :data:`RESET_MAILERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..core import clock, registry, uow
from ..core.audit import record
from ..core.errors import TooManyRequests, ValidationFailed
from ..core.extensions import db, settings
from . import services, sessions, throttle
from .models import LoginAttempt, User

#: Senders of the reset e-mail: called with the user and the link's path (notifications adds one).
RESET_MAILERS: registry.Key[Callable[[User, str], None]] = registry.Key("auth.password_reset_mailers")
_SALT = "pactum.password-reset:"


def can_send() -> bool:
    """Whether a link can reach anybody (e-mail is set up and a sender is registered)."""
    return bool(settings().smtp_url) and bool(registry.items(RESET_MAILERS))


class _ClockSigner(TimestampSigner):
    """Stamps and ages tokens by the app's clock (``core.clock``), like every other time."""

    def get_timestamp(self) -> int:
        return int(clock.now().replace(tzinfo=UTC).timestamp())


def _serializer(user_hash: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt=_SALT + user_hash, signer=_ClockSigner)


def make_token(user: User) -> str:
    return _serializer(user.password_hash).dumps(user.id)


def user_for_token(token: str) -> User | None:
    """The active user a valid, unexpired, unused token was made for, or None."""
    try:
        _valid, user_id = URLSafeTimedSerializer(str(current_app.secret_key)).loads_unsafe(token)
    except BadData:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        return None
    try:
        _serializer(user.password_hash).loads(token, max_age=settings().password_reset_minutes * 60)
    except BadData:
        return None
    return user


def request_link(email: str, ip: str) -> None:
    """Send a reset link to ``email`` if it is an active user's; otherwise do nothing, silently."""
    email = services.normalise_email(email)
    if throttle.address_blocked(ip):
        record("auth.password_reset_throttled", email=email)
        uow.keep_on_error()
        raise TooManyRequests(
            _("Too many requests from your network. Wait %(minutes)d minutes.", minutes=settings().login_window_minutes)
        )
    too_many = _links_asked_recently(email) >= settings().login_max_failures
    throttle.note(throttle.AttemptKind.RESET, email, ip)
    user = services.get_user_by_email(email)
    sent = user is not None and user.active and not too_many
    record("auth.password_reset_requested", email=email, sent=sent)
    if user is not None and sent:
        _send_link(user)


def send_link_for_admin(user: User) -> None:
    """An administrator has a reset link sent to ``user`` (who keeps the password until using it)."""
    if not can_send():
        raise ValidationFailed(_("E-mail is not set up (PACTUM_SMTP_URL): set a temporary password instead."))
    if not user.active:
        raise ValidationFailed(_("The account is deactivated: activate it first."))
    _send_link(user)
    record("user.password_reset_link", target_user=user.id)


def _send_link(user: User) -> None:
    path = url_for("auth.reset_password", token=make_token(user))
    for send in registry.items(RESET_MAILERS):
        send(user, path)


def _links_asked_recently(email: str) -> int:
    since = clock.now() - timedelta(minutes=settings().login_window_minutes)
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == email, LoginAttempt.kind == throttle.AttemptKind.RESET, LoginAttempt.at >= since
        )
    )
    return int(count or 0)


def reset(token: str, new_password: str) -> User:
    """Set the password of the token's user: every session ends and the account is unlocked."""
    user = user_for_token(token)
    if user is None:
        raise ValidationFailed(invalid_link_message())
    services.set_password(user, new_password)
    ended = sessions.end_all(user)
    throttle.forget_failures(user.email)
    record("auth.password_reset_by_link", actor=user, sessions_ended=ended)
    return user


def invalid_link_message() -> str:
    return _("This link is invalid, used or expired. Ask for a new one.")

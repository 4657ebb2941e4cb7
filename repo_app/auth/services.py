"""Accounts: passwords, log-in throttling, personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..core import clock, uow
from ..core.audit import record
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db
from . import password_policy, sessions, throttle
from .models import ApiToken, User
from .roles import is_role

TOKEN_PREFIX = "pt_"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, password: str, role: str, display_name: str | None = None, language: str | None = None
) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(_("%(email)s is not an e-mail address.", email=email))
    if not is_role(role):
        raise ValidationFailed(_("Unknown role %(role)s.", role=role))
    password_policy.check(password, email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("A user with the e-mail %(email)s exists already.", email=email))
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or email.split("@")[0],
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    record("user.create", target_user=user.id, email_created=email, role=role)
    return user


def get_user_by_email(email: str) -> User | None:
    user: User | None = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    return user


def authenticate(email: str, password: str, ip: str) -> User | None:
    """The user for these credentials, or None. Raises TooManyRequests while the account or the
    client address is throttled (``throttle.py``); a success clears the account's failures."""
    email = normalise_email(email)
    throttle.refuse_guessing(email, ip)
    user = get_user_by_email(email)
    if user is None or not user.active or not password_matches(user, password):
        throttle.note(throttle.AttemptKind.LOGIN, email, ip)
        record("auth.login_failed", email=email)
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.forget_failures(email)
    user.last_login_at = clock.now()
    record("auth.login", actor=user)
    return user


def change_password(user: User, current: str, new: str, ip: str) -> None:
    """The user's own change: the current password is required (a wrong one counts like a failed
    log-in, so a borrowed session cannot guess it). Every other session of the user ends; API
    tokens stay (see docs/permissions.md)."""
    throttle.refuse_guessing(user.email, ip)
    if not password_matches(user, current):
        throttle.note(throttle.AttemptKind.LOGIN, user.email, ip)
        record("auth.password_change_refused", actor=user)
        uow.keep_on_error()
        raise ValidationFailed(_("The current password is wrong."))
    if current == new:
        raise ValidationFailed(_("The new password must differ from the current one."))
    set_password(user, new)
    ended = sessions.end_all(user, keep_current=True)
    record("auth.password_change", actor=user, sessions_ended=ended)


def admin_set_password(user: User, new: str) -> None:
    """An administrator sets a temporary password: the user's sessions end and API tokens are
    revoked, since a reset by an administrator is how a taken-over account is recovered."""
    set_password(user, new)
    ended = sessions.end_all(user)
    revoked = revoke_all_tokens(user)
    record("user.password_reset", target_user=user.id, sessions_ended=ended, tokens_revoked=revoked)


def set_password(user: User, new: str) -> None:
    """Set a new password that passes the policy (``password_policy.py``)."""
    password_policy.check(new, user.email)
    user.password_hash = hash_password(new)


def revoke_all_tokens(user: User) -> int:
    """Revoke every live API token of ``user``; returns how many."""
    now = clock.now()
    live = [token for token in list_tokens(user) if token.revoked_at is None]
    for token in live:
        token.revoked_at = now
    return len(live)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the secret, which is never stored."""
    name = name.strip() or "API token"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=_token_digest(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    record("token.create", actor=user, token_id=token.id, name=token.name)
    return token, secret


def user_for_token(secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    # One query: the token with its user and the user's groups (the search principals need
    # them), instead of a lazy load of the user and another of the groups.
    token = (
        db.session.execute(
            select(ApiToken)
            .join(ApiToken.user)
            .options(contains_eager(ApiToken.user).joinedload(User.groups))
            .where(ApiToken.token_hash == _token_digest(secret))
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = clock.now()
    # Only touch the row once a minute: a busy integration should not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token.user


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        record("token.revoke", token_id=token.id, name=token.name)
    return token


def list_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )

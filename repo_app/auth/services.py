"""Accounts: passwords, log-in throttling, personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import contains_eager

from ..core import clock, uow
from ..core.audit import record
from ..core.errors import Conflict, NotFound, TooManyRequests, ValidationFailed
from ..core.extensions import db, settings
from .models import ApiToken, LoginAttempt, User
from .roles import is_role

TOKEN_PREFIX = "pt_"
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(
    email: str, password: str, role: str, display_name: str | None = None, language: str | None = None
) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(_("%(email)s is not an e-mail address.", email=email))
    if not is_role(role):
        raise ValidationFailed(_("Unknown role %(role)s.", role=role))
    validate_password(password)
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


def _recent_failures(email: str, ip: str) -> int:
    since = clock.now() - timedelta(minutes=settings().login_window_minutes)
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.at >= since, or_(LoginAttempt.email == email, LoginAttempt.ip == ip)
        )
    )
    return int(count or 0)


def authenticate(email: str, password: str, ip: str) -> User | None:
    """The user for these credentials, or None. Raises TooManyRequests while throttled.

    Failures are counted per e-mail and per client IP; a success clears the e-mail's count.
    """
    email = normalise_email(email)
    if _recent_failures(email, ip) >= settings().login_max_failures:
        record("auth.login_throttled", email=email)
        uow.keep_on_error()
        raise TooManyRequests(
            _(
                "Too many failed log-ins. Wait %(minutes)d minutes and try again.",
                minutes=settings().login_window_minutes,
            )
        )
    user = get_user_by_email(email)
    if user is None or not user.active or not password_matches(user, password):
        db.session.add(LoginAttempt(email=email, ip=ip))
        record("auth.login_failed", email=email)
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email).execution_options(synchronize_session=False)
    )
    user.last_login_at = clock.now()
    record("auth.login", actor=user)
    return user


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

"""Log-in sessions kept in the database, so that ending one takes effect on the server.

Flask's session cookie is signed, not stored: a copy taken before log-out would otherwise keep
working until it expires. Each log-in gets a row here and a random key; the browser's session
cookie and remember cookie carry ``<user id>:<key>`` (``User.get_id``), and every request loads
the user through :func:`user_for_cookie_id`, which wants a row that has neither ended nor expired.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update

from ..core import clock
from ..core.extensions import db, rows_updated, settings
from .models import User, UserSession


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, remember: bool) -> str:
    """A new session for ``user`` (also set on ``user.session_key``, for ``login_user``)."""
    now = clock.now()
    lifetime = timedelta(days=settings().remember_days) if remember else timedelta(hours=settings().session_hours)
    _forget_finished(user, now)
    key = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, key_hash=_digest(key), remember=remember, created_at=now)
    row.expires_at = now + lifetime
    db.session.add(row)
    db.session.flush()
    user.session_key = key
    return key


def _forget_finished(user: User, now: datetime) -> None:
    """Rows of sessions that ended or expired serve nobody: drop the user's at each log-in."""
    db.session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id, _finished(now))
        .execution_options(synchronize_session=False)
    )


def _finished(now: datetime) -> ColumnElement[bool]:
    return or_(UserSession.ended_at.is_not(None), UserSession.expires_at <= now)


def forget_all_finished() -> None:
    """Drop every ended or expired session (the periodic tick)."""
    db.session.execute(delete(UserSession).where(_finished(clock.now())).execution_options(synchronize_session=False))


def user_for_cookie_id(cookie_id: str) -> User | None:
    """The active user whose live session ``cookie_id`` (``<user id>:<key>``) names, or None."""
    user_part, _sep, key = cookie_id.partition(":")
    if not key or not user_part.isdigit():
        return None  # e.g. a cookie from before sessions were kept: log in again
    row = db.session.scalar(select(UserSession).where(UserSession.key_hash == _digest(key)))
    if row is None or row.user_id != int(user_part) or row.ended_at is not None or row.expires_at <= clock.now():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    user.session_key = key
    return user


def end(user: User) -> None:
    """End the session ``user`` was loaded with (log-out)."""
    if user.session_key is None:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.key_hash == _digest(user.session_key), UserSession.ended_at.is_(None))
        .values(ended_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def end_all(user: User, keep_current: bool = False) -> int:
    """End every session of ``user`` (all browsers and remember cookies); with ``keep_current``,
    all but the one this request came with. Returns how many ended."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_current and user.session_key is not None:
        statement = statement.where(UserSession.key_hash != _digest(user.session_key))
    return rows_updated(statement.values(ended_at=clock.now()).execution_options(synchronize_session=False))

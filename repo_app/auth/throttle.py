"""Throttling of password guessing: per account with exponential backoff, and per client address.

An account with ``login_max_failures`` wrong passwords is locked for ``login_window_minutes``;
each wrong password after a lock has run out doubles the next lock, up to
``login_lockout_max_minutes`` (which is also how long failures are remembered). A locked account
locks nobody else: other accounts from the same address go on. Separately, one client address
may fail ``login_max_failures_per_address`` times within the window over all accounts (and
password-reset requests count too), so a single machine cannot try a few passwords on every
account. The address is the connection's, or the one trusted proxies forwarded (ProxyFix).
"""

from __future__ import annotations

import math
from datetime import timedelta
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..core import clock, uow
from ..core.audit import record
from ..core.errors import TooManyRequests
from ..core.extensions import db, settings
from .models import LoginAttempt

#: 2**16 windows is far beyond any sensible maximum lock; stops the doubling from overflowing.
_MAX_DOUBLINGS = 16


class AttemptKind(StrEnum):
    LOGIN = "login"
    RESET = "reset"


def note(kind: AttemptKind, email: str, ip: str) -> None:
    """Count a failed log-in or a password-reset request."""
    db.session.add(LoginAttempt(email=email, ip=ip, kind=kind, at=clock.now()))


def forget_failures(email: str) -> None:
    """A successful log-in clears the account's failures (not the address's other accounts')."""
    db.session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.email == email, LoginAttempt.kind == AttemptKind.LOGIN)
        .execution_options(synchronize_session=False)
    )


def forget_old_attempts() -> None:
    """Drop attempts too old to count for anything (the periodic tick)."""
    limits = settings()
    keep = timedelta(minutes=max(limits.login_lockout_max_minutes, limits.login_window_minutes))
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < clock.now() - keep).execution_options(synchronize_session=False)
    )


def account_lock(email: str) -> timedelta | None:
    """How much longer the account of ``email`` stays locked, or None when it is not."""
    limits = settings()
    now = clock.now()
    count, last = db.session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            LoginAttempt.email == email,
            LoginAttempt.kind == AttemptKind.LOGIN,
            LoginAttempt.at >= now - timedelta(minutes=limits.login_lockout_max_minutes),
        )
    ).one()
    if count < limits.login_max_failures or last is None:
        return None
    doublings = min(count - limits.login_max_failures, _MAX_DOUBLINGS)
    minutes = min(limits.login_window_minutes * 2**doublings, limits.login_lockout_max_minutes)
    remaining: timedelta = last + timedelta(minutes=minutes) - now
    return remaining if remaining > timedelta(0) else None


def address_blocked(ip: str) -> bool:
    """Whether ``ip`` failed (or asked for resets) too often within the window, over all accounts."""
    limits = settings()
    since = clock.now() - timedelta(minutes=limits.login_window_minutes)
    failed = select(func.count(LoginAttempt.id)).where(LoginAttempt.ip == ip, LoginAttempt.at >= since)
    count = db.session.scalar(failed)
    return int(count or 0) >= limits.login_max_failures_per_address


def refuse_guessing(email: str, ip: str) -> None:
    """Raise TooManyRequests (audited, and kept although the answer is an error) while the
    address or the account is throttled."""
    if address_blocked(ip):
        _refuse(
            email,
            "address",
            _(
                "Too many failed log-ins from your network. Wait %(minutes)d minutes and try again.",
                minutes=settings().login_window_minutes,
            ),
        )
    wait = account_lock(email)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        message = _("Too many failed log-ins. Wait %(minutes)d minutes and try again.", minutes=minutes)
        _refuse(email, "account", message)


def _refuse(email: str, scope: str, message: str) -> None:
    record("auth.login_throttled", email=email, scope=scope)
    uow.keep_on_error()
    raise TooManyRequests(message)

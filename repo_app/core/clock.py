"""The one clock: every timestamp Pactum writes or compares is read here.

Production reads the system clock. Tests set the time of one application (``set_now``) and
move it on (``advance``) instead of patching time for the whole process; background jobs run
inside the app context, so they see the same time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context

_KEY = "pactum.clock"


def utcnow() -> datetime:
    """The system clock as naive UTC: what the database columns store on every engine."""
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    """Naive UTC, like every timestamp column: the application's clock when a test set it."""
    override: datetime | None = current_app.extensions.get(_KEY) if has_app_context() else None
    return override if override is not None else utcnow()


def isoformat_utc(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def zone() -> ZoneInfo:
    from .extensions import settings

    return ZoneInfo(settings().timezone)


def to_local(value: datetime) -> datetime:
    """A naive UTC time as naive wall-clock time of the organisation's time zone."""
    return value.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone()).replace(tzinfo=None)


def local_now() -> datetime:
    """Now in the organisation's time zone (naive), which decides what "today" is."""
    return to_local(now())


def today() -> date:
    return local_now().date()


def local_to_utc(value: datetime) -> datetime:
    """A naive local wall-clock time as naive UTC."""
    return value.replace(tzinfo=zone()).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def set_now(app: Flask, value: datetime | None) -> None:
    """Fix ``app``'s clock at ``value`` (naive UTC); ``None`` returns to the system clock."""
    app.extensions[_KEY] = value


def set_local(app: Flask, value: datetime) -> None:
    """Fix ``app``'s clock at a wall-clock time of the organisation's time zone."""
    with app.app_context():
        set_now(app, local_to_utc(value))


def advance(app: Flask, delta: timedelta) -> None:
    with app.app_context():
        set_now(app, now() + delta)

"""The one clock the lifecycle, workflow and notification code reads.

Production reads the system clock. Tests set the time of one application (``set_now``) and
move it on (``advance``) instead of patching time for the whole process; background jobs run
inside the app context, so they see the same time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from ..timeutil import utcnow

_KEY = "pactum.clock"


def now() -> datetime:
    """Naive UTC, like every timestamp column."""
    override: datetime | None = current_app.extensions.get(_KEY)
    return override if override is not None else utcnow()


def zone() -> ZoneInfo:
    from ..extensions import settings

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

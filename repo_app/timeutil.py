from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC time: what the database columns store on every engine."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat_utc(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"

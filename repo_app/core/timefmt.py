"""Times as people read them: in the reader's language and the organisation's time zone.

Stored times are naive UTC (or ISO 8601 strings with an offset, as in signature reports);
``local_datetime`` renders them with Babel for the current locale in ``PACTUM_TIMEZONE``,
with the UTC offset, and ``<time>`` markup keeps the exact UTC value for machines
and on hover.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_datetime
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup, escape

from .clock import zone


def parse_time(value: datetime | str | None) -> datetime | None:
    """An aware UTC datetime from a naive UTC datetime or an ISO 8601 string; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_text(value: datetime | str | None, style: str = "medium") -> str:
    """The time in words of the current locale, in the organisation's zone ("" when missing)."""
    moment = parse_time(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    locale = str(get_locale() or "en")
    local = moment.astimezone(zone())
    return f"{format_datetime(local, style, tzinfo=zone(), locale=locale)} {_offset(local)}"


def _offset(local: datetime) -> str:
    """The UTC offset as people write it: UTC+8, UTC-3:30, UTC."""
    minutes = int((local.utcoffset() or local - local).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def local_datetime(value: datetime | str | None, style: str = "medium") -> Markup:
    """``<time>`` markup: the localised time, the exact UTC time as its title and attribute."""
    moment = parse_time(value)
    if moment is None:
        return Markup(escape(local_text(value, style)))
    exact = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(exact, local_text(moment, style))


def init_app(app: Flask) -> None:
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_text, "local_text")

"""Lifecycle settings parsed from their text form (``PACTUM_REMINDER_OFFSETS=90,30,7`` …)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..auth.roles import is_role
from ..core.settings import ConfigError, Settings


def parse_offsets(raw: str | None, *, allow_zero: bool = False, name: str = "offsets") -> list[int]:
    """ "90, 30,7" → [90, 30, 7] (largest first, no duplicates)."""
    values: set[int] = set()
    for part in (raw or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or (int(part) == 0 and not allow_zero):
            raise ConfigError(f"{name} must be whole numbers of days separated by commas, not {raw!r}.")
        values.add(int(part))
    return sorted(values, reverse=True)


def parse_rates(raw: str | None) -> dict[str, Decimal]:
    """ "USD=7.1, EUR=7.8" → what one unit is worth in CNY (CNY itself is 1)."""
    rates = {"CNY": Decimal(1)}
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        code, _sep, value = part.partition("=")
        try:
            rate = Decimal(value.strip())
        except InvalidOperation:
            rate = Decimal(0)
        if len(code.strip()) != 3 or rate <= 0:
            raise ConfigError(f"PACTUM_FX_RATES must look like USD=7.10,EUR=7.80, not {raw!r}.")
        rates[code.strip().upper()] = rate
    return rates


def validate(settings: Settings) -> None:
    """Fail at start with a sentence naming the variable."""
    parse_offsets(settings.reminder_offsets, name="PACTUM_REMINDER_OFFSETS")
    parse_offsets(settings.notice_reminder_offsets, allow_zero=True, name="PACTUM_NOTICE_REMINDER_OFFSETS")
    parse_rates(settings.fx_rates)
    if settings.expiring_soon_days < 0:
        raise ConfigError("PACTUM_EXPIRING_SOON_DAYS must not be negative.")
    if not 0 <= settings.reminder_hour <= 23:
        raise ConfigError("PACTUM_REMINDER_HOUR must be between 0 and 23.")
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"PACTUM_TIMEZONE {settings.timezone!r} is not a known time zone.") from None
    if settings.smtp_url and not settings.smtp_url.startswith(("smtp://", "smtps://")):
        raise ConfigError("PACTUM_SMTP_URL must start with smtp:// or smtps://.")
    if settings.reminder_role and not is_role(settings.reminder_role):
        raise ConfigError(f"PACTUM_REMINDER_ROLE {settings.reminder_role!r} is not a role.")

"""Forms shared by every feature, and the readers of form fields and JSON bodies (a
validation error names the field)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .errors import ValidationFailed


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token, for buttons that change state."""


def text(values: Mapping[str, Any], name: str, *, required: bool = False, limit: int = 4000) -> str | None:
    raw = values.get(name)
    value = str(raw).strip() if raw is not None else ""
    if required and not value:
        raise ValidationFailed(_("%(name)s is required.", name=name), field=name)
    return value[:limit] or None


def day(values: Mapping[str, Any], name: str, *, required: bool = False) -> date | None:
    value = text(values, name, required=required)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(name)s must be a date like 2026-03-31.", name=name), field=name) from None


def whole(values: Mapping[str, Any], name: str) -> int | None:
    value = text(values, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), field=name) from None


def amount(values: Mapping[str, Any], name: str) -> Decimal | None:
    value = text(values, name)
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(_("%(name)s must be an amount.", name=name), field=name) from None


def flag(values: Mapping[str, Any], name: str) -> bool:
    raw = values.get(name)
    if isinstance(raw, bool):
        return raw
    return str(raw or "").strip().lower() in {"1", "true", "on", "yes"}

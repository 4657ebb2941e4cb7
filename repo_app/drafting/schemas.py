"""A template's variable schema and the checking of the values a user fills in.

A variable definition is a dict (stored as JSON on the template version)::

    {"name": "price", "type": "money", "label": "合同价款", "help": "含税", "required": true,
     "options": [], "columns": [], "maps_to": "amount", "sample": "100000"}

Values come from the API (JSON: strings, numbers, booleans, objects, lists) or from the drafting
form (strings); :func:`check_values` turns them into the objects the Word template prints
(:mod:`.values`) and into their JSON form, kept with the drafted contract. Every refusal is a
:class:`ValidationFailed` naming the variable (``field`` = ``variables.<name>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.errors import ValidationFailed
from .engine import Blank
from .values import Day, Money, Party

TYPES: dict[str, Any] = {
    "text": _l("Text"),
    "number": _l("Number"),
    "money": _l("Money"),
    "date": _l("Date"),
    "party": _l("Party"),
    "select": _l("Choice"),
    "yesno": _l("Yes/no (optional clause)"),
    "table": _l("Table rows"),
}
#: Contract metadata a variable may fill.
MAPPINGS: dict[str, Any] = {
    "title": _l("Title"),
    "contract_number": _l("Contract number"),
    "counterparty": _l("Counterparty"),
    "amount": _l("Amount"),
    "signed_date": _l("Signing date"),
    "effective_date": _l("Effective date"),
    "expiry_date": _l("Expiry date"),
}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,59}$")
_TRUE = {"1", "true", "yes", "on", "y", "是"}
_FALSE = {"", "0", "false", "no", "off", "n", "否"}
_TEXT_LIMIT = 4000
_MAX_ROWS = 500


def definition(name: str, kind: str = "text", **fields: Any) -> dict[str, Any]:
    """A variable definition with every key present."""
    return {
        "name": name,
        "type": kind,
        "label": fields.get("label") or name,
        "help": fields.get("help") or "",
        "required": bool(fields.get("required", kind not in ("yesno", "table"))),
        "options": list(fields.get("options") or []),
        "columns": list(fields.get("columns") or []),
        "maps_to": fields.get("maps_to") or None,
        "sample": fields.get("sample") or "",
    }


def check_definitions(variables: list[dict[str, Any]]) -> None:
    """Refuse a schema an author cannot have meant: a bad name or type, a choice without options,
    a table without columns, two variables filling one single-valued field."""
    taken: dict[str, str] = {}
    for variable in variables:
        name = variable["name"]
        if not NAME.match(name):
            raise ValidationFailed(_("%(name)s is not a valid variable name (letters, digits, _).", name=name))
        if variable["type"] not in TYPES:
            raise ValidationFailed(_("Variable %(name)s has an unknown type.", name=name))
        if variable["type"] == "select" and not variable["options"]:
            raise ValidationFailed(_("Variable %(name)s is a choice: list its options.", name=name))
        if variable["type"] == "table" and not variable["columns"]:
            raise ValidationFailed(_("Variable %(name)s is a table: list its columns.", name=name))
        target = variable.get("maps_to")
        if target and target not in MAPPINGS:
            raise ValidationFailed(_("Variable %(name)s fills an unknown contract field.", name=name))
        if target and target != "counterparty":
            if target in taken:
                raise ValidationFailed(_("%(a)s and %(b)s both fill the same contract field.", a=taken[target], b=name))
            taken[target] = name


@dataclass(frozen=True)
class Checked:
    """Values ready for the template (``context``) and as JSON (``stored``)."""

    context: dict[str, Any]
    stored: dict[str, Any]


def check_values(variables: list[dict[str, Any]], raw: dict[str, Any], language: str) -> Checked:
    known = {variable["name"] for variable in variables}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValidationFailed(
            _("The template has no variable %(name)s.", name=unknown[0]), field=f"variables.{unknown[0]}"
        )
    context: dict[str, Any] = {}
    stored: dict[str, Any] = {}
    for variable in variables:
        value, as_json = _check_one(variable, raw.get(variable["name"]), language)
        context[variable["name"]] = value
        stored[variable["name"]] = as_json
    return Checked(context, stored)


def _refuse(variable: dict[str, Any], message: str) -> ValidationFailed:
    label = variable.get("label") or variable["name"]
    text = _("%(label)s (%(name)s): %(problem)s", label=label, name=variable["name"], problem=message)
    return ValidationFailed(text, field=f"variables.{variable['name']}")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _check_one(variable: dict[str, Any], value: Any, language: str) -> tuple[Any, Any]:
    kind = variable["type"]
    if kind == "yesno":
        return _yes_no(variable, value)
    if _is_empty(value):
        if variable.get("required"):
            raise _refuse(variable, _("required"))
        return ([] if kind == "table" else Blank()), None
    checker = _CHECKERS[kind]
    result: tuple[Any, Any] = checker(variable, value, language)
    return result


def _text(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    if not isinstance(value, str | int):
        raise _refuse(variable, _("expected text"))
    text = str(value).strip()
    if len(text) > _TEXT_LIMIT:
        raise _refuse(variable, _("at most %(n)d characters", n=_TEXT_LIMIT))
    return text, text


def _decimal(variable: dict[str, Any], value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _refuse(variable, _("expected a number"))
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise _refuse(variable, _("%(value)s is not a number", value=str(value)[:40])) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise _refuse(variable, _("the number is out of range"))
    return number


def _number(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    number = _decimal(variable, value)
    return number, str(number)


def _money(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    currency = "CNY"
    if isinstance(value, dict):
        currency = str(value.get("currency") or "CNY").upper()
        value = value.get("amount")
        if _is_empty(value):
            raise _refuse(variable, _("required"))
    elif isinstance(value, str) and (coded := re.fullmatch(r"\s*([A-Za-z]{3})\s+(.+)", value)):
        currency, value = coded.group(1).upper(), coded.group(2)
    amount = _decimal(variable, value)
    if amount < 0:
        raise _refuse(variable, _("an amount cannot be negative"))
    if amount != amount.quantize(Decimal("0.01")):
        raise _refuse(variable, _("an amount has two decimal places at most"))
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise _refuse(variable, _("the currency is a three-letter code such as CNY"))
    amount = amount.quantize(Decimal("0.01"))
    return Money(amount, currency), {"amount": str(amount), "currency": currency}


def _date(variable: dict[str, Any], value: Any, language: str) -> tuple[Any, Any]:
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise _refuse(variable, _("expected a date such as 2026-01-05")) from None
    return Day(day, language), day.isoformat()


def _party(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    fields = value if isinstance(value, dict) else {"name": value}
    if any(not isinstance(item, str | type(None)) for item in fields.values()):
        raise _refuse(variable, _("expected text"))
    name = (fields.get("name") or "").strip()
    if not name:
        raise _refuse(variable, _("the party needs a name"))
    if len(name) > 255:
        raise _refuse(variable, _("at most %(n)d characters", n=255))
    party = Party(name, (fields.get("address") or "").strip(), (fields.get("contact") or "").strip())
    return party, {"name": party.name, "address": party.address, "contact": party.contact}


def _select(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    text = str(value).strip()
    if text not in variable.get("options", []):
        raise _refuse(variable, _("choose one of: %(options)s", options=", ".join(variable.get("options", []))))
    return text, text


def _yes_no(variable: dict[str, Any], value: Any) -> tuple[Any, Any]:
    if value is None or isinstance(value, bool):
        return bool(value), bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True, True
    if text in _FALSE:
        return False, False
    raise _refuse(variable, _("expected yes or no"))


def _table(variable: dict[str, Any], value: Any, _language: str) -> tuple[Any, Any]:
    columns: list[str] = variable.get("columns", [])
    rows = _table_rows(variable, value, columns)
    if len(rows) > _MAX_ROWS:
        raise _refuse(variable, _("at most %(n)d rows", n=_MAX_ROWS))
    return rows, rows


def _table_rows(variable: dict[str, Any], value: Any, columns: list[str]) -> list[dict[str, str]]:
    if isinstance(value, str):
        # The form: one row per line, cells separated by "|".
        value = [
            dict(zip(columns, (cell.strip() for cell in line.split("|")), strict=False))
            for line in value.splitlines()
            if line.strip()
        ]
    if not isinstance(value, list) or any(not isinstance(row, dict) for row in value):
        raise _refuse(variable, _("expected a list of rows"))
    rows = []
    for index, row in enumerate(value, start=1):
        extra = sorted(set(row) - set(columns))
        if extra:
            raise _refuse(variable, _("row %(row)d has no column %(column)s", row=index, column=extra[0]))
        rows.append({column: "" if row.get(column) is None else str(row.get(column)) for column in columns})
    return rows


_CHECKERS: dict[str, Any] = {
    "text": _text,
    "number": _number,
    "money": _money,
    "date": _date,
    "party": _party,
    "select": _select,
    "table": _table,
}


def sample_values(variables: list[dict[str, Any]]) -> dict[str, Any]:
    """Values for a preview: each variable's sample, else a plausible value of its type."""
    defaults: dict[str, Any] = {
        "text": "……",
        "number": "1",
        "money": "100000",
        "date": "2026-01-05",
        "party": "示例公司 Example Co., Ltd.",
        "yesno": True,
    }
    values: dict[str, Any] = {}
    for variable in variables:
        kind, sample = variable["type"], variable.get("sample")
        if sample:
            values[variable["name"]] = sample
        elif kind == "select":
            values[variable["name"]] = (variable.get("options") or [""])[0]
        elif kind == "table":
            values[variable["name"]] = [{column: column for column in variable.get("columns", [])}]
        else:
            values[variable["name"]] = defaults[kind]
    return values

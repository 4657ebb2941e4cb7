"""The custom fields in the ledger: one column per field in use (two for money: amount and
currency), typed like the field, read for a whole batch of contracts in one query."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _

from ..contracts import custom_fields
from ..contracts.field_models import CustomField
from .ledger import Column, Kind, extra_value

#: The ledger cell kind of each field kind (the rest are text).
_KINDS: dict[str, Kind] = {"integer": "integer", "decimal": "money", "money": "money", "date": "date"}


def _key(field: CustomField) -> str:
    return f"cf.{field.key}"


def _currency_key(field: CustomField) -> str:
    return f"cf.{field.key}.currency"


def _heading(text: str) -> Callable[[], str]:
    return lambda: text


def _cell(value: custom_fields.TypedValue) -> object:
    """A typed value as the ledger writes it: numbers and dates stay typed, the rest in words."""
    if isinstance(value, custom_fields.Money):
        return value.amount
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, int | Decimal | date | str):
        return value
    return str(value)


class CustomFieldColumns:
    """The :class:`~repo_app.reports.ledger.ColumnProvider` of custom fields."""

    def __init__(self) -> None:
        self._fields: list[CustomField] = []

    def columns(self) -> Sequence[Column]:
        self._fields = custom_fields.active_fields()
        language = str(get_locale() or "en")
        out: list[Column] = []
        for field in self._fields:
            label = field.label(language)
            out.append(
                Column(_key(field), _heading(label), _KINDS.get(field.kind, "text"), 16, extra_value(_key(field)))
            )
            if field.kind == "money":
                heading = _("%(field)s (currency)", field=label)
                out.append(
                    Column(_currency_key(field), _heading(heading), "text", 8, extra_value(_currency_key(field)))
                )
        return out

    def values(self, contract_ids: Sequence[int]) -> Mapping[int, Mapping[str, object]]:
        shown = {field.key: field for field in self._fields}
        out: dict[int, dict[str, object]] = {}
        for contract_id, values in custom_fields.typed_values(contract_ids).items():
            row: dict[str, object] = {}
            for key, value in values.items():
                field = shown.get(key)
                if field is None:
                    continue  # retired: not a column of this export
                row[_key(field)] = _cell(value)
                if isinstance(value, custom_fields.Money):
                    row[_currency_key(field)] = value.currency
            out[contract_id] = row
        return out

"""Custom fields: administrators define them, contracts carry their values.

A value crosses three forms: the *stored* form (JSON in ``contract_field_values.value``, also
what the API reads and writes in a contract's ``custom_fields`` map), the *typed* form Python
code works with (:data:`TypedValue`: ``int``, ``Decimal``, :class:`Money`, ``date``, ``bool``,
a tuple of choices or text) and what the search index holds (:func:`index_values`).

For other layers (exports, dashboards): :func:`active_fields` lists the definitions in their
order and :func:`typed_values` gives the typed values of many contracts in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from indexer.search import CustomValue
from indexer.search.protocols import CUSTOM_KEY

from ..auth.models import User
from ..auth.roles import Permission
from ..core import clock
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from . import access
from .field_models import FIELD_KINDS, ContractFieldValue, CustomField
from .forms import split_list
from .models import Contract, ContractType, Department

__all__ = [
    "Money",
    "TypedValue",
    "active_fields",
    "all_fields",
    "apply_values",
    "to_dict",
    "field_by_key",
    "index_values",
    "retire_field",
    "save_field",
    "stored_values",
    "typed_values",
]


class Money(NamedTuple):
    amount: Decimal
    currency: str


TypedValue = str | int | Decimal | Money | date | bool | tuple[str, ...]

_TRUE = {"true", "1", "yes", "on", "是"}
_FALSE = {"false", "0", "no", "off", "否"}
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MAX_TEXT = {"text": 255, "long_text": 10000, "counterparty": 255, "url": 2000}


class _Invalid(ValueError):
    """A value that does not fit its field; the message says why (translated)."""


# -- definitions -----------------------------------------------------------------------------------


def all_fields() -> list[CustomField]:
    """Every definition, retired ones included, in their order."""
    return list(db.session.scalars(select(CustomField).order_by(CustomField.position, CustomField.id)))


def active_fields(contract_type: str | None = None, *, any_type: bool = True) -> list[CustomField]:
    """The fields in use, in their order; with ``any_type=False`` only those that apply to
    ``contract_type``."""
    fields = [f for f in all_fields() if f.retired_at is None]
    return fields if any_type else [f for f in fields if f.applies_to(contract_type)]


def field_by_key(key: str) -> CustomField:
    found = db.session.scalar(select(CustomField).where(CustomField.key == key))
    if found is None:
        raise NotFound(_("No such custom field."))
    return found


def save_field(actor: User, key: str, values: Mapping[str, Any]) -> CustomField:
    """Add a field or change one. The key and the kind never change (values depend on them).

    ``values``: kind, label_zh, label_en, help_zh, help_en, required, filterable, default
    (stored or form form), options (list), contract_types (list), position (optional)."""
    access.require(actor, Permission.USER_ADMIN)
    key = key.strip().lower()
    if not CUSTOM_KEY.match(key):
        raise _field_error("key", _("The key must start with a letter and hold only a–z, 0–9 and _ (at most 40)."))
    field = db.session.scalar(select(CustomField).where(CustomField.key == key))
    old = _definition(field) if field is not None else None
    kind = str(values.get("kind") or (field.kind if field else ""))
    if kind not in FIELD_KINDS:
        raise _field_error("kind", _("Unknown field kind %(kind)s.", kind=kind))
    if field is None:
        position = db.session.scalar(select(func.max(CustomField.position))) or 0
        field = CustomField(key=key, kind=kind, position=position + 1, options=[], contract_types=[])
        db.session.add(field)
    elif kind != field.kind:
        raise _field_error("kind", _("The kind of a field cannot change; add a new field instead."))
    _set_definition(field, values)
    db.session.flush()
    record("custom_field.save", actor=actor, key=key, old=old, new=_definition(field))
    return field


def _set_definition(field: CustomField, values: Mapping[str, Any]) -> None:
    label_zh, label_en = str(values.get("label_zh") or "").strip(), str(values.get("label_en") or "").strip()
    if not label_zh or not label_en or len(label_zh) > 80 or len(label_en) > 80:
        raise _field_error("label_zh", _("Give the field a Chinese and an English label (at most 80 characters)."))
    field.label_zh, field.label_en = label_zh, label_en
    field.help_zh = str(values.get("help_zh") or "").strip() or None
    field.help_en = str(values.get("help_en") or "").strip() or None
    field.required = bool(values.get("required"))
    field.filterable = bool(values.get("filterable"))
    options = [str(o).strip() for o in values.get("options") or [] if str(o).strip()]
    if field.kind in ("select", "multi_select") and not options:
        raise _field_error("options", _("A choice field needs at least one option."))
    field.options = list(dict.fromkeys(options)) if field.kind in ("select", "multi_select") else []
    types = [str(t).strip() for t in values.get("contract_types") or [] if str(t).strip()]
    known = set(db.session.scalars(select(ContractType.code)))
    unknown = [t for t in types if t not in known]
    if unknown:
        raise _field_error("contract_types", _("Unknown contract type %(code)s.", code=unknown[0]))
    field.contract_types = list(dict.fromkeys(types))
    if values.get("position") not in (None, ""):
        field.position = int(values["position"])
    raw_default = values.get("default")
    if field.kind == "multi_select" and isinstance(raw_default, str):
        raw_default = split_list(raw_default)
    try:
        field.default = None if _blank(raw_default) else parse_value(field, raw_default)
    except _Invalid as error:
        raise _field_error("default", str(error)) from None


def retire_field(actor: User, field: CustomField, retired: bool) -> None:
    """Retire a field (its values stay, shown and searchable, no longer edited) or bring it back."""
    access.require(actor, Permission.USER_ADMIN)
    if (field.retired_at is not None) == retired:
        return
    field.retired_at = clock.now() if retired else None
    record("custom_field.retire" if retired else "custom_field.restore", actor=actor, key=field.key)


def _definition(field: CustomField) -> dict[str, Any]:
    return {
        "kind": field.kind,
        "label_zh": field.label_zh,
        "label_en": field.label_en,
        "help_zh": field.help_zh,
        "help_en": field.help_en,
        "required": field.required,
        "filterable": field.filterable,
        "default": field.default,
        "options": list(field.options),
        "contract_types": list(field.contract_types),
        "position": field.position,
    }


def to_dict(field: CustomField) -> dict[str, Any]:
    """A definition as the API shows it (labels and help in both languages)."""
    return {"key": field.key, **_definition(field), "retired": field.retired_at is not None}


def _field_error(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={name: message})


# -- one value -------------------------------------------------------------------------------------


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def parse_value(field: CustomField, raw: Any) -> Any:
    """The stored form of a value sent by the API or a form (strings are accepted for every
    kind, as forms send them); raises :class:`_Invalid` with the reason."""
    parser = _PARSERS[field.kind]
    return parser(field, raw)


def _text(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _Invalid(_("must be text"))
    value = raw.strip() if field.kind != "long_text" else raw.strip("\n ")
    limit = _MAX_TEXT.get(field.kind, 255)
    if len(value) > limit:
        raise _Invalid(_("must be at most %(n)d characters", n=limit))
    if field.kind == "url" and not re.match(r"^https?://\S+$", value):
        raise _Invalid(_("must be a web address starting with http:// or https://"))
    return value


def _integer(field: CustomField, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise _Invalid(_("must be a whole number"))
    text = str(raw).replace(",", "").strip()
    if not _INTEGER.match(text):
        raise _Invalid(_("must be a whole number"))
    return int(text)


def _decimal_of(raw: Any, places: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | str | float):
        raise _Invalid(_("must be a number"))
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise _Invalid(_("must be a number")) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise _Invalid(_("must be a number"))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise _Invalid(_("may have at most %(n)d decimal places", n=places))
    return value


def _decimal(field: CustomField, raw: Any) -> str:
    return str(_decimal_of(raw, 4))


def _money(field: CustomField, raw: Any) -> dict[str, str]:
    amount, currency = (raw.get("amount"), raw.get("currency") or "CNY") if isinstance(raw, dict) else (raw, "CNY")
    value = _decimal_of(amount, 2)
    if value < 0:
        raise _Invalid(_("must not be negative"))
    code = str(currency).strip().upper()
    if not _CURRENCY.match(code):
        raise _Invalid(_("needs a three-letter currency code such as CNY"))
    return {"amount": f"{value:.2f}", "currency": code}


def _date(field: CustomField, raw: Any) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise _Invalid(_("must be a date like 2025-03-01")) from None


def _boolean(field: CustomField, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(_("must be yes or no (true or false)"))


def _choice(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str) or raw.strip() not in field.options:
        raise _Invalid(_("must be one of: %(options)s", options=", ".join(field.options)))
    return raw.strip()


def _choices(field: CustomField, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return list(dict.fromkeys(_choice(field, item) for item in items if not _blank(item)))


def _user(field: CustomField, raw: Any) -> str:
    email = str(raw).strip().lower()
    if not db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise _Invalid(_("must be the e-mail address of a user"))
    return email


def _department(field: CustomField, raw: Any) -> str:
    name = str(raw).strip()
    if not db.session.scalar(select(Department.id).where(Department.name == name)):
        raise _Invalid(_("must be the name of a department"))
    return name


_PARSERS = {
    "text": _text,
    "long_text": _text,
    "url": _text,
    "counterparty": _text,
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "date": _date,
    "boolean": _boolean,
    "select": _choice,
    "multi_select": _choices,
    "user": _user,
    "department": _department,
}


def typed(field: CustomField, stored: Any) -> TypedValue:
    """A stored value in its Python type (see the module docstring)."""
    kind = field.kind
    if kind == "integer":
        return int(stored)
    if kind == "decimal":
        return Decimal(str(stored))
    if kind == "money":
        return Money(Decimal(stored["amount"]), stored["currency"])
    if kind == "date":
        return date.fromisoformat(stored)
    if kind == "boolean":
        return bool(stored)
    if kind == "multi_select":
        return tuple(stored)
    return str(stored)


# -- a contract's values ---------------------------------------------------------------------------


def _rows(contract_ids: Sequence[int]) -> list[tuple[int, CustomField, Any]]:
    if not contract_ids:
        return []
    query = (
        select(ContractFieldValue.contract_id, CustomField, ContractFieldValue.value)
        .join(CustomField, CustomField.id == ContractFieldValue.field_id)
        .where(ContractFieldValue.contract_id.in_(list(contract_ids)))
        .order_by(CustomField.position, CustomField.id)
    )
    return [(cid, field, value) for cid, field, value in db.session.execute(query).tuples()]


def stored_values(contract_id: int) -> dict[str, Any]:
    """``{key: stored value}`` of one contract (retired fields included), in field order."""
    return {field.key: value for _, field, value in _rows([contract_id])}


def stored_values_of(contract_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """``{contract id: {key: stored value}}`` for many contracts in one query (a list page)."""
    out: dict[int, dict[str, Any]] = {}
    for cid, field, value in _rows(sorted(set(contract_ids))):
        out.setdefault(cid, {})[field.key] = value
    return out


def typed_values(contract_ids: Iterable[int]) -> dict[int, dict[str, TypedValue]]:
    """``{contract id: {key: typed value}}`` for many contracts in one query (retired fields
    included); a contract without values is absent."""
    out: dict[int, dict[str, TypedValue]] = {}
    for cid, field, value in _rows(sorted(set(contract_ids))):
        out.setdefault(cid, {})[field.key] = typed(field, value)
    return out


def index_values(contract_ids: Iterable[int]) -> dict[int, tuple[tuple[str, CustomValue], ...]]:
    """What the search index holds of each contract's values: money as its amount."""
    return {
        cid: tuple((key, value.amount if isinstance(value, Money) else value) for key, value in values.items())
        for cid, values in typed_values(contract_ids).items()
    }


def apply_values(
    contract: Contract, raw: Mapping[str, Any] | None, *, creating: bool, type_changed: bool = False
) -> None:
    """Set the values sent (a key → value map; null or "" clears a value). On creation, fields
    not sent get their default and required fields must have a value; so must the required
    fields of a new type when the contract's type changes (``type_changed``). A bad value is a
    422 that names the field (``custom_fields.<key>``); nothing is stored then."""
    if raw is None and not creating and not type_changed:
        return
    sent = dict(raw or {})
    fields = {f.key: f for f in all_fields()}
    current = {row.field_id: row for row in _value_rows(contract)} if contract.id else {}
    changes: dict[CustomField, Any] = {}
    for key, value in sent.items():
        field = _editable(fields.get(key), key, value, contract, current)
        if field is not None:
            try:
                changes[field] = None if _blank(value) else parse_value(field, value)
            except _Invalid as error:
                raise _value_error(key, str(error), field) from None
    for field in fields.values():
        if field.retired_at is not None or not field.applies_to(contract.contract_type_code):
            continue
        if creating and field.key not in sent and field.default is not None:
            changes[field] = field.default
        has_value = changes[field] is not None if field in changes else field.id in current
        if field.required and not has_value and (creating or type_changed or field in changes):
            raise _value_error(field.key, _("a value is required"), field)
    _store(contract, current, changes)


def _editable(
    field: CustomField | None, key: str, value: Any, contract: Contract, current: Mapping[int, ContractFieldValue]
) -> CustomField | None:
    """The field a sent value is for, if it may be set (None: a retired field's value sent back
    unchanged, which changes nothing); else the 422 naming it."""
    if field is None:
        raise _value_error(key, _("there is no custom field with this key"))
    if field.retired_at is not None:
        if field.id in current and current[field.id].value == value:
            return None
        raise _value_error(key, _("this field is retired: its value can no longer be changed"), field)
    if not field.applies_to(contract.contract_type_code) and not _blank(value):
        raise _value_error(key, _("this field does not apply to contracts of this type"), field)
    return field


def _value_rows(contract: Contract) -> list[ContractFieldValue]:
    return list(db.session.scalars(select(ContractFieldValue).where(ContractFieldValue.contract_id == contract.id)))


def _store(contract: Contract, current: dict[int, ContractFieldValue], changes: Mapping[CustomField, Any]) -> None:
    if not changes:
        return
    if contract.id is None:
        db.session.flush()
    for field, value in changes.items():
        row = current.get(field.id)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(ContractFieldValue(contract_id=contract.id, field_id=field.id, value=value))
        else:
            row.value = value


def _value_error(key: str, reason: str, field: CustomField | None = None) -> ValidationFailed:
    name = f"custom_fields.{key}"
    label = field.label_zh if field is not None and _chinese() else (field.label_en if field is not None else key)
    return ValidationFailed(
        _("%(label)s (%(name)s): %(reason)s", label=label, name=name, reason=reason), fields={name: reason}
    )


def _chinese() -> bool:
    return str(get_locale() or "zh").startswith("zh")


# -- pages -----------------------------------------------------------------------------------------


def display_text(stored: Any) -> str:
    """A stored value as the pages show it (the ``custom_field_text`` template filter)."""
    if isinstance(stored, bool):
        return _("Yes") if stored else _("No")
    if isinstance(stored, dict):
        return f"{stored.get('amount', '')} {stored.get('currency', '')}".strip()
    if isinstance(stored, list):
        return ", ".join(str(item) for item in stored)
    return "" if stored is None else str(stored)


def display_rows(contract: Contract) -> list[tuple[CustomField, Any]]:
    """The contract page's custom fields: each field with a value (retired ones too), in order."""
    return [(field, value) for _cid, field, value in _rows([contract.id])]


def form_rows(contract: Contract | None) -> list[tuple[CustomField, Any]]:
    """The inputs of the upload and edit forms: every field in use with the contract's value
    (its default on the upload form); the page shows those of the chosen contract type."""
    values = stored_values(contract.id) if contract is not None else {}
    return [(field, values.get(field.key) if contract is not None else field.default) for field in active_fields()]


def values_from_form(form: Any, contract_type: str | None) -> dict[str, Any]:
    """The ``custom_fields`` map of a posted form (inputs named ``cf.<key>``; money has its
    currency in ``cf.<key>.currency``): the fields in use that apply to ``contract_type``,
    an empty input clearing the value."""
    out: dict[str, Any] = {}
    for field in active_fields(contract_type, any_type=False):
        name = f"cf.{field.key}"
        if field.kind == "multi_select":
            out[field.key] = [v for v in form.getlist(name) if v.strip()]
        elif field.kind == "money":
            amount = (form.get(name) or "").strip()
            out[field.key] = {"amount": amount, "currency": form.get(f"{name}.currency") or "CNY"} if amount else None
        else:
            out[field.key] = form.get(name) or None
    return out


def department_names() -> list[str]:
    """The choices of a department field (the ``custom_field_departments`` template global)."""
    return list(db.session.scalars(select(Department.name).order_by(Department.name)))

"""The report builder: a definition (filters, one or two groupings, measures, sort, limit)
aggregated by the database over the contracts the user may read.

The filters are the search page's parameters (``search.services.parse_search_args``), applied
like the ledger export applies them (``ledger.selected_ids`` / ``ledger.filter_clauses``).
Every figure is one GROUP BY (``CASE`` for buckets and currency conversion, date truncation
that SQLite and PostgreSQL both understand); Python only folds the few groups the database
returns, never the contracts.

Money is never added across currencies silently. With ``currency: "split"`` (the default) every
money measure is a map currency → amount (contract amounts by the contract's currency, a money
custom field by its own currency, received and outstanding by the instalments' currency); with
``currency: "CNY"`` every amount is counted in CNY at ``PACTUM_FX_RATES`` (money's rates) and
amounts without a rate are left out and counted in ``uncounted``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..contracts.access import visible_contracts
from ..contracts.custom_fields import all_fields
from ..contracts.field_models import ContractFieldValue, CustomField
from ..contracts.models import Contract, ContractParty, ContractType, Counterparty, Department
from ..contracts.status import status_label
from ..core.errors import ValidationFailed
from ..core.extensions import db
from ..money.models import Direction, Instalment, Payment, PaymentPlan
from ..money.services import BASE_CURRENCY, cents, rates
from . import ledger

FIXED_DIMENSIONS = ("contract_type", "status", "department", "owner", "counterparty")
DATE_COLUMNS = ("created", "signed", "effective", "expiry")
BUCKETS = ("month", "quarter", "year")
AGGREGATES = ("sum", "avg", "min", "max")
MONEY_MEASURES = ("received", "outstanding")
CURRENCY_MODES = ("split", BASE_CURRENCY)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
#: Custom field kinds a report may group by (and date fields, by bucket).
GROUP_KINDS = frozenset({"select", "boolean"})
NUMBER_KINDS = frozenset({"integer", "decimal", "money"})
_CF = re.compile(r"^cf\.([a-z][a-z0-9_]*)$")

Figure = Decimal | dict[str, Decimal] | None


@dataclass(frozen=True)
class Definition:
    """A checked report definition (see :func:`parse_definition`)."""

    filters: dict[str, list[str]]
    group_by: tuple[str, ...]
    measures: tuple[str, ...]
    currency: str = "split"
    sort: str = "-count"
    limit: int = DEFAULT_LIMIT

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "group_by": list(self.group_by),
            "measures": list(self.measures),
            "currency": self.currency,
            "sort": self.sort,
            "limit": self.limit,
        }


@dataclass
class Row:
    """One group: its key values, their labels, the contracts counted and each measure."""

    keys: tuple[str | None, ...]
    labels: tuple[str, ...]
    count: int = 0
    values: dict[str, Figure] = field(default_factory=dict)
    search: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class Report:
    definition: Definition
    columns: tuple[tuple[str, str], ...]  # (measure key, heading)
    group_headings: tuple[str, ...]
    rows: list[Row]
    total_groups: int
    uncounted: int
    currencies: tuple[str, ...]

    def to_dict(self, search_url: Callable[[dict[str, list[str]]], str] | None = None) -> dict[str, Any]:
        return {
            "definition": self.definition.to_dict(),
            "group_headings": list(self.group_headings),
            "measures": [{"key": key, "label": label} for key, label in self.columns],
            "currency_mode": self.definition.currency,
            "currencies": list(self.currencies),
            "uncounted": self.uncounted,
            "total_groups": self.total_groups,
            "rows": [
                {
                    "keys": list(row.keys),
                    "labels": list(row.labels),
                    "count": row.count,
                    "values": {key: _figure_json(value) for key, value in row.values.items()},
                    "search": row.search,
                    "search_url": search_url(row.search) if search_url and row.search is not None else None,
                }
                for row in self.rows
            ],
        }


def _figure_json(value: Figure) -> Any:
    if value is None:
        return None
    if isinstance(value, dict):
        return {currency: str(amount) for currency, amount in sorted(value.items())}
    return str(value)


# --- checking a definition -----------------------------------------------------------------------


def _invalid(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field=path, fields={path: message})


def _fields() -> dict[str, CustomField]:
    return {item.key: item for item in all_fields()}


def _custom(name: str, fields: Mapping[str, CustomField]) -> CustomField | None:
    match = _CF.match(name)
    return fields.get(match.group(1)) if match else None


def check_dimension(name: Any, path: str, fields: Mapping[str, CustomField]) -> str:
    if not isinstance(name, str):
        raise _invalid(path, _("must be text"))
    base, _colon, bucket = name.partition(":")
    if not bucket and base in FIXED_DIMENSIONS:
        return name
    custom = _custom(base, fields)
    if bucket:
        dated = base in DATE_COLUMNS or (custom is not None and custom.kind == "date")
        if dated and bucket in BUCKETS:
            return name
    elif custom is not None and custom.kind in GROUP_KINDS:
        return name
    raise _invalid(path, _("%(name)s is not a grouping.", name=name))


def check_measure(name: Any, path: str, fields: Mapping[str, CustomField]) -> str:
    if not isinstance(name, str):
        raise _invalid(path, _("must be text"))
    if name == "count" or name in MONEY_MEASURES:
        return name
    aggregate, _colon, source = name.partition(":")
    custom = _custom(source, fields)
    if aggregate in AGGREGATES and (source == "amount" or (custom is not None and custom.kind in NUMBER_KINDS)):
        return name
    raise _invalid(path, _("%(name)s is not a measure.", name=name))


def _string_list(value: Any, path: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in items):
        raise _invalid(path, _("must be text or a list of texts"))
    return sorted(str(item) for item in items if str(item).strip())


def _filters(raw: Any, user: User) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _invalid("filters", _("must be an object of search parameters"))
    filters: dict[str, list[str]] = {}
    for name, value in raw.items():
        path = f"filters.{name}"
        if name not in ledger.FILTER_PARAMETERS and not str(name).startswith("cf."):
            raise _invalid(path, _("%(name)s is not a search filter.", name=name))
        values = _string_list(value, path)
        if values:
            filters[name] = values
    try:
        ledger.check_arguments(user, filters)
    except ValidationFailed as error:
        wrong = next(iter(error.extra.get("fields", {})), None)
        path = f"filters.{wrong}" if wrong else "filters"
        raise _invalid(path, error.message) from None
    return filters


def _sort(raw: Any, group_by: Sequence[str], measures: Sequence[str]) -> str:
    if raw is None:
        return f"-{measures[0]}"
    allowed = {f"group{index + 1}" for index in range(len(group_by))} | set(measures)
    if not isinstance(raw, str) or raw.removeprefix("-") not in allowed:
        choices = ", ".join(sorted(allowed))
        raise _invalid("sort", _("sort must be one of: %(sorts)s", sorts=choices))
    return raw


def _limit(raw: Any) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_LIMIT:
        raise _invalid("limit", _("limit must be a whole number from 1 to %(n)d", n=MAX_LIMIT))
    return raw


def parse_definition(body: Any, user: User) -> Definition:
    """A definition from JSON; a mistake is a 422 naming its place (``group_by[1]``, …)."""
    if not isinstance(body, dict):
        raise _invalid("definition", _("The report definition must be a JSON object."))
    unknown = sorted(set(body) - {"filters", "group_by", "measures", "currency", "sort", "limit"})
    if unknown:
        raise _invalid(unknown[0], _("%(name)s is not part of a report definition.", name=unknown[0]))
    fields = _fields()
    group_by = body.get("group_by")
    if not isinstance(group_by, list) or not 1 <= len(group_by) <= 2:
        raise _invalid("group_by", _("Group by one or two dimensions."))
    dims = tuple(check_dimension(name, f"group_by[{index}]", fields) for index, name in enumerate(group_by))
    if len(set(dims)) != len(dims):
        raise _invalid("group_by[1]", _("Group by two different dimensions."))
    measures_raw = body.get("measures", ["count"])
    if not isinstance(measures_raw, list) or not measures_raw:
        raise _invalid("measures", _("Choose at least one measure."))
    measures = tuple(
        dict.fromkeys(check_measure(name, f"measures[{index}]", fields) for index, name in enumerate(measures_raw))
    )
    currency = body.get("currency", "split")
    if currency not in CURRENCY_MODES:
        raise _invalid("currency", _("currency must be one of: %(modes)s", modes=", ".join(CURRENCY_MODES)))
    return Definition(
        filters=_filters(body.get("filters"), user),
        group_by=dims,
        measures=measures,
        currency=currency,
        sort=_sort(body.get("sort"), dims, measures),
        limit=_limit(body.get("limit")),
    )


# --- SQL pieces ----------------------------------------------------------------------------------


def _dialect() -> str:
    return db.engine.dialect.name


def _json_text(column: Any, key: str | None = None) -> ColumnElement[str]:
    """A JSON value (or one key of a JSON object) as text, on SQLite and PostgreSQL."""
    if _dialect() == "sqlite":
        return cast(func.json_extract(column, f"$.{key}" if key else "$"), String)
    if key:
        return type_coerce(column.op("->>")(literal_column(f"'{key}'")), String)  # a fixed key, never user text
    return type_coerce(column.op("#>>")(literal_column("'{}'::text[]")), String)


def _month_of(column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a date or timestamp column (the dashboard's month, both databases)."""
    if _dialect() == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def _bucket(month: ColumnElement[str], bucket: str) -> ColumnElement[str]:
    """``2025-03`` (month), ``2025-Q1`` (quarter) or ``2025`` (year) from a ``YYYY-MM`` text."""
    if bucket == "month":
        return month
    year = func.substr(month, 1, 4)
    if bucket == "year":
        return year
    return type_coerce(year + literal("-Q") + cast(_quarter_case(month), String), String)


def _quarter_case(month: ColumnElement[str]) -> ColumnElement[int]:
    """The quarter of a ``YYYY-MM`` text (a text comparison: both databases, no arithmetic)."""
    part = func.substr(month, 6, 2)
    return case((part <= "03", 1), (part <= "06", 2), (part <= "09", 3), else_=4)


_DATE_ATTRIBUTES = {
    "created": Contract.created_at,
    "signed": Contract.signed_date,
    "effective": Contract.effective_date,
    "expiry": Contract.expiry_date,
}
#: The search parameter prefix of each date column (effective dates are not a search filter).
_DATE_FILTERS = {"created": "created", "signed": "signed", "expiry": "expiry"}


@dataclass
class _Query:
    """Joins a report query needs, added once each."""

    select: Select[Any]
    custom_values: dict[str, Any] = field(default_factory=dict)
    joined: set[str] = field(default_factory=set)

    def value_of(self, custom: CustomField) -> Any:
        if custom.key not in self.custom_values:
            alias = aliased(ContractFieldValue)
            self.select = self.select.outerjoin(
                alias, and_(alias.contract_id == Contract.id, alias.field_id == custom.id)
            )
            self.custom_values[custom.key] = alias.value
        return self.custom_values[custom.key]

    def join(self, name: str, target: Any, on: Any) -> None:
        if name not in self.joined:
            self.select = self.select.outerjoin(target, on)
            self.joined.add(name)


def _dimension(query: _Query, name: str, fields: Mapping[str, CustomField]) -> Any:
    base, _colon, bucket = name.partition(":")
    if bucket:
        custom = _custom(base, fields)
        month = (
            func.substr(_json_text(query.value_of(custom)), 1, 7)
            if custom is not None
            else _month_of(_DATE_ATTRIBUTES[base])
        )
        return _bucket(month, bucket)
    if base == "contract_type":
        return Contract.contract_type_code
    if base == "status":
        return Contract.status
    if base == "department":
        query.join("department", Department, Department.id == Contract.department_id)
        return Department.name
    if base == "owner":
        query.join("owner", User, User.id == Contract.owner_id)
        return User.email
    if base == "counterparty":
        query.join("party", ContractParty, ContractParty.contract_id == Contract.id)
        query.join("counterparty", Counterparty, Counterparty.id == ContractParty.counterparty_id)
        return Counterparty.name
    custom = _custom(base, fields)
    assert custom is not None
    text = _json_text(query.value_of(custom))
    if custom.kind == "boolean":
        return case((text.in_(("1", "true")), "true"), (text.in_(("0", "false")), "false"), else_=None)
    return text


def _rate_case(currency: Any) -> ColumnElement[Any]:
    """What one unit of ``currency`` is worth in CNY (NULL without a rate)."""
    table = rates()
    return case(*((currency == code, literal(rate, Numeric(18, 8))) for code, rate in table.items()), else_=None)


# --- running a definition ------------------------------------------------------------------------


def _base(user: User, definition: Definition) -> Select[Any]:
    """The visible contracts that match the filters (with words or custom field filters, the
    search engine chooses them, like the ledger export)."""
    arguments = definition.filters
    visible = visible_contracts(user)
    if ledger.needs_engine(arguments):
        ids = ledger.selected_ids(user, arguments)
        return visible.where(Contract.id.in_(bindparam("report_ids", ids, expanding=True, literal_execute=True)))
    return visible.where(*ledger.filter_clauses(ledger.parse_arguments(user, arguments)))


@dataclass
class _Source:
    """Measures read by one GROUP BY: its value expressions and the currency they are in."""

    measures: list[str]
    currency: Any | None = None


def _measure_value(query: _Query, name: str, fields: Mapping[str, CustomField]) -> tuple[Any, Any | None]:
    """The value expression of ``sum:…``-like measures and its currency (None: not money)."""
    _aggregate, _colon, source = name.partition(":")
    if source == "amount":
        return Contract.amount, Contract.currency
    custom = _custom(source, fields)
    assert custom is not None
    value = query.value_of(custom)
    if custom.kind == "money":
        return cast(_json_text(value, "amount"), Numeric(18, 2)), _json_text(value, "currency")
    return cast(_json_text(value), Numeric(24, 4)), None


_AGGREGATE_FUNCTIONS: dict[str, Any] = {"sum": func.sum, "avg": func.avg, "min": func.min, "max": func.max}


class _Folder:
    """Rows of the GROUP BYs folded into one :class:`Row` per group."""

    def __init__(self, definition: Definition, fields: Mapping[str, CustomField]) -> None:
        self.definition = definition
        self.fields = fields
        self.rows: dict[tuple[Any, ...], Row] = {}
        self.uncounted = 0
        self.currencies: set[str] = set()

    def row(self, keys: tuple[Any, ...]) -> Row:
        key = tuple(None if value is None else str(value) for value in keys)
        if key not in self.rows:
            self.rows[key] = Row(keys=key, labels=())
        return self.rows[key]

    def put(self, row: Row, measure: str, value: Any, currency: str | None) -> None:
        if value is None:
            return
        amount = _rounded(Decimal(str(value)), _is_money(measure, self.fields))
        if currency is None:
            row.values[measure] = amount
            return
        self.currencies.add(currency)
        found = row.values.get(measure)
        per_currency = found if isinstance(found, dict) else {}
        per_currency[currency] = per_currency.get(currency, Decimal(0)) + amount
        row.values[measure] = per_currency


def _is_money(measure: str, fields: Mapping[str, CustomField]) -> bool:
    if measure in MONEY_MEASURES:
        return True
    source = measure.partition(":")[2]
    custom = _custom(source, fields)
    return source == "amount" or (custom is not None and custom.kind == "money")


def _rounded(value: Decimal, money: bool) -> Decimal:
    """Money to the cent (half up, money's one rule); other numbers to four places at most."""
    if money:
        return cents(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()


def _group_query(user: User, definition: Definition, fields: Mapping[str, CustomField]) -> tuple[_Query, list[Any]]:
    query = _Query(_base(user, definition))
    dims = [_dimension(query, name, fields) for name in definition.group_by]
    return query, dims


def _run_counts(user: User, definition: Definition, fields: Mapping[str, CustomField], folder: _Folder) -> None:
    """Count and the measures that are not money (or money counted in CNY) in one GROUP BY."""
    query, dims = _group_query(user, definition, fields)
    # a contract has one row per group unless grouped by counterparty (one row per party)
    parties = "counterparty" in definition.group_by
    columns: list[Any] = [func.count(func.distinct(Contract.id)) if parties else func.count(Contract.id)]
    names: list[str] = []
    converted = definition.currency != "split"
    for name in definition.measures:
        if name == "count" or name in MONEY_MEASURES:
            continue
        aggregate, _colon, _source = name.partition(":")
        value, currency = _measure_value(query, name, fields)
        if currency is not None and not converted:
            continue
        if currency is not None:
            value = value * _rate_case(currency)
            columns.append(func.sum(case((and_(value.is_(None), _measure_present(name, query, fields)), 1), else_=0)))
            names.append(f"uncounted:{name}")
        columns.append(_AGGREGATE_FUNCTIONS[aggregate](value))
        names.append(name)
    statement = query.select.with_only_columns(*dims, *columns).group_by(*dims)
    width = len(dims)
    for result in db.session.execute(statement):
        row = folder.row(tuple(result[:width]))
        row.count = int(result[width] or 0)
        for name, value in zip(names, result[width + 1 :], strict=True):
            if name.startswith("uncounted:"):
                folder.uncounted += int(value or 0)
            else:
                folder.put(row, name, value, None)


def _measure_present(name: str, query: _Query, fields: Mapping[str, CustomField]) -> ColumnElement[bool]:
    value, _currency = _measure_value(query, name, fields)
    present: ColumnElement[bool] = value.is_not(None)
    return present


def _run_money(user: User, definition: Definition, fields: Mapping[str, CustomField], folder: _Folder) -> None:
    """Each money measure per currency (``split``): one GROUP BY per source of currency."""
    by_source: dict[str, list[str]] = {}
    for name in definition.measures:
        if name == "count" or name in MONEY_MEASURES:
            continue
        source = name.partition(":")[2]
        if source == "amount" or fields[source[3:]].kind == "money":
            by_source.setdefault(source, []).append(name)
    for names in by_source.values():
        query, dims = _group_query(user, definition, fields)
        values = [_measure_value(query, name, fields) for name in names]
        currency: Any = values[0][1]
        aggregates = [
            _AGGREGATE_FUNCTIONS[name.partition(":")[0]](value) for name, (value, _c) in zip(names, values, strict=True)
        ]
        statement = (
            query.select.with_only_columns(*dims, currency, *aggregates)
            .where(currency.is_not(None))
            .group_by(*dims, currency)
        )
        width = len(dims)
        for result in db.session.execute(statement):
            row = folder.row(tuple(result[:width]))
            for name, value in zip(names, result[width + 1 :], strict=True):
                folder.put(row, name, value, str(result[width]))


def _instalments() -> Any:
    """Each receivable instalment: its contract, currency, planned, received and open amounts
    (a percentage of the contract amount rounded to the cent, like ``money.planned_amount``)."""
    paid = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.instalment_id == Instalment.id, Payment.reversed_at.is_(None))
        .scalar_subquery()
    )
    whole = select(Contract.amount).where(Contract.id == Instalment.contract_id).scalar_subquery()
    planned = func.coalesce(Instalment.amount, func.round(whole * Instalment.percent / 100, 2))
    direction = select(PaymentPlan.direction).where(PaymentPlan.contract_id == Instalment.contract_id).scalar_subquery()
    open_amount = case((planned - paid > 0, planned - paid), else_=0)
    return (
        select(
            Instalment.contract_id.label("contract_id"),
            Instalment.currency.label("currency"),
            paid.label("received"),
            open_amount.label("outstanding"),
        )
        .where(func.coalesce(direction, Direction.RECEIVABLE.value) == Direction.RECEIVABLE.value)
        .subquery("report_instalments")
    )


def _run_payments(user: User, definition: Definition, fields: Mapping[str, CustomField], folder: _Folder) -> None:
    names = [name for name in definition.measures if name in MONEY_MEASURES]
    if not names:
        return
    query, dims = _group_query(user, definition, fields)
    parts = _instalments()
    query.select = query.select.join(parts, parts.c.contract_id == Contract.id)
    converted = definition.currency != "split"
    rate = _rate_case(parts.c.currency)
    currency: Any = literal(BASE_CURRENCY) if converted else parts.c.currency
    values = [parts.c[name] * rate if converted else parts.c[name] for name in names]
    statement = query.select.with_only_columns(
        *dims, currency, *(func.sum(value) for value in values), func.sum(case((rate.is_(None), 1), else_=0))
    ).group_by(*dims, *([] if converted else [parts.c.currency]))
    width = len(dims)
    for result in db.session.execute(statement):
        row = folder.row(tuple(result[:width]))
        for name, value in zip(names, result[width + 1 : width + 1 + len(names)], strict=True):
            folder.put(row, name, value, None if converted else str(result[width]))
        if converted:
            folder.uncounted += int(result[-1] or 0)


# --- labels, links, order --------------------------------------------------------------------------


def _labeller(
    name: str, language: str, fields: Mapping[str, CustomField], values: Iterable[str | None]
) -> Callable[[str | None], str]:
    base, _colon, bucket = name.partition(":")
    if bucket:
        return lambda value: value or _("No date")
    if base == "contract_type":
        names = {row.code: row.label(language) for row in db.session.scalars(select(ContractType))}
        return lambda value: names.get(value, value) if value else _("No type")
    if base == "status":
        return lambda value: status_label(value) if value else "—"
    if base == "owner":
        emails = [value for value in values if value]
        found = select(User.email, func.coalesce(User.display_name, User.email)).where(User.email.in_(emails))
        people = dict(db.session.execute(found).tuples().all())
        return lambda value: people.get(value, value) if value else "—"
    if base == "department":
        return lambda value: value or _("No department")
    if base == "counterparty":
        return lambda value: value or _("No counterparty")
    custom = _custom(base, fields)
    if custom is not None and custom.kind == "boolean":
        return lambda value: {"true": _("yes"), "false": _("no")}.get(value or "", _("Not set"))
    return lambda value: value or _("Not set")


def _bucket_range(value: str, bucket: str) -> tuple[str, str]:
    from calendar import monthrange

    year = int(value[:4])
    if bucket == "year":
        first, last = 1, 12
    elif bucket == "quarter":
        quarter = int(value[-1])
        first, last = quarter * 3 - 2, quarter * 3
    else:
        first = last = int(value[5:7])
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{monthrange(year, last)[1]:02d}"


def _group_search(name: str, value: str | None) -> dict[str, list[str]] | None:
    """The search parameters listing the contracts of one group (None: search cannot say it)."""
    if value is None:
        return None
    base, _colon, bucket = name.partition(":")
    if bucket:
        low, high = _bucket_range(value, bucket)
        if base.startswith("cf."):
            return {f"{base}.min": [low], f"{base}.max": [high]}
        prefix = _DATE_FILTERS.get(base)
        return {f"{prefix}_from": [low], f"{prefix}_to": [high]} if prefix else None
    return {base: [value]}


def _row_search(definition: Definition, keys: Sequence[str | None]) -> dict[str, list[str]] | None:
    search = {name: list(values) for name, values in definition.filters.items() if name != "sort"}
    for name, value in zip(definition.group_by, keys, strict=True):
        part = _group_search(name, value)
        if part is None:
            return None
        for param, values in part.items():
            if param.endswith(("_from", ".min")) and param in search:
                values = [max(values[0], search[param][0])]
            if param.endswith(("_to", ".max")) and param in search:
                values = [min(values[0], search[param][0])]
            search[param] = values
    return search


def _order_key(sort: str, index: int) -> Callable[[Row], Any]:
    name = sort.removeprefix("-")

    def value(row: Row) -> Any:
        if name.startswith("group"):
            key = row.keys[int(name[5:]) - 1]
            return (key is None, key or "")
        if name == "count":
            return (False, row.count)
        figure = row.values.get(name)
        if isinstance(figure, dict):  # per currency: the base currency's figure, else the largest
            figure = figure.get(BASE_CURRENCY, max(figure.values(), default=None))
        return (figure is None, figure if figure is not None else Decimal(0))

    return value


def _sorted(rows: Iterable[Row], sort: str) -> list[Row]:
    descending = sort.startswith("-")
    items = list(rows)
    present = [row for row in items if not _order_key(sort, 0)(row)[0]]
    missing = [row for row in items if _order_key(sort, 0)(row)[0]]
    present.sort(key=lambda row: (_order_key(sort, 0)(row)[1], row.labels), reverse=descending)
    return present + missing


def measure_label(name: str, language: str, fields: Mapping[str, CustomField]) -> str:
    if name == "count":
        return _("Contracts")
    if name == "received":
        return _("Received")
    if name == "outstanding":
        return _("Outstanding")
    aggregate, _colon, source = name.partition(":")
    custom = _custom(source, fields)
    what = custom.label(language) if custom is not None else _("Amount")
    words = {"sum": _("Sum of %(what)s"), "avg": _("Average %(what)s"), "min": _("Lowest %(what)s")}
    return words.get(aggregate, _("Highest %(what)s")) % {"what": what}


def dimension_label(name: str, language: str, fields: Mapping[str, CustomField]) -> str:
    base, _colon, bucket = name.partition(":")
    names = {
        "contract_type": _("Type"),
        "status": _("Status"),
        "department": _("Department"),
        "owner": _("Owner"),
        "counterparty": _("Counterparty"),
        "created": _("Created"),
        "signed": _("Signed"),
        "effective": _("Effective"),
        "expiry": _("Expiry"),
    }
    custom = _custom(base, fields)
    label = custom.label(language) if custom is not None else names.get(base, base)
    if bucket:
        buckets = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}
        return f"{label} ({buckets[bucket]})"
    return label


def run(user: User, definition: Definition, language: str) -> Report:
    """The report of ``definition`` over what ``user`` may read now."""
    fields = _fields()
    folder = _Folder(definition, fields)
    _run_counts(user, definition, fields, folder)
    if definition.currency == "split":
        _run_money(user, definition, fields, folder)
    _run_payments(user, definition, fields, folder)
    labellers = [
        _labeller(name, language, fields, {row.keys[index] for row in folder.rows.values()})
        for index, name in enumerate(definition.group_by)
    ]
    for row in folder.rows.values():
        row.labels = tuple(label(key) for label, key in zip(labellers, row.keys, strict=True))
        row.search = _row_search(definition, row.keys)
    ordered = _sorted((row for row in folder.rows.values() if row.count), definition.sort)
    return Report(
        definition=definition,
        columns=tuple((name, measure_label(name, language, fields)) for name in definition.measures),
        group_headings=tuple(dimension_label(name, language, fields) for name in definition.group_by),
        rows=ordered[: definition.limit],
        total_groups=len(ordered),
        uncounted=folder.uncounted,
        currencies=tuple(sorted(folder.currencies)),
    )


def describe(definition: Definition, language: str) -> list[str]:
    """The definition in words (the PDF's header, the e-mail)."""
    fields = _fields()
    lines = ledger.describe(definition.filters)
    groups = ", ".join(dimension_label(name, language, fields) for name in definition.group_by)
    lines.append(_("Grouped by: %(groups)s", groups=groups))
    lines.append(
        _("Measures: %(measures)s", measures=", ".join(measure_label(m, language, fields) for m in definition.measures))
    )
    if definition.currency == "split":
        lines.append(_("Amounts per currency (never added across currencies)."))
    else:
        lines.append(_("Amounts counted in %(currency)s at the configured exchange rates.", currency=BASE_CURRENCY))
    return lines


def choices(language: str) -> dict[str, list[tuple[str, str]]]:
    """What the builder page offers: groupings and measures with their labels."""
    fields = _fields()
    usable = [item for item in fields.values() if item.retired_at is None]
    dims = [*FIXED_DIMENSIONS]
    dims += [f"{column}:{bucket}" for column in DATE_COLUMNS for bucket in BUCKETS]
    dims += [f"cf.{item.key}" for item in usable if item.kind in GROUP_KINDS]
    dims += [f"cf.{item.key}:{bucket}" for item in usable if item.kind == "date" for bucket in BUCKETS]
    measures = ["count", *(f"{agg}:amount" for agg in AGGREGATES), *MONEY_MEASURES]
    measures += [f"{agg}:cf.{item.key}" for item in usable if item.kind in NUMBER_KINDS for agg in AGGREGATES]
    return {
        "group_by": [(name, dimension_label(name, language, fields)) for name in dims],
        "measures": [(name, measure_label(name, language, fields)) for name in measures],
    }


__all__ = ["Definition", "Report", "Row", "choices", "describe", "parse_definition", "run"]

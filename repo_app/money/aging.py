"""Instalments of the contracts a user may read, filtered and summed by the database: what the
dashboard's money charts count and what the instalment list behind each chart shows.

One query shape serves both (:func:`rows` lists, :func:`grouped` sums the same rows), so a
chart's figure and the list its link opens cannot disagree. Per instalment the SQL works out
its due day (fixed, after the effective date, after a milestone), its planned amount (a
percentage of the contract amount rounded to the cent), what was paid towards it (reversed
payments left out) and what is still open. Amounts stay in their currency; the few per-currency
sums are counted in CNY afterwards (``services.convert``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.expression import Subquery

from ..auth.models import User
from ..contracts import access
from ..contracts.models import Contract, ContractParty, Counterparty
from ..core.extensions import db
from ..lifecycle.models import Milestone
from .models import Direction, DueRule, Instalment, Payment, PaymentPlan
from .services import BASE_CURRENCY, CENT, convert

#: ``Filter.counterparty_id`` of the instalments of contracts naming no counterparty.
NO_COUNTERPARTY = 0


@dataclass(frozen=True)
class Filter:
    """Which instalments: of one direction, falling due in a range, still open, of one
    counterparty, or (``paid_from``/``paid_to``) with payments made in a range — then the
    amount counted is what was paid in that range."""

    #: None: both directions (for grouping by direction; a link always names one).
    direction: str | None = Direction.RECEIVABLE.value
    due_from: date | None = None
    due_to: date | None = None
    #: Also count instalments without a due day (with ``due_from``: "not yet due").
    undated: bool = False
    open_only: bool = False
    counterparty_id: int | None = None
    paid_from: date | None = None
    paid_to: date | None = None

    @property
    def measure(self) -> str:
        """The amount a row stands for: paid in the range, open, or planned."""
        if self.paid_from or self.paid_to:
            return "paid_in_range"
        return "open" if self.open_only else "planned"

    def to_args(self) -> dict[str, str]:
        """The filter as query-string arguments (the link of a chart's bar)."""
        values: dict[str, Any] = {
            "direction": self.direction,
            "due_from": self.due_from,
            "due_to": self.due_to,
            "undated": "1" if self.undated else None,
            "open": "1" if self.open_only else None,
            "counterparty": self.counterparty_id,
            "paid_from": self.paid_from,
            "paid_to": self.paid_to,
        }
        return {key: str(value) for key, value in values.items() if value is not None}


def _days_after(day: Any, days: Any) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":
        return func.date(day, func.printf("%+d days", func.coalesce(days, 0)))
    return cast(day, Date) + func.coalesce(days, 0)


def _day_of(moment: Any) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":
        return func.date(moment)
    return cast(moment, Date)


def _due_day() -> ColumnElement[Any]:
    """The instalment's due day, as ``services.due_of`` finds it (needs Contract and an outer
    join of Milestone)."""
    after_milestone = func.coalesce(_day_of(Milestone.done_at), Milestone.due_date)
    due = case(
        (Instalment.due_rule == DueRule.EFFECTIVE.value, _days_after(Contract.effective_date, Instalment.offset_days)),
        (Instalment.due_rule == DueRule.MILESTONE.value, _days_after(after_milestone, Instalment.offset_days)),
        else_=Instalment.due_date,
    )
    return type_coerce(due, Date)


def _planned() -> ColumnElement[Any]:
    """The amount, or the percentage of the contract amount rounded to the cent."""
    return func.coalesce(Instalment.amount, func.round(Contract.amount * Instalment.percent / 100, 2))


def _first_counterparty() -> Any:
    return (
        select(ContractParty.counterparty_id)
        .where(ContractParty.contract_id == Contract.id)
        .order_by(ContractParty.position, ContractParty.counterparty_id)
        .limit(1)
        .scalar_subquery()
    )


def _paid(chosen: Filter) -> Subquery:
    """Per instalment: what was paid in the filter's range (reversed payments left out)."""
    in_range = and_(
        Payment.paid_on >= chosen.paid_from if chosen.paid_from else literal(True),
        Payment.paid_on <= chosen.paid_to if chosen.paid_to else literal(True),
    )
    return (
        select(
            Payment.instalment_id.label("instalment_id"),
            func.sum(Payment.amount).label("paid_in_range"),
        )
        .where(Payment.reversed_at.is_(None), in_range)
        .group_by(Payment.instalment_id)
        .subquery("paid")
    )


def _instalments(user: User, chosen: Filter, *, party: bool = False) -> Select[Any]:
    """One row per instalment of a contract ``user`` may read, with its direction, due day and
    amounts; only the filter's rows (``direction`` None: both directions). What was paid in a
    range is summed only when the filter needs it, the first counterparty looked up only with
    ``party`` or a counterparty filter (each costs a pass over many rows)."""
    visible = access.visible_contracts(user)
    planned = _planned()
    direction = func.coalesce(PaymentPlan.direction, Direction.RECEIVABLE.value)
    columns: list[Any] = [
        Instalment.id.label("instalment_id"),
        Instalment.contract_id.label("contract_id"),
        Instalment.currency.label("currency"),
        Instalment.condition.label("condition"),
        direction.label("direction"),
        _due_day().label("due"),
        planned.label("planned"),
        Instalment.paid_amount.label("paid"),
        (planned - Instalment.paid_amount).label("open"),
    ]
    paid = _paid(chosen) if chosen.measure == "paid_in_range" else None
    if paid is not None:
        columns.append(func.coalesce(paid.c.paid_in_range, 0).label("paid_in_range"))
    if party or chosen.counterparty_id is not None:
        columns.append(_first_counterparty().label("counterparty_id"))
    query = (
        select(*columns)
        .select_from(Instalment)
        .join(Contract, Contract.id == Instalment.contract_id)
        .outerjoin(PaymentPlan, PaymentPlan.contract_id == Instalment.contract_id)
        .outerjoin(Milestone, Milestone.id == Instalment.milestone_id)
    )
    if paid is not None:
        query = query.outerjoin(paid, paid.c.instalment_id == Instalment.id)
    if chosen.direction is not None:
        query = query.where(direction == chosen.direction)
    if visible.whereclause is not None:
        query = query.where(visible.whereclause)
    if chosen.open_only:
        query = query.where(Instalment.settled_on.is_(None))
    if paid is not None:
        query = query.where(paid.c.paid_in_range > 0)
    return query


def _where(table: FromClause, chosen: Filter) -> list[ColumnElement[bool]]:
    """Conditions on the computed columns (the due day, the open amount, the counterparty)."""
    due = table.c.due
    dated: list[ColumnElement[bool]] = []
    if chosen.due_from:
        dated.append(due >= chosen.due_from)
    if chosen.due_to:
        dated.append(due <= chosen.due_to)
    conditions: list[ColumnElement[bool]] = []
    if dated:
        conditions.append(or_(and_(*dated), due.is_(None)) if chosen.undated else and_(*dated))
    if chosen.open_only:
        conditions.append(table.c.open > 0)
    if chosen.counterparty_id == NO_COUNTERPARTY:
        conditions.append(table.c.counterparty_id.is_(None))
    elif chosen.counterparty_id is not None:
        conditions.append(table.c.counterparty_id == chosen.counterparty_id)
    return conditions


def money(value: Any) -> Decimal:
    """A sum read from the database, to the cent (SQLite hands sums of NUMERIC back as floats)."""
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass(frozen=True)
class Totals:
    """How many instalments, their amounts per currency and all of them in CNY (None when a
    currency has no rate)."""

    count: int
    amounts: Mapping[str, Decimal]

    @property
    def cny(self) -> Decimal | None:
        total = Decimal(0)
        for currency, amount in self.amounts.items():
            converted = convert(amount, currency, BASE_CURRENCY)
            if converted is None:
                return None
            total += converted
        return total


def _fold(rows: Iterable[Any]) -> dict[Any, Totals]:
    counts: dict[Any, int] = {}
    amounts: dict[Any, dict[str, Decimal]] = {}
    for key, currency, count, total in rows:
        if not count:
            continue
        counts[key] = counts.get(key, 0) + int(count or 0)
        per_currency = amounts.setdefault(key, {})
        per_currency[currency] = per_currency.get(currency, Decimal(0)) + money(total)
    return {key: Totals(counts[key], amounts[key]) for key in counts}


def grouped(
    user: User, chosen: Filter, *keys: Any, buckets: Mapping[str, Filter] | None = None
) -> dict[Any, dict[Any, Totals]]:
    """Count and sum the filter's instalments in one query, grouped by ``keys`` (functions of
    the instalments subquery: its direction, due month, counterparty). With ``buckets``, each
    named range of due days is summed in the same pass (conditional aggregation); without,
    everything counts as the one bucket ``""``. Answers bucket → group key → totals (the key
    a tuple when there are several)."""
    rows = _instalments(user, chosen, party=counterparty in keys)
    # with buckets, materialized: the due day and the open amount are worked out once per
    # instalment, not again in each bucket's conditional sums (SQLite and PostgreSQL would
    # inline the rows); without, the rows are filtered as they are read
    table = rows.cte("chosen").prefix_with("MATERIALIZED") if buckets else rows.subquery("chosen")
    amount = table.c[chosen.measure]
    groups = [key(table) for key in keys]
    ranges = buckets if buckets is not None else {"": chosen}
    columns: list[Any] = [*groups, table.c.currency]
    for bucket in ranges.values():
        inside = _where(table, bucket) if buckets is not None else []
        condition = and_(*inside) if inside else literal(True)
        columns += [func.sum(case((condition, 1), else_=0)), func.sum(case((condition, amount), else_=0))]
    query = select(*columns).select_from(table).where(*_where(table, chosen)).group_by(*groups, table.c.currency)
    found: dict[str, list[tuple[Any, str, Any, Any]]] = {name: [] for name in ranges}
    width = len(groups)
    for row in db.session.execute(query):
        key = row[0] if width == 1 else tuple(row[:width])
        currency, values = row[width], row[width + 1 :]
        for index, name in enumerate(ranges):
            found[name].append((key, currency, values[2 * index], values[2 * index + 1]))
    return {name: _fold(rows) for name, rows in found.items()}


def total(found: Mapping[Any, Totals]) -> Totals:
    """The totals of several groups together."""
    count = 0
    amounts: dict[str, Decimal] = {}
    for part in found.values():
        count += part.count
        for currency, amount in part.amounts.items():
            amounts[currency] = amounts.get(currency, Decimal(0)) + amount
    return Totals(count, amounts)


def direction(table: FromClause) -> ColumnElement[Any]:
    return table.c.direction


def _month_of(day: Any) -> ColumnElement[str]:
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", day)
    return func.to_char(day, "YYYY-MM")


def paid_per_month(user: User, since: date, until: date) -> dict[Any, Totals]:
    """Per (direction, month of ``paid_on``): the instalments paid towards and the sums paid
    (reversed payments left out) — what ``Filter(paid_from=…, paid_to=…)`` lists month by month."""
    month = _month_of(Payment.paid_on)
    visible = access.visible_contracts(user)
    way = func.coalesce(PaymentPlan.direction, Direction.RECEIVABLE.value)
    query = (
        select(
            way, month, Instalment.currency, func.count(func.distinct(Payment.instalment_id)), func.sum(Payment.amount)
        )
        .select_from(Payment)
        .join(Instalment, Instalment.id == Payment.instalment_id)
        .join(Contract, Contract.id == Payment.contract_id)
        .outerjoin(PaymentPlan, PaymentPlan.contract_id == Payment.contract_id)
        .where(Payment.reversed_at.is_(None), Payment.paid_on >= since, Payment.paid_on <= until)
        .group_by(way, month, Instalment.currency)
    )
    if visible.whereclause is not None:
        query = query.where(visible.whereclause)
    return _fold(
        ((way_, month_), currency, count, amount) for way_, month_, currency, count, amount in db.session.execute(query)
    )


def due_month(table: FromClause) -> ColumnElement[str]:
    return _month_of(table.c.due)


def counterparty(table: FromClause) -> ColumnElement[Any]:
    return table.c.counterparty_id


@dataclass(frozen=True)
class Row:
    instalment_id: int
    contract_id: int
    contract_title: str
    counterparty: str | None
    due: date | None
    currency: str
    amount: Decimal
    condition: str | None


def rows(user: User, chosen: Filter, limit: int = 500) -> list[Row]:
    """The instalments the filter selects (at most ``limit``, the earliest due first)."""
    table = _instalments(user, chosen, party=True).subquery("instalments")
    query = (
        select(
            table.c.instalment_id,
            table.c.contract_id,
            Contract.title,
            Counterparty.name,
            table.c.due,
            table.c.currency,
            table.c[chosen.measure],
            table.c.condition,
        )
        .select_from(table)
        .join(Contract, Contract.id == table.c.contract_id)
        .outerjoin(Counterparty, Counterparty.id == table.c.counterparty_id)
        .where(*_where(table, chosen))
        .order_by(table.c.due, table.c.instalment_id)
        .limit(limit)
    )
    found = []
    for instalment_id, contract_id, title, name, due, currency, amount, condition in db.session.execute(query):
        found.append(Row(instalment_id, contract_id, title, name, due, currency, money(amount), condition))
    return found


def totals_of(found: Iterable[Row]) -> Totals:
    amounts: dict[str, Decimal] = {}
    count = 0
    for row in found:
        count += 1
        amounts[row.currency] = amounts.get(row.currency, Decimal(0)) + row.amount
    return Totals(count, amounts)


def counterparty_names(ids: Iterable[Any]) -> dict[int, str]:
    wanted = [value for value in ids if value is not None]
    if not wanted:
        return {}
    query = select(Counterparty.id, Counterparty.name).where(Counterparty.id.in_(wanted))
    return dict(db.session.execute(query).tuples().all())


def filter_from(args: Mapping[str, str]) -> Filter:
    """A filter from query-string arguments (unknown or malformed values are ignored)."""

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(args.get(name, ""))
        except ValueError:
            return None

    direction = args.get("direction", Direction.RECEIVABLE.value)
    if direction not in {item.value for item in Direction}:
        direction = Direction.RECEIVABLE.value
    raw_party = args.get("counterparty", "")
    return Filter(
        direction=direction,
        due_from=day("due_from"),
        due_to=day("due_to"),
        undated=args.get("undated") == "1",
        open_only=args.get("open") == "1",
        counterparty_id=int(raw_party) if raw_party.isdigit() else None,
        paid_from=day("paid_from"),
        paid_to=day("paid_to"),
    )


__all__ = [
    "NO_COUNTERPARTY",
    "Filter",
    "Row",
    "Totals",
    "counterparty",
    "direction",
    "due_month",
    "filter_from",
    "grouped",
    "paid_per_month",
    "rows",
    "total",
]

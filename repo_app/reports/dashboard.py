"""The home dashboard's figures, counted by the database (GROUP BY, SUM(CASE …)) over the
contracts the viewer may read (the contract list's filter), never by a loop over rows.

Every bar or figure carries the search parameters that list its contracts, so a chart links to
the search page showing exactly what it counted.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Index, Select, case, func, select

from ..auth.models import User
from ..contracts.access import visible_contracts
from ..contracts.models import Contract, ContractType, Department
from ..contracts.status import ContractStatus, status_label
from ..core import clock
from ..core.extensions import db
from ..money import aging
from ..money.models import Direction
from ..signing.models import SigningRequest, SigningRequestStatus
from ..workflows.models import Approval, ApprovalStatus
from .models import CREATED_INDEX, OVERVIEW_INDEX, SIGNED_INDEX

#: "Expiring within" windows, in days.
EXPIRY_WINDOWS = (30, 60, 90)
#: Months shown by the monthly charts (this one and the ones before).
MONTHS = 12
#: Statuses in which a contract binds the parties (those whose expiry matters).
ACTIVE_STATUSES = (ContractStatus.IN_FORCE.value, ContractStatus.EXPIRING_SOON.value)
#: Age buckets of waiting approvals: (upper bound in days, label).
AGE_BUCKETS = (1, 3, 7)

Search = dict[str, list[str]]


@dataclass(frozen=True)
class Bar:
    """One bar of a chart (or one figure): what it is, how many, their amounts per currency and
    the search that lists them (None when the search cannot express it)."""

    key: str
    label: str
    count: int
    amounts: Mapping[str, Decimal] = field(default_factory=dict)
    search: Search | None = None
    #: Money charts: the amounts counted in CNY (None: a currency without a rate) …
    value: Decimal | None = None
    #: … the series the bar belongs to (planned or settled) …
    series: str | None = None
    #: … and the arguments of the instalment list that shows what it counted.
    listing: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: Sequence[Bar]
    kind: str = "bar"
    #: Money charts of two series per label ("pairs"): the names of the series.
    series: Mapping[str, str] = field(default_factory=dict)
    #: "count" (contracts) or "money" (instalments, drawn by their amount in CNY).
    unit: str = "count"


@dataclass(frozen=True)
class Dashboard:
    charts: Sequence[Chart]
    approvals_waiting: int
    oldest_approval_days: float | None
    approval_cycle_hours: float | None
    signing_cycle_hours: float | None
    generated_at: datetime


def _seconds_between(later: Any, earlier: Any) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def _month_of(column: Any) -> ColumnElement[str]:
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


Totals = tuple[int, dict[str, Decimal]]


def _add(found: dict[Any, Totals], key: Any, count: int, currency: str | None, total: Any) -> None:
    before, amounts = found.get(key, (0, {}))
    if total is not None and currency:
        amounts[currency] = amounts.get(currency, Decimal(0)) + Decimal(total)
    found[key] = (before + int(count or 0), amounts)


#: Execution option naming the index a query over ``contracts`` reads on SQLite.
SQLITE_INDEX = "pactum_sqlite_index"
_MAIN_FROM = re.compile(r"\bFROM contracts\b")


def _using(query: Select[Any], index: Index) -> Select[Any]:
    """SQLite: read ``index`` (it covers the query). Without statistics (no ANALYZE has run)
    SQLite picks the index on ``deleted_at`` and reads every row of the table; other databases
    keep their statistics and choose by themselves. (SQLAlchemy renders no table hints for
    SQLite, so :func:`index_hint` adds ``INDEXED BY`` to the statement.)"""
    return query.execution_options(**{SQLITE_INDEX: index.name})


def index_hint(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, context: Any, _executemany: bool
) -> tuple[str, Any]:
    """``before_cursor_execute`` on SQLite engines: ``FROM contracts INDEXED BY <index>`` for
    the queries :func:`_using` marked."""
    index = context.execution_options.get(SQLITE_INDEX) if context is not None else None
    if index:
        statement = _MAIN_FROM.sub(f"FROM contracts INDEXED BY {index}", statement, count=1)
    return statement, parameters


def _grouped(visible: Select[Any], key: Any, *where: ColumnElement[bool], index: Index) -> dict[Any, Totals]:
    """Count and amount per currency for each value of ``key`` among the visible contracts."""
    query = (
        visible.with_only_columns(
            key.label("key"), Contract.currency, func.count(Contract.id), func.sum(Contract.amount)
        )
        .where(*where)
        .group_by(key, Contract.currency)
    )
    query = _using(query, index)
    found: dict[Any, Totals] = {}
    for value, currency, count, total in db.session.execute(query):
        _add(found, value, count, currency, total)
    return found


@dataclass(frozen=True)
class _Overview:
    """What one scan of the visible contracts gives, folded from its groups (type × status ×
    department × currency: a few thousand at most, however many contracts there are)."""

    types: dict[Any, Totals]
    statuses: dict[Any, Totals]
    departments: dict[Any, Totals]
    expiring: dict[int, int]
    signed: dict[str, Totals]


def _overview(visible: Select[Any], today: date) -> _Overview:
    """Type, status and department charts, expiring windows and signed this/last month in one
    GROUP BY (one pass over the table instead of one per chart)."""
    this_start = today.replace(day=1)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    active = Contract.status.in_(ACTIVE_STATUSES)

    def when(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
        return func.sum(case((condition, value)))  # NULL when no row matches

    expiring = [
        when(active & Contract.expiry_date.between(today, today + timedelta(days=days))) for days in EXPIRY_WINDOWS
    ]
    signed_this = Contract.signed_date.between(this_start, _month_end(this_start))
    signed_last = Contract.signed_date.between(last_start, _month_end(last_start))
    keys = (Contract.contract_type_code, Contract.status, Contract.department_id, Contract.currency)
    query = visible.with_only_columns(
        *keys,
        func.count(Contract.id),
        func.sum(Contract.amount),
        *expiring,
        when(signed_this),
        when(signed_this, Contract.amount),
        when(signed_last),
        when(signed_last, Contract.amount),
    ).group_by(*keys)
    query = _using(query, OVERVIEW_INDEX)
    result = _Overview({}, {}, {}, dict.fromkeys(EXPIRY_WINDOWS, 0), {})
    for row in db.session.execute(query):
        kind, status, department, currency, count, total, *rest = row
        _add(result.types, kind, count, currency, total)
        _add(result.statuses, status, count, currency, total)
        _add(result.departments, department, count, currency, total)
        for days, value in zip(EXPIRY_WINDOWS, rest[:3], strict=True):
            result.expiring[days] += int(value or 0)
        this_count, this_total, last_count, last_total = rest[3:]
        _add(result.signed, "this", this_count, currency, this_total)
        _add(result.signed, "last", last_count, currency, last_total)
    return result


def _bars(found: Mapping[Any, Totals], label: Any, search: Any) -> list[Bar]:
    bars = [
        Bar(key=str(value), label=label(value), count=count, amounts=amounts, search=search(value))
        for value, (count, amounts) in found.items()
        if count
    ]
    return sorted(bars, key=lambda bar: (-bar.count, bar.label))


def _by_type(found: Mapping[Any, Totals], language: str) -> Chart:
    names = {row.code: row.label(language) for row in db.session.scalars(select(ContractType))}
    bars = _bars(
        found,
        lambda code: names.get(code, code) if code else _("No type"),
        lambda code: {"contract_type": [code]} if code else None,
    )
    return Chart("type", _("By type"), bars)


def _by_status(found: Mapping[Any, Totals]) -> Chart:
    bars = _bars(found, status_label, lambda status: {"status": [status]})
    return Chart("status", _("By status"), bars)


def _by_department(found: Mapping[Any, Totals]) -> Chart:
    names = dict(db.session.execute(select(Department.id, Department.name)).tuples().all())
    bars = _bars(
        found,
        lambda dept_id: names.get(dept_id, str(dept_id)) if dept_id else _("No department"),
        lambda dept_id: {"department": [names[dept_id]]} if dept_id in names else None,
    )
    return Chart("department", _("By department"), bars)


def _month_starts(today: date) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _step in range(MONTHS):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(starts))


def _month_end(start: date) -> date:
    return start.replace(day=monthrange(start.year, start.month)[1])


def _by_month(visible: Select[Any], today: date, column: Any, key: str, title: str, search_prefix: str | None) -> Chart:
    starts = _month_starts(today)
    since: date | datetime = starts[0]
    if key == "created":
        since = datetime(starts[0].year, starts[0].month, 1)
    index = CREATED_INDEX if key == "created" else SIGNED_INDEX
    found = _grouped(visible, _month_of(column), column >= since, index=index)
    bars = []
    for start in starts:
        month = f"{start:%Y-%m}"
        count, amounts = found.get(month, (0, {}))
        search = None
        if search_prefix:
            search = {
                f"{search_prefix}_from": [start.isoformat()],
                f"{search_prefix}_to": [_month_end(start).isoformat()],
            }
        bars.append(Bar(key=month, label=month, count=count, amounts=amounts, search=search))
    return Chart(key, title, bars, kind="line")


def _expiring(counts: Mapping[int, int], today: date) -> Chart:
    """Contracts in force expiring within each window (cumulative: 60 days includes 30)."""
    bars = [
        Bar(
            key=str(days),
            label=_("Within %(days)d days", days=days),
            count=counts[days],
            search={
                "status": list(ACTIVE_STATUSES),
                "expiry_from": [today.isoformat()],
                "expiry_to": [(today + timedelta(days=days)).isoformat()],
            },
        )
        for days in EXPIRY_WINDOWS
    ]
    return Chart("expiring", _("Expiring"), bars)


def _signed_this_and_last_month(found: Mapping[str, Totals], today: date) -> Chart:
    this_start = today.replace(day=1)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    bars = []
    for key, label, start in (("last", _("Last month"), last_start), ("this", _("This month"), this_start)):
        count, amounts = found.get(key, (0, {}))
        search = {"signed_from": [start.isoformat()], "signed_to": [_month_end(start).isoformat()]}
        bars.append(Bar(key=key, label=label, count=count, amounts=amounts, search=search))
    return Chart("signed", _("Signed this month and last"), bars)


def _joined(visible: Select[Any], contract_id: Any, *columns: Any) -> Select[Any]:
    """``columns`` over rows of another table whose contract is visible (a join from those rows:
    few waiting approvals means few contracts looked up, however many contracts there are)."""
    query = select(*columns).select_from(contract_id.table).join(Contract, Contract.id == contract_id)
    return query.where(visible.whereclause) if visible.whereclause is not None else query


def _approvals(visible: Select[Any], now: datetime) -> tuple[Chart, int, float | None, float | None]:
    """Waiting approvals by age, how many, the oldest (days) and the average cycle of the
    approvals completed (hours)."""
    age = _seconds_between(now, Approval.submitted_at)
    buckets = [func.sum(case((age < days * 86400, 1), else_=0)) for days in AGE_BUCKETS]
    waiting = _joined(visible, Approval.contract_id, func.count(Approval.id), func.max(age), *buckets).where(
        Approval.status == ApprovalStatus.PENDING
    )
    total, oldest, *below = db.session.execute(waiting).one()
    total = int(total or 0)
    counts = [int(value or 0) for value in below]
    labels = [_("Under 1 day"), _("1–3 days"), _("3–7 days"), _("Over 7 days")]
    per_bucket = [counts[0], counts[1] - counts[0], counts[2] - counts[1], total - counts[2]]
    search = {"status": [ContractStatus.IN_APPROVAL.value]}
    bars = [
        Bar(key=str(index), label=label, count=count, search=search)
        for index, (label, count) in enumerate(zip(labels, per_bucket, strict=True))
    ]
    cycle_seconds = _seconds_between(Approval.completed_at, Approval.submitted_at)
    cycle = _joined(visible, Approval.contract_id, func.avg(cycle_seconds)).where(
        Approval.status == ApprovalStatus.APPROVED, Approval.completed_at.is_not(None)
    )
    average = db.session.scalar(cycle)
    return (
        Chart("approvals", _("Approvals waiting, by age"), bars),
        total,
        None if oldest is None else round(float(oldest) / 86400, 1),
        None if average is None else round(float(average) / 3600, 1),
    )


def _signing_cycle_hours(visible: Select[Any]) -> float | None:
    seconds_taken = _seconds_between(SigningRequest.completed_at, SigningRequest.created_at)
    query = _joined(visible, SigningRequest.contract_id, func.avg(seconds_taken)).where(
        SigningRequest.status == SigningRequestStatus.COMPLETED, SigningRequest.completed_at.is_not(None)
    )
    seconds = db.session.scalar(query)
    return None if seconds is None else round(float(seconds) / 3600, 1)


#: Receivables aging: (key, label, first and last day overdue; None: open-ended).
AGING_BUCKETS: tuple[tuple[str, Any, int | None, int | None], ...] = (
    ("not_due", _l("Not yet due"), None, 0),
    ("1-30", _l("1–30 days"), 1, 30),
    ("31-60", _l("31–60 days"), 31, 60),
    ("61-90", _l("61–90 days"), 61, 90),
    ("90+", _l("Over 90 days"), 91, None),
)
#: Counterparties shown by "overdue by counterparty".
TOP_COUNTERPARTIES = 10


def _aging_filter(today: date, first: int | None, last: int | None) -> aging.Filter:
    """Open receivable instalments overdue by ``first``..``last`` days; "not yet due" (last 0)
    also holds the instalments without a due day."""
    if last == 0:
        return aging.Filter(open_only=True, due_from=today, undated=True)
    return aging.Filter(
        open_only=True,
        due_from=today - timedelta(days=last) if last is not None else None,
        due_to=today - timedelta(days=first or 0),
    )


def _money_bar(key: str, label: str, totals: aging.Totals, chosen: aging.Filter, series: str | None = None) -> Bar:
    return Bar(
        key=key,
        label=label,
        count=totals.count,
        amounts=totals.amounts,
        value=totals.cny,
        series=series,
        listing=chosen.to_args(),
    )


#: The aging buckets counted as overdue (all but "not yet due").
OVERDUE_BUCKETS = tuple(key for key, _label, first, _last in AGING_BUCKETS if first)


def _receivables(user: User, today: date) -> tuple[Chart, Chart]:
    """Outstanding receivables by how long overdue, and the counterparties owing the most
    overdue: one query (per counterparty, a conditional sum per bucket)."""
    buckets = {key: _aging_filter(today, first, last) for key, _label, first, last in AGING_BUCKETS}
    found = aging.grouped(user, aging.Filter(open_only=True), aging.counterparty, buckets=buckets)
    bars = [
        _money_bar(key, str(label), aging.total(found[key]), buckets[key])
        for key, label, _first, _last in AGING_BUCKETS
    ]
    by_party = {
        party: aging.total({key: found[key][party] for key in OVERDUE_BUCKETS if party in found[key]})
        for party in {party for key in OVERDUE_BUCKETS for party in found[key]}
    }
    return Chart("aging", _("Receivables by days overdue (CNY)"), bars, unit="money"), _overdue_by_counterparty(
        by_party, today
    )


def _planned_and_settled(
    planned: Mapping[Any, aging.Totals], settled: Mapping[Any, aging.Totals], today: date, direction: str
) -> Chart:
    """Per month of the last twelve: planned (instalments falling due) and received or paid."""
    receivable = direction == Direction.RECEIVABLE.value
    settled_label = _("Received") if receivable else _("Paid")
    empty = aging.Totals(0, {})
    bars = []
    for start in _month_starts(today):
        month, end = f"{start:%Y-%m}", _month_end(start)
        due_in = aging.Filter(direction=direction, due_from=start, due_to=end)
        paid_in = aging.Filter(direction=direction, paid_from=start, paid_to=end)
        bars.append(_money_bar(f"{month}:planned", month, planned.get((direction, month), empty), due_in, "planned"))
        bars.append(_money_bar(f"{month}:settled", month, settled.get((direction, month), empty), paid_in, "settled"))
    title = _("Received vs planned per month (CNY)") if receivable else _("Paid vs planned per month (CNY)")
    key = "received_planned" if receivable else "paid_planned"
    return Chart(
        key, title, bars, kind="pairs", unit="money", series={"planned": _("Planned"), "settled": settled_label}
    )


def _overdue_by_counterparty(found: Mapping[Any, aging.Totals], today: date) -> Chart:
    """The counterparties owing the most overdue receivables (in CNY; no rate: last)."""
    overdue = aging.Filter(open_only=True, due_to=today - timedelta(days=1))
    names = aging.counterparty_names(found)
    ranked = sorted(found.items(), key=lambda item: (item[1].cny is None, -(item[1].cny or 0), str(item[0])))
    bars = []
    for party_id, totals in ranked[:TOP_COUNTERPARTIES]:
        party = aging.NO_COUNTERPARTY if party_id is None else int(party_id)
        label = names.get(party, str(party)) if party_id is not None else _("No counterparty")
        bars.append(_money_bar(str(party), label, totals, replace(overdue, counterparty_id=party)))
    return Chart("overdue_counterparty", _("Overdue receivables by counterparty (CNY)"), bars, unit="money")


def money_charts(user: User, today: date) -> list[Chart]:
    """The money charts in three queries: open receivables (aging and counterparties), planned
    per direction and month, paid per direction and month."""
    aging_chart, party_chart = _receivables(user, today)
    starts = _month_starts(today)
    since, until = starts[0], _month_end(starts[-1])
    window = aging.Filter(direction=None, due_from=since, due_to=until)
    planned = aging.grouped(user, window, aging.direction, aging.due_month)[""]
    settled = aging.paid_per_month(user, since, until)
    return [
        aging_chart,
        _planned_and_settled(planned, settled, today, Direction.RECEIVABLE.value),
        _planned_and_settled(planned, settled, today, Direction.PAYABLE.value),
        party_chart,
    ]


def dashboard(user: User, language: str) -> Dashboard:
    """Every figure of the dashboard, over what ``user`` may read."""
    visible = visible_contracts(user)
    now = clock.now()
    today = clock.today()
    approvals_chart, waiting, oldest, approval_hours = _approvals(visible, now)
    overview = _overview(visible, today)
    charts = [
        _by_type(overview.types, language),
        _by_status(overview.statuses),
        _by_department(overview.departments),
        _by_month(visible, today, Contract.signed_date, "signed_month", _("Signed per month"), "signed"),
        _by_month(visible, today, Contract.created_at, "created", _("Created per month"), "created"),
        _expiring(overview.expiring, today),
        _signed_this_and_last_month(overview.signed, today),
        approvals_chart,
        *money_charts(user, today),
    ]
    return Dashboard(
        charts=charts,
        approvals_waiting=waiting,
        oldest_approval_days=oldest,
        approval_cycle_hours=approval_hours,
        signing_cycle_hours=_signing_cycle_hours(visible),
        generated_at=now,
    )


def bar_to_dict(bar: Bar, search_url: str | None) -> dict[str, Any]:
    """A bar as JSON; a money bar's link is the instalment list of what it counted."""
    found: dict[str, Any] = {
        "key": bar.key,
        "label": bar.label,
        "count": bar.count,
        "amounts": {currency: f"{amount:.2f}" for currency, amount in sorted(bar.amounts.items())},
        "search": bar.search,
        "search_url": search_url,
    }
    if bar.listing is not None:
        found["value_cny"] = None if bar.value is None else f"{bar.value:.2f}"
        found["series"] = bar.series
        found["listing"] = dict(bar.listing)
        arguments: dict[str, Any] = dict(bar.listing)
        found["search_url"] = url_for("money.instalments", **arguments)
    return found


def to_dict(board: Dashboard, url_for_search: Any) -> dict[str, Any]:
    """The dashboard as JSON; ``url_for_search(params)`` makes a bar's link."""
    return {
        "generated_at": clock.isoformat_utc(board.generated_at),
        "approvals_waiting": board.approvals_waiting,
        "oldest_approval_days": board.oldest_approval_days,
        "approval_cycle_hours": board.approval_cycle_hours,
        "signing_cycle_hours": board.signing_cycle_hours,
        "charts": [
            {
                "key": chart.key,
                "title": chart.title,
                "kind": chart.kind,
                "unit": chart.unit,
                "series": dict(chart.series),
                "bars": [bar_to_dict(bar, url_for_search(bar.search) if bar.search else None) for bar in chart.bars],
            }
            for chart in board.charts
        ],
    }

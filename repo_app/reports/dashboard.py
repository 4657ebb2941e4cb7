"""The home dashboard's figures, counted by the database (GROUP BY, SUM(CASE …)) over the
contracts the viewer may read (the contract list's filter), never by a loop over rows.

Every bar or figure carries the search parameters that list its contracts, so a chart links to
the search page showing exactly what it counted.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, func, select

from ..auth.models import User
from ..contracts.access import visible_contracts
from ..contracts.models import Contract, ContractType, Department
from ..contracts.status import ContractStatus, status_label
from ..core import clock
from ..core.extensions import db
from ..signing.models import SigningRequest, SigningRequestStatus
from ..workflows.models import Approval, ApprovalStatus

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


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: Sequence[Bar]
    kind: str = "bar"


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


def _grouped(visible: Select[Any], key: Any, *where: ColumnElement[bool]) -> dict[Any, tuple[int, dict[str, Decimal]]]:
    """Count and amount per currency for each value of ``key`` among the visible contracts."""
    query = (
        visible.with_only_columns(
            key.label("key"), Contract.currency, func.count(Contract.id), func.sum(Contract.amount)
        )
        .where(*where)
        .group_by(key, Contract.currency)
    )
    found: dict[Any, tuple[int, dict[str, Decimal]]] = {}
    for value, currency, count, total in db.session.execute(query):
        before, amounts = found.get(value, (0, {}))
        if total is not None and currency:
            amounts[currency] = amounts.get(currency, Decimal(0)) + Decimal(total)
        found[value] = (before + count, amounts)
    return found


def _bars(found: Mapping[Any, tuple[int, dict[str, Decimal]]], label: Any, search: Any) -> list[Bar]:
    bars = [
        Bar(key=str(value), label=label(value), count=count, amounts=amounts, search=search(value))
        for value, (count, amounts) in found.items()
    ]
    return sorted(bars, key=lambda bar: (-bar.count, bar.label))


def _by_type(visible: Select[Any], language: str) -> Chart:
    names = {row.code: row.label(language) for row in db.session.scalars(select(ContractType))}
    found = _grouped(visible, Contract.contract_type_code)
    bars = _bars(
        found,
        lambda code: names.get(code, code) if code else _("No type"),
        lambda code: {"contract_type": [code]} if code else None,
    )
    return Chart("type", _("By type"), bars)


def _by_status(visible: Select[Any]) -> Chart:
    found = _grouped(visible, Contract.status)
    bars = _bars(found, status_label, lambda status: {"status": [status]})
    return Chart("status", _("By status"), bars)


def _by_department(visible: Select[Any]) -> Chart:
    names = dict(db.session.execute(select(Department.id, Department.name)).tuples().all())
    found = _grouped(visible, Contract.department_id)
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
    found = _grouped(visible, _month_of(column), column >= since)
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


def _expiring(visible: Select[Any], today: date) -> Chart:
    """Contracts in force expiring within each window (cumulative: 60 days includes 30)."""
    active = Contract.status.in_(ACTIVE_STATUSES)
    sums = [
        func.sum(case((Contract.expiry_date <= today + timedelta(days=days), 1), else_=0)) for days in EXPIRY_WINDOWS
    ]
    query = visible.with_only_columns(*sums).where(active, Contract.expiry_date >= today)
    counts = db.session.execute(query).one()
    bars = [
        Bar(
            key=str(days),
            label=_("Within %(days)d days", days=days),
            count=int(count or 0),
            search={
                "status": list(ACTIVE_STATUSES),
                "expiry_from": [today.isoformat()],
                "expiry_to": [(today + timedelta(days=days)).isoformat()],
            },
        )
        for days, count in zip(EXPIRY_WINDOWS, counts, strict=True)
    ]
    return Chart("expiring", _("Expiring"), bars)


def _signed_this_and_last_month(visible: Select[Any], today: date) -> Chart:
    this_start = today.replace(day=1)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    bars = []
    for key, label, start in (
        ("last", _("Last month"), last_start),
        ("this", _("This month"), this_start),
    ):
        end = _month_end(start)
        found = _grouped(visible, Contract.signed_date.is_not(None), Contract.signed_date.between(start, end))
        count, amounts = found.get(True, (0, {}))
        search = {"signed_from": [start.isoformat()], "signed_to": [end.isoformat()]}
        bars.append(Bar(key=key, label=label, count=count, amounts=amounts, search=search))
    return Chart("signed", _("Signed this month and last"), bars)


def _approvals(visible: Select[Any], now: datetime) -> tuple[Chart, int, float | None, float | None]:
    """Waiting approvals by age, how many, the oldest (days) and the average cycle of the
    approvals completed (hours)."""
    ids = visible.with_only_columns(Contract.id)
    age = _seconds_between(now, Approval.submitted_at)
    buckets = [func.sum(case((age < days * 86400, 1), else_=0)) for days in AGE_BUCKETS]
    waiting = select(func.count(Approval.id), func.max(age), *buckets).where(
        Approval.status == ApprovalStatus.PENDING, Approval.contract_id.in_(ids)
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
    cycle = select(func.avg(_seconds_between(Approval.completed_at, Approval.submitted_at))).where(
        Approval.status == ApprovalStatus.APPROVED, Approval.completed_at.is_not(None), Approval.contract_id.in_(ids)
    )
    cycle_seconds = db.session.scalar(cycle)
    return (
        Chart("approvals", _("Approvals waiting, by age"), bars),
        total,
        None if oldest is None else round(float(oldest) / 86400, 1),
        None if cycle_seconds is None else round(float(cycle_seconds) / 3600, 1),
    )


def _signing_cycle_hours(visible: Select[Any]) -> float | None:
    ids = visible.with_only_columns(Contract.id)
    query = select(func.avg(_seconds_between(SigningRequest.completed_at, SigningRequest.created_at))).where(
        SigningRequest.status == SigningRequestStatus.COMPLETED,
        SigningRequest.completed_at.is_not(None),
        SigningRequest.contract_id.in_(ids),
    )
    seconds = db.session.scalar(query)
    return None if seconds is None else round(float(seconds) / 3600, 1)


def dashboard(user: User, language: str) -> Dashboard:
    """Every figure of the dashboard, over what ``user`` may read."""
    visible = visible_contracts(user)
    now = clock.now()
    today = clock.today()
    approvals_chart, waiting, oldest, approval_hours = _approvals(visible, now)
    charts = [
        _by_type(visible, language),
        _by_status(visible),
        _by_department(visible),
        _by_month(visible, today, Contract.signed_date, "signed_month", _("Signed per month"), "signed"),
        _by_month(visible, today, Contract.created_at, "created", _("Created per month"), None),
        _expiring(visible, today),
        _signed_this_and_last_month(visible, today),
        approvals_chart,
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
    return {
        "key": bar.key,
        "label": bar.label,
        "count": bar.count,
        "amounts": {currency: f"{amount:.2f}" for currency, amount in sorted(bar.amounts.items())},
        "search": bar.search,
        "search_url": search_url,
    }


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
                "bars": [bar_to_dict(bar, url_for_search(bar.search) if bar.search else None) for bar in chart.bars],
            }
            for chart in board.charts
        ],
    }

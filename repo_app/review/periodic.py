"""Periodic review: in-force contracts are looked at again every so often (an interval per
contract type, or a date or interval set on one contract). A due review is a task in "My tasks"
for the contract's owner; recording its outcome sets the next date."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..contracts.models import Contract, ContractType
from ..contracts.status import ContractStatus
from ..core import clock
from ..core.audit import record
from ..core.errors import ValidationFailed
from ..core.extensions import db
from ..core.tasks import Task
from ..lifecycle.services import add_months
from ..notifications.links import path_for
from .models import PeriodicReview, ReviewInterval, ReviewOutcome, ReviewSchedule

#: Statuses in which a contract is reviewed periodically.
REVIEWED_STATUSES = (ContractStatus.IN_FORCE, ContractStatus.EXPIRING_SOON)
OUTCOME_LABELS = {
    ReviewOutcome.NO_CHANGE: _l("Reviewed: no change"),
    ReviewOutcome.NEEDS_AMENDMENT: _l("Needs amendment"),
    ReviewOutcome.TERMINATE: _l("Terminate"),
}
MAX_MONTHS = 120


def _months(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_MONTHS:
        raise ValidationFailed(
            _("%(field)s must be a number of months from 1 to %(max)d.", field=field, max=MAX_MONTHS), field=field
        )
    return value


def interval_of(contract: Contract) -> int | None:
    """The months between reviews of ``contract``: its own, else its type's."""
    schedule = db.session.get(ReviewSchedule, contract.id)
    if schedule is not None and schedule.months:
        return schedule.months
    if contract.contract_type_code is None:
        return None
    row = db.session.get(ReviewInterval, contract.contract_type_code)
    return row.months if row is not None else None


def set_type_interval(actor: User, type_code: str, months: Any) -> None:
    value = _months(months, "months")
    row = db.session.get(ReviewInterval, type_code)
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(ReviewInterval(contract_type_code=type_code, months=value))
    else:
        row.months = value
    db.session.flush()
    record("review.interval", actor=actor, contract_type=type_code, months=value or "—")


def set_schedule(actor: User, contract: Contract, due_on: date | None, months: Any = None) -> ReviewSchedule:
    """Set the contract's next review date and/or its own interval."""
    value = _months(months, "months")
    schedule = db.session.get(ReviewSchedule, contract.id) or ReviewSchedule(contract_id=contract.id)
    schedule.due_on, schedule.months = due_on, value
    db.session.add(schedule)
    db.session.flush()
    record(
        "review.schedule",
        contract_id=contract.id,
        actor=actor,
        due_on=due_on.isoformat() if due_on else "—",
        months=value or "—",
    )
    return schedule


def seed_intervals(months: int) -> int:
    """Give every contract type without a review interval this one (for `pactum demo`)."""
    known = set(db.session.scalars(select(ReviewInterval.contract_type_code)))
    codes = [code for code in db.session.scalars(select(ContractType.code)) if code not in known]
    db.session.add_all(ReviewInterval(contract_type_code=code, months=months) for code in codes)
    db.session.flush()
    return len(codes)


def record_outcome(actor: User, contract: Contract, outcome: Any, note: Any) -> PeriodicReview:
    """Record a review's outcome; the next review falls one interval after today."""
    if outcome not in set(ReviewOutcome):
        raise ValidationFailed(_("outcome: choose an outcome."), field="outcome")
    if note is not None and not isinstance(note, str):
        raise ValidationFailed(_("%(field)s must be text.", field="note"), field="note")
    today = clock.today()
    schedule = db.session.get(ReviewSchedule, contract.id) or ReviewSchedule(contract_id=contract.id)
    db.session.add(schedule)
    done = PeriodicReview(
        contract_id=contract.id,
        due_on=schedule.due_on,
        outcome=outcome,
        note=(note or "").strip()[:5000],
        reviewer_id=actor.id,
        reviewed_at=clock.now(),
    )
    db.session.add(done)
    months = interval_of(contract)
    schedule.due_on = add_months(today, months) if months and outcome != ReviewOutcome.TERMINATE else None
    db.session.flush()
    record(
        "review.periodic",
        contract_id=contract.id,
        actor=actor,
        outcome=str(OUTCOME_LABELS[ReviewOutcome(outcome)]),
        outcome_code=outcome,
        next_on=schedule.due_on.isoformat() if schedule.due_on else "—",
    )
    return done


def history(contract: Contract) -> list[PeriodicReview]:
    return list(
        db.session.scalars(
            select(PeriodicReview)
            .where(PeriodicReview.contract_id == contract.id)
            .order_by(PeriodicReview.reviewed_at.desc(), PeriodicReview.id.desc())
        )
    )


def schedule_new() -> int:
    """Give in-force contracts of a type with an interval their first review date (one interval
    after they took effect, or after today when that has passed). The periodic tick runs this."""
    today = clock.today()
    rows = db.session.execute(
        select(Contract, ReviewInterval.months)
        .join(ReviewInterval, ReviewInterval.contract_type_code == Contract.contract_type_code)
        .outerjoin(ReviewSchedule, ReviewSchedule.contract_id == Contract.id)
        .where(
            ReviewSchedule.contract_id.is_(None),
            Contract.deleted_at.is_(None),
            Contract.status.in_([str(status) for status in REVIEWED_STATUSES]),
        )
        .limit(1000)
    ).all()
    for contract, months in rows:
        start = contract.effective_date or today
        due = add_months(start, months)
        db.session.add(ReviewSchedule(contract_id=contract.id, due_on=due if due >= today else today))
    db.session.flush()
    return len(rows)


def _due_for(user: User, today: date) -> Any:
    return (
        select(ReviewSchedule, Contract)
        .join(Contract, Contract.id == ReviewSchedule.contract_id)
        .where(
            Contract.owner_id == user.id,
            Contract.deleted_at.is_(None),
            ReviewSchedule.due_on.is_not(None),
            ReviewSchedule.due_on <= today,
        )
    )


class PeriodicReviewTasks:
    """The periodic-review part of "My tasks": contracts the user owns whose review is due."""

    name = "periodic_review"
    label = _l("Periodic reviews")

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]:
        return select(func.count()).select_from(_due_for(user, today).subquery()).scalar_subquery()

    def tasks(self, user: User, today: date) -> list[Task]:
        return [
            Task(
                provider=self.name,
                kind="periodic_review",
                title=_("Review: %(title)s", title=contract.title),
                url=path_for("contracts.detail", contract_id=contract.id) + "#periodic-review",
                contract_id=contract.id,
                contract_title=contract.title,
                due=schedule.due_on,
                overdue=bool(schedule.due_on and schedule.due_on < today),
                detail=_("Periodic review due"),
            )
            for schedule, contract in db.session.execute(_due_for(user, today).order_by(ReviewSchedule.due_on))
        ]

"""Payment follow-up: reminders before an instalment falls due and after it is overdue, sent
through the lifecycle reminder pass (``lifecycle.reminders.SOURCES``), so each goes out exactly
once per (instalment, offset, due date), catches up after downtime and reaches the contract's
owner and watchers — plus the finance staff who may read the contract.

"My tasks" of finance staff lists the instalments whose first overdue reminder went out and
that are still open (:class:`OverduePayments`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, func, literal, select
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..auth.roles import Permission, Role
from ..contracts import access
from ..contracts.models import Contract
from ..core.extensions import db
from ..core.tasks import Task
from ..lifecycle import states
from ..lifecycle.reminders import Occurrence
from ..notifications.links import path_for
from ..notifications.models import ReminderStatus, SentReminder
from . import balances, services
from .models import Instalment

#: Days before the due date (0: on the day) and days after it that a reminder goes out.
BEFORE_DAYS = (7, 0)
OVERDUE_DAYS = (1, 7, 30)
OVERDUE_RULE = "payment-overdue"


def occurrences(after: date, until: date) -> Iterator[Occurrence]:
    """Reminders of open instalments falling due on a day in (after, until]."""
    query = (
        select(Instalment, Contract)
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(Contract.deleted_at.is_(None), Contract.status.not_in(states.FINAL), Instalment.settled_on.is_(None))
    )
    found = list(db.session.execute(query).tuples())
    ledger = balances.Ledger.of(contract.id for _instalment, contract in found)
    finance = list(db.session.scalars(select(User).where(User.role == Role.FINANCE, User.active.is_(True))))
    for instalment, contract in found:
        due = services.due_of(instalment, contract).day
        planned = services.planned_amount(instalment, contract)
        if due is None or planned is None:
            continue
        open_amount = planned - ledger.paid.get(instalment.id, Decimal(0))
        if open_amount <= 0:
            continue
        items = list(_of(instalment, contract, due, open_amount, after, until))
        if items:  # who among finance may read the contract: only asked when something is due
            readers = [user.id for user in finance if access.may(user, contract, Permission.PAYMENT_RECORD)]
            direction = ledger.directions.get(contract.id, "receivable")
            for item in items:
                item.extra_recipients = readers
                item.params["direction"] = direction
            yield from items


def _of(
    instalment: Instalment, contract: Contract, due: date, open_amount: Decimal, after: date, until: date
) -> Iterator[Occurrence]:
    params = {"date": due.isoformat(), "amount": f"{instalment.currency} {open_amount:,.2f}"}
    for offset in BEFORE_DAYS:
        if after < due - timedelta(days=offset) <= until:
            yield Occurrence(
                contract.id,
                f"payment:{instalment.id}:{offset}",
                due.isoformat(),
                due - timedelta(days=offset),
                "reminder.payment",
                ("payment", instalment.id, due),
                {**params, "days": offset, "overdue": False},
            )
    for offset in OVERDUE_DAYS:
        if after < due + timedelta(days=offset) <= until:
            yield Occurrence(
                contract.id,
                f"{OVERDUE_RULE}:{instalment.id}:{offset}",
                due.isoformat(),
                due + timedelta(days=offset),
                "reminder.payment",
                (OVERDUE_RULE, instalment.id, due),
                {**params, "days": offset, "overdue": True},
            )


def _overdue_for(user: User) -> Any:
    """Open instalments of contracts ``user`` may read whose overdue reminder went out."""
    reminded = exists().where(
        SentReminder.contract_id == Instalment.contract_id,
        SentReminder.status == ReminderStatus.SENT,
        SentReminder.rule.like(literal(OVERDUE_RULE + ":") + cast(Instalment.id, String) + literal(":%")),
    )
    visible = access.visible_contracts(user).with_only_columns(Contract.id)
    return (
        select(Instalment, Contract)
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(Instalment.settled_on.is_(None), Instalment.contract_id.in_(visible), reminded)
    )


class OverduePayments:
    """The overdue part of "My tasks", for those who record payments."""

    name = "payments"
    label = _l("Overdue payments")

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]:
        if not user.can(Permission.PAYMENT_RECORD):
            return select(literal(0)).scalar_subquery()
        return select(func.count()).select_from(_overdue_for(user).subquery()).scalar_subquery()

    def tasks(self, user: User, today: date) -> list[Task]:
        if not user.can(Permission.PAYMENT_RECORD):
            return []
        found = []
        for instalment, contract in db.session.execute(_overdue_for(user).order_by(Instalment.id)):
            due = services.due_of(instalment, contract).day
            planned = services.planned_amount(instalment, contract) or Decimal(0)
            open_amount = planned - services.paid_towards(instalment)
            found.append(
                Task(
                    provider=self.name,
                    kind="payment_overdue",
                    title=_("Overdue: %(amount)s", amount=f"{instalment.currency} {open_amount:,.2f}"),
                    url=path_for("contracts.detail", contract_id=contract.id) + "#money",
                    contract_id=contract.id,
                    contract_title=contract.title,
                    due=due,
                    overdue=True,
                    detail=instalment.condition or "",
                    data={"instalment_id": instalment.id},
                )
            )
        return sorted(found, key=lambda task: str(task.due or ""))

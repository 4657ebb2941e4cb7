"""Payment follow-up: reminders before an instalment falls due and after it is overdue, sent
through the lifecycle reminder pass (``lifecycle.reminders.SOURCES``), so each goes out exactly
once per (instalment, offset, due date), catches up after downtime and reaches the contract's
owner and watchers — plus the finance staff who may read the contract. The days are
``PACTUM_PAYMENT_REMINDER_DAYS`` (negative: before the due date). An instalment still open
``PACTUM_PAYMENT_ESCALATION_DAYS`` after its due date is escalated once to the managers of the
contract's department (through the same exactly-once ledger).

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
from ..core.extensions import db, settings
from ..core.settings import ConfigError, Settings
from ..core.tasks import Task
from ..lifecycle import states
from ..lifecycle.reminders import Occurrence
from ..notifications.links import path_for
from ..notifications.models import ReminderStatus, SentReminder
from . import balances, services
from .models import Instalment

OVERDUE_RULE = "payment-overdue"
ESCALATION_RULE = "payment-escalation"


def parse_reminder_days(raw: str | None) -> list[int]:
    """ "-7,0,1,7,30" → days relative to the due date (negative: before it), in order."""
    values: set[int] = set()
    for part in (raw or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = int(part)
        except ValueError:
            raise ConfigError(
                f"PACTUM_PAYMENT_REMINDER_DAYS must be whole numbers of days (negative: before the due date) "
                f"separated by commas, like -7,0,1,7,30, not {raw!r}."
            ) from None
        if abs(value) > 3650:
            raise ConfigError(f"PACTUM_PAYMENT_REMINDER_DAYS: {value} days is more than ten years.")
        values.add(value)
    return sorted(values)


def validate(config: Settings) -> None:
    """Fail at start with a sentence naming the variable."""
    parse_reminder_days(config.payment_reminder_days)
    if config.payment_escalation_days < 1:
        raise ConfigError("PACTUM_PAYMENT_ESCALATION_DAYS must be 1 or more.")


def occurrences(after: date, until: date) -> Iterator[Occurrence]:
    """Reminders of open instalments falling due on a day in (after, until], and the one
    escalation to the department managers of an instalment overdue for N days."""
    query = (
        select(Instalment, Contract)
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(Contract.deleted_at.is_(None), Contract.status.not_in(states.FINAL), Instalment.settled_on.is_(None))
    )
    found = list(db.session.execute(query).tuples())
    ledger = balances.Ledger.of(contract.id for _instalment, contract in found)
    finance = list(db.session.scalars(select(User).where(User.role == Role.FINANCE, User.active.is_(True))))
    offsets = parse_reminder_days(settings().payment_reminder_days)
    escalation = settings().payment_escalation_days
    for instalment, contract in found:
        due = services.due_of(instalment, contract).day
        planned = services.planned_amount(instalment, contract)
        if due is None or planned is None:
            continue
        open_amount = planned - ledger.paid.get(instalment.id, Decimal(0))
        if open_amount <= 0:
            continue
        direction = ledger.directions.get(contract.id, "receivable")
        items = list(_of(instalment, contract, due, open_amount, after, until, offsets))
        if items:  # who among finance may read the contract: only asked when something is due
            readers = [user.id for user in finance if access.may(user, contract, Permission.PAYMENT_RECORD)]
            for item in items:
                item.extra_recipients = readers
                item.params["direction"] = direction
            yield from items
        if after < due + timedelta(days=escalation) <= until:
            managers = department_managers(contract)
            if managers:
                yield Occurrence(
                    contract.id,
                    f"{ESCALATION_RULE}:{instalment.id}",
                    # One per instalment, whatever its due date becomes later.
                    "escalation",
                    due + timedelta(days=escalation),
                    "reminder.payment",
                    (ESCALATION_RULE, instalment.id),
                    {
                        "date": due.isoformat(),
                        "amount": f"{instalment.currency} {open_amount:,.2f}",
                        "days": escalation,
                        "overdue": True,
                        "escalated": True,
                        "direction": direction,
                    },
                    managers,
                    to_interested=False,
                )


def department_managers(contract: Contract) -> list[int]:
    """Active managers of the contract's department, or of the nearest department above it
    that has one."""
    for department_id in access.ancestors_or_self(contract.department):
        query = select(User.id).where(
            User.role == Role.MANAGER, User.department_id == department_id, User.active.is_(True)
        )
        managers = list(db.session.scalars(query.order_by(User.id)))
        if managers:
            return managers
    return []


def _of(
    instalment: Instalment,
    contract: Contract,
    due: date,
    open_amount: Decimal,
    after: date,
    until: date,
    offsets: list[int],
) -> Iterator[Occurrence]:
    params = {"date": due.isoformat(), "amount": f"{instalment.currency} {open_amount:,.2f}"}
    for offset in offsets:
        day = due + timedelta(days=offset)
        if not after < day <= until:
            continue
        overdue = offset > 0
        # Rule names as before the offsets were configurable: days before, or days overdue.
        rule = f"{OVERDUE_RULE}:{instalment.id}:{offset}" if overdue else f"payment:{instalment.id}:{-offset}"
        yield Occurrence(
            contract.id,
            rule,
            due.isoformat(),
            day,
            "reminder.payment",
            (OVERDUE_RULE if overdue else "payment", instalment.id, due),
            {**params, "days": abs(offset), "overdue": overdue},
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

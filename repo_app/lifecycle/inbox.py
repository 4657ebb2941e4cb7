"""The reminders part of "My tasks": milestones coming due, contracts expiring without a
renewal, and notice deadlines of contracts that renew automatically."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..contracts.models import Contract
from ..contracts.status import ContractStatus
from ..core.extensions import db
from ..core.tasks import Task
from ..notifications.links import path_for
from ..notifications.models import ReminderStatus, SentReminder
from . import states
from .models import ContractTerms, Milestone

#: Milestones show up this many days before they are due.
MILESTONE_HORIZON = timedelta(days=7)


def _milestones_for(user: User, today: date) -> Any:
    return (
        select(Milestone, Contract)
        .join(Contract, Contract.id == Milestone.contract_id)
        .where(
            Contract.deleted_at.is_(None),
            Contract.status.not_in(states.FINAL),
            Milestone.done_at.is_(None),
            Milestone.due_date <= today + MILESTONE_HORIZON,
            or_(Milestone.owner_id == user.id, and_(Milestone.owner_id.is_(None), Contract.owner_id == user.id)),
        )
    )


def _expiring_for(user: User) -> Any:
    renewal = aliased(Contract)
    renewing = exists().where(
        renewal.parent_id == Contract.id, renewal.relation == "renewal", renewal.deleted_at.is_(None)
    )
    auto = exists().where(
        ContractTerms.contract_id == Contract.id,
        ContractTerms.auto_renew.is_(True),
        ContractTerms.notice_given_on.is_(None),
    )
    return select(Contract).where(
        Contract.owner_id == user.id,
        Contract.deleted_at.is_(None),
        Contract.status == ContractStatus.EXPIRING_SOON,
        ~renewing,
        ~auto,
    )


def _notice_for(user: User, today: date) -> Any:
    reminded = exists().where(
        SentReminder.contract_id == Contract.id,
        SentReminder.rule.like("notice:%"),
        SentReminder.status == ReminderStatus.SENT,
        SentReminder.occurrence >= today.isoformat(),
    )
    return (
        select(Contract, ContractTerms)
        .join(ContractTerms, ContractTerms.contract_id == Contract.id)
        .where(
            Contract.owner_id == user.id,
            Contract.deleted_at.is_(None),
            Contract.status.in_(states.ACTIVE),
            ContractTerms.auto_renew.is_(True),
            ContractTerms.notice_given_on.is_(None),
            reminded,
        )
    )


class ReminderTasks:
    name = "reminders"
    label = _l("Reminders")

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]:
        parts = [
            select(func.count()).select_from(query.subquery()).scalar_subquery()
            for query in (_milestones_for(user, today), _expiring_for(user), _notice_for(user, today))
        ]
        return select(parts[0] + parts[1] + parts[2]).scalar_subquery()

    def tasks(self, user: User, today: date) -> list[Task]:
        found = []
        for milestone, contract in db.session.execute(_milestones_for(user, today).order_by(Milestone.due_date)):
            found.append(
                Task(
                    provider=self.name,
                    kind="milestone",
                    title=_("Milestone: %(milestone)s", milestone=milestone.title),
                    url=path_for("contracts.detail", contract_id=contract.id) + "#milestones",
                    contract_id=contract.id,
                    contract_title=contract.title,
                    due=milestone.due_date,
                    overdue=milestone.due_date < today,
                    data={"milestone_id": milestone.id},
                )
            )
        for contract in db.session.scalars(_expiring_for(user).order_by(Contract.expiry_date)):
            found.append(
                Task(
                    provider=self.name,
                    kind="expiring",
                    title=_("Expires soon: renew or let it end — %(title)s", title=contract.title),
                    url=path_for("contracts.detail", contract_id=contract.id),
                    contract_id=contract.id,
                    contract_title=contract.title,
                    due=contract.expiry_date,
                )
            )
        for contract, terms in db.session.execute(_notice_for(user, today)):
            deadline = contract.expiry_date - timedelta(days=terms.notice_days or 0)
            found.append(
                Task(
                    provider=self.name,
                    kind="notice",
                    title=_("Renews automatically unless notice is given: %(title)s", title=contract.title),
                    url=path_for("contracts.detail", contract_id=contract.id),
                    contract_id=contract.id,
                    contract_title=contract.title,
                    due=deadline,
                )
            )
        return sorted(found, key=lambda task: str(task.due or ""))

"""Task providers: the extension point of "My tasks".

A provider is any object with

* ``name``: a short key ("approvals"), ``label``: a (lazy) translated heading,
* ``tasks(user, today) -> list[Task]``: the user's open tasks,
* ``count_query(user, today) -> ScalarSelect[int]``: a scalar subquery counting them, so the
  navigation badge costs one database round trip for all providers together.

Register one per application, e.g. from another feature's set-up::

    from repo_app.tasks_inbox.providers import register_provider
    register_provider(app, SigningTasks())

Built in: pending approvals and due reminders (milestones, contracts expiring soon, notice
deadlines). The signing feature adds its signing requests the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..contracts.models import Contract
from ..core import clock
from ..core.extensions import db
from ..lifecycle import states
from ..lifecycle.models import ContractTerms, Milestone
from ..notifications.links import path_for
from ..notifications.models import SentReminder
from ..workflows.models import Approval, ApprovalAssignment, ApprovalStep

_KEY = "pactum.task_providers"
#: Milestones show up this many days before they are due.
MILESTONE_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Task:
    provider: str
    kind: str
    #: What to do, in the reader's language.
    title: str
    url: str
    contract_id: int | None = None
    contract_title: str = ""
    due: date | datetime | None = None
    overdue: bool = False
    detail: str = ""
    #: Extra values for quick actions in the list (e.g. the approval id).
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due = self.due.isoformat() if self.due is not None else None
        return {
            "provider": self.provider,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "contract_id": self.contract_id,
            "contract_title": self.contract_title,
            "due": due,
            "overdue": self.overdue,
            "detail": self.detail,
            **({"data": self.data} if self.data else {}),
        }


@runtime_checkable
class TaskProvider(Protocol):
    name: str
    label: Any

    def tasks(self, user: User, today: date) -> list[Task]: ...

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]: ...


def register_provider(app: Flask, provider: TaskProvider) -> None:
    if not isinstance(provider, TaskProvider):
        raise TypeError(f"{provider!r} is not a task provider")
    registered: list[TaskProvider] = app.extensions.setdefault(_KEY, [])
    registered[:] = [item for item in registered if item.name != provider.name] + [provider]


def providers() -> list[TaskProvider]:
    return list(current_app.extensions.get(_KEY, []))


# --- approvals ----------------------------------------------------------------------------------


def _pending_for(user: User) -> Any:
    return (
        select(ApprovalAssignment, ApprovalStep, Approval)
        .join(ApprovalStep, ApprovalStep.id == ApprovalAssignment.step_id)
        .join(Approval, Approval.id == ApprovalStep.approval_id)
        .join(Contract, Contract.id == Approval.contract_id)
        .where(
            ApprovalAssignment.user_id == user.id,
            ApprovalAssignment.status == "pending",
            ApprovalStep.status == "active",
            Approval.status == "pending",
            Contract.deleted_at.is_(None),
        )
    )


class ApprovalTasks:
    name = "approvals"
    label = _l("Approvals")

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]:
        return select(func.count()).select_from(_pending_for(user).subquery()).scalar_subquery()

    def tasks(self, user: User, today: date) -> list[Task]:
        found = []
        for _assignment, step, approval in db.session.execute(_pending_for(user).order_by(ApprovalStep.activated_at)):
            due = step.due_at
            found.append(
                Task(
                    provider=self.name,
                    kind="approval",
                    title=_("Approve: %(title)s", title=approval.contract.title),
                    url=path_for("workflows.decide_page", approval_id=approval.id),
                    contract_id=approval.contract_id,
                    contract_title=approval.contract.title,
                    due=due,
                    overdue=bool(due and due < clock.now()),
                    detail=_(
                        "%(level)s · version %(version)s · from %(user)s",
                        level=step.name,
                        version=approval.version_number or "—",
                        user=approval.submitted_by.display_name,
                    ),
                    data={"approval_id": approval.id, "version": approval.version_number},
                )
            )
        return found


# --- reminders ----------------------------------------------------------------------------------

_OPEN = (states.TERMINATED, states.ARCHIVED, states.RENEWED)


def _milestones_for(user: User, today: date) -> Any:
    return (
        select(Milestone, Contract)
        .join(Contract, Contract.id == Milestone.contract_id)
        .where(
            Contract.deleted_at.is_(None),
            Contract.status.not_in(_OPEN),
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
        Contract.status == states.EXPIRING_SOON,
        ~renewing,
        ~auto,
    )


def _notice_for(user: User, today: date) -> Any:
    reminded = exists().where(
        SentReminder.contract_id == Contract.id,
        SentReminder.rule.like("notice:%"),
        SentReminder.status == "sent",
        SentReminder.occurrence >= today.isoformat(),
    )
    return (
        select(Contract, ContractTerms)
        .join(ContractTerms, ContractTerms.contract_id == Contract.id)
        .where(
            Contract.owner_id == user.id,
            Contract.deleted_at.is_(None),
            Contract.status.in_((states.IN_FORCE, states.EXPIRING_SOON)),
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


# --- together -----------------------------------------------------------------------------------


def task_count(user: User, today: date) -> int:
    """All providers' counts in one query (for the navigation badge)."""
    counts = [provider.count_query(user, today) for provider in providers()]
    if not counts:
        return 0
    total: Any = literal(0)
    for count in counts:
        total = total + func.coalesce(count, 0)
    return int(db.session.scalar(select(total)) or 0)


def gather(user: User, today: date) -> list[tuple[TaskProvider, list[Task]]]:
    return [(provider, provider.tasks(user, today)) for provider in providers()]


def register_builtin(app: Flask) -> None:
    register_provider(app, ApprovalTasks())
    register_provider(app, ReminderTasks())

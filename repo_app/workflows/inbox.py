"""The approvals part of "My tasks": the steps waiting for the user's decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..contracts.models import Contract
from ..core import clock
from ..core.extensions import db
from ..core.tasks import Task
from ..notifications.links import path_for
from .models import Approval, ApprovalAssignment, ApprovalStatus, ApprovalStep, AssignmentStatus, StepStatus


def _pending_for(user: User) -> Any:
    return (
        select(ApprovalAssignment, ApprovalStep, Approval)
        .join(ApprovalStep, ApprovalStep.id == ApprovalAssignment.step_id)
        .join(Approval, Approval.id == ApprovalStep.approval_id)
        .join(Contract, Contract.id == Approval.contract_id)
        .where(
            ApprovalAssignment.user_id == user.id,
            ApprovalAssignment.status == AssignmentStatus.PENDING,
            ApprovalStep.status == StepStatus.ACTIVE,
            Approval.status == ApprovalStatus.PENDING,
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

"""Approvals: submit, decide (approve, reject, return, delegate, add an approver), withdraw,
restart on a new version, escalate overdue levels — and :func:`version_is_approved`.

Every act is recorded twice in the same transaction: as an ``ApprovalDecision`` (who, when,
the opinion text, the version) and in the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..auth.models import User
from ..auth.roles import Permission, Role
from ..contracts import access
from ..contracts.models import Contract, ContractGrant, ContractVersion
from ..contracts.status import ContractStatus, status_label
from ..core import clock, signals, uow
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..core.extensions import db, rows_updated, settings
from ..lifecycle import services as lifecycle
from ..lifecycle import states
from ..lifecycle.states import Trigger
from ..notifications.links import path_for
from ..notifications.services import notify
from . import routing
from .models import (
    Approval,
    ApprovalAssignment,
    ApprovalDecision,
    ApprovalStatus,
    ApprovalStep,
    AssignmentStatus,
    LevelApprover,
    StepStatus,
    WorkflowLevel,
)

log = logging.getLogger(__name__)

DECISIONS = ("approve", "reject", "return", "delegate", "add_approver")
#: Decisions that need an opinion text.
COMMENT_REQUIRED = ("reject", "return")


# --- reading ----------------------------------------------------------------------------------


def version_is_approved(contract: Contract, version: ContractVersion | None) -> bool:
    """Whether the workflow approved exactly this version (for signing).

    True only when the contract's most recent approval finished "approved" for this version:
    a later version, a new submission in progress or a reopened contract all answer False.
    """
    if version is None:
        return False
    latest = db.session.scalar(
        select(Approval).where(Approval.contract_id == contract.id).order_by(Approval.id.desc()).limit(1)
    )
    return (
        latest is not None
        and latest.status == ApprovalStatus.APPROVED
        and latest.version_id == version.id
        and contract.status not in states.BEFORE_APPROVAL
    )


def latest_approval(contract: Contract) -> Approval | None:
    return db.session.scalar(
        select(Approval).where(Approval.contract_id == contract.id).order_by(Approval.id.desc()).limit(1)
    )


def pending_approval(contract: Contract) -> Approval | None:
    return db.session.scalar(
        select(Approval).where(Approval.contract_id == contract.id, Approval.status == ApprovalStatus.PENDING)
    )


def get_approval(user: User, approval_id: int) -> Approval:
    """An approval the user may see (they may read its contract)."""
    approval = db.session.get(Approval, approval_id)
    if approval is None:
        raise NotFound(_("No such approval."))
    access.get_contract(user, approval.contract_id)
    return approval


def my_assignment(user: User, approval: Approval) -> ApprovalAssignment | None:
    """``user``'s pending assignment at the approval's current level, if any."""
    step = approval.current_step
    if approval.status != ApprovalStatus.PENDING or step is None:
        return None
    return next(
        (item for item in step.assignments if item.user_id == user.id and item.status == AssignmentStatus.PENDING), None
    )


# --- resolving approvers ----------------------------------------------------------------------


def _active_users(query: Any) -> list[User]:
    return list(db.session.scalars(query.where(User.active.is_(True)).order_by(User.id)))


def department_managers(contract: Contract, exclude: set[int]) -> list[User]:
    """Managers of the owner's department, or of the nearest department above that has one."""
    owner = contract.owner
    for department_id in access.ancestors_or_self(owner.department if owner else None):
        managers = [
            user
            for user in _active_users(
                select(User).where(User.role == Role.MANAGER, User.department_id == department_id)
            )
            if user.id not in exclude
        ]
        if managers:
            return managers
    return []


def resolve(approvers: Iterable[LevelApprover], contract: Contract, exclude: set[int]) -> list[User]:
    found: dict[int, User] = {}
    for approver in approvers:
        if approver.kind == "user" and approver.user is not None and approver.user.active:
            people = [approver.user]
        elif approver.kind == "role" and approver.role:
            people = _active_users(select(User).where(User.role == approver.role))
        elif approver.kind == "dept_manager":
            people = department_managers(contract, exclude)
        else:
            people = []
        for person in people:
            if person.id not in exclude:
                found.setdefault(person.id, person)
    return list(found.values())


def _ensure_can_read(person: User, contract: Contract, by: User | None) -> None:
    """Approvers must see what they approve: a read grant for those who could not."""
    if access.may(person, contract, Permission.CONTRACT_READ):
        return
    contract.grants.append(
        ContractGrant(
            grantee_type="user",
            grantee_id=person.id,
            level="read",
            granted_by_id=by.id if by else None,
            granted_at=clock.now(),
        )
    )
    record(
        "contract.access",
        actor=by,
        contract_id=contract.id,
        granted={"user": person.email, "level": "read"},
        why="approver",
    )
    signals.send(signals.access_changed, contract=contract, user=by)  # the index learns the new reader


# --- submitting -------------------------------------------------------------------------------


def _build(contract: Contract, submitter: User, route: routing.Route) -> list[tuple[WorkflowLevel, str, list[User]]]:
    levels: list[tuple[WorkflowLevel, str, list[User]]] = []
    exclude = {submitter.id}
    for workflow in route.workflows:
        for level in workflow.levels:
            people = resolve(level.approvers, contract, exclude)
            if not people:
                raise ValidationFailed(
                    _(
                        "Level “%(level)s” of workflow “%(workflow)s” has no approver for this contract "
                        "(nobody matches, or only you — you cannot approve your own submission).",
                        level=level.name,
                        workflow=workflow.name,
                    ),
                    level=level.name,
                    workflow=workflow.name,
                )
            levels.append((level, workflow.name, people))
    if not levels:
        raise Conflict(
            _(
                "No approval workflow applies to this contract. Ask an administrator to set a "
                "default workflow or a routing rule."
            ),
            reason="no_workflow",
        )
    return levels


def submit(user: User, contract: Contract, comment: str | None = None) -> Approval:
    """Send a draft for approval along the route the rules choose."""
    if not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("You may not submit this contract for approval."))
    if contract.status != ContractStatus.DRAFT:
        raise Conflict(
            _(
                "Only a draft can be submitted for approval (this one is %(status)s).",
                status=status_label(contract.status),
            )
        )
    approval = _start(user, contract, submitter=user, comment=comment)
    lifecycle.transition(user, contract, ContractStatus.IN_APPROVAL, via=Trigger.SYSTEM)
    return approval


def _start(
    actor: User, contract: Contract, *, submitter: User, comment: str | None, restarted_from: Approval | None = None
) -> Approval:
    if pending_approval(contract) is not None:
        raise Conflict(_("This contract is already in approval."))
    route = routing.evaluate(contract)
    levels = _build(contract, submitter, route)
    version = contract.latest_version
    now = clock.now()
    approval = Approval(
        contract_id=contract.id,
        version_id=version.id if version else None,
        version_number=version.number if version else None,
        status=ApprovalStatus.PENDING,
        workflow_names=" + ".join(flow.name for flow in route.workflows)[:400],
        routing=route.to_dict(),
        submitted_by_id=submitter.id,
        submitted_at=now,
        comment=(comment or "").strip() or None,
        restarted_from_id=restarted_from.id if restarted_from else None,
    )
    db.session.add(approval)
    for position, (level, source, people) in enumerate(levels, start=1):
        step = ApprovalStep(
            position=position,
            name=level.name,
            mode=level.mode,
            source=source,
            sla_hours=level.sla_hours,
            escalate_to_id=level.escalate_to_id,
            status=StepStatus.WAITING,
        )
        step.assignments = [
            ApprovalAssignment(user_id=person.id, status=AssignmentStatus.WAITING, source="workflow", created_at=now)
            for person in people
        ]
        approval.steps.append(step)
    db.session.flush()
    _log(approval, actor, "restart" if restarted_from else "submit", approval.comment)
    record(
        "approval.restart" if restarted_from else "approval.submit",
        actor=actor,
        contract_id=contract.id,
        approval_id=approval.id,
        workflows=[flow.name for flow in route.workflows],
        version=approval.version_number,
        levels=[step.name for step in approval.steps],
    )
    _activate(approval, approval.steps[0], actor)
    return approval


def _activate(approval: Approval, step: ApprovalStep, actor: User | None) -> None:
    step.status, step.activated_at = StepStatus.ACTIVE, clock.now()
    contract = approval.contract
    people = []
    for item in step.assignments:
        if item.status == AssignmentStatus.WAITING:
            item.status = AssignmentStatus.PENDING
            people.append(item.user)
            _ensure_can_read(item.user, contract, actor)
    _request(approval, step, people)


def _request(approval: Approval, step: ApprovalStep, people: list[User], **extra: str) -> None:
    notify(
        "approval.requested",
        people,
        contract=approval.contract,
        url=path_for("workflows.decide_page", approval_id=approval.id),
        params={
            "step": step.name,
            "version": str(approval.version_number or ""),
            "submitted_by": approval.submitted_by.display_name,
            **extra,
        },
    )


def _log(
    approval: Approval,
    user: User | None,
    decision: str,
    comment: str | None = None,
    step: ApprovalStep | None = None,
    target: User | None = None,
) -> ApprovalDecision:
    entry = ApprovalDecision(
        approval_id=approval.id,
        step_id=step.id if step else None,
        user_id=user.id if user else None,
        decision=decision,
        comment=(comment or "").strip() or None,
        version_number=approval.version_number,
        target_user_id=target.id if target else None,
        at=clock.now(),
    )
    db.session.add(entry)
    approval.decisions.append(entry)
    return entry


# --- deciding ---------------------------------------------------------------------------------


def _user_by_email(email: str | None) -> User:
    if not email or not email.strip():
        raise ValidationFailed(_("Name the person (their e-mail address)."))
    person = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if person is None or not person.active:
        raise ValidationFailed(_("Unknown user %(email)s.", email=email.strip()))
    return person


def decide(
    user: User,
    approval: Approval,
    decision: str,
    comment: str | None = None,
    *,
    target_email: str | None = None,
    version_number: int | None = None,
) -> Approval:
    """One approver's decision at the current level."""
    assignment = _check_decision(user, approval, decision, version_number)
    comment = (comment or "").strip() or None
    if decision in COMMENT_REQUIRED and not comment:
        raise ValidationFailed(_("Say why: an opinion is required to reject or return a contract."))
    target = None
    if decision == "approve":
        _approve(user, approval, assignment, comment)
    elif decision in ("reject", "return"):
        _reject_or_return(user, approval, assignment, decision, comment)
    else:
        target = _hand_on(user, approval, assignment, decision, comment, target_email)
    record(
        "approval.decide",
        actor=user,
        contract_id=approval.contract.id,
        approval_id=approval.id,
        decision=decision,
        level=assignment.step.name,
        version=approval.version_number,
        comment=comment,
        target=target.email if target else None,
    )
    signals.send(signals.approval_decided, approval=approval, user=user, decision=decision)
    return approval


def _check_decision(user: User, approval: Approval, decision: str, version_number: int | None) -> ApprovalAssignment:
    """The user's open assignment at the current level, or the reason the decision is refused."""
    if decision not in DECISIONS:
        raise ValidationFailed(_("decision must be one of: %(names)s", names=", ".join(DECISIONS)))
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(_("This approval is closed (%(status)s).", status=approval.status))
    assignment = my_assignment(user, approval)
    if assignment is None:
        raise Forbidden(_("You are not an approver at the current level of this approval."))
    if version_number is not None and approval.version_number is not None and version_number != approval.version_number:
        raise Conflict(
            _(
                "Version %(n)d is under approval, not version %(m)d. Reload the page.",
                n=approval.version_number,
                m=version_number,
            )
        )
    return assignment


def _approve(user: User, approval: Approval, assignment: ApprovalAssignment, comment: str | None) -> None:
    step = assignment.step
    assignment.status, assignment.decided_at = AssignmentStatus.APPROVED, clock.now()
    _log(approval, user, "approve", comment, step)
    if step.mode == "any" or all(item.status != AssignmentStatus.PENDING for item in step.assignments):
        _finish_step(approval, step, user)


def _reject_or_return(
    user: User, approval: Approval, assignment: ApprovalAssignment, decision: str, comment: str | None
) -> None:
    """The contract goes back to draft; submitter and owner hear why."""
    step, contract, now = assignment.step, approval.contract, clock.now()
    outcome = ApprovalStatus.REJECTED if decision == "reject" else ApprovalStatus.RETURNED
    assignment.status, assignment.decided_at = AssignmentStatus(outcome), now
    _log(approval, user, decision, comment, step)
    step.status, step.completed_at = StepStatus(outcome), now
    _close(approval, outcome)
    lifecycle.transition(user, contract, ContractStatus.DRAFT, comment, via=Trigger.SYSTEM)
    notify(
        f"approval.{outcome}",
        [approval.submitted_by, contract.owner],
        contract=contract,
        exclude=user,
        url=path_for("workflows.decide_page", approval_id=approval.id),
        params={"user": user.display_name, "comment": comment or "", "step": step.name},
    )


def _hand_on(
    user: User,
    approval: Approval,
    assignment: ApprovalAssignment,
    decision: str,
    comment: str | None,
    target_email: str | None,
) -> User:
    """Delegate the decision to someone else, or add someone at this level; returns them."""
    step = assignment.step
    target = _user_by_email(target_email)
    if target.id == user.id:
        raise ValidationFailed(_("Choose someone other than yourself."))
    if any(item.user_id == target.id and item.status == AssignmentStatus.PENDING for item in step.assignments):
        raise Conflict(_("%(email)s is already an approver at this level.", email=target.email))
    if target.id == approval.submitted_by_id:
        raise ValidationFailed(_("The person who submitted the contract cannot approve it."))
    now = clock.now()
    if decision == "delegate":
        assignment.status, assignment.decided_at = AssignmentStatus.DELEGATED, now
    source = "delegated" if decision == "delegate" else "added"
    step.assignments.append(
        ApprovalAssignment(
            user_id=target.id, status=AssignmentStatus.PENDING, source=source, origin_user_id=user.id, created_at=now
        )
    )
    _ensure_can_read(target, approval.contract, user)
    _log(approval, user, decision, comment, step, target)
    extra = {"delegated_by": user.display_name} if decision == "delegate" else {"added_by": user.display_name}
    db.session.flush()
    _request(approval, step, [target], **extra)
    return target


def _finish_step(approval: Approval, step: ApprovalStep, user: User) -> None:
    now = clock.now()
    step.status, step.completed_at = StepStatus.APPROVED, now
    for item in step.assignments:
        if item.status == AssignmentStatus.PENDING:
            item.status = AssignmentStatus.CLOSED
    following = next((later for later in approval.steps if later.status == StepStatus.WAITING), None)
    if following is not None:
        _activate(approval, following, user)
        return
    approval.status, approval.completed_at = ApprovalStatus.APPROVED, now
    contract = approval.contract
    lifecycle.transition(user, contract, ContractStatus.APPROVED, via=Trigger.SYSTEM)
    record(
        "approval.complete",
        actor=user,
        contract_id=contract.id,
        approval_id=approval.id,
        version=approval.version_number,
    )
    notify(
        "approval.approved",
        [approval.submitted_by, contract.owner],
        contract=contract,
        exclude=user,
        url=path_for("workflows.decide_page", approval_id=approval.id),
        params={"version": str(approval.version_number or "")},
    )


def _close(approval: Approval, status: ApprovalStatus) -> None:
    approval.status, approval.completed_at = status, clock.now()
    for step in approval.steps:
        if step.status in (StepStatus.WAITING, StepStatus.ACTIVE):
            step.status = StepStatus.CLOSED
        for item in step.assignments:
            if item.status in (AssignmentStatus.WAITING, AssignmentStatus.PENDING):
                item.status = AssignmentStatus.CLOSED


def withdraw(user: User, approval: Approval, comment: str | None = None) -> Approval:
    """The submitter (or anyone who may edit the contract) takes the contract back to draft."""
    contract = approval.contract
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(_("This approval is closed (%(status)s).", status=approval.status))
    if user.id != approval.submitted_by_id and not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("Only the submitter or an editor of the contract may withdraw it."))
    _close(approval, ApprovalStatus.WITHDRAWN)
    _log(approval, user, "withdraw", comment)
    lifecycle.transition(user, contract, ContractStatus.DRAFT, comment, via=Trigger.SYSTEM)
    record("approval.withdraw", actor=user, contract_id=contract.id, approval_id=approval.id, comment=comment)
    return approval


def restart_for_new_version(user: User, contract: Contract, version: ContractVersion) -> Approval | None:
    """A new version during approval: the running approval is superseded and a new one starts
    (the same submitter, the route recomputed) — when ``PACTUM_APPROVAL_RESTART_ON_NEW_VERSION``."""
    if not settings().approval_restart_on_new_version:
        return None
    running = pending_approval(contract)
    if running is None or running.version_id == version.id:
        return None
    _close(running, ApprovalStatus.SUPERSEDED)
    _log(running, user, "restart", _("Version %(n)d was uploaded.", n=version.number))
    record(
        "approval.supersede",
        actor=user,
        contract_id=contract.id,
        approval_id=running.id,
        old_version=running.version_number,
        new_version=version.number,
    )
    db.session.flush()
    try:
        fresh = _start(user, contract, submitter=running.submitted_by, comment=running.comment, restarted_from=running)
    except (ValidationFailed, Conflict) as error:
        # The new route has no approvers: back to draft, and the submitter is told why.
        lifecycle.transition(user, contract, ContractStatus.DRAFT, error.message, via=Trigger.SYSTEM)
        fresh = None
    return fresh


# --- escalation -------------------------------------------------------------------------------


def escalate_overdue() -> int:
    """Escalate every active level past its SLA, once (a claim guards against two workers)."""
    now = clock.now()
    steps = list(
        db.session.scalars(
            select(ApprovalStep).where(
                ApprovalStep.status == StepStatus.ACTIVE,
                ApprovalStep.sla_hours.is_not(None),
                ApprovalStep.escalated_at.is_(None),
            )
        )
    )
    with uow.batch():  # one search refresh per few hundred escalations, not one per contract
        return _escalate(steps, now)


def _escalate(steps: list[ApprovalStep], now: datetime) -> int:
    done = 0
    for step in steps:
        due = step.due_at
        if due is None or due > now:
            continue
        claimed = rows_updated(
            update(ApprovalStep)
            .where(ApprovalStep.id == step.id, ApprovalStep.escalated_at.is_(None))
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if not claimed:  # another worker escalated it
            continue
        db.session.refresh(step)
        approval = step.approval
        people = [item.user for item in step.assignments if item.status == AssignmentStatus.PENDING]
        target = db.session.get(User, step.escalate_to_id) if step.escalate_to_id else None
        if (
            target is not None
            and target.active
            and all(item.user_id != target.id or item.status != AssignmentStatus.PENDING for item in step.assignments)
        ):
            step.assignments.append(
                ApprovalAssignment(
                    user_id=target.id, status=AssignmentStatus.PENDING, source="escalation", created_at=now
                )
            )
            _ensure_can_read(target, approval.contract, None)
        _log(approval, None, "escalate", None, step, target)
        record(
            "approval.escalate",
            actor=None,
            contract_id=approval.contract_id,
            approval_id=approval.id,
            level=step.name,
            sla_hours=step.sla_hours,
            by="schedule",
            escalated_to=target.email if target else None,
        )
        notify(
            "approval.escalated",
            [*people, target],
            contract=approval.contract,
            url=path_for("workflows.decide_page", approval_id=approval.id),
            params={"step": step.name, "hours": str(step.sla_hours)},
        )
        uow.commit()  # each escalation is a unit of work of its own: the claim is visible at once
        done += 1
    return done


def to_dict(approval: Approval) -> dict[str, Any]:
    def person(user: User | None) -> str | None:
        return user.email if user else None

    def when(value: Any) -> str | None:
        return None if value is None else value.replace(microsecond=0).isoformat() + "Z"

    return {
        "id": approval.id,
        "contract_id": approval.contract_id,
        "status": approval.status,
        "version": approval.version_number,
        "workflows": approval.workflow_names,
        "submitted_by": person(approval.submitted_by),
        "submitted_at": when(approval.submitted_at),
        "completed_at": when(approval.completed_at),
        "comment": approval.comment,
        "restarted_from": approval.restarted_from_id,
        "current_level": approval.current_step.position if approval.current_step else None,
        "levels": [
            {
                "position": step.position,
                "name": step.name,
                "mode": step.mode,
                "source": step.source,
                "status": step.status,
                "sla_hours": step.sla_hours,
                "due_at": when(step.due_at),
                "activated_at": when(step.activated_at),
                "completed_at": when(step.completed_at),
                "escalated_at": when(step.escalated_at),
                "approvers": [
                    {
                        "user": person(item.user),
                        "status": item.status,
                        "source": item.source,
                        "from": person(item.origin_user),
                        "decided_at": when(item.decided_at),
                    }
                    for item in step.assignments
                ],
            }
            for step in approval.steps
        ],
        "decisions": [
            {
                "decision": entry.decision,
                "user": person(entry.user),
                "at": when(entry.at),
                "comment": entry.comment,
                "version": entry.version_number,
                "level": entry.step.name if entry.step else None,
                "target": person(entry.target_user),
            }
            for entry in approval.decisions
        ],
        "routing": approval.routing,
        "url": path_for("workflows.decide_page", approval_id=approval.id),
    }

"""Workflow definitions (levels, approvers, routing rules) and running approvals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model

#: How a level completes: every approver approves, or the first approval suffices.
MODES = ("all", "any")
#: Who approves at a level: a named user, everyone with a role, or the manager of the
#: department of the contract's owner (nearest department upwards that has one).
APPROVER_KINDS = ("user", "role", "dept_manager")
#: What a matching routing rule does.
RULE_ACTIONS = ("select", "append")


# --- definitions ------------------------------------------------------------------------------


class Workflow(Model):
    __tablename__ = "workflows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    #: Used when no "select" rule matches.
    is_default: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    levels: Mapped[list[WorkflowLevel]] = relationship(
        back_populates="workflow", lazy="selectin", order_by="WorkflowLevel.position", cascade="all, delete-orphan"
    )


class WorkflowLevel(Model):
    __tablename__ = "workflow_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(8), default="all")
    #: Hours the level may take before it is escalated (None: no limit).
    sla_hours: Mapped[int | None]
    escalate_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    workflow: Mapped[Workflow] = relationship(back_populates="levels")
    approvers: Mapped[list[LevelApprover]] = relationship(
        lazy="selectin", order_by="LevelApprover.id", cascade="all, delete-orphan"
    )
    escalate_to = relationship("User", foreign_keys=[escalate_to_id], lazy="joined")


class LevelApprover(Model):
    __tablename__ = "workflow_level_approvers"

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("workflow_levels.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str | None] = mapped_column(String(20))

    user = relationship("User", lazy="joined")


class RoutingRule(Model):
    """Chooses (``select``) or adds to (``append``) the workflow of a submitted contract.

    Rules are evaluated by ``position``. Every condition that is set must hold. The first
    matching ``select`` rule gives the base workflow; every matching ``append`` rule appends
    the levels of its workflow after it, in rule order.
    """

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0, index=True)
    name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(8), default="select")
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(default=True)
    contract_type_code: Mapped[str | None] = mapped_column(ForeignKey("contract_types.code"))
    #: The amount must be ≥ min_amount and < max_amount, counted in ``currency``.
    min_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    max_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    #: The contract's department is this one or below it.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    #: A counterparty's name contains this text.
    counterparty: Mapped[str | None] = mapped_column(String(255))
    tag: Mapped[str | None] = mapped_column(String(80))
    #: A number another feature reports about the contract (``routing.ROUTING_FACTS``, e.g.
    #: review's "review_findings") must be at least ``fact_min``.
    fact: Mapped[str | None] = mapped_column(String(40))
    fact_min: Mapped[int | None]

    workflow: Mapped[Workflow] = relationship(lazy="joined")
    department = relationship("Department", lazy="joined")


# --- running approvals -------------------------------------------------------------------------


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    #: A new version restarted the approval.
    SUPERSEDED = "superseded"


class StepStatus(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    #: The approval ended before this level finished.
    CLOSED = "closed"


class AssignmentStatus(StrEnum):
    #: The approver's level is not active yet.
    WAITING = "waiting"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    DELEGATED = "delegated"
    #: The step or the approval ended without this approver's decision.
    CLOSED = "closed"


class Approval(Model):
    """One submission of a contract: the route it took and where it stands.

    status: pending → approved | rejected | returned | withdrawn | superseded (a new version
    restarted it).
    """

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    #: The version submitted (None when the contract has no file).
    version_id: Mapped[int | None] = mapped_column(ForeignKey("contract_versions.id"))
    version_number: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default=ApprovalStatus.PENDING, index=True)
    workflow_names: Mapped[str] = mapped_column(String(400))
    #: Why this route: every rule with its checks (see routing.explain).
    routing: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=clock.now)
    completed_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    #: The approval this one replaced after a new version.
    restarted_from_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"))

    contract = relationship("Contract", lazy="joined")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id], lazy="joined")
    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="approval", lazy="selectin", order_by="ApprovalStep.position", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[ApprovalDecision]] = relationship(
        lazy="selectin", order_by="ApprovalDecision.id", cascade="all, delete-orphan"
    )

    @property
    def current_step(self) -> ApprovalStep | None:
        return next((step for step in self.steps if step.status == StepStatus.ACTIVE), None)


class ApprovalStep(Model):
    """One level of a running approval. status: waiting → active → approved (or closed)."""

    __tablename__ = "approval_steps"
    __table_args__ = (UniqueConstraint("approval_id", "position", name="uq_approval_steps_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(8))
    #: The workflow the level came from (its name, kept if the workflow changes later).
    source: Mapped[str] = mapped_column(String(120))
    sla_hours: Mapped[int | None]
    escalate_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=StepStatus.WAITING, index=True)
    activated_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    approval: Mapped[Approval] = relationship(back_populates="steps")
    assignments: Mapped[list[ApprovalAssignment]] = relationship(
        lazy="selectin", order_by="ApprovalAssignment.id", cascade="all, delete-orphan"
    )

    @property
    def due_at(self) -> datetime | None:
        from datetime import timedelta

        if self.activated_at is None or self.sla_hours is None:
            return None
        return self.activated_at + timedelta(hours=self.sla_hours)


class ApprovalAssignment(Model):
    """One approver at one step.

    status: pending → approved | rejected | returned | delegated | closed (the step or the
    approval ended without this approver's decision).
    source: workflow, delegated, added or escalation.
    """

    __tablename__ = "approval_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("approval_steps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=AssignmentStatus.PENDING, index=True)
    source: Mapped[str] = mapped_column(String(12), default="workflow")
    #: Who handed this on (delegation) or added it.
    origin_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_at: Mapped[datetime | None]

    step: Mapped[ApprovalStep] = relationship(back_populates="assignments", lazy="joined")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    origin_user = relationship("User", foreign_keys=[origin_user_id], lazy="joined")


class ApprovalDecision(Model):
    """Every act on an approval: who, when, what, the opinion text and the version it was about.

    decision: submit, approve, reject, return, delegate, add_approver, escalate, withdraw,
    restart.
    """

    __tablename__ = "approval_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("approval_steps.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(14))
    comment: Mapped[str | None] = mapped_column(Text)
    version_number: Mapped[int | None]
    #: The other person of a delegation, an added approver or an escalation.
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=clock.now)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    target_user = relationship("User", foreign_keys=[target_user_id], lazy="joined")
    step = relationship("ApprovalStep", lazy="joined", viewonly=True)

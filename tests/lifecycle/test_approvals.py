"""Approvals: all/any levels, the department manager, delegation, adding an approver, reject and
return with and without an opinion, withdraw, SLA escalation and version_is_approved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app.core.audit.models import AuditEvent
from repo_app.core.errors import Conflict, Forbidden, ValidationFailed
from repo_app.core.extensions import db
from repo_app.lifecycle import states
from repo_app.notifications.models import Notification
from repo_app.workflows import services
from repo_app.workflows.models import Approval
from tests.lifecycle.conftest import contract, make_contract, user
from tests.lifecycle.helpers import organisation


@pytest.fixture
def org(ctx: Flask, make_user: Callable[..., Any]) -> None:
    organisation(make_user)


def approval(approval_id: int) -> Approval:
    db.session.expire_all()
    found = db.session.get(Approval, approval_id)
    assert found is not None
    return found


def decide(email: str, approval_id: int, decision: str, comment: str | None = None, **kwargs: Any) -> Approval:
    """One decision, committed as the request that carries it would be."""
    decided = services.decide(user(email), approval(approval_id), decision, comment, **kwargs)
    db.session.commit()
    return decided


def approvers(item: Approval, position: int) -> dict[str, str]:
    return {assignment.user.email: assignment.status for assignment in item.steps[position - 1].assignments}


def test_all_levels_in_order(org: None) -> None:
    cid = make_contract("owner@example.com", amount="1000000")
    item = services.submit(user("owner@example.com"), contract(cid), "请审批")
    db.session.commit()
    assert contract(cid).status == states.IN_APPROVAL
    assert [step.name for step in item.steps] == ["Department", "Legal", "CFO"]
    # The nearest department with a manager above 上海分公司 is 华东区.
    assert approvers(item, 1) == {"regional@example.com": "pending"}
    assert approvers(item, 2) == {"legal1@example.com": "waiting", "legal2@example.com": "waiting"}
    # Only approvers at the current level may decide.
    with pytest.raises(Forbidden):
        decide("legal1@example.com", item.id, "approve")
    db.session.rollback()
    decide("regional@example.com", item.id, "approve", "同意")
    item = approval(item.id)
    assert item.current_step.name == "Legal"
    # Any one of the legal team suffices; the other's task closes.
    decide("legal2@example.com", item.id, "approve")
    item = approval(item.id)
    assert approvers(item, 2) == {"legal1@example.com": "closed", "legal2@example.com": "approved"}
    assert contract(cid).status == states.IN_APPROVAL
    decide("cfo@example.com", item.id, "approve", "预算内")
    item = approval(item.id)
    assert item.status == "approved" and contract(cid).status == states.APPROVED
    assert [(entry.decision, entry.user.email if entry.user else None) for entry in item.decisions] == [
        ("submit", "owner@example.com"),
        ("approve", "regional@example.com"),
        ("approve", "legal2@example.com"),
        ("approve", "cfo@example.com"),
    ]
    assert item.decisions[1].comment == "同意"
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contract_id == cid)).all()
    assert actions.count("approval.decide") == 3 and "approval.complete" in actions
    # The submitter is told it was approved.
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == "approval.approved")).all()
    assert [note.user_id for note in told] == [user("owner@example.com").id]


def test_all_mode_needs_everyone(org: None) -> None:
    admin = user("admin@example.com")
    from repo_app.workflows import definitions

    flow = definitions.save_workflow(admin, None, name="Board", description=None, is_default=True, active=True)
    db.session.commit()
    definitions.save_level(
        admin,
        flow,
        None,
        name="Board",
        mode="all",
        sla_hours=None,
        escalate_to=None,
        approvers=definitions.parse_approvers("cfo@example.com, ceo@example.com", None, False),
    )
    db.session.commit()
    cid = make_contract("owner@example.com")
    item = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    assert [step.name for step in item.steps] == ["Board"]
    decide("cfo@example.com", item.id, "approve")
    assert approval(item.id).status == "pending"
    # Adding an approver to an "all" level means one more approval is needed.
    decide("ceo@example.com", item.id, "add_approver", target_email="deputy@example.com")
    decide("ceo@example.com", item.id, "approve")
    assert approval(item.id).status == "pending"
    assert approvers(approval(item.id), 1)["deputy@example.com"] == "pending"
    decide("deputy@example.com", item.id, "approve")
    assert approval(item.id).status == "approved"


def test_delegation(org: None) -> None:
    cid = make_contract("owner@example.com")
    item = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    with pytest.raises(ValidationFailed):
        decide("regional@example.com", item.id, "delegate", target_email="nobody@example.com")
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        decide("regional@example.com", item.id, "delegate", target_email="owner@example.com")
    db.session.rollback()
    decide("regional@example.com", item.id, "delegate", "出差，请代批", target_email="group@example.com")
    item = approval(item.id)
    assert approvers(item, 1) == {"regional@example.com": "delegated", "group@example.com": "pending"}
    with pytest.raises(Forbidden):
        decide("regional@example.com", item.id, "approve")
    db.session.rollback()
    decide("group@example.com", item.id, "approve")
    item = approval(item.id)
    assert item.current_step.name == "Legal"
    delegation = [entry for entry in item.decisions if entry.decision == "delegate"][0]
    assert delegation.target_user.email == "group@example.com" and delegation.comment == "出差，请代批"
    told = db.session.scalars(
        sa.select(Notification).where(
            Notification.kind == "approval.requested", Notification.user_id == user("group@example.com").id
        )
    ).one()
    assert told.params["delegated_by"] and told.url == f"/approvals/{item.id}"


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_reject_and_return_need_an_opinion(org: None, decision: str) -> None:
    cid = make_contract("owner@example.com")
    item = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    for empty in (None, "", "   "):
        with pytest.raises(ValidationFailed):
            decide("regional@example.com", item.id, decision, empty)
        db.session.rollback()
    assert approval(item.id).status == "pending" and contract(cid).status == states.IN_APPROVAL
    decide("regional@example.com", item.id, decision, "违约金条款不合理")
    item = approval(item.id)
    assert item.status == ("rejected" if decision == "reject" else "returned")
    assert contract(cid).status == states.DRAFT
    assert all(step.status != "active" for step in item.steps)
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == f"approval.{item.status}")).one()
    assert told.user_id == user("owner@example.com").id and told.params["comment"] == "违约金条款不合理"
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "contract.status").order_by(AuditEvent.seq.desc())
    ).first()
    assert event.details == {"old": "in_approval", "new": "draft", "by": "system", "reason": "违约金条款不合理"}
    # The draft can be submitted again.
    again = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    assert again.status == "pending" and again.id != item.id


def test_submit_rules(org: None, make_user: Callable[..., Any]) -> None:
    cid = make_contract("owner@example.com")
    make_user("viewer", email="reader@example.com", department="上海分公司")
    with pytest.raises(Forbidden):
        services.submit(user("reader@example.com"), contract(cid))
    db.session.rollback()
    services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    with pytest.raises(Conflict):
        services.submit(user("owner@example.com"), contract(cid))


def test_nobody_to_approve_is_refused(org: None, make_user: Callable[..., Any]) -> None:
    """A contract of a department without any manager above it cannot be routed to one."""
    make_user("editor", email="lonely@example.com", department="孤岛")
    cid = make_contract("lonely@example.com")
    with pytest.raises(ValidationFailed, match="Department"):
        services.submit(user("lonely@example.com"), contract(cid))
    db.session.rollback()
    assert contract(cid).status == states.DRAFT and db.session.scalar(sa.select(sa.func.count(Approval.id))) == 0


def test_a_manager_does_not_approve_their_own_contract(org: None, make_user: Callable[..., Any]) -> None:
    cid = make_contract("regional@example.com")  # owner is the manager of 华东区
    item = services.submit(user("regional@example.com"), contract(cid))
    db.session.commit()
    assert approvers(item, 1) == {"group@example.com": "pending"}


def test_withdraw(org: None) -> None:
    cid = make_contract("owner@example.com")
    item = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    with pytest.raises(Forbidden):
        services.withdraw(user("cfo@example.com"), approval(item.id))
    db.session.rollback()
    services.withdraw(user("owner@example.com"), approval(item.id), "改一下")
    db.session.commit()
    assert approval(item.id).status == "withdrawn" and contract(cid).status == states.DRAFT
    assert services.my_assignment(user("regional@example.com"), approval(item.id)) is None


def test_escalation_after_the_sla(app: Flask, org: None, at: Callable[[datetime], None]) -> None:
    at(datetime(2026, 3, 2, 9, 0))
    cid = make_contract("owner@example.com")
    item = services.submit(user("owner@example.com"), contract(cid))
    db.session.commit()
    decide("regional@example.com", item.id, "approve")  # Legal (48 h, escalates to deputy) is next
    at(datetime(2026, 3, 4, 8, 59))
    assert services.escalate_overdue() == 0
    at(datetime(2026, 3, 4, 9, 1))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0  # once only
    item = approval(item.id)
    assert approvers(item, 2)["deputy@example.com"] == "pending"
    assert item.steps[1].escalated_at is not None
    told = db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "approval.escalated")).all()
    assert set(told) == {user(email).id for email in ("legal1@example.com", "legal2@example.com", "deputy@example.com")}
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "approval.escalate")).one()
    assert event.actor_id is None and event.details["by"] == "schedule"
    decide("deputy@example.com", item.id, "approve")
    assert approval(item.id).status == "approved"


def test_version_is_approved_without_files(org: None) -> None:
    cid = make_contract("owner@example.com")
    assert services.version_is_approved(contract(cid), None) is False

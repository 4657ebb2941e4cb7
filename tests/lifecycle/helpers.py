"""An organisation with approval workflows, shared by the workflow tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from repo_app.core.extensions import db
from repo_app.workflows import definitions
from tests.conftest import ensure_department
from tests.lifecycle.conftest import user

PEOPLE = {
    "admin@example.com": ("admin", None),
    "owner@example.com": ("editor", "上海分公司"),
    "regional@example.com": ("manager", "华东区"),  # nearest manager above the owner
    "group@example.com": ("manager", "集团"),
    "legal1@example.com": ("editor", "法务部"),
    "legal2@example.com": ("editor", "法务部"),
    "cfo@example.com": ("manager", "财务部"),
    "ceo@example.com": ("manager", None),
    "deputy@example.com": ("manager", None),
}


def organisation(make_user: Callable[..., Any]) -> None:
    """集团 ⊃ 华东区 ⊃ 上海分公司; workflows Standard (default: department manager, then legal —
    any one), CFO, CEO; rules: ≥ ¥1,000,000 adds CFO, ≥ ¥10,000,000 adds CEO."""
    ensure_department("集团")
    ensure_department("华东区", parent="集团")
    ensure_department("上海分公司", parent="华东区")
    ensure_department("法务部", parent="集团")
    ensure_department("财务部", parent="集团")
    db.session.commit()
    for email, (role, department) in PEOPLE.items():
        make_user(role, email=email, department=department)
    admin = user("admin@example.com")
    standard = definitions.save_workflow(admin, None, name="Standard", description=None, is_default=True, active=True)
    db.session.commit()
    definitions.save_level(
        admin,
        standard,
        None,
        name="Department",
        mode="all",
        sla_hours=None,
        escalate_to=None,
        approvers=definitions.parse_approvers(None, None, True),
    )
    db.session.commit()
    definitions.save_level(
        admin,
        standard,
        None,
        name="Legal",
        mode="any",
        sla_hours=48,
        escalate_to="deputy@example.com",
        approvers=definitions.parse_approvers("legal1@example.com, legal2@example.com", None, False),
    )
    db.session.commit()
    for name, approver in (("CFO", "cfo@example.com"), ("CEO", "ceo@example.com")):
        flow = definitions.save_workflow(admin, None, name=name, description=None, is_default=False, active=True)
        db.session.commit()
        definitions.save_level(
            admin,
            flow,
            None,
            name=name,
            mode="all",
            sla_hours=None,
            escalate_to=None,
            approvers=definitions.parse_approvers(approver, None, False),
        )
        db.session.commit()
    cfo = db.session.scalar(db.select(definitions.Workflow).where(definitions.Workflow.name == "CFO"))
    ceo = db.session.scalar(db.select(definitions.Workflow).where(definitions.Workflow.name == "CEO"))
    definitions.save_rule(
        admin,
        None,
        {
            "name": "≥ ¥1,000,000 adds the CFO",
            "action": "append",
            "workflow_id": cfo.id,
            "min_amount": "1000000",
            "currency": "CNY",
        },
    )
    db.session.commit()
    definitions.save_rule(
        admin,
        None,
        {
            "name": "≥ ¥10,000,000 adds the CEO",
            "action": "append",
            "workflow_id": ceo.id,
            "min_amount": "10,000,000",
            "currency": "CNY",
        },
    )
    db.session.commit()


def tokens_for(*emails: str) -> dict[str, str]:
    """API tokens of organisation members, keyed by the e-mail's local part (needs an app context)."""
    from repo_app.auth.services import create_token

    made = {email.split("@")[0]: create_token(user(email), "t")[1] for email in emails}
    db.session.commit()
    return made

"""Administering workflow definitions and routing rules (admins, through the UI or API)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.models import User
from ..auth.roles import Permission, is_role
from ..contracts.access import require
from ..contracts.models import ContractType, Department
from ..core.audit import record
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db
from . import routing
from .models import MODES, RULE_ACTIONS, LevelApprover, RoutingRule, Workflow, WorkflowLevel


def _admin(user: User) -> None:
    require(user, Permission.USER_ADMIN)


def list_workflows() -> list[Workflow]:
    return list(db.session.scalars(select(Workflow).order_by(Workflow.name)))


def get_workflow(user: User, workflow_id: int) -> Workflow:
    _admin(user)
    workflow = db.session.get(Workflow, workflow_id)
    if workflow is None:
        raise NotFound(_("No such workflow."))
    return workflow


def save_workflow(
    user: User, workflow: Workflow | None, *, name: str, description: str | None, is_default: bool, active: bool
) -> Workflow:
    _admin(user)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the workflow a name."))
    clash = db.session.scalar(select(Workflow).where(Workflow.name == name))
    if clash is not None and clash is not workflow:
        raise Conflict(_("A workflow called %(name)s exists already.", name=name))
    created = workflow is None
    if workflow is None:
        workflow = Workflow(name=name)
        db.session.add(workflow)
    workflow.name, workflow.description = name[:120], (description or "").strip() or None
    workflow.active = active
    if is_default:
        for other in db.session.scalars(select(Workflow).where(Workflow.is_default.is_(True))):
            other.is_default = False
    workflow.is_default = is_default
    db.session.flush()
    record(
        "workflow.create" if created else "workflow.update",
        actor=user,
        workflow_id=workflow.id,
        name=workflow.name,
        is_default=is_default,
        active=active,
    )
    return workflow


def delete_workflow(user: User, workflow: Workflow) -> None:
    _admin(user)
    used = db.session.scalar(select(func.count(RoutingRule.id)).where(RoutingRule.workflow_id == workflow.id))
    if used:
        raise Conflict(_("Routing rules use this workflow: delete or change them first."))
    record("workflow.delete", actor=user, workflow_id=workflow.id, name=workflow.name)
    db.session.delete(workflow)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise ValidationFailed(_("Unknown user %(email)s.", email=email.strip()))
    return user


def parse_approvers(users: str | None, role: str | None, department_manager: bool) -> list[LevelApprover]:
    """Approvers of a level from the form: e-mail addresses, a role, the department manager."""
    approvers = [
        LevelApprover(kind="user", user=_user(email))
        for email in (users or "").replace("，", ",").replace("\n", ",").split(",")
        if email.strip()
    ]
    if role:
        if not is_role(role):
            raise ValidationFailed(_("Unknown role %(role)s.", role=role))
        approvers.append(LevelApprover(kind="role", role=role))
    if department_manager:
        approvers.append(LevelApprover(kind="dept_manager"))
    if not approvers:
        raise ValidationFailed(_("A level needs approvers: people, a role or the department manager."))
    return approvers


def save_level(
    user: User,
    workflow: Workflow,
    level: WorkflowLevel | None,
    *,
    name: str,
    mode: str,
    approvers: list[LevelApprover],
    sla_hours: int | None,
    escalate_to: str | None,
) -> WorkflowLevel:
    _admin(user)
    if not (name or "").strip():
        raise ValidationFailed(_("Give the level a name."))
    if mode not in MODES:
        raise ValidationFailed(_("mode must be all or any."))
    if sla_hours is not None and not 1 <= sla_hours <= 24 * 90:
        raise ValidationFailed(_("The time limit must be between 1 hour and 90 days."))
    created = level is None
    if level is None:
        level = WorkflowLevel(position=len(workflow.levels) + 1)
        workflow.levels.append(level)
    level.name, level.mode, level.sla_hours = name.strip()[:120], mode, sla_hours
    level.escalate_to_id = _user(escalate_to).id if escalate_to and escalate_to.strip() else None
    level.approvers = approvers
    db.session.flush()
    record(
        "workflow.level_create" if created else "workflow.level_update",
        actor=user,
        workflow_id=workflow.id,
        level=level.name,
        mode=mode,
        sla_hours=sla_hours,
        approvers=[describe(a) for a in approvers],
    )
    return level


def describe(approver: LevelApprover) -> str:
    if approver.kind == "user":
        return approver.user.email if approver.user else "?"
    if approver.kind == "role":
        return f"role:{approver.role}"
    return "dept_manager"


def move_level(user: User, workflow: Workflow, level_id: int, offset: int) -> None:
    _admin(user)
    levels = list(workflow.levels)
    index = next((i for i, level in enumerate(levels) if level.id == level_id), None)
    if index is None:
        raise NotFound(_("No such level."))
    other = index + offset
    if 0 <= other < len(levels):
        levels[index], levels[other] = levels[other], levels[index]
    for position, level in enumerate(levels, start=1):
        level.position = position
    record("workflow.level_move", actor=user, workflow_id=workflow.id, order=[level.name for level in levels])


def delete_level(user: User, workflow: Workflow, level_id: int) -> None:
    _admin(user)
    level = next((level for level in workflow.levels if level.id == level_id), None)
    if level is None:
        raise NotFound(_("No such level."))
    workflow.levels.remove(level)
    for position, remaining in enumerate(workflow.levels, start=1):
        remaining.position = position
    record("workflow.level_delete", actor=user, workflow_id=workflow.id, level=level.name)


# --- routing rules ----------------------------------------------------------------------------


def _amount(raw: Any) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValidationFailed(_("%(value)s is not an amount.", value=raw)) from None
    if value < 0:
        raise ValidationFailed(_("Amounts cannot be negative."))
    return value


def save_rule(user: User, rule: RoutingRule | None, values: dict[str, Any]) -> RoutingRule:
    """Create or change a rule from ``values`` (name, action, workflow_id, contract_type,
    min_amount, max_amount, currency, department, counterparty, tag, active)."""
    _admin(user)
    name = str(values.get("name") or "").strip()
    if not name:
        raise ValidationFailed(_("Give the rule a name."))
    action = values.get("action") or "select"
    if action not in RULE_ACTIONS:
        raise ValidationFailed(_("action must be select or append."))
    workflow = db.session.get(Workflow, int(values.get("workflow_id") or 0))
    if workflow is None:
        raise ValidationFailed(_("Choose the workflow of the rule."))
    type_code = values.get("contract_type") or None
    if type_code and db.session.get(ContractType, type_code) is None:
        raise ValidationFailed(_("Unknown contract type %(code)s.", code=type_code))
    department_name = values.get("department") or None
    department = None
    if department_name:
        department = db.session.scalar(select(Department).where(Department.name == department_name))
        if department is None:
            raise ValidationFailed(_("Unknown department %(name)s.", name=department_name))
    low, high = _amount(values.get("min_amount")), _amount(values.get("max_amount"))
    if low is not None and high is not None and high <= low:
        raise ValidationFailed(_("The upper amount must be above the lower one."))
    created = rule is None
    if rule is None:
        last = db.session.scalar(select(func.max(RoutingRule.position))) or 0
        rule = RoutingRule(position=last + 1)
        db.session.add(rule)
    rule.name, rule.action, rule.workflow = name[:120], action, workflow
    rule.contract_type_code, rule.department = type_code, department
    rule.min_amount, rule.max_amount = low, high
    rule.currency = (values.get("currency") or "CNY").upper()[:3]
    rule.counterparty = (values.get("counterparty") or "").strip() or None
    rule.tag = (values.get("tag") or "").strip() or None
    rule.fact, rule.fact_min = _fact(values.get("fact"), values.get("fact_min"))
    rule.active = bool(values.get("active", True))
    db.session.flush()
    record(
        "routing.create" if created else "routing.update",
        actor=user,
        rule_id=rule.id,
        name=rule.name,
        rule_action=action,
        workflow=workflow.name,
        contract_type=type_code,
        min_amount=None if low is None else f"{low:.2f}",
        max_amount=None if high is None else f"{high:.2f}",
        currency=rule.currency,
        department=department_name,
        counterparty=rule.counterparty,
        tag=rule.tag,
        fact=rule.fact,
        fact_min=rule.fact_min,
    )
    return rule


def _fact(name: Any, minimum: Any) -> tuple[str | None, int | None]:
    """A routing-fact condition: a registered fact and its least value (1 when not given)."""
    if not name:
        return None, None
    if name not in routing.routing_facts():
        raise ValidationFailed(_("Unknown routing condition %(name)s.", name=str(name)))
    raw = str(minimum if minimum is not None else "").strip() or "1"
    if not raw.isdigit() or int(raw) < 1 or int(raw) > 1_000_000:
        raise ValidationFailed(_("The least value of a condition must be a whole number from 1."))
    return str(name), int(raw)


def get_rule(user: User, rule_id: int) -> RoutingRule:
    _admin(user)
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(_("No such rule."))
    return rule


def move_rule(user: User, rule: RoutingRule, offset: int) -> None:
    _admin(user)
    rules = list(db.session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))
    index = rules.index(rule)
    other = index + offset
    if 0 <= other < len(rules):
        rules[index], rules[other] = rules[other], rules[index]
    for position, item in enumerate(rules, start=1):
        item.position = position
    record("routing.move", actor=user, order=[item.name for item in rules])


def delete_rule(user: User, rule: RoutingRule) -> None:
    _admin(user)
    record("routing.delete", actor=user, rule_id=rule.id, name=rule.name)
    db.session.delete(rule)

"""Approval pages (submit, the decision page, withdraw) and the admin pages that define
workflows and routing rules."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission, Role
from ..contracts import access
from ..contracts.models import ContractType, Department
from ..core import forms
from ..core.errors import NotFound
from ..core.extensions import db
from ..core.form_actions import run_form_action
from . import definitions, panel, routing, services
from .models import MODES, RULE_ACTIONS, ApprovalStatus

# --- approvals ----------------------------------------------------------------------------------


@login_required
def submit(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    created: list[Any] = []
    comment = forms.text(request.form, "comment")
    if run_form_action(
        lambda: created.append(services.submit(current_user, contract, comment)), _("Submitted for approval.")
    ):
        return redirect(url_for("workflows.decide_page", approval_id=created[0].id))
    return redirect(url_for("contracts.detail", contract_id=contract.id) + "#lifecycle")


@login_required
def decide_page(approval_id: int) -> Any:
    approval = services.get_approval(current_user, approval_id)
    contract = approval.contract
    return render_template(
        "workflows/decide.html",
        approval=approval,
        contract=contract,
        mine=services.my_assignment(current_user, approval),
        notes=panel.decision_notes(contract),
        can_withdraw=approval.status == ApprovalStatus.PENDING
        and (
            approval.submitted_by_id == current_user.id or access.may(current_user, contract, Permission.CONTRACT_EDIT)
        ),
    )


@login_required
def decide(approval_id: int) -> Any:
    approval = services.get_approval(current_user, approval_id)
    form = request.form
    decision = form.get("decision", "")
    messages = {
        "approve": _("Approved."),
        "reject": _("Rejected: the contract is back in draft."),
        "return": _("Returned for changes."),
        "delegate": _("Handed on."),
        "add_approver": _("Approver added."),
    }
    if run_form_action(
        lambda: services.decide(
            current_user,
            approval,
            decision,
            forms.text(form, "comment"),
            target_email=forms.text(form, "user"),
            version_number=forms.whole(form, "version"),
        ),
        messages.get(decision),
    ) and decision in ("approve", "reject", "return", "delegate"):
        # Done here: on to the next task.
        return redirect(url_for("tasks.inbox"))
    return redirect(url_for("workflows.decide_page", approval_id=approval.id))


@login_required
def withdraw(approval_id: int) -> Any:
    approval = services.get_approval(current_user, approval_id)
    run_form_action(
        lambda: services.withdraw(current_user, approval, forms.text(request.form, "comment")),
        _("Withdrawn: the contract is back in draft."),
    )
    return redirect(url_for("contracts.detail", contract_id=approval.contract_id) + "#lifecycle")


# --- admin: workflows -------------------------------------------------------------------------


def _roles() -> list[str]:
    return [role.value for role in Role]


@permission_required(Permission.USER_ADMIN)
def workflows() -> Any:
    if request.method == "POST":
        form = request.form
        created: list[Any] = []
        if run_form_action(
            lambda: created.append(
                definitions.save_workflow(
                    current_user,
                    None,
                    name=form.get("name", ""),
                    description=form.get("description"),
                    is_default=forms.flag(form, "is_default"),
                    active=True,
                )
            ),
            _("Workflow created."),
        ):
            return redirect(url_for("workflows.workflow", workflow_id=created[0].id))
        return redirect(url_for("workflows.workflows"))
    return render_template(
        "workflows/admin_list.html", workflows=definitions.list_workflows(), rules=routing.ordered_rules()
    )


@permission_required(Permission.USER_ADMIN)
def workflow(workflow_id: int) -> Any:
    item = definitions.get_workflow(current_user, workflow_id)
    if request.method == "POST":
        form = request.form
        run_form_action(
            lambda: definitions.save_workflow(
                current_user,
                item,
                name=form.get("name", ""),
                description=form.get("description"),
                is_default=forms.flag(form, "is_default"),
                active=forms.flag(form, "active"),
            ),
            _("Saved."),
        )
        return redirect(url_for("workflows.workflow", workflow_id=item.id))
    return render_template("workflows/admin_workflow.html", workflow=item, modes=MODES, roles=_roles())


@login_required
def delete_workflow(workflow_id: int) -> Any:
    item = definitions.get_workflow(current_user, workflow_id)
    if run_form_action(lambda: definitions.delete_workflow(current_user, item), _("Workflow deleted.")):
        return redirect(url_for("workflows.workflows"))
    return redirect(url_for("workflows.workflow", workflow_id=workflow_id))


@login_required
def level(workflow_id: int, level_id: int | None = None) -> Any:
    """Add (no level_id) or change a level; ``op`` = save, up, down or delete."""
    item = definitions.get_workflow(current_user, workflow_id)
    form = request.form
    op = form.get("op", "save")
    if level_id is not None and op in ("up", "down"):
        run_form_action(lambda: definitions.move_level(current_user, item, level_id, -1 if op == "up" else 1), None)
    elif level_id is not None and op == "delete":
        run_form_action(lambda: definitions.delete_level(current_user, item, level_id), _("Level deleted."))
    else:
        existing = None
        if level_id is not None:
            existing = next((lvl for lvl in item.levels if lvl.id == level_id), None)
            if existing is None:
                raise NotFound(_("No such level."))
        run_form_action(
            lambda: definitions.save_level(
                current_user,
                item,
                existing,
                name=form.get("name", ""),
                mode=form.get("mode", "all"),
                approvers=definitions.parse_approvers(
                    form.get("users"), form.get("role") or None, forms.flag(form, "dept_manager")
                ),
                sla_hours=forms.whole(form, "sla_hours"),
                escalate_to=form.get("escalate_to"),
            ),
            _("Level saved."),
        )
    return redirect(url_for("workflows.workflow", workflow_id=item.id))


# --- admin: routing rules ------------------------------------------------------------------------


def _rule_choices() -> dict[str, Any]:
    return {
        "workflows": definitions.list_workflows(),
        "actions": RULE_ACTIONS,
        "types": list(db.session.scalars(select(ContractType).order_by(ContractType.position))),
        "departments": list(db.session.scalars(select(Department).order_by(Department.name))),
    }


@permission_required(Permission.USER_ADMIN)
def rules() -> Any:
    if request.method == "POST":
        run_form_action(lambda: definitions.save_rule(current_user, None, _rule_values()), _("Rule added."))
        return redirect(url_for("workflows.rules"))
    trial = None
    contract_id = request.args.get("contract_id", type=int)
    if contract_id:
        trial_contract = access.get_contract(current_user, contract_id)
        trial = (trial_contract, routing.evaluate(trial_contract))
    return render_template("workflows/admin_rules.html", rules=routing.ordered_rules(), trial=trial, **_rule_choices())


def _rule_values() -> dict[str, Any]:
    form = request.form
    return {
        "name": form.get("name"),
        "action": form.get("action"),
        "workflow_id": form.get("workflow_id") or 0,
        "contract_type": form.get("contract_type"),
        "min_amount": form.get("min_amount"),
        "max_amount": form.get("max_amount"),
        "currency": form.get("currency"),
        "department": form.get("department"),
        "counterparty": form.get("counterparty"),
        "tag": form.get("tag"),
        "fact": form.get("fact"),
        "fact_min": form.get("fact_min"),
        "active": forms.flag(form, "active") if "active_sent" in form else True,
    }


@permission_required(Permission.USER_ADMIN)
def rule(rule_id: int) -> Any:
    item = definitions.get_rule(current_user, rule_id)
    if request.method == "POST":
        op = request.form.get("op", "save")
        if op in ("up", "down"):
            run_form_action(lambda: definitions.move_rule(current_user, item, -1 if op == "up" else 1), None)
        elif op == "delete":
            run_form_action(lambda: definitions.delete_rule(current_user, item), _("Rule deleted."))
        else:
            if run_form_action(lambda: definitions.save_rule(current_user, item, _rule_values()), _("Saved.")):
                return redirect(url_for("workflows.rules"))
            return redirect(url_for("workflows.rule", rule_id=rule_id))
        return redirect(url_for("workflows.rules"))
    return render_template("workflows/admin_rule.html", rule=item, **_rule_choices())

"""The contract page's lifecycle actions (status, renewal, termination, terms, milestones,
watching). Thin: each parses the form, calls a service and returns to the contract page."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.status import status_label
from ..core import clock, forms
from ..core.form_actions import run_form_action
from . import services


def _back(contract: Contract, anchor: str = "lifecycle") -> Any:
    return redirect(url_for("contracts.detail", contract_id=contract.id) + f"#{anchor}")


@login_required
def change_status(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    target = request.form.get("status", "")
    run_form_action(
        lambda: services.transition(current_user, contract, target, forms.text(request.form, "reason")),
        _("Status changed to %(status)s.", status=status_label(target)),
    )
    return _back(contract)


@login_required
def record_signed(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    run_form_action(
        lambda: services.record_signed(
            current_user,
            contract,
            forms.day(request.form, "signed_date") or clock.today(),
            forms.text(request.form, "reason"),
        ),
        _("Recorded as signed."),
    )
    return _back(contract)


@login_required
def renew(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    created: list[Contract] = []
    title = forms.text(request.form, "title")
    if run_form_action(
        lambda: created.append(services.renew(current_user, contract, title=title)),
        _("A renewal draft was created. Check its details and upload the agreement."),
    ):
        return redirect(url_for("contracts.edit", contract_id=created[0].id))
    return _back(contract)


@login_required
def terminate(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    run_form_action(
        lambda: services.terminate(
            current_user,
            contract,
            on=forms.day(request.form, "terminated_on") or clock.today(),
            reason=forms.text(request.form, "reason") or "",
            agreement_id=forms.whole(request.form, "agreement_id"),
        ),
        _("The contract is terminated."),
    )
    return _back(contract)


@login_required
def terms(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    form = request.form
    run_form_action(
        lambda: services.set_terms(
            current_user,
            contract,
            auto_renew=forms.flag(form, "auto_renew"),
            renewal_months=forms.whole(form, "renewal_months"),
            notice_days=forms.whole(form, "notice_days"),
        ),
        _("Renewal terms saved."),
    )
    return _back(contract)


@login_required
def notice(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    run_form_action(
        lambda: services.give_notice(current_user, contract, forms.text(request.form, "reason")),
        _("Notice of non-renewal recorded: the contract will end at its expiry date."),
    )
    return _back(contract)


@login_required
def add_milestone(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    form = request.form
    run_form_action(
        lambda: services.add_milestone(
            current_user,
            contract,
            title=forms.text(form, "title", required=True) or "",
            kind=form.get("kind", "other"),
            due_date=forms.day(form, "due_date", required=True) or clock.today(),
            owner_email=forms.text(form, "owner"),
            amount=forms.amount(form, "amount"),
            remind_days=forms.text(form, "remind_days") or "",
        ),
        _("Milestone added."),
    )
    return _back(contract, "milestones")


@login_required
def milestone_done(contract_id: int, milestone_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    milestone = services.get_milestone(contract, milestone_id)
    done = request.form.get("done", "1") == "1"
    run_form_action(
        lambda: services.complete_milestone(current_user, contract, milestone, done),
        _("Milestone marked done.") if done else _("Milestone reopened."),
    )
    return _back(contract, "milestones")


@login_required
def delete_milestone(contract_id: int, milestone_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    milestone = services.get_milestone(contract, milestone_id)
    run_form_action(lambda: services.delete_milestone(current_user, contract, milestone), _("Milestone deleted."))
    return _back(contract, "milestones")


@login_required
def watch(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    on = request.form.get("on", "1") == "1"
    run_form_action(
        lambda: services.watch(current_user, contract, on),
        _("You are watching this contract.") if on else _("You no longer watch this contract."),
    )
    return _back(contract)

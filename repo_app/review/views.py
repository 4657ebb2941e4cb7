"""The review pages: comment threads and periodic reviews on the contract page (form posts that
return to it) and the administrators' clause checklist. Thin: parse, call, redirect."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract, ContractType
from ..contracts.services import find_version
from ..core import forms
from ..core.errors import ValidationFailed
from ..core.extensions import db
from ..core.form_actions import run_form_action
from ..core.forms import ConfirmForm
from . import checklist, periodic, services
from .models import ChecklistItem, ReviewInterval


def _back(contract_id: int, anchor: str = "comments") -> Any:
    return redirect(url_for("contracts.detail", contract_id=contract_id) + f"#{anchor}")


@login_required
def add_comment(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    form = request.form

    def create() -> None:
        version = find_version(contract, form.get("version") or "latest")
        page = forms.whole(form, "page")
        services.create(current_user, contract, version, form.get("body"), form.get("quote"), page)

    run_form_action(create, _("Comment added."))
    return _back(contract.id)


@login_required
def add_reply(comment_id: int) -> Any:
    thread = services.get_thread(current_user, comment_id)
    run_form_action(lambda: services.reply(current_user, thread, request.form.get("body")), _("Reply added."))
    return _back(thread.contract_id, f"comment-{thread.id}")


@login_required
def resolve(comment_id: int) -> Any:
    thread = services.get_thread(current_user, comment_id)
    resolved = forms.flag(request.form, "resolved")
    run_form_action(
        lambda: services.set_resolved(current_user, thread, resolved),
        _("Comment resolved.") if resolved else _("Comment reopened."),
    )
    return _back(thread.contract_id, f"comment-{thread.id}")


def _editable(contract_id: int) -> Contract:
    return access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)


@login_required
def periodic_outcome(contract_id: int) -> Any:
    contract = _editable(contract_id)
    run_form_action(
        lambda: periodic.record_outcome(current_user, contract, request.form.get("outcome"), request.form.get("note")),
        _("Review recorded."),
    )
    return _back(contract.id, "periodic-review")


@login_required
def periodic_schedule(contract_id: int) -> Any:
    contract = _editable(contract_id)
    run_form_action(
        lambda: periodic.set_schedule(
            current_user, contract, forms.day(request.form, "due_on"), request.form.get("months")
        ),
        _("Review date saved."),
    )
    return _back(contract.id, "periodic-review")


# --- administration: the clause checklist and review intervals --------------------------------


@permission_required(Permission.USER_ADMIN)
def checklist_page() -> Any:
    if request.method == "POST":
        form = request.form
        run_form_action(
            lambda: checklist.save_item(
                current_user,
                forms.whole(form, "item_id"),
                contract_type=form.get("contract_type") or None,
                name_zh=form.get("name_zh", ""),
                name_en=form.get("name_en", ""),
                patterns=form.get("patterns", ""),
                active=forms.flag(form, "active"),
            ),
            _("Checklist saved."),
        )
        return redirect(url_for("review.checklist_page"))
    items = db.session.scalars(db.select(ChecklistItem).order_by(ChecklistItem.id)).all()
    types = db.session.scalars(db.select(ContractType).order_by(ContractType.position, ContractType.code)).all()
    intervals = {row.contract_type_code: row.months for row in db.session.scalars(db.select(ReviewInterval))}
    return render_template(
        "review/checklist.html", items=items, types=types, intervals=intervals, confirm_form=ConfirmForm()
    )


@permission_required(Permission.USER_ADMIN)
def save_interval() -> Any:
    form = request.form
    run_form_action(
        lambda: periodic.set_type_interval(current_user, _type_code(form.get("contract_type")), form.get("months")),
        _("Review interval saved."),
    )
    return redirect(url_for("review.checklist_page") + "#intervals")


def _type_code(value: Any) -> str:
    if not isinstance(value, str) or db.session.get(ContractType, value) is None:
        raise ValidationFailed(_("contract_type: no such contract type."), field="contract_type")
    return value

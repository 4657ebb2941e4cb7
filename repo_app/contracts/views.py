"""Web pages for contracts. Thin: every rule lives in services and access."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from indexer.search import highlight_terms

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission, Role
from ..core.audit import record_visit
from ..core.errors import PactumError, ValidationFailed
from ..core.extensions import settings
from ..core.form_actions import run_form_action
from ..core.forms import ConfirmForm
from ..core.pagination import page_arguments
from . import access, custom_fields, retention, services, sharing
from .forms import MetadataForm, VersionUploadForm
from .own_names import is_own_name
from .pages import page_parts
from .previews import preview_of
from .schemas import parse_metadata
from .suggestions import suggestions_to_offer

#: Roles that oversee the whole: "/" opens the dashboard for them (when the reports feature
#: is there), "My tasks" for everyone else (editors, signers, viewers).
DASHBOARD_HOME_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.FINANCE, Role.AUDITOR})


@login_required
def home() -> Any:
    """The home page, by role: the dashboard or "My tasks" (each page links to the other)."""
    dashboard = "reports.dashboard_page"
    if current_user.role in DASHBOARD_HOME_ROLES and dashboard in current_app.view_functions:
        return redirect(url_for(dashboard))
    return redirect(url_for("tasks.inbox"))


@login_required
def list_contracts() -> Any:
    page, per_page = page_arguments(request.args)
    result = services.list_contracts(current_user, page, per_page)
    return render_template("contracts/list.html", page=result)


@permission_required(Permission.CONTRACT_CREATE)
def upload() -> Any:
    return render_template(
        "contracts/upload.html",
        form=MetadataForm(),
        max_upload_mb=settings().max_upload_mb,
        custom_rows=custom_fields.form_rows(None),
    )


@login_required
def detail(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, include_trash=True)
    record_visit("contract.view", contract_id=contract.id, via="web")
    return render_template(
        "contracts/detail.html",
        contract=contract,
        version_form=VersionUploadForm(),
        confirm_form=ConfirmForm(),
        can_edit=access.may(current_user, contract, Permission.CONTRACT_EDIT),
        can_delete=access.may(current_user, contract, Permission.CONTRACT_DELETE),
        can_share=access.may(current_user, contract, Permission.CONTRACT_SHARE),
        sharing=sharing.access_to_dict(contract),
        levels=access.LEVELS,
        preview=preview_of(contract.latest_version),
        start_page=request.args.get("page", type=int),
        highlight=highlight_terms(request.args.get("q", "")[:500]),
        can_sign=access.may(current_user, contract, Permission.CONTRACT_SIGN),
        retained_until=retention.retained_until(contract),
        suggestions=suggestions_to_offer(contract),
        custom_rows=custom_fields.display_rows(contract),
        **page_parts(contract),
    )


@login_required
def edit(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    form = MetadataForm(obj=None if request.method == "POST" else _form_values(contract))
    if form.validate_on_submit():
        metadata = form.metadata_dict()
        metadata["custom_fields"] = custom_fields.values_from_form(request.form, metadata["contract_type"])
        if run_form_action(
            lambda: services.update_metadata(current_user, contract, parse_metadata(metadata)), _("Saved.")
        ):
            return redirect(url_for("contracts.detail", contract_id=contract.id))
    return render_template(
        "contracts/edit.html", contract=contract, form=form, custom_rows=_posted_rows(contract, form.is_submitted())
    )


def _posted_rows(contract: Any, submitted: bool) -> list[tuple[Any, Any]]:
    """The custom inputs of the edit form: as posted when the form comes back with an error."""
    rows = custom_fields.form_rows(contract)
    if not submitted:
        return rows
    posted = request.form
    return [
        (field, posted.getlist(f"cf.{field.key}") if field.kind == "multi_select" else posted.get(f"cf.{field.key}"))
        for field, _value in rows
    ]


@login_required
def upload_version(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    form = VersionUploadForm()
    if form.validate_on_submit():
        incoming = services.IncomingFile.of(form.file.data)
        try:
            version = services.add_version(current_user, contract, incoming)
        except PactumError as error:
            flash(error.message, "danger")
        else:
            flash(_("Version %(n)d uploaded.", n=version.number), "success")
    else:
        flash(_("Choose a file to upload."), "warning")
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def delete(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_DELETE)
    if ConfirmForm().validate_on_submit():
        services.move_to_trash(current_user, contract)
        flash(_("“%(title)s” was moved to the trash.", title=contract.title), "success")
    return redirect(url_for("contracts.list_contracts"))


@permission_required(Permission.TRASH_MANAGE)
def trash() -> Any:
    page, per_page = page_arguments(request.args)
    return render_template(
        "contracts/trash.html", page=services.list_trash(current_user, page, per_page), confirm_form=ConfirmForm()
    )


@login_required
def restore(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    if ConfirmForm().validate_on_submit():
        services.restore_from_trash(current_user, contract)
        flash(_("“%(title)s” was restored.", title=contract.title), "success")
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def share(contract_id: int) -> Any:
    """The share dialog's form: the whole access list is sent and replaces the old one."""
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_SHARE)
    if ConfirmForm().validate_on_submit():
        form = request.form
        rows = zip(form.getlist("grantee_type"), form.getlist("grantee"), form.getlist("level"), strict=False)
        body = {
            "confidential": form.get("confidential") == "1",
            "department_level": form.get("department_level") or None,
            "grants": [
                {"grantee_type": kind, "grantee": name, "level": level} for kind, name, level in rows if name.strip()
            ],
        }
        run_form_action(
            lambda: sharing.set_access(current_user, contract, sharing.parse_access(body)), _("Sharing saved.")
        )
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def accept_suggestion(contract_id: int) -> Any:
    """Fill one metadata field with a value found in the text."""
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    if ConfirmForm().validate_on_submit():
        field, value = request.form.get("field", ""), request.form.get("value", "")
        run_form_action(lambda: _accept_suggestion(contract, field, value))
    return redirect(url_for("contracts.detail", contract_id=contract.id))


def _accept_suggestion(contract: Any, field: str, value: str) -> None:
    changes: dict[str, Any] = {field: value}
    if field == "counterparties":
        if is_own_name(value):
            raise ValidationFailed(_("%(name)s is one of our own names, not a counterparty.", name=value))
        changes[field] = [*contract.counterparty_names, value]
    elif field == "amount":
        changes["currency"] = request.form.get("currency") or None
    services.update_metadata(current_user, contract, parse_metadata(changes))


@login_required
def legal_hold(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    if ConfirmForm().validate_on_submit():
        run_form_action(
            lambda: retention.set_legal_hold(
                current_user, contract, request.form.get("hold") == "1", request.form.get("reason")
            )
        )
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def purge(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    if ConfirmForm().validate_on_submit():
        title = contract.title
        run_form_action(
            lambda: retention.purge(current_user, contract), _("“%(title)s” was deleted for good.", title=title)
        )
    return redirect(url_for("contracts.trash"))


def _form_values(contract: Any) -> Any:
    """An object whose attributes pre-fill the metadata form."""
    snapshot = services.metadata_snapshot(contract)
    snapshot["counterparties"] = "\n".join(snapshot["counterparties"])
    snapshot["tags"] = ", ".join(snapshot["tags"])
    snapshot.update(
        signed_date=contract.signed_date,
        effective_date=contract.effective_date,
        expiry_date=contract.expiry_date,
        currency=contract.currency or "CNY",
    )
    return SimpleNamespace(**snapshot)

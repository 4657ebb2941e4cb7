"""Pages of the money feature: the counterparty directory and page, the balances by
department, and the money panel's form posts on the contract page. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from storage import content_disposition

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract, Counterparty
from ..contracts.services import IncomingFile
from ..core import forms
from ..core.errors import NotFound
from ..core.extensions import blob_store
from ..core.form_actions import run_form_action
from ..core.pagination import page_arguments
from . import aging, directory, services
from .balances import department_balances, summarise


def _back(contract: Contract) -> Any:
    return redirect(url_for("contracts.detail", contract_id=contract.id) + "#money")


def _contacts_from(form: MultiDict[str, str]) -> list[dict[str, str]]:
    columns = {key: form.getlist(f"contact_{key}") for key in directory.CONTACT_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    return [{key: (columns[key][i] if i < len(columns[key]) else "") for key in columns} for i in range(count)]


def _directory_values(form: MultiDict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {key: form.get(key, "") for key in directory.TEXT_FIELDS}
    values["credit_code"] = form.get("credit_code", "")
    values["tags"] = form.get("tags", "")
    values["contacts"] = _contacts_from(form)
    return values


@permission_required(Permission.CONTRACT_READ)
def counterparties() -> Any:
    page, per_page = page_arguments(request.args)
    text = forms.text(request.args, "q", limit=200)
    tag = forms.text(request.args, "tag", limit=80)
    found = directory.search(text, tag, page, per_page)
    return render_template(
        "money/counterparties.html",
        page=found,
        q=text or "",
        tag=tag or "",
        tags=directory.all_tags(),
        contract_counts=directory.visible_counts(current_user, [row.id for row in found.items]),
    )


def _edit_page(counterparty: Counterparty | None) -> Any:
    form = request.form
    if request.method == "POST":
        saved: list[Counterparty] = []
        if run_form_action(
            lambda: saved.append(
                directory.save(current_user, counterparty, _directory_values(form), force=forms.flag(form, "force"))
            ),
            _("Saved."),
        ):
            return redirect(url_for("money.counterparty", counterparty_id=saved[0].id))
    values = (
        _directory_values(form)
        if request.method == "POST"
        else (directory.to_dict(counterparty) if counterparty else {"contacts": [], "tags": []})
    )
    hints = (
        directory.duplicates_of(values.get("name") or "", None, counterparty.id if counterparty else None)
        if (request.method == "POST" and values.get("name"))
        else []
    )
    return render_template("money/counterparty_form.html", counterparty=counterparty, values=values, hints=hints)


@permission_required(Permission.COUNTERPARTY_EDIT)
def new_counterparty() -> Any:
    return _edit_page(None)


@permission_required(Permission.COUNTERPARTY_EDIT)
def edit_counterparty(counterparty_id: int) -> Any:
    return _edit_page(directory.get(counterparty_id))


@permission_required(Permission.CONTRACT_READ)
def counterparty(counterparty_id: int) -> Any:
    found = directory.get(counterparty_id)
    contracts = directory.contracts_of(current_user, found)
    return render_template(
        "money/counterparty.html",
        counterparty=found,
        contracts=contracts,
        summaries=summarise(contracts),
        hints=directory.duplicates_of(found.name, found.credit_code, found.id),
    )


@permission_required(Permission.COUNTERPARTY_MERGE)
def merge_counterparty(counterparty_id: int) -> Any:
    keep = directory.get(counterparty_id)
    other_id = forms.whole(request.form, "other_id")
    other = directory.get(other_id) if other_id is not None else None
    if other is None:
        raise NotFound(_("No such counterparty."))
    run_form_action(
        lambda: directory.merge(current_user, keep, other),
        _("Merged: the contracts of %(name)s now name %(keep)s.", name=other.name, keep=keep.name),
    )
    return redirect(url_for("money.counterparty", counterparty_id=keep.id))


@permission_required(Permission.CONTRACT_READ)
def balances() -> Any:
    return render_template("money/balances.html", groups=department_balances(current_user))


@permission_required(Permission.CONTRACT_READ)
def instalments() -> Any:
    """The instalments a dashboard money chart counted (its link's arguments), with totals."""
    chosen = aging.filter_from(request.args)
    found = aging.rows(current_user, chosen, limit=LIST_LIMIT + 1)
    shown = found[:LIST_LIMIT]
    totals = aging.totals_of(found) if len(found) <= LIST_LIMIT else None
    party = None
    if chosen.counterparty_id:
        party = aging.counterparty_names([chosen.counterparty_id]).get(chosen.counterparty_id)
    return render_template(
        "money/instalments.html", chosen=chosen, rows=shown, totals=totals, counterparty_name=party, limit=LIST_LIMIT
    )


#: Instalments the list shows at most (its totals are shown only when all are listed).
LIST_LIMIT = 500


@login_required
def direction(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    run_form_action(
        lambda: services.set_direction(current_user, contract, request.form.get("direction", "")), _("Saved.")
    )
    return _back(contract)


@login_required
def add_instalment(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    values = request.form.to_dict()
    if values.get("share") == "percent":
        values["percent"], values["amount"] = values.get("amount", ""), ""
    run_form_action(lambda: services.save_instalment(current_user, contract, None, values), _("Instalment added."))
    return _back(contract)


@login_required
def delete_instalment(contract_id: int, instalment_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    instalment = services.get_instalment(contract, instalment_id)
    run_form_action(lambda: services.delete_instalment(current_user, contract, instalment), _("Instalment deleted."))
    return _back(contract)


@login_required
def record_payment(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    instalment_id = forms.whole(request.form, "instalment_id")
    instalment = services.get_instalment(contract, instalment_id if instalment_id is not None else 0)
    upload = request.files.get("receipt")
    receipt = IncomingFile.of(upload) if upload is not None and upload.filename else None
    recorded: list[Any] = []
    if (
        run_form_action(
            lambda: recorded.append(
                services.record_payment(current_user, contract, instalment, request.form.to_dict(), receipt)
            ),
            _("Payment recorded."),
        )
        and recorded[0].overpaid is not None
    ):
        flash(
            _(
                "This payment is more than the instalment's open amount (by %(amount)s).",
                amount=f"{recorded[0].overpaid:,.2f}",
            ),
            "warning",
        )
    return _back(contract)


@login_required
def reverse_payment(contract_id: int, payment_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    payment = services.get_payment(contract, payment_id)
    run_form_action(
        lambda: services.reverse_payment(current_user, contract, payment, forms.text(request.form, "reason")),
        _("Payment reversed."),
    )
    return _back(contract)


@login_required
def receipt(contract_id: int, payment_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    payment = services.get_payment(contract, payment_id)
    return receipt_response(payment)


def receipt_response(payment: Any) -> Response:
    if not payment.receipt_key:
        raise NotFound(_("This payment has no receipt."))
    with blob_store().open(payment.receipt_key) as stream:
        data = stream.read()
    return Response(
        data,
        mimetype=payment.receipt_type or "application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(payment.receipt_name or "receipt", "attachment"),
            "X-Content-Type-Options": "nosniff",
        },
    )

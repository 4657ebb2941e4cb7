"""The invoice forms of the contract page's money panel, the invoice file and the suggestions
the form asks for when a file is picked. Thin: parse, call, redirect."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storage import content_disposition

from ..auth.login import login_required
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.services import IncomingFile
from ..core import forms
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import blob_store
from ..core.form_actions import run_form_action
from . import invoice_suggest, invoices
from .invoice_models import Invoice

bp = Blueprint("invoices", __name__)


def _back(contract: Contract) -> Any:
    return redirect(url_for("contracts.detail", contract_id=contract.id) + "#invoices")


def upload_of(field: str = "file") -> IncomingFile | None:
    upload = request.files.get(field)
    return IncomingFile.of(upload) if upload is not None and upload.filename else None


def form_values() -> dict[str, Any]:
    values: dict[str, Any] = request.form.to_dict()
    values.pop("csrf_token", None)
    values["instalment_ids"] = request.form.getlist("instalment_ids")
    return values


@login_required
def create(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    upload = upload_of()
    run_form_action(
        lambda: invoices.create_invoice(current_user, contract, form_values(), upload), _("Invoice recorded.")
    )
    return _back(contract)


@login_required
def move(contract_id: int, invoice_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    invoice = invoices.get_invoice(contract, invoice_id)
    run_form_action(
        lambda: invoices.move_invoice(
            current_user, contract, invoice, request.form.get("status", ""), forms.text(request.form, "reason")
        ),
        _("Invoice status changed."),
    )
    return _back(contract)


@login_required
def file(contract_id: int, invoice_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return file_response(invoices.get_invoice(contract, invoice_id))


@login_required
def suggest(contract_id: int) -> Any:
    """JSON for the form's script (session and CSRF like any form post)."""
    contract = access.get_contract(current_user, contract_id)
    invoices.require_recorder(current_user, contract)
    upload = upload_of()
    if upload is None:
        raise ValidationFailed(_("Attach the invoice file."), field="file")
    return jsonify(invoice_suggest.suggest(contract, upload))


def file_response(invoice: Invoice) -> Response:
    if not invoice.file_key:
        raise NotFound(_("This invoice has no file."))
    with blob_store().open(invoice.file_key) as stream:
        data = stream.read()
    return Response(
        data,
        mimetype=invoice.file_type or "application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(invoice.file_name or "invoice", "attachment"),
            "X-Content-Type-Options": "nosniff",
        },
    )


bp.add_url_rule("/contracts/<int:contract_id>/money/invoices", view_func=create, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/money/invoices/suggest", view_func=suggest, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/money/invoices/<int:invoice_id>/status", view_func=move, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/money/invoices/<int:invoice_id>/file", view_func=file)

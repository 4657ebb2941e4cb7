"""API v1 handlers of a contract's invoices."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..contracts import access
from ..core.errors import ValidationFailed
from . import invoice_views, invoices
from .invoice_schemas import invoice_to_dict
from .invoice_views import form_values, upload_of


def _values() -> dict[str, Any]:
    """A JSON object, or the fields of a multipart request (which may carry the ``file``)."""
    if request.mimetype == "multipart/form-data":
        return form_values()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send a JSON object."))
    return body


@login_required
def list_invoices(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(
        {
            "items": [invoice_to_dict(row) for row in invoices.invoices_of(contract)],
            "invoiced": {currency: str(total) for currency, total in sorted(invoices.invoiced(contract).items())},
        }
    )


@login_required
def create_invoice(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    invoice = invoices.create_invoice(current_user, contract, _values(), upload_of())
    location = url_for("api.get_invoice", contract_id=contract.id, invoice_id=invoice.id)
    return jsonify(invoice_to_dict(invoice)), 201, {"Location": location}


@login_required
def get_invoice(contract_id: int, invoice_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(invoice_to_dict(invoices.get_invoice(contract, invoice_id)))


@login_required
def update_invoice(contract_id: int, invoice_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    invoice = invoices.get_invoice(contract, invoice_id)
    return jsonify(invoice_to_dict(invoices.update_invoice(current_user, contract, invoice, _values(), upload_of())))


@login_required
def move_invoice(contract_id: int, invoice_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    invoice = invoices.get_invoice(contract, invoice_id)
    body = _values()
    status, reason = body.get("status"), body.get("reason")
    if not isinstance(status, str):
        raise ValidationFailed(_("Unknown invoice status."), field="status")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed(_("reason must be text."), field="reason")
    return jsonify(invoice_to_dict(invoices.move_invoice(current_user, contract, invoice, status, reason)))


@login_required
def invoice_file(contract_id: int, invoice_id: int) -> Any:
    return invoice_views.file(contract_id, invoice_id)


@login_required
def suggest_invoice(contract_id: int) -> Any:
    return invoice_views.suggest(contract_id)

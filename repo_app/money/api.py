"""API v1 handlers of the counterparty directory, payment plans, payments and balances."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.services import IncomingFile
from ..core import forms
from ..core.errors import ValidationFailed
from ..core.pagination import page_arguments
from . import balances, directory, schemas, services
from .views import receipt_response


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send a JSON object."))
    return body


def _counterparty(row: Any, counts: dict[int, int]) -> dict[str, Any]:
    return {**directory.to_dict(row), "contracts": counts.get(row.id, 0)}


@login_required
def list_counterparties() -> Any:
    access.require(current_user, Permission.CONTRACT_READ)
    page, per_page = page_arguments(request.args)
    found = directory.search(
        forms.text(request.args, "q", limit=200), forms.text(request.args, "tag", limit=80), page, per_page
    )
    counts = directory.visible_counts(current_user, [row.id for row in found.items])
    return jsonify(
        {
            "total": found.total,
            "page": found.page,
            "per_page": found.per_page,
            "items": [_counterparty(row, counts) for row in found.items],
        }
    )


@login_required
def create_counterparty() -> Any:
    body = _body()
    row = directory.save(current_user, None, body, force=forms.flag(body, "force"))
    location = url_for("api.get_counterparty", counterparty_id=row.id)
    return jsonify(directory.to_dict(row)), 201, {"Location": location}


@login_required
def get_counterparty(counterparty_id: int) -> Any:
    access.require(current_user, Permission.CONTRACT_READ)
    row = directory.get(counterparty_id)
    contracts = directory.contracts_of(current_user, row)
    summaries = balances.summarise(contracts)
    return jsonify(
        {
            **directory.to_dict(row),
            "contract_ids": [contract.id for contract in contracts],
            "summary": {direction: summary.to_dict() for direction, summary in summaries.items()},
            "possible_duplicates": [
                {"id": hint.counterparty.id, "name": hint.counterparty.name, "reason": hint.reason}
                for hint in directory.duplicates_of(row.name, row.credit_code, row.id)
            ],
        }
    )


@login_required
def update_counterparty(counterparty_id: int) -> Any:
    access.require(current_user, Permission.COUNTERPARTY_EDIT)
    row = directory.get(counterparty_id)
    body = _body()
    return jsonify(directory.to_dict(directory.save(current_user, row, body, force=forms.flag(body, "force"))))


@login_required
def merge_counterparties(counterparty_id: int) -> Any:
    access.require(current_user, Permission.COUNTERPARTY_MERGE)
    keep = directory.get(counterparty_id)
    other_id = _body().get("other_id")
    if not isinstance(other_id, int) or isinstance(other_id, bool):
        raise ValidationFailed(_("other_id must be a whole number."), field="other_id")
    return jsonify(directory.to_dict(directory.merge(current_user, keep, directory.get(other_id))))


@login_required
def contract_money(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(schemas.money_to_dict(contract))


@login_required
def put_plan(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    body = _body()
    items = body.get("instalments", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValidationFailed(_("instalments must be a list of objects."), field="instalments")
    direction = body.get("direction", services.direction_of(contract))
    if not isinstance(direction, str):
        raise ValidationFailed(_("direction must be receivable or payable."), field="direction")
    services.replace_plan(current_user, contract, direction, items)
    return jsonify(schemas.money_to_dict(contract))


@login_required
def create_payment(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    receipt = None
    if request.mimetype == "multipart/form-data":
        values: dict[str, Any] = request.form.to_dict()
        upload = request.files.get("receipt")
        receipt = IncomingFile.of(upload) if upload is not None else None
    else:
        values = _body()
    raw_id = values.get("instalment_id")
    try:
        instalment_id = int(raw_id) if raw_id is not None and not isinstance(raw_id, bool) else None
    except (TypeError, ValueError):
        instalment_id = None
    if instalment_id is None:
        raise ValidationFailed(_("instalment_id must be a whole number."), field="instalment_id")
    instalment = services.get_instalment(contract, instalment_id)
    payment = services.record_payment(current_user, contract, instalment, values, receipt)
    return jsonify(schemas.payment_to_dict(payment)), 201


@login_required
def reverse_payment(contract_id: int, payment_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    payment = services.get_payment(contract, payment_id)
    reason = _body().get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed(_("reason must be text."), field="reason")
    return jsonify(schemas.payment_to_dict(services.reverse_payment(current_user, contract, payment, reason)))


@login_required
def payment_receipt(contract_id: int, payment_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return receipt_response(services.get_payment(contract, payment_id))


@login_required
def balances_by_department() -> Any:
    access.require(current_user, Permission.CONTRACT_READ)
    return jsonify(
        {
            "base_currency": services.BASE_CURRENCY,
            "departments": [
                {"department": name or None, **{direction: s.to_dict() for direction, s in summaries.items()}}
                for name, summaries in balances.department_balances(current_user)
            ],
        }
    )

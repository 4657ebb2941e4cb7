"""API v1 handlers of approvals: read the state, submit, decide, withdraw."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.status import ContractStatus
from ..core.errors import NotFound, ValidationFailed
from . import routing, services


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send a JSON object."))
    return body


def _state(contract: Any) -> dict[str, Any]:
    latest = services.latest_approval(contract)
    return {
        "contract_id": contract.id,
        "status": contract.status,
        "approval": services.to_dict(latest) if latest is not None else None,
        "latest_version_approved": services.version_is_approved(contract, contract.latest_version),
    }


@login_required
def approval_state(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    state = _state(contract)
    if contract.status == ContractStatus.DRAFT and access.may(current_user, contract, Permission.CONTRACT_EDIT):
        state["route_preview"] = routing.evaluate(contract).to_dict()
    return jsonify(state)


@login_required
def submit(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    body = _body()
    approval = services.submit(current_user, contract, body.get("comment"))
    return (
        jsonify(_state(contract)),
        201,
        {"Location": url_for("api.approval_state", contract_id=contract.id), "X-Approval-Id": str(approval.id)},
    )


@login_required
def withdraw(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    approval = services.pending_approval(contract)
    if approval is None:
        raise NotFound(_("This contract is not in approval."))
    services.withdraw(current_user, approval, _body().get("comment"))
    return jsonify(_state(contract))


@login_required
def decide(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    body = _body()
    approval = services.pending_approval(contract)
    if approval is None:
        raise NotFound(_("This contract is not in approval."))
    version = body.get("version")
    if version is not None and not isinstance(version, int):
        raise ValidationFailed(_("version must be a whole number."))
    services.decide(
        current_user,
        approval,
        str(body.get("decision") or ""),
        body.get("comment"),
        target_email=body.get("user"),
        version_number=version,
    )
    return jsonify(_state(contract))

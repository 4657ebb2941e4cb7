"""API v1 handler of manual status moves."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..contracts import access
from ..contracts.schemas import contract_to_dict
from ..core.errors import ValidationFailed
from . import services


@login_required
def change_status(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        raise ValidationFailed(_('Send {"status": …, "reason": …} as JSON.'))
    services.transition(current_user, contract, body["status"], body.get("reason"))
    return jsonify(contract_to_dict(contract))

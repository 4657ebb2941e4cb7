"""API v1 handlers of review: comment threads, replies, resolution, mention candidates and the
clause findings of a contract."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..contracts import access
from ..contracts.services import find_version
from ..core.bodies import json_object
from ..core.errors import ValidationFailed
from . import checklist, services


@login_required
def list_comments(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(
        {
            "can_comment": services.may_comment(current_user, contract),
            "items": [services.to_dict(thread) for thread in services.threads(contract)],
        }
    )


def _version_of(body: dict[str, Any]) -> str | int:
    value = body.get("version", "latest")
    if value == "latest":
        return "latest"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValidationFailed(_('version must be a version number or "latest".'), field="version")


@login_required
def create_comment(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    body = json_object(required=True)
    services.require_comment(current_user, contract)
    version = find_version(contract, _version_of(body))
    thread = services.create(current_user, contract, version, body.get("body"), body.get("quote"), body.get("page"))
    location = url_for("api.list_comments", contract_id=contract.id)
    return jsonify(services.to_dict(thread)), 201, {"Location": location}


@login_required
def reply_comment(comment_id: int) -> Any:
    thread = services.get_thread(current_user, comment_id)
    body = json_object(required=True)
    services.reply(current_user, thread, body.get("body"))
    return jsonify(services.to_dict(thread)), 201


@login_required
def resolve_comment(comment_id: int) -> Any:
    thread = services.get_thread(current_user, comment_id)
    body = json_object(required=True)
    resolved = body.get("resolved")
    if not isinstance(resolved, bool):
        raise ValidationFailed(_("resolved must be true or false."), field="resolved")
    services.set_resolved(current_user, thread, resolved)
    return jsonify(services.to_dict(thread))


@login_required
def mention_candidates(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    services.require_comment(current_user, contract)
    prefix = request.args.get("q", "")[:100]
    people = services.mention_candidates(contract, prefix) if prefix.strip() else []
    return jsonify({"items": [{"id": u.id, "name": u.display_name, "email": u.email} for u in people]})


@login_required
def review_findings(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    version = contract.latest_version
    return jsonify(
        {
            "version": version.number if version else None,
            "items": [{"kind": row.kind, "clause": row.item.to_dict()} for row in checklist.findings(contract)],
        }
    )

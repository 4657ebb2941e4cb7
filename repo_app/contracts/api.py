"""API v1 handlers of contracts, versions, access and lineage."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..core.audit import record, record_visit
from ..core.bodies import json_object, optional_id, optional_text
from ..core.errors import NotFound, ValidationFailed
from ..core.pagination import page_arguments
from . import access, comparisons, custom_fields, lineage, retention, services, sharing
from .downloads import rendition_response, version_response
from .models import rendition_of
from .schemas import contract_to_dict, parse_metadata, version_to_dict


def _incoming_file() -> services.IncomingFile:
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the file in the multipart field 'file'."))
    return services.IncomingFile.of(upload)


def _created(payload: dict[str, Any], location: str) -> tuple[Response, int, dict[str, str]]:
    return jsonify(payload), 201, {"Location": location}


@login_required
def create_contract() -> Any:
    metadata = parse_metadata(request.form.get("metadata"))
    contract = services.create_contract(current_user, _incoming_file(), metadata)
    payload = contract_to_dict(contract)
    payload["url"] = url_for("contracts.detail", contract_id=contract.id)
    return _created(payload, url_for("api.get_contract", contract_id=contract.id))


@login_required
def list_contracts() -> Any:
    page, per_page = page_arguments(request.args)
    result = services.list_contracts(current_user, page, per_page)
    custom = custom_fields.stored_values_of(contract.id for contract in result.items)
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "items": [contract_to_dict(contract, custom.get(contract.id, {})) for contract in result.items],
        }
    )


@login_required
def get_contract(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    record_visit("contract.view", contract_id=contract.id, via="api")
    return jsonify(contract_to_dict(contract))


@login_required
def update_contract(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed(_("Send the changes as a JSON object."))
    services.update_metadata(current_user, contract, parse_metadata(body))
    return jsonify(contract_to_dict(contract))


@login_required
def delete_contract(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_DELETE)
    services.move_to_trash(current_user, contract)
    return "", 204


@login_required
def restore_contract(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    services.restore_from_trash(current_user, contract)
    return jsonify(contract_to_dict(contract))


@login_required
def create_version(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    version = services.add_version(current_user, contract, _incoming_file())
    return _created(
        version_to_dict(version), url_for("api.version_file", contract_id=contract.id, number=version.number)
    )


@login_required
def version_file(contract_id: int, number: str) -> Any:
    contract = access.get_contract(current_user, contract_id)
    version = services.find_version(contract, number)
    inline = request.args.get("inline") == "1"
    if inline:
        # The viewer fetches ranges and revalidates its copy: one event per visit.
        record_visit("version.preview", contract_id=contract.id, version_id=version.id, number=version.number)
    elif request.range is None or request.range.ranges[0][0] == 0:
        record("version.download", contract_id=contract.id, version_id=version.id, number=version.number)
    return version_response(version, inline=inline)


@login_required
def version_preview(contract_id: int, number: str) -> Any:
    """The PDF rendition of a Word, ODT, RTF or DOC version, for the preview (404 if none)."""
    contract = access.get_contract(current_user, contract_id)
    version = services.find_version(contract, number)
    rendition = rendition_of(version)
    if rendition is None or not rendition.ready:
        raise NotFound(_("This version has no PDF preview."))
    if request.range is None or request.range.ranges[0][0] == 0:
        record(
            "version.preview",
            contract_id=contract.id,
            version_id=version.id,
            number=version.number,
            rendition=True,
        )
    return rendition_response(version, rendition)


@login_required
def contract_access(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(sharing.access_to_dict(contract))


@login_required
def update_contract_access(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_SHARE)
    sharing.set_access(current_user, contract, sharing.parse_access(request.get_json(silent=True)))
    return jsonify(sharing.access_to_dict(contract))


@login_required
def restore_version(contract_id: int, number: str) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    restored = lineage.restore_version(current_user, contract, services.find_version(contract, number))
    return _created(
        version_to_dict(restored), url_for("api.version_file", contract_id=contract.id, number=restored.number)
    )


@login_required
def compare_versions(contract_id: int, old: str, new: str) -> Any:
    """200 with the comparison; 202 with a status URL while large versions are compared in the
    background (this URL answers 200 once it is done)."""
    contract = access.get_contract(current_user, contract_id)
    comparison = comparisons.compare_versions(
        current_user, contract, services.find_version(contract, old), services.find_version(contract, new)
    )
    if isinstance(comparison, comparisons.PendingComparison):
        status_url = url_for("api.comparison_status", contract_id=contract.id, old=old, new=new)
        payload = {**comparisons.progress_to_dict(comparison.result), "status_url": status_url}
        return jsonify(payload), 202, {"Location": status_url, "Retry-After": "2"}
    return jsonify(comparison.to_dict())


@login_required
def comparison_status(contract_id: int, old: str, new: str) -> Any:
    """The state of a background comparison; ``done``: fetch the comparison's URL again."""
    contract = access.get_contract(current_user, contract_id)
    progress = comparisons.comparison_progress(
        services.find_version(contract, old), services.find_version(contract, new)
    )
    result_url = url_for("api.compare_versions", contract_id=contract.id, old=old, new=new)
    return jsonify({**comparisons.progress_to_dict(progress), "result_url": result_url})


@login_required
def contract_lineage(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify(lineage.lineage_graph(current_user, contract))


@login_required
def set_parent(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_('Send {"parent_id": …, "relation": …} as JSON.'))
    lineage.relate(current_user, contract, optional_id(body, "parent_id"), optional_text(body, "relation"))
    return jsonify(contract_to_dict(contract))


@login_required
def legal_hold(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    body = json_object()
    hold = body.get("hold", False)
    if not isinstance(hold, bool):
        raise ValidationFailed(_("hold must be true or false."))
    retention.set_legal_hold(current_user, contract, hold, optional_text(body, "reason"))
    return jsonify({"legal_hold": contract.legal_hold, "reason": contract.legal_hold_reason})


@login_required
def purge_contract(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.TRASH_MANAGE, include_trash=True)
    removed = retention.purge(current_user, contract)
    return jsonify({"purged": contract_id, "blobs_removed": removed})

"""REST API v1: search, suggestions, similar contracts, reprocessing."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.schemas import contract_to_dict
from ..contracts.services import find_version
from ..contracts.status import VersionStatus
from ..core.audit import record
from ..core.errors import ValidationFailed
from . import events, services


@login_required
def search() -> Any:
    return jsonify(services.page_to_dict(services.search(current_user, request.args)))


@login_required
def suggest() -> Any:
    return jsonify({"suggestions": services.suggest(current_user, request.args.get("q", ""))})


@login_required
def similar(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    related = services.more_like_this(current_user, contract)
    return jsonify({"items": [contract_to_dict(item) for item in related]})


@login_required
def reprocess(contract_id: int, number: str) -> Any:
    """Run extraction and indexing again (e.g. after a failure); admins only."""
    contract = access.get_contract(current_user, contract_id, Permission.PROCESSING_RETRY)
    version = find_version(contract, number)
    if version.status == VersionStatus.PROCESSING:
        raise ValidationFailed(_("This version is being processed already."))
    version.status, version.status_detail = VersionStatus.PROCESSING, None
    record("version.reprocess", contract_id=contract.id, version_id=version.id)
    events.process_after_commit(version)

    return jsonify({"status": version.status}), 202

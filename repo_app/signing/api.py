"""REST API v1: signing, signature reports, validation, seals, signing requests."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract, ContractVersion
from ..contracts.result_views import pending_answer
from ..contracts.schemas import version_to_dict
from ..contracts.services import find_version
from ..core import results
from ..core.bodies import json_object, optional_text
from ..core.errors import ValidationFailed
from . import revocation, services


@login_required
def sign(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_SIGN)
    version = services.sign_contract(current_user, contract, services.parse_sign_request(request.get_json(silent=True)))
    payload = version_to_dict(version)
    payload["signatures"] = services.report_for(current_user, contract, version)
    location = url_for("api.version_file", contract_id=contract.id, number=version.number)
    return jsonify(payload), 201, {"Location": location}


@login_required
def signatures(contract_id: int, number: str) -> Any:
    contract = access.get_contract(current_user, contract_id)
    version = find_version(contract, number)
    if request.args.get("format") == "pdf":
        return _report_pdf(contract, version)
    report = services.report_for(current_user, contract, version, refresh=request.args.get("refresh") == "1")
    return jsonify(services.with_explanations(report))


def _report_pdf(contract: Contract, version: ContractVersion) -> Any:
    """200 with the PDF when it was made before for the same inputs; else 202 and where to poll."""
    language = request.args.get("lang") or str(get_locale() or "zh_CN")
    row = services.request_report_pdf(current_user, contract, version, language)
    if row.status != results.DONE:
        return pending_answer(row, services.REPORT_PDF_KIND)
    return report_pdf_response(row, contract, version)


def report_pdf_response(row: results.CachedResult, contract: Contract, version: ContractVersion) -> Response:
    filename = f"signature-report-{contract.id}-v{version.number}.pdf"
    return Response(
        results.payload(row),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def validate() -> Any:
    access.require(current_user, Permission.CONTRACT_READ)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the PDF in the multipart field 'file'."))
    data = services.read_limited(upload.stream)
    return jsonify(services.validate_upload(current_user, data, upload.filename or "upload.pdf"))


@login_required
def create_seal() -> Any:
    access.require(current_user, Permission.CONTRACT_SIGN)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the PNG in the multipart field 'file'."))
    seal = services.save_seal(current_user, upload.read(), request.form.get("name") or upload.filename or "seal")
    return jsonify({"id": seal.id, "name": seal.name}), 201


@login_required
def list_seals() -> Any:
    return jsonify({"items": [{"id": seal.id, "name": seal.name} for seal in services.seals_of(current_user)]})


@login_required
def create_signing_request(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    body = json_object()
    signers = body.get("signers")
    if not isinstance(signers, list) or not all(isinstance(signer, str) for signer in signers):
        raise ValidationFailed(_("signers must be a list of e-mail addresses, in signing order."))
    level = optional_text(body, "level") or "B-B"
    signing_request = services.create_request(current_user, contract, signers, level, optional_text(body, "message"))
    return jsonify(services.request_to_dict(signing_request)), 201


@login_required
def list_signing_requests(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    return jsonify({"items": [services.request_to_dict(item) for item in services.requests_of(contract)]})


@login_required
def revoke_certificate() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not body["email"].strip():
        raise ValidationFailed(_("Give the e-mail address whose certificate is to be revoked."))
    reason = body.get("reason", "unspecified")
    if not isinstance(reason, str):
        raise ValidationFailed(_("Unknown revocation reason %(reason)s.", reason=str(reason)))
    row = revocation.revoke_certificate(current_user, body["email"].strip().lower(), reason)
    return jsonify(revocation.revocation_to_dict(row)), 201

"""Validating the signatures of stored versions (on upload, after signing, on demand)."""

from __future__ import annotations

from typing import Any

from signer import ValidationError, validate_pdf

from ..contracts.models import ContractVersion
from ..core.clock import utcnow
from ..core.extensions import blob_store, db
from . import revocation
from .models import SignatureValidation

PDF = "application/pdf"
#: Worst first: the overall verdict of a document is its worst signature's.
INDICATIONS = ("TOTAL_FAILED", "INDETERMINATE", "TOTAL_PASSED")


def bytes_of(version: ContractVersion) -> bytes:
    with blob_store().open(version.blob_key) as stream:
        return stream.read()


def has_signatures(data: bytes) -> bool:
    return b"/ByteRange" in data


def worst_indication(report: dict[str, Any]) -> str | None:
    found = [sig["indication"] for sig in report.get("signatures", [])]
    return next((indication for indication in INDICATIONS if indication in found), None)


def validate_version(version: ContractVersion) -> SignatureValidation | None:
    """Validate a PDF version's signatures and keep the report; None when it has none.

    The system clock, not the app's: the signer library validates certificates and timestamps
    as of the real time (a time given to it would be reported as a validation time chosen by
    the caller), so the report and its row say when that was."""
    if version.media_type != PDF:
        return None
    data = bytes_of(version)
    if not has_signatures(data):
        return None
    try:
        result = validate_pdf(data, revocation.trust_settings(), filename=version.original_filename)
        report = result.to_dict()
    except ValidationError as error:
        report = {
            "document": {"sha256": version.sha256, "filename": version.original_filename},
            "validated_at": utcnow().isoformat() + "Z",
            "signatures": [],
            "error": str(error),
        }
    row = db.session.get(SignatureValidation, version.id) or SignatureValidation(version_id=version.id)
    row.report, row.validated_at = report, utcnow()
    row.signature_count = len(report.get("signatures", []))
    row.overall = worst_indication(report) if row.signature_count else ("TOTAL_FAILED" if "error" in report else None)
    db.session.add(row)
    return row

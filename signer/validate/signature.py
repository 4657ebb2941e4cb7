"""One signature, start to end: the checks in their order, assembled into a
:class:`~signer.report.SignatureReport`.

The order matters: each check may only make the verdict worse, some look at
what earlier checks found, and the warnings keep the order of the checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import StandardCMSSignatureStatus

from .. import _forensics
from ..report import Coverage, Integrity, RevocationInfo, SignatureReport
from .ades import check_ades
from .certificates import certificate_info
from .context import DocumentContext
from .integrity import check_byte_range, check_integrity, integrity_facts
from .modifications import certification_of, check_modifications
from .pades import check_pades_level
from .revocation import check_revocation
from .timestamps import check_signature_timestamp
from .trust import check_chain
from .verdict import Findings, plain_subindication

__all__ = ["validate_signature"]

_SUPPORTED_SUBFILTERS = ("/ETSI.CAdES.detached", "/adbe.pkcs7.detached")


async def validate_signature(
    ctx: DocumentContext,
    fq_name: str,
    field_dict: generic.DictionaryObject,
    doc_ts_revisions: Sequence[int],
) -> SignatureReport:
    """Validate the signature in one filled ``/Sig`` field; problems are reported, never raised."""
    sig_obj = field_dict.get("/V")
    reason = _text(sig_obj, "/Reason")
    location = _text(sig_obj, "/Location")
    try:
        esig = _read_signature(ctx, field_dict, fq_name)
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _broken_signature(fq_name, reason, location, f"The signature could not be read: {exc}")
    return await _validate_readable(ctx, esig, doc_ts_revisions, reason, location)


def _read_signature(ctx: DocumentContext, field_dict: generic.DictionaryObject, fq_name: str) -> EmbeddedPdfSignature:
    esig = EmbeddedPdfSignature(ctx.reader, field_dict, fq_name)
    subfilter = esig.sig_object.get("/SubFilter")
    if subfilter not in _SUPPORTED_SUBFILTERS:
        raise SignatureValidationError(f"unsupported signature format (SubFilter {subfilter})")
    return esig


async def _validate_readable(
    ctx: DocumentContext,
    esig: EmbeddedPdfSignature,
    doc_ts_revisions: Sequence[int],
    reason: str | None,
    location: str | None,
) -> SignatureReport:
    signer_cert = esig.signer_cert  # read before any check, as the old single function did
    result, findings = await check_ades(ctx, esig, doc_ts_revisions)
    status: StandardCMSSignatureStatus | None = result.api_status if result is not None else None

    # -- integrity and coverage, then what changed after signing -----------------
    facts = integrity_facts(esig)
    integrity = check_integrity(esig, status, findings)
    check_byte_range(facts, findings)
    coverage = check_modifications(ctx, esig, facts, findings)

    # -- trust, time, revocation ------------------------------------------------
    path = status.validation_path if status is not None else None
    chain = check_chain(ctx, signer_cert, esig.other_embedded_certs, path, findings)
    timestamp = await check_signature_timestamp(ctx, esig, status, findings)
    fetched = result.validation_objects if result is not None else ()
    revocation = check_revocation(ctx.evidence, esig, fetched, path is not None, findings)

    _explain_verdict_first(findings)
    pades_level = check_pades_level(ctx, esig, doc_ts_revisions, findings)
    level = facts.modification_level
    return SignatureReport(
        field=esig.fq_name,
        signer=certificate_info(signer_cert),
        chain=chain,
        signing_time=_signing_time(esig, status),
        timestamp=timestamp,
        integrity=integrity,
        coverage=coverage,
        modification_level=level.name.lower() if level is not None else None,
        revocation=revocation,
        pades_level=pades_level,
        indication=findings.verdict[0],
        sub_indication=findings.verdict[1],
        warnings=tuple(dict.fromkeys(findings.warnings)),
        reason=reason,
        location=location,
        certification=certification_of(esig),
    )


def _explain_verdict_first(findings: Findings) -> None:
    """The sub-indication in plain words leads the warnings."""
    plain = plain_subindication(findings.verdict[1])
    if plain:
        findings.warnings.insert(0, plain)


def _signing_time(esig: EmbeddedPdfSignature, status: StandardCMSSignatureStatus | None) -> dt.datetime | None:
    """The signing time the signer claims (not proven; the timestamp is)."""
    return (status.signer_reported_dt if status is not None else None) or esig.self_reported_timestamp


def _text(obj: Any, key: str) -> str | None:
    try:
        value = obj.get_object().get(key) if obj is not None else None
    except (AttributeError, PdfError):
        return None
    return str(value) if value is not None else None


def _broken_signature(field: str, reason: str | None, location: str | None, message: str) -> SignatureReport:
    return SignatureReport(
        field=field,
        signer=None,
        chain=(),
        signing_time=None,
        timestamp=None,
        integrity=Integrity(False, False),
        coverage=Coverage(whole_document=False, later_revisions=0, changes="other"),
        modification_level=None,
        revocation=RevocationInfo("unknown", False),
        pades_level=None,
        indication="TOTAL_FAILED",
        sub_indication="FORMAT_FAILURE",
        warnings=(_forensics.PLAIN_SUBINDICATION["FORMAT_FAILURE"], message),
        reason=reason,
        location=location,
        certification=None,
    )

"""One signature, start to end: the checks in their order, assembled into a
:class:`~signer.report.SignatureReport`.

The order matters: each check may only make the verdict worse, some look at
what earlier checks found, and the warnings keep the order of the checks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import StandardCMSSignatureStatus

from .. import _forensics
from .._pdfobjects import entry, text_entry
from ..report import Coverage, Integrity, RevocationInfo, SignatureReport
from .ades import check_ades
from .certificates import certificate_info, embedded_certificates
from .classify import ClassifiedField, FieldKind
from .context import DocumentContext
from .coverage import revision_ending_the_range
from .encoding import check_signed_attribute_order
from .integrity import IntegrityFacts, check_byte_range, check_integrity, integrity_facts
from .legacy import SHA1_SUBFILTER, check_sha1_signature
from .modifications import certification_of, check_modifications
from .pades import check_pades_level
from .revocation import check_revocation
from .timestamps import check_signature_timestamp
from .trust import check_chain
from .verdict import NOT_ALLOWED_CHANGE, UNFINISHED, Findings, Verdict, plain_subindication, verdict_of, worse

_T = TypeVar("_T")

__all__ = ["validate_signature"]

# Detached CMS signatures, validated by pyHanko's ETSI process (PBAD.PAdES: the Brazilian
# profile of PAdES, the same structure as ETSI.CAdES.detached).
_DETACHED_SUBFILTERS = ("/ETSI.CAdES.detached", "/adbe.pkcs7.detached", "/PBAD.PAdES")
_MAX_DETAIL = 300


@dataclass(frozen=True)
class _Claims:
    """What the signature dictionary says about the signing, unverified."""

    reason: str | None
    location: str | None


async def validate_signature(
    ctx: DocumentContext, classified: ClassifiedField, doc_ts_revisions: Sequence[int]
) -> SignatureReport:
    """Validate the signature in one filled ``/Sig`` field; problems are reported, never raised.
    What the classification of the field found (:mod:`.classify`) starts its warnings and
    bounds its verdict.

    A signature in a format (SubFilter) this validator does not know is INDETERMINATE/GENERIC:
    it can be neither accepted nor rejected. A signature that cannot even be read is
    TOTAL_FAILED/FORMAT_FAILURE. Any other error while it is checked (a hostile or damaged
    file can make any check fail) ends its checks: what was found so far is kept and the
    verdict is at best INDETERMINATE, with the reason among the warnings.
    """
    sig_obj = entry(classified.field_dict, "/V")
    claims = _Claims(reason=text_entry(sig_obj, "/Reason"), location=text_entry(sig_obj, "/Location"))
    if classified.kind is FieldKind.PLACEHOLDER:
        return _placeholder(classified, claims)
    subfilter = text_entry(sig_obj, "/SubFilter")
    if subfilter is not None and subfilter not in (*_DETACHED_SUBFILTERS, SHA1_SUBFILTER):
        return _unsupported_signature(ctx, classified, claims, subfilter)
    try:
        esig = _read_signature(ctx, classified.field_dict, classified.name)
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _broken_signature(classified.name, claims, f"The signature could not be read: {_detail(exc)}")
    findings = Findings(classified.found.verdict, list(classified.found.notes))
    try:
        return await _validate_readable(ctx, esig, doc_ts_revisions, claims, findings)
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _unfinished_signature(ctx, esig, claims, findings, exc)


def _read_signature(ctx: DocumentContext, field_dict: generic.DictionaryObject, fq_name: str) -> EmbeddedPdfSignature:
    """The signature, or an error when it cannot be read (a dictionary that cannot be read
    at all names no SubFilter either)."""
    esig = EmbeddedPdfSignature(ctx.reader, field_dict, fq_name)
    if text_entry(esig.sig_object, "/SubFilter") is None:
        raise SignatureValidationError("the signature dictionary names no SubFilter")
    return esig


async def _first_check(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, doc_ts_revisions: Sequence[int], findings: Findings
) -> tuple[StandardCMSSignatureStatus | None, tuple[Any, ...]]:
    """The check that sets the verdict (pyHanko's status and the revocation data it fetched):
    the ETSI process for detached signatures, the CMS checks for ``adbe.pkcs7.sha1``."""
    if text_entry(esig.sig_object, "/SubFilter") == SHA1_SUBFILTER:
        return await check_sha1_signature(ctx, esig, findings), ()
    result = await check_ades(ctx, esig, doc_ts_revisions, findings)
    if result is None:
        return None, ()
    return result.api_status, tuple(result.validation_objects)


async def _validate_readable(
    ctx: DocumentContext,
    esig: EmbeddedPdfSignature,
    doc_ts_revisions: Sequence[int],
    claims: _Claims,
    findings: Findings,
) -> SignatureReport:
    certificates = embedded_certificates(esig)
    status, fetched = await _first_check(ctx, esig, doc_ts_revisions, findings)
    check_signed_attribute_order(esig, findings)

    # -- integrity and coverage, then what changed after signing -----------------
    facts = integrity_facts(esig)
    integrity = check_integrity(esig, status, findings)
    _check_coverage(ctx, esig, facts, findings)
    coverage = check_modifications(ctx, esig, facts, findings)

    # -- trust, time, revocation ------------------------------------------------
    path = status.validation_path if status is not None else None
    chain = check_chain(ctx, certificates.signer, certificates.others, path, findings)
    timestamp = await check_signature_timestamp(ctx, esig, status, findings)
    signing_time = _claimed_signing_time(esig, status, findings)
    revocation = check_revocation(
        ctx.evidence,
        esig,
        certificates.signer,
        fetched,
        path is not None,
        findings,
        required=ctx.revocation_required,
        known_crls=ctx.known_crls,
    )

    pades_level = check_pades_level(ctx, esig, certificates.signer, doc_ts_revisions, findings)
    certification = certification_of(esig, findings)
    _explain_verdict_first(findings)
    level = facts.modification_level
    return SignatureReport(
        field=esig.fq_name,
        signer=certificate_info(certificates.signer) if certificates.signer is not None else None,
        chain=chain,
        signing_time=signing_time,
        timestamp=timestamp,
        integrity=integrity,
        coverage=coverage,
        modification_level=level.name.lower() if level is not None else None,
        revocation=revocation,
        pades_level=pades_level,
        indication=findings.verdict[0],
        sub_indication=findings.verdict[1],
        warnings=tuple(dict.fromkeys(findings.warnings)),
        reason=claims.reason,
        location=claims.location,
        certification=certification,
    )


def _check_coverage(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, facts: IntegrityFacts, findings: Findings
) -> None:
    """The byte range: signature wrapping fails; a range that ends with an earlier revision
    than its dictionary's (see :mod:`.coverage`) cannot be accepted, and says why."""
    covered = revision_ending_the_range(ctx.data, esig, facts)
    if covered is None:
        check_byte_range(facts, findings)
        return
    findings.downgrade(NOT_ALLOWED_CHANGE)
    findings.warn(
        f"The signature covers revision {covered + 1} completely, but its signature dictionary was written "
        f"again in revision {esig.signed_revision + 1} (a coverage pyHanko calls nonstandard): the changes "
        "made together with that rewrite cannot be reviewed, so the signature cannot be accepted as valid."
    )


def _explain_verdict_first(findings: Findings) -> None:
    """The sub-indication in plain words leads the warnings (called once, after the last
    check that may change the verdict)."""
    plain = plain_subindication(findings.verdict[1])
    if plain:
        findings.warnings.insert(0, plain)


def _claimed_signing_time(
    esig: EmbeddedPdfSignature, status: StandardCMSSignatureStatus | None, findings: Findings
) -> dt.datetime | None:
    """The signing time the signer claims (not proven; the timestamp is). A claim that
    cannot be read (e.g. a /M that is no date) is left out, with a warning."""
    try:
        return (status.signer_reported_dt if status is not None else None) or esig.self_reported_timestamp
    except (ValueError, PdfError):
        findings.warn("The signing time the signer claims cannot be read.")
        return None


def _detail(exc: BaseException) -> str:
    """An exception as a short phrase for a warning."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _verdict_of_error(exc: BaseException) -> Verdict:
    """pyHanko names the ETSI sub-indication of some of its errors (e.g. a signer
    certificate that is missing); every other error leaves the signature INDETERMINATE/GENERIC."""
    sub = exc.ades_subindication if isinstance(exc, SignatureValidationError) else None
    if isinstance(sub, (AdESFailure, AdESIndeterminate)):
        return verdict_of(sub)
    return UNFINISHED


def _or_none(read: Callable[[], _T]) -> _T | None:
    """``read()``, or None when it raises: the report of a signature whose checks failed
    gathers what it can without failing again."""
    try:
        return read()
    except Exception:  # noqa: BLE001
        return None


def _unfinished_signature(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, claims: _Claims, findings: Findings, exc: Exception
) -> SignatureReport:
    """The report of a signature whose checks stopped on an error: the verdict found so far,
    made at least INDETERMINATE, the digest compared once more, the rest unknown."""
    findings.downgrade(_verdict_of_error(exc))
    integrity = check_integrity(esig, None, findings)
    findings.warn(f"The signature could not be checked completely ({_detail(exc)}); it cannot be accepted as valid.")
    _explain_verdict_first(findings)
    signer = _or_none(lambda: embedded_certificates(esig).signer)
    later = _or_none(lambda: ctx.revisions_after(esig.signed_revision))
    return SignatureReport(
        field=esig.fq_name,
        signer=_or_none(lambda: certificate_info(signer)) if signer is not None else None,
        chain=(),
        signing_time=None,
        timestamp=None,
        integrity=integrity,
        coverage=Coverage(whole_document=False, later_revisions=later or 0, changes="other"),
        modification_level=None,
        revocation=RevocationInfo("unknown", False),
        pades_level=None,
        indication=findings.verdict[0],
        sub_indication=findings.verdict[1],
        warnings=tuple(dict.fromkeys(findings.warnings)),
        reason=claims.reason,
        location=claims.location,
        certification=None,
    )


def _placeholder(classified: ClassifiedField, claims: _Claims) -> SignatureReport:
    """A field prepared for a signature that was never made: reported, neither accepted nor failed."""
    message = (
        "This signature field holds a signature dictionary without /Contents and /ByteRange: "
        "an unsigned placeholder, nothing in the document is signed by it."
    )
    return dataclasses.replace(
        _broken_signature(classified.name, claims, ""),
        indication=UNFINISHED[0],
        sub_indication=UNFINISHED[1],
        warnings=(*classified.found.notes, message),
    )


def _has_message_digest(esig: EmbeddedPdfSignature) -> bool:
    attrs = esig.signer_info["signed_attrs"]
    return bool(attrs) and any(attr["type"].native == "message_digest" for attr in attrs)


def _unsupported_signature(
    ctx: DocumentContext, classified: ClassifiedField, claims: _Claims, subfilter: str
) -> SignatureReport:
    """A signature in a format this validator does not know: neither accepted nor rejected,
    unless its CMS carries a message digest that the signed bytes do not match (whatever the
    format, the bytes were then changed after signing: HASH_FAILURE)."""
    findings = Findings(worse(UNFINISHED, classified.found.verdict))
    esig = _or_none(lambda: EmbeddedPdfSignature(ctx.reader, classified.field_dict, classified.name))
    integrity = Integrity(False, False)
    if esig is not None and _or_none(lambda: _has_message_digest(esig)):
        integrity = check_integrity(esig, None, findings)
    findings.warnings.extend(classified.found.notes)
    findings.warn(
        f"The signature is in a format this validator does not support (its SubFilter is {subfilter}); "
        "it was not validated and can be neither accepted nor rejected."
    )
    _explain_verdict_first(findings)
    return dataclasses.replace(
        _broken_signature(classified.name, claims, ""),
        integrity=integrity,
        indication=findings.verdict[0],
        sub_indication=findings.verdict[1],
        warnings=tuple(findings.warnings),
    )


def _broken_signature(field: str, claims: _Claims, message: str) -> SignatureReport:
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
        reason=claims.reason,
        location=claims.location,
        certification=None,
    )

"""Signing time: the signature timestamp of a signature, and document timestamps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyhanko.sign.validation import EmbeddedPdfSignature, generic_cms
from pyhanko.sign.validation.policy_decl import SignatureValidationSpec, bootstrap_validation_data_handlers
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    StandardCMSSignatureStatus,
    TimestampSignatureStatus,
)

from ..report import DocumentTimestampReport, TimestampInfo
from .certificates import common_name
from .context import DocumentContext
from .integrity import covers_one_revision
from .modifications import changes_of
from .revocation import local_knowledge
from .verdict import FORMAT_FAILURE, NOT_ALLOWED_CHANGE, UNFINISHED, Findings, Verdict, verdict_of_status

__all__ = [
    "check_signature_timestamp",
    "has_signature_timestamp",
    "validate_doc_timestamp",
    "validation_context",
]


def has_signature_timestamp(esig: EmbeddedPdfSignature) -> bool:
    try:
        attrs = esig.signer_info["unsigned_attrs"]
        return any(a["type"].native == "signature_time_stamp_token" for a in attrs) if attrs else False
    except (KeyError, ValueError, TypeError):
        return False


def validation_context(ctx: DocumentContext) -> Any:
    """A validation context that knows the DSS contents (for timestamp tokens and for
    signatures validated without pyHanko's ETSI process)."""
    spec = ctx.spec.signature_validation_spec
    ts_spec = SignatureValidationSpec(
        cert_validation_policy=spec.cert_validation_policy,
        revinfo_gathering_policy=spec.revinfo_gathering_policy,
        local_knowledge=local_knowledge(ctx.evidence),
    )
    handlers = bootstrap_validation_data_handlers(ts_spec, timing_info=ctx.timing)
    return spec.cert_validation_policy.build_validation_context(timing_info=ctx.timing, handlers=handlers)


# ---------------------------------------------------------------------------
# the signature timestamp of a signature
# ---------------------------------------------------------------------------


async def _signature_timestamp(ctx: DocumentContext, esig: EmbeddedPdfSignature) -> TimestampSignatureStatus | None:
    """Validate the signature timestamp on its own (when the AdES run stopped early)."""
    if not has_signature_timestamp(esig):
        return None
    try:
        info = await generic_cms.collect_timing_info(
            esig.signer_info, validation_context(ctx), raw_digest=esig.compute_digest
        )
    except Exception:  # noqa: BLE001
        return None
    ts = info.get("timestamp_validity")
    return ts if isinstance(ts, TimestampSignatureStatus) else None


def _timestamp_info(ts: TimestampSignatureStatus | None) -> TimestampInfo | None:
    if ts is None:
        return None
    return TimestampInfo(
        authority=common_name(ts.signing_cert.subject),
        time=ts.timestamp,
        valid=bool(ts.intact and ts.valid and ts.trusted),
    )


async def check_signature_timestamp(
    ctx: DocumentContext,
    esig: EmbeddedPdfSignature,
    status: StandardCMSSignatureStatus | None,
    findings: Findings,
) -> TimestampInfo | None:
    """The signature timestamp as the AdES run saw it (or validated here); warn when the
    signing time rests on the signer's word only or on a timestamp that does not hold."""
    ts_status = status.timestamp_validity if status is not None else None
    if ts_status is None:
        ts_status = await _signature_timestamp(ctx, esig)
    ts_info = _timestamp_info(ts_status)
    if ts_info is None:
        findings.warn("The signing time is only claimed by the signer (no trusted timestamp).")
    elif not ts_info.valid:
        findings.warn("The signature timestamp is not valid or not trusted.")
    return ts_info


# ---------------------------------------------------------------------------
# document timestamps
# ---------------------------------------------------------------------------


async def _doc_timestamp_status(ctx: DocumentContext, esig: EmbeddedPdfSignature) -> DocumentTimestampStatus:
    """pyHanko's checks of a document timestamp (coverage and later changes, then the token:
    its imprint over the byte ranges, its signature, the TSA's certificate path).

    Composed here rather than through pyHanko's ``async_validate_pdf_timestamp``, which
    refuses a dictionary whose ``/Type`` is not ``/DocTimeStamp``: the field was classified
    as a timestamp from its SubFilter and its token (:mod:`.classify`)."""
    esig.compute_integrity_info(diff_policy=ctx.spec.diff_policy)  # type: ignore[no-untyped-call]
    token_status = await generic_cms.validate_tst_signed_data(
        esig.signed_data, validation_context(ctx), esig.compute_digest
    )
    return DocumentTimestampStatus(coverage=esig.coverage, diff_result=esig.diff_result, **token_status)


async def validate_doc_timestamp(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, notes: Sequence[str] = ()
) -> DocumentTimestampReport:
    """Validate one document timestamp; problems are reported, never raised. ``notes``:
    what the classification found odd about the field, reported first.

    A timestamp that cannot be validated is TOTAL_FAILED/FORMAT_FAILURE; an error while
    its result is read makes it INDETERMINATE/GENERIC, with the reason.
    """
    later = ctx.revisions_after(esig.signed_revision)
    try:
        st = await _doc_timestamp_status(ctx, esig)
    except Exception as exc:  # noqa: BLE001
        return _failed_doc_timestamp(
            esig, later, FORMAT_FAILURE, (*notes, f"The document timestamp could not be validated: {exc}")
        )
    try:
        return _doc_timestamp_report(esig, st, later, notes)
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _failed_doc_timestamp(
            esig, later, UNFINISHED, (*notes, f"The document timestamp could not be checked completely: {exc}")
        )


def _doc_timestamp_report(
    esig: EmbeddedPdfSignature, st: DocumentTimestampStatus, later: int, notes: Sequence[str]
) -> DocumentTimestampReport:
    """The report of a document timestamp from pyHanko's status."""
    findings = _token_findings(st)
    findings.warnings[:0] = notes
    changes = changes_of(st.modification_level)
    if not covers_one_revision(st.coverage):
        findings.downgrade(FORMAT_FAILURE)
        changes = "other"
    if changes == "other":
        findings.downgrade(NOT_ALLOWED_CHANGE)
        findings.warn("The document was changed after this timestamp in a way that is not allowed.")
    return DocumentTimestampReport(
        field=esig.field_name,
        authority=common_name(st.signing_cert.subject),
        time=st.timestamp,
        valid=bool(st.intact and st.valid and st.trusted),
        indication=findings.verdict[0],
        sub_indication=findings.verdict[1],
        later_revisions=later,
        changes=changes,
        warnings=tuple(findings.warnings),
    )


def _token_findings(st: DocumentTimestampStatus) -> Findings:
    """The verdict on the timestamp token itself: digest, signature value, trust."""
    findings = Findings(verdict_of_status(st))
    if st.intact and st.valid and not st.trusted:
        findings.warn("The timestamp authority's certificate is not trusted or could not be checked.")
    return findings


def _failed_doc_timestamp(
    esig: EmbeddedPdfSignature, later: int, verdict: Verdict, messages: tuple[str, ...]
) -> DocumentTimestampReport:
    return DocumentTimestampReport(
        field=esig.field_name,
        authority=None,
        time=None,
        valid=False,
        indication=verdict[0],
        sub_indication=verdict[1],
        later_revisions=later,
        changes="other",
        warnings=messages,
    )

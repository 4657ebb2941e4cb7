"""Signing time: the signature timestamp of a signature, and document timestamps."""

from __future__ import annotations

from typing import Any

from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import EmbeddedPdfSignature, generic_cms
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_timestamp
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
from .verdict import (
    FORMAT_FAILURE,
    HASH_FAILURE,
    INDICATION,
    NOT_ALLOWED_CHANGE,
    PASSED,
    UNFINISHED,
    Findings,
    Verdict,
)

__all__ = ["check_signature_timestamp", "has_signature_timestamp", "validate_doc_timestamp"]


def has_signature_timestamp(esig: EmbeddedPdfSignature) -> bool:
    try:
        attrs = esig.signer_info["unsigned_attrs"]
        return any(a["type"].native == "signature_time_stamp_token" for a in attrs) if attrs else False
    except (KeyError, ValueError, TypeError):
        return False


def _timestamp_context(ctx: DocumentContext) -> Any:
    """A validation context for timestamp tokens that knows the DSS contents."""
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
            esig.signer_info, _timestamp_context(ctx), raw_digest=esig.compute_digest
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


async def validate_doc_timestamp(ctx: DocumentContext, esig: EmbeddedPdfSignature) -> DocumentTimestampReport:
    """Validate one document timestamp; problems are reported, never raised.

    A timestamp pyHanko cannot validate is TOTAL_FAILED/FORMAT_FAILURE; an error while
    its result is read makes it INDETERMINATE/GENERIC, with the reason.
    """
    later = ctx.revisions_after(esig.signed_revision)
    try:
        st: DocumentTimestampStatus = await async_validate_pdf_timestamp(
            esig, validation_context=_timestamp_context(ctx), diff_policy=ctx.spec.diff_policy
        )
    except Exception as exc:  # noqa: BLE001
        return _failed_doc_timestamp(
            esig, later, FORMAT_FAILURE, f"The document timestamp could not be validated: {exc}"
        )
    try:
        return _doc_timestamp_report(esig, st, later)
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _failed_doc_timestamp(
            esig, later, UNFINISHED, f"The document timestamp could not be checked completely: {exc}"
        )


def _doc_timestamp_report(
    esig: EmbeddedPdfSignature, st: DocumentTimestampStatus, later: int
) -> DocumentTimestampReport:
    """The report of a document timestamp from pyHanko's status."""
    findings = _token_findings(st)
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
    if not st.intact:
        return Findings(HASH_FAILURE)
    if not st.valid:
        return Findings(("TOTAL_FAILED", "SIG_CRYPTO_FAILURE"))
    if not st.trusted:
        indic = st.trust_problem_indic or AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND
        return Findings(
            (INDICATION[indic.status], str(indic.standard_name)),
            ["The timestamp authority's certificate is not trusted or could not be checked."],
        )
    return Findings(PASSED)


def _failed_doc_timestamp(
    esig: EmbeddedPdfSignature, later: int, verdict: Verdict, message: str
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
        warnings=(message,),
    )

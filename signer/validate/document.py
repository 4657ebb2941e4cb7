"""The whole document: open it, find its signatures and document timestamps,
validate each, and assemble the :class:`~signer.report.ValidationReport`."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
from typing import TypeAlias

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

from .. import _forensics
from .._loop import outside_event_loop
from ..errors import ValidationError
from ..keys import to_asn1_certificate
from ..report import DocumentInfo, DocumentTimestampReport, SignatureReport, ValidationReport
from .classify import ClassifiedField, FieldFinding, FieldKind, classify_fields, first_signer_view
from .context import DocumentContext
from .revocation import read_dss
from .settings import TrustSettings, build_spec, trust_summary
from .signature import validate_signature
from .timestamps import validate_doc_timestamp

__all__ = ["validate_pdf"]

_Timestamp: TypeAlias = tuple[EmbeddedPdfSignature, tuple[str, ...]]


def _open(data: bytes) -> tuple[PdfFileReader, int]:
    """Open the PDF leniently. If appended bytes make it unreadable (an
    incremental-saving attack without xref), read up to the last complete
    revision; the appended bytes are then reported by the trailing-bytes check."""
    candidates = [data]
    end = _forensics.last_revision_end(data)
    if end is not None and end < len(data):
        candidates.append(data[:end])
    error: Exception | None = None
    for candidate in candidates:
        try:
            reader = _open_one(candidate)
            return reader, reader.xrefs.total_revisions
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001
            error = error or exc
    raise ValidationError(f"not a readable PDF: {error}")


def _open_one(data: bytes) -> PdfFileReader:
    """Open one candidate; an encrypted PDF is opened only with the empty user password."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.encrypted:
        result = reader.decrypt("")
        if not result or result.status == AuthStatus.FAILED:
            raise ValidationError("the PDF is encrypted with a password")
    return reader


def _sort_fields(
    reader: PdfFileReader, fields: list[ClassifiedField]
) -> tuple[list[ClassifiedField], list[_Timestamp]]:
    """The classified fields split into signatures (unsigned placeholders are reported with
    them) and document timestamps (those in revision order). A document timestamp that cannot
    even be read is validated as a signature, which reports it as broken."""
    sig_fields: list[ClassifiedField] = []
    ts_sigs: list[_Timestamp] = []
    for classified in fields:
        if classified.kind is not FieldKind.DOC_TIMESTAMP:
            sig_fields.append(classified)
            continue
        try:
            esig = EmbeddedPdfSignature(reader, classified.field_dict, classified.name)
        except Exception:  # noqa: BLE001 - reported as a broken signature below
            sig_fields.append(classified)
            continue
        ts_sigs.append((esig, classified.found.notes))
    ts_sigs.sort(key=lambda e: e[0].signed_revision)
    return sig_fields, ts_sigs


async def _validate_all(
    ctx: DocumentContext, earlier: dict[str, FieldFinding]
) -> tuple[list[SignatureReport], list[DocumentTimestampReport]]:
    sig_fields, ts_sigs = _sort_fields(ctx.reader, classify_fields(ctx.reader, earlier))
    ts_revisions = [e.signed_revision for e, _ in ts_sigs]
    signatures = [await validate_signature(ctx, f, ts_revisions) for f in sig_fields]
    timestamps = [await validate_doc_timestamp(ctx, e, ts_notes) for e, ts_notes in ts_sigs]
    return signatures, timestamps


def _validate_document(
    data: bytes,
    anchors: tuple[asn1_x509.Certificate, ...],
    spec: PdfSignatureValidationSpec,
    timing: ValidationTimingInfo,
) -> tuple[list[SignatureReport], list[DocumentTimestampReport], DocumentContext]:
    """Open the PDF and validate what it holds. Each signature reports its own problems;
    what raises here concerns the whole document (its signature fields, its DSS)."""
    reader, total_revisions = _open(data)
    view, earlier = first_signer_view(data, reader)
    if earlier:
        reader, total_revisions = _open(view)
    ctx = DocumentContext(
        data=view,
        reader=reader,
        anchors=anchors,
        spec=spec,
        timing=timing,
        evidence=read_dss(reader),
        total_revisions=total_revisions,
    )
    signatures, timestamps = asyncio.run(_validate_all(ctx, earlier))
    return signatures, timestamps, ctx


def _unreadable_structure(exc: Exception) -> str:
    """The sentence for a document whose structure defeats validation (e.g. a circular form tree)."""
    if isinstance(exc, PdfError):
        return f"the PDF's form structure cannot be read: {exc}"
    return f"the PDF's structure cannot be read: {str(exc) or type(exc).__name__}"


def _validation_moment(trust: TrustSettings, at: dt.datetime | None) -> dt.datetime | None:
    """The moment asked for (``at`` wins over the settings); naive times are UTC."""
    when = at or trust.validation_time
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


def _timing(when: dt.datetime | None) -> ValidationTimingInfo:
    if when is None:
        return ValidationTimingInfo.now(tz=dt.UTC)
    return ValidationTimingInfo(validation_time=when, best_signature_time=when, point_in_time_validation=True)


@outside_event_loop
def validate_pdf(
    data: bytes,
    trust: TrustSettings,
    *,
    at: dt.datetime | None = None,
    filename: str | None = None,
) -> ValidationReport:
    """Validate every signature and document timestamp in ``data``.

    ``at`` validates as of a past (or future) moment; default
    ``trust.validation_time`` or now.

    Whatever ``data`` holds, this returns a report or raises
    :class:`~signer.errors.ValidationError`, never anything else: the file itself
    could not be read (not a PDF, encrypted with an unknown password, a structure
    so damaged that its signature fields or DSS cannot be read), or the trust
    store is bad. Signature problems are reported, never raised: an error while
    one signature or document timestamp is checked becomes its own result, at
    best INDETERMINATE, with the reason among its warnings.
    """
    when = _validation_moment(trust, at)
    anchors_pyca = trust.anchors()
    anchors = tuple(to_asn1_certificate(c) for c in anchors_pyca)
    spec = build_spec(trust, anchors)
    try:
        signatures, timestamps, ctx = _validate_document(data, anchors, spec, _timing(when))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input: a sentence, never a crash
        raise ValidationError(_unreadable_structure(exc)) from None
    return ValidationReport(
        document=DocumentInfo(sha256=hashlib.sha256(data).hexdigest(), filename=filename),
        validated_at=ctx.timing.validation_time,
        signatures=tuple(signatures),
        document_timestamps=tuple(timestamps),
        trust=trust_summary(trust, anchors_pyca, when is not None),
    )

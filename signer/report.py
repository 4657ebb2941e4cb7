"""The validation report: frozen dataclasses, their JSON form, and the auditor's PDF.

``ValidationReport.to_dict()`` produces (all times ISO 8601 with offset, serials
as upper-case hex)::

    {"document": {"sha256", "filename"},
     "validated_at",
     "signatures": [{
        "field", "signer": {"subject", "issuer", "serial", "not_before", "not_after", "email"},
        "chain": [{"subject", "issuer", "serial", "trust_anchor"}],
        "signing_time",                       # claimed by the signer, not proven
        "timestamp": {"authority", "time", "valid"} | null,
        "integrity": {"digest_matches", "signature_valid"},
        "coverage": {"whole_document", "later_revisions", "changes"},
        "modification_level",                 # pyHanko's raw level, lower case
        "revocation": {"status", "embedded", "checked_at"?},
        "pades_level", "indication", "sub_indication",
        "warnings": [str], "reason", "location", "certification"}],
     "document_timestamps": [...],           # addition: RFC 3161 document timestamps
     "trust": {...}}                         # addition: the trust settings used

``document_timestamps`` and ``trust`` are additions to the agreed shape; each
signature entry has exactly the agreed keys (``checked_at`` only when known) plus
``explanation`` (addition): ``{"zh", "en"}``, the outcome in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "CertificateInfo",
    "ChainEntry",
    "ChangeKind",
    "Coverage",
    "DocumentInfo",
    "DocumentTimestampReport",
    "Indication",
    "Integrity",
    "RevocationInfo",
    "RevocationStatus",
    "SignatureReport",
    "TimestampInfo",
    "TrustSummary",
    "ValidationReport",
    "render_report_pdf",
]

Indication: TypeAlias = Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
ChangeKind: TypeAlias = Literal["none", "form_filling", "annotations", "other"]
RevocationStatus: TypeAlias = Literal["good", "revoked", "unknown"]
PadesLevelName: TypeAlias = Literal["B-B", "B-T", "B-LT", "B-LTA"]
CertificationName: TypeAlias = Literal["no_changes", "form_filling", "annotations"]


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


@dataclass(frozen=True)
class CertificateInfo:
    """The signer's certificate in plain fields."""

    subject: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    email: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "email": self.email,
        }


@dataclass(frozen=True)
class ChainEntry:
    """One certificate of the validated path, signer first."""

    subject: str
    issuer: str
    serial: str
    trust_anchor: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "trust_anchor": self.trust_anchor,
        }


@dataclass(frozen=True)
class TimestampInfo:
    """A signature timestamp (or a document timestamp's own token)."""

    authority: str
    time: dt.datetime
    valid: bool

    def to_dict(self) -> dict[str, Any]:
        return {"authority": self.authority, "time": _iso(self.time), "valid": self.valid}


@dataclass(frozen=True)
class Integrity:
    """``digest_matches``: the signed bytes are unchanged; ``signature_valid``:
    the cryptographic signature over them verifies with the signer's key."""

    digest_matches: bool
    signature_valid: bool

    def to_dict(self) -> dict[str, Any]:
        return {"digest_matches": self.digest_matches, "signature_valid": self.signature_valid}


@dataclass(frozen=True)
class Coverage:
    """What part of the file the signature covers and what changed afterwards.

    ``changes`` summarises the later revisions: ``none`` (nothing, or only
    validation data / document timestamps), ``form_filling`` (signatures added
    or form fields filled), ``annotations`` (comments added), ``other``
    (anything else, including every suspicious construct).
    """

    whole_document: bool
    later_revisions: int
    changes: ChangeKind

    def to_dict(self) -> dict[str, Any]:
        return {
            "whole_document": self.whole_document,
            "later_revisions": self.later_revisions,
            "changes": self.changes,
        }


@dataclass(frozen=True)
class RevocationInfo:
    """Revocation status of the signer's certificate.

    ``good`` is only claimed when an OCSP response or CRL covering the
    certificate was found and used; ``embedded`` says it came from the document
    (DSS or the signature) rather than from a fetch at validation time.
    """

    status: RevocationStatus
    embedded: bool
    checked_at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "embedded": self.embedded}
        if self.checked_at is not None:
            out["checked_at"] = _iso(self.checked_at)
        return out


@dataclass(frozen=True)
class SignatureReport:
    """The verdict on one signature (a ``/Sig`` field)."""

    field: str
    signer: CertificateInfo | None
    chain: tuple[ChainEntry, ...]
    signing_time: dt.datetime | None
    timestamp: TimestampInfo | None
    integrity: Integrity
    coverage: Coverage
    modification_level: str | None
    revocation: RevocationInfo
    pades_level: PadesLevelName | None
    indication: Indication
    sub_indication: str | None
    warnings: tuple[str, ...]
    reason: str | None
    location: str | None
    certification: CertificationName | None

    @property
    def passed(self) -> bool:
        return self.indication == "TOTAL_PASSED"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer.to_dict() if self.signer else None,
            "chain": [c.to_dict() for c in self.chain],
            "signing_time": _iso(self.signing_time),
            "timestamp": self.timestamp.to_dict() if self.timestamp else None,
            "integrity": self.integrity.to_dict(),
            "coverage": self.coverage.to_dict(),
            "modification_level": self.modification_level,
            "revocation": self.revocation.to_dict(),
            "pades_level": self.pades_level,
            "indication": self.indication,
            "sub_indication": self.sub_indication,
            "warnings": list(self.warnings),
            "reason": self.reason,
            "location": self.location,
            "certification": self.certification,
            "explanation": explanations(self.indication, self.sub_indication, self.revocation.status),
        }


def explanations(indication: str, sub_indication: str | None, revocation_status: str | None) -> dict[str, str]:
    """The outcome in plain words, in both languages (``explanation`` of a signature entry)."""
    from .explain import explain

    return {lang: explain(indication, sub_indication, revocation_status, lang) for lang in ("zh", "en")}


@dataclass(frozen=True)
class DocumentTimestampReport:
    """A document timestamp (``/DocTimeStamp``, what makes B-LTA)."""

    field: str
    authority: str | None
    time: dt.datetime | None
    valid: bool
    indication: Indication
    sub_indication: str | None
    later_revisions: int
    changes: ChangeKind
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "authority": self.authority,
            "time": _iso(self.time),
            "valid": self.valid,
            "indication": self.indication,
            "sub_indication": self.sub_indication,
            "later_revisions": self.later_revisions,
            "changes": self.changes,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class DocumentInfo:
    sha256: str
    filename: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "filename": self.filename}


@dataclass(frozen=True)
class TrustSummary:
    """The trust settings a report was produced with (so it can be reproduced)."""

    anchors: tuple[str, ...]
    revocation_mode: str
    allow_fetching: bool
    validation_time_given: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "anchors": list(self.anchors),
            "revocation_mode": self.revocation_mode,
            "allow_fetching": self.allow_fetching,
            "validation_time_given": self.validation_time_given,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Everything :func:`signer.validate.validate_pdf` found out about a document."""

    document: DocumentInfo
    validated_at: dt.datetime
    signatures: tuple[SignatureReport, ...]
    document_timestamps: tuple[DocumentTimestampReport, ...] = ()
    trust: TrustSummary | None = None

    @property
    def all_passed(self) -> bool:
        """At least one signature, and every signature TOTAL_PASSED."""
        return bool(self.signatures) and all(s.passed for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": self.document.to_dict(),
            "validated_at": _iso(self.validated_at),
            "signatures": [s.to_dict() for s in self.signatures],
            "document_timestamps": [t.to_dict() for t in self.document_timestamps],
        }
        if self.trust is not None:
            out["trust"] = self.trust.to_dict()
        return out


# The renderer lives in its own module (reportlab is only needed for the PDF);
# imported last because it needs the dataclasses above.
from .report_pdf import render_report_pdf  # noqa: E402

"""Integrity and coverage: does the signature match the bytes it signs, and do
those bytes make up the document as one complete revision?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel, StandardCMSSignatureStatus

from ..report import Integrity
from .diff_policy import PADES_DIFF_POLICY
from .verdict import FORMAT_FAILURE, HASH_FAILURE, Findings

__all__ = ["IntegrityFacts", "check_byte_range", "check_integrity", "covers_one_revision", "integrity_facts"]


def covers_one_revision(coverage: Any) -> bool:
    """Whether a signed byte range is the whole file or one complete revision of it."""
    return coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)


@dataclass(frozen=True)
class IntegrityFacts:
    """What pyHanko's integrity checks found out about one signature.

    Attributes:
        coverage: the :class:`SignatureCoverageLevel` of the byte range (None if unknown).
        diff: the difference analysis of later revisions: a ``DiffResult``, a
            ``SuspiciousModification``, or None when there was none.
        docmdp_ok: whether later changes respect DocMDP/FieldMDP (None if unknown).
    """

    coverage: Any
    diff: Any
    docmdp_ok: bool | None

    @property
    def covers_whole_file(self) -> bool:
        return bool(self.coverage == SignatureCoverageLevel.ENTIRE_FILE)

    @property
    def covers_one_revision(self) -> bool:
        return covers_one_revision(self.coverage)

    @property
    def modification_level(self) -> ModificationLevel | None:
        """pyHanko's ``ModificationInfo.modification_level``, for our loose facts."""
        if self.diff is None:
            if self.coverage == SignatureCoverageLevel.ENTIRE_FILE:
                return ModificationLevel.NONE
            return None if self.coverage == SignatureCoverageLevel.ENTIRE_REVISION else ModificationLevel.OTHER
        if isinstance(self.diff, DiffResult):
            return self.diff.modification_level
        return ModificationLevel.OTHER


def _integrity_info(esig: EmbeddedPdfSignature) -> dict[str, Any]:
    """Coverage, diff result and DocMDP verdict of pyHanko's integrity checks."""
    for attempt in range(2):
        try:
            if attempt:
                esig.compute_integrity_info(diff_policy=PADES_DIFF_POLICY)  # type: ignore[no-untyped-call]
            info: dict[str, Any] = esig.summarise_integrity_info()
            return info
        except Exception:  # noqa: BLE001 - not computed yet, or hostile input
            continue
    return {}


def integrity_facts(esig: EmbeddedPdfSignature) -> IntegrityFacts:
    info = _integrity_info(esig)
    return IntegrityFacts(coverage=info.get("coverage"), diff=info.get("diff_result"), docmdp_ok=info.get("docmdp_ok"))


def _digest_matches(esig: EmbeddedPdfSignature) -> bool:
    """Compare the signed message digest with the digest of the byte range ourselves."""
    try:
        for attr in esig.signer_info["signed_attrs"]:
            if attr["type"].native == "message_digest":
                return bool(attr["values"][0].native == esig.compute_digest())
    except Exception:  # noqa: BLE001
        return False
    return False


def check_integrity(
    esig: EmbeddedPdfSignature, status: StandardCMSSignatureStatus | None, findings: Findings
) -> Integrity:
    """Digest and signature value; a digest that does not match is a HASH_FAILURE.

    Without a pyHanko status (the AdES run failed) the digest is compared here
    and the signature value counts as not verified.
    """
    if status is not None:
        integrity = Integrity(bool(status.intact), bool(status.valid))
    else:
        integrity = Integrity(_digest_matches(esig), False)
    if not integrity.digest_matches:
        findings.downgrade(HASH_FAILURE)  # only a TOTAL_FAILED verdict stays as it is
    return integrity


def check_byte_range(facts: IntegrityFacts, findings: Findings) -> None:
    """A byte range that is not one complete revision (signature wrapping) is a FORMAT_FAILURE."""
    if facts.covers_one_revision:
        return
    findings.downgrade(FORMAT_FAILURE)
    findings.warn(
        "The signed byte range does not cover the file as one complete revision: bytes "
        "that were not signed are part of what is shown (signature wrapping or a damaged file)."
    )

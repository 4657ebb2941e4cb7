"""Verdicts in ETSI EN 319 102-1 vocabulary, and how findings make them worse.

A verdict is an ``(indication, sub_indication)`` pair. The checks of one
signature run in a fixed order and collect their outcome in :class:`Findings`:
a check may only make the verdict worse (:func:`worse`) and append warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from pyhanko.sign.ades.report import AdESIndeterminate, AdESStatus, AdESSubIndic
from pyhanko.sign.validation.status import SignatureStatus

from .. import _forensics
from ..report import Indication

__all__ = [
    "FORMAT_FAILURE",
    "HASH_FAILURE",
    "INDICATION",
    "NOT_ALLOWED_CHANGE",
    "NO_SIGNING_CERTIFICATE",
    "PASSED",
    "SIG_CRYPTO_FAILURE",
    "UNFINISHED",
    "Findings",
    "Verdict",
    "plain_subindication",
    "verdict_of",
    "verdict_of_status",
    "worse",
]

Verdict: TypeAlias = tuple[Indication, str | None]

PASSED: Verdict = ("TOTAL_PASSED", None)
FORMAT_FAILURE: Verdict = ("TOTAL_FAILED", "FORMAT_FAILURE")
HASH_FAILURE: Verdict = ("TOTAL_FAILED", "HASH_FAILURE")
SIG_CRYPTO_FAILURE: Verdict = ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")
NOT_ALLOWED_CHANGE: Verdict = ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
NO_SIGNING_CERTIFICATE: Verdict = ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND")
# A check that could not finish: EN 319 102-1's catch-all sub-indication of INDETERMINATE.
UNFINISHED: Verdict = ("INDETERMINATE", "GENERIC")

INDICATION: dict[AdESStatus, Indication] = {
    AdESStatus.PASSED: "TOTAL_PASSED",
    AdESStatus.FAILED: "TOTAL_FAILED",
    AdESStatus.INDETERMINATE: "INDETERMINATE",
}
_SEVERITY: dict[Indication, int] = {"TOTAL_PASSED": 0, "INDETERMINATE": 1, "TOTAL_FAILED": 2}


def verdict_of(sub: AdESSubIndic) -> Verdict:
    """pyHanko's sub-indication as a verdict (no sub-indication when it passed)."""
    return INDICATION[sub.status], None if sub.status == AdESStatus.PASSED else str(sub.standard_name)


def worse(current: Verdict, candidate: Verdict) -> Verdict:
    """Keep the more severe verdict (ties keep the current one)."""
    if _SEVERITY[candidate[0]] > _SEVERITY[current[0]]:
        return candidate
    if current[0] == "INDETERMINATE" and candidate == NOT_ALLOWED_CHANGE:
        return candidate  # an integrity finding outranks e.g. TRY_LATER for an auditor
    return current


def plain_subindication(sub: str | None) -> str | None:
    """The sub-indication explained in one sentence for a non-specialist."""
    return _forensics.PLAIN_SUBINDICATION.get(sub or "", None)


@dataclass
class Findings:
    """Verdict and warnings of one signature while its checks run, in their order."""

    verdict: Verdict
    warnings: list[str] = field(default_factory=list)

    def downgrade(self, candidate: Verdict) -> None:
        self.verdict = worse(self.verdict, candidate)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def verdict_of_status(status: SignatureStatus) -> Verdict:
    """The verdict on a CMS signature from pyHanko's checks of it alone (outside the ETSI
    process): digest, signature value, then the signer's certificate path."""
    if not status.intact:
        return HASH_FAILURE
    if not status.valid:
        return SIG_CRYPTO_FAILURE
    if not status.trusted:
        problem = status.trust_problem_indic or AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND
        return INDICATION[problem.status], str(problem.standard_name)
    return PASSED

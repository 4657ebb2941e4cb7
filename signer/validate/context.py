"""The document under validation, shared by every check."""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import crl
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

from ..visual_diff import PageRenders
from .revocation import DocumentEvidence

__all__ = ["DocumentContext"]


@dataclass(frozen=True)
class DocumentContext:
    """One PDF being validated, with the policy and the moment it is validated at.

    ``renders`` keeps the final revision's page renders for the visual comparison,
    shared by all signatures of the document.
    """

    data: bytes
    reader: PdfFileReader
    anchors: tuple[asn1_x509.Certificate, ...]
    spec: PdfSignatureValidationSpec
    timing: ValidationTimingInfo
    evidence: DocumentEvidence
    total_revisions: int
    renders: PageRenders = field(default_factory=PageRenders, compare=False)

    @property
    def revocation_required(self) -> bool:
        """Whether the policy asks for the signer's revocation status (hard-fail, require)."""
        policy = self.spec.signature_validation_spec.cert_validation_policy.revinfo_policy
        return not policy.revocation_checking_policy.ee_certificate_rule.tolerant

    @property
    def known_crls(self) -> tuple[crl.CertificateList, ...]:
        """The CRLs the validator was given (e.g. the internal CA's current one)."""
        return tuple(c.crl_data for c in self.spec.signature_validation_spec.local_knowledge.known_crls)

    def revisions_after(self, signed_revision: int) -> int:
        """How many revisions were appended after the revision a signature covers."""
        return max(self.total_revisions - 1 - signed_revision, 0)

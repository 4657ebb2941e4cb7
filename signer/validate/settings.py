"""What the validator trusts and how hard it checks, and the pyHanko policy built from it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

from asn1crypto import crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from ..ca import InternalCA
from ..errors import ValidationError
from ..report import TrustSummary
from .diff_policy import PADES_DIFF_POLICY

__all__ = ["RevocationMode", "TrustSettings", "build_spec", "parsed_crls", "trust_summary"]

RevocationMode: TypeAlias = Literal["hard-fail", "soft-fail", "require"]

_PEM_SUFFIXES = (".pem", ".crt", ".cer")


@dataclass(frozen=True)
class TrustSettings:
    """What the validator trusts and how hard it checks.

    Attributes:
        trust_store: folder of PEM certificates (``*.pem``, ``*.crt``,
            ``*.cer``; several per file allowed): the trust anchors.
        internal_ca: folder of the :class:`~signer.ca.InternalCA`; its root is
            a trust anchor when ``trust_internal_ca`` is true (the default).
        trust_internal_ca: see above.
        extra_anchors: more anchors given as objects.
        revocation_mode: ``hard-fail`` (default): a certificate that names an
            OCSP responder or CRL must have valid revocation data, otherwise the
            result is INDETERMINATE (TRY_LATER); ``require``: revocation data is
            needed for every certificate; ``soft-fail``: missing data is
            silently skipped (then the report shows revocation ``unknown``).
        allow_fetching: fetch OCSP responses/CRLs over the network at validation
            time. Off by default: the URLs come from uploaded documents (SSRF);
            certificates themselves are never fetched (AIA chasing is off).
        fetch_timeout_seconds: per-request timeout when fetching.
        validation_time: validate as of this moment instead of now
            (``validate_pdf(at=...)`` wins over it).
        known_crls: CRLs (DER) the validator holds without fetching, e.g. the
            current CRL of the internal CA. They count as revocation data for
            every signature, whatever its level, besides what the document
            carries: a CA's own current list is the best evidence there is of
            its certificates' status now.
    """

    trust_store: str | os.PathLike[str] | None = None
    internal_ca: str | os.PathLike[str] | None = None
    trust_internal_ca: bool = True
    extra_anchors: tuple[x509.Certificate, ...] = ()
    revocation_mode: RevocationMode = "hard-fail"
    allow_fetching: bool = False
    fetch_timeout_seconds: float = 10.0
    validation_time: dt.datetime | None = None
    known_crls: tuple[bytes, ...] = ()

    def anchors(self) -> list[x509.Certificate]:
        """Load every trust anchor (deduplicated). Raises ValidationError on bad files."""
        found: list[x509.Certificate] = list(self.extra_anchors)
        if self.trust_store is not None:
            found.extend(_trust_store_certificates(Path(self.trust_store)))
        if self.internal_ca is not None and self.trust_internal_ca:
            root = InternalCA.root_certificate_of(self.internal_ca)
            if root is not None:
                found.append(root)
        return _deduplicated(found)


def _trust_store_certificates(folder: Path) -> list[x509.Certificate]:
    """Every certificate in the PEM files of ``folder`` (in file name order)."""
    if not folder.is_dir():
        raise ValidationError(f"trust store folder not found: {folder}")
    found: list[x509.Certificate] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _PEM_SUFFIXES or not path.is_file():
            continue
        try:
            found.extend(x509.load_pem_x509_certificates(path.read_bytes()))
        except ValueError as exc:
            raise ValidationError(f"not a PEM certificate file: {path}: {exc}") from None
    return found


def _deduplicated(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """The certificates without repetitions (by SHA-256 fingerprint), first one kept."""
    unique: dict[bytes, x509.Certificate] = {}
    for cert in certs:
        unique.setdefault(cert.fingerprint(hashes.SHA256()), cert)
    return list(unique.values())


def parsed_crls(trust: TrustSettings) -> tuple[crl.CertificateList, ...]:
    """``trust.known_crls`` parsed; one that is not a CRL is a configuration error."""
    parsed: list[crl.CertificateList] = []
    for der in trust.known_crls:
        try:
            certificate_list = crl.CertificateList.load(der)
            certificate_list.native  # asn1crypto parses lazily: force it now  # noqa: B018
        except ValueError as exc:
            raise ValidationError(f"a known CRL is not a DER certificate list: {exc}") from None
        parsed.append(certificate_list)
    return tuple(parsed)


def build_spec(trust: TrustSettings, anchors: Sequence[asn1_x509.Certificate]) -> PdfSignatureValidationSpec:
    """pyHanko's validation policy for ``trust`` with ``anchors`` as the trust roots."""
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(anchors)),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy.from_legacy(trust.revocation_mode)),
    )
    gathering = RevocationInfoGatheringSpec(
        online_fetching_rule=(
            RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
            if trust.allow_fetching
            else RevinfoOnlineFetchingRule.LOCAL_ONLY
        ),
        fetcher_backend=(
            RequestsFetcherBackend(per_request_timeout=trust.fetch_timeout_seconds) if trust.allow_fetching else None
        ),
        certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
    )
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=gathering,
            key_usage_settings=KeyUsageConstraints(
                key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
            ),
            local_knowledge=LocalKnowledge(known_crls=[CRLContainer(c) for c in parsed_crls(trust)]),
        ),
        diff_policy=PADES_DIFF_POLICY,
    )


def trust_summary(trust: TrustSettings, anchors: Sequence[x509.Certificate], given: bool) -> TrustSummary:
    """The settings as the report shows them (``given``: a validation time was asked for)."""
    return TrustSummary(
        anchors=tuple(a.subject.rfc4514_string({x509.NameOID.EMAIL_ADDRESS: "emailAddress"}) for a in anchors),
        revocation_mode=trust.revocation_mode,
        allow_fetching=trust.allow_fetching,
        validation_time_given=given,
    )

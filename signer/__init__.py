"""Pactum signer: PAdES signing, validation and auditor reports (a plain library).

Typical use::

    from signer import FileSigningKey, SignOptions, sign_pdf, validate_pdf, TrustSettings

    key = FileSigningKey.from_pkcs12("org.p12", passphrase_file="org.pass")
    signed = sign_pdf(pdf_bytes, key, SignOptions(level="B-LTA", tsa_url=tsa))
    report = validate_pdf(signed, TrustSettings(trust_store="trust/", internal_ca="ca/"))
    pdf = render_report_pdf(report, "zh", key)

See ``signer/README.md`` for the verdict mapping and settings to wire.
"""

from .ca import CAKeyType, InternalCA, IssuedCertificate, RevokedSerial
from .errors import KeyUnavailable, SignerError, SigningRefused, ValidationError
from .keys import FileSigningKey, ProvidesPyHankoSigner, SigningKey, certificate_email
from .report import (
    CertificateInfo,
    ChainEntry,
    Coverage,
    DocumentInfo,
    DocumentTimestampReport,
    Integrity,
    RevocationInfo,
    SignatureReport,
    TimestampInfo,
    TrustSummary,
    ValidationReport,
    render_report_pdf,
)
from .sign import Appearance, CertifyLevel, PadesLevel, RevocationFetching, SignOptions, sign_pdf
from .validate import RevocationMode, TrustSettings, validate_pdf

__all__ = [
    "Appearance",
    "CAKeyType",
    "CertificateInfo",
    "CertifyLevel",
    "ChainEntry",
    "Coverage",
    "DocumentInfo",
    "DocumentTimestampReport",
    "FileSigningKey",
    "InternalCA",
    "Integrity",
    "IssuedCertificate",
    "KeyUnavailable",
    "PadesLevel",
    "ProvidesPyHankoSigner",
    "RevocationFetching",
    "RevocationInfo",
    "RevocationMode",
    "RevokedSerial",
    "SignOptions",
    "SignatureReport",
    "SignerError",
    "SigningKey",
    "SigningRefused",
    "TimestampInfo",
    "TrustSettings",
    "TrustSummary",
    "ValidationError",
    "ValidationReport",
    "certificate_email",
    "render_report_pdf",
    "sign_pdf",
    "validate_pdf",
]

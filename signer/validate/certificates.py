"""How certificates appear in the report: names, serial numbers, e-mail addresses."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign.general import CMSExtractionError
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.errors import SignatureValidationError

from ..report import CertificateInfo

__all__ = [
    "EmbeddedCertificates",
    "certificate_info",
    "common_name",
    "embedded_certificates",
    "rfc4514_name",
    "serial_hex",
]


@dataclass(frozen=True)
class EmbeddedCertificates:
    """The certificates a signature's CMS carries.

    ``signer`` is None when the CMS holds no certificate matching its signer info, or
    one that is not the certificate the signed attributes name: the signer cannot be
    identified (EN 319 102-1 NO_SIGNING_CERTIFICATE_FOUND), and a certificate slipped
    in must not be shown as the signer's.
    """

    signer: asn1_x509.Certificate | None
    others: tuple[asn1_x509.Certificate, ...]


def embedded_certificates(esig: EmbeddedPdfSignature) -> EmbeddedCertificates:
    """The signer's certificate and the others; never raises (pyHanko raises when the
    signer's certificate is missing)."""
    try:
        return EmbeddedCertificates(esig.signer_cert, tuple(esig.other_embedded_certs))
    except (SignatureValidationError, CMSExtractionError, ValueError, KeyError, TypeError):
        return EmbeddedCertificates(None, _x509_certificates(esig.signed_data))


def _x509_certificates(signed_data: cms.SignedData) -> tuple[asn1_x509.Certificate, ...]:
    """Every X.509 certificate in the CMS ``certificates`` set (none if it cannot be parsed)."""
    try:
        return tuple(c.chosen.untag() for c in signed_data["certificates"] or () if c.name == "certificate")
    except (ValueError, KeyError, TypeError):
        return ()


def rfc4514_name(name: asn1_x509.Name) -> str:
    """RFC 4514 form of a name (``CN=...,O=...,C=...``); asn1crypto's form when that fails,
    and a placeholder for a name that cannot be parsed at all (a damaged certificate)."""
    try:
        rdns: list[x509.RelativeDistinguishedName] = []
        for rdn in name.chosen:
            rdns.append(
                x509.RelativeDistinguishedName(
                    x509.NameAttribute(
                        x509.ObjectIdentifier(atv["type"].dotted), str(atv["value"].native), _validate=False
                    )
                    for atv in rdn
                )
            )
        return x509.Name(rdns).rfc4514_string({x509.NameOID.EMAIL_ADDRESS: "emailAddress"})
    except (ValueError, TypeError, KeyError):
        return _human_friendly(name)


def _human_friendly(name: asn1_x509.Name) -> str:
    try:
        return str(name.human_friendly)
    except (ValueError, TypeError, KeyError):  # also UnicodeDecodeError
        return "(unreadable name)"


def common_name(name: asn1_x509.Name) -> str:
    """The CN of a name, or the whole name when it has none."""
    native = name.native
    if isinstance(native, dict) and native.get("common_name"):
        cn = native["common_name"]
        return str(cn[0] if isinstance(cn, list) else cn)
    return rfc4514_name(name)


def serial_hex(cert: asn1_x509.Certificate) -> str:
    return format(cert.serial_number, "X")


def _email(cert: asn1_x509.Certificate) -> str | None:
    """The e-mail address of the subject: from subjectAltName, else from the subject name."""
    try:
        emails = cert.subject_alt_name_value
        if emails is not None:
            for gn in emails:
                if gn.name == "rfc822_name":
                    return str(gn.native)
    except ValueError:
        pass
    native = cert.subject.native
    if isinstance(native, dict) and native.get("email_address"):
        return str(native["email_address"])
    return None


def certificate_info(cert: asn1_x509.Certificate) -> CertificateInfo:
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        subject=rfc4514_name(cert.subject),
        issuer=rfc4514_name(cert.issuer),
        serial=serial_hex(cert),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        email=_email(cert),
    )

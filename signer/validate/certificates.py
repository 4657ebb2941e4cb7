"""How certificates appear in the report: names, serial numbers, e-mail addresses."""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509
from cryptography import x509

from ..report import CertificateInfo

__all__ = ["certificate_info", "common_name", "rfc4514_name", "serial_hex"]


def rfc4514_name(name: asn1_x509.Name) -> str:
    """RFC 4514 form of a name (``CN=...,O=...,C=...``)."""
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
        return str(name.human_friendly)


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

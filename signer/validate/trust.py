"""Certificate path: the chain shown in the report and whether it ends at a trust anchor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.path import ValidationPath

from ..report import ChainEntry
from .certificates import rfc4514_name, serial_hex
from .context import DocumentContext
from .verdict import NO_SIGNING_CERTIFICATE, Findings, plain_subindication

__all__ = ["check_chain"]


def _path_certificates(path: ValidationPath) -> list[asn1_x509.Certificate]:
    """The certificates of a validated path, leaf first."""
    certs = list(path.iter_certs(include_root=True))
    certs.reverse()
    return certs


def _issued(issuer: asn1_x509.Certificate, cert: asn1_x509.Certificate) -> bool:
    """Whether ``issuer``'s subject is ``cert``'s issuer. A certificate that cannot be parsed
    issued nothing: the certificates in a CMS are not covered by its signature, anyone may
    have damaged them."""
    try:
        return bool(issuer.subject == cert.issuer)
    except ValueError:  # asn1crypto parses lazily, also on reading .subject (and UnicodeDecodeError)
        return False


def _embedded_issuers(
    leaf: asn1_x509.Certificate, embedded: Iterable[asn1_x509.Certificate]
) -> list[asn1_x509.Certificate]:
    """The leaf and its issuers as far as the embedded certificates go, leaf first."""
    pool = list(embedded)
    certs = [leaf]
    current = leaf
    while not _issued(current, current):  # up to a self-issued certificate
        nxt = next((c for c in pool if _is_new(c, certs) and _issued(c, current)), None)
        if nxt is None:
            break
        certs.append(nxt)
        current = nxt
    return certs


def _is_new(cert: asn1_x509.Certificate, certs: list[asn1_x509.Certificate]) -> bool:
    """Not one of ``certs`` (by identity: comparing would parse a possibly damaged certificate)."""
    return all(cert is not c for c in certs)


def _chain(
    leaf: asn1_x509.Certificate,
    path: ValidationPath | None,
    embedded: Iterable[asn1_x509.Certificate],
    anchors: Sequence[asn1_x509.Certificate],
) -> tuple[ChainEntry, ...]:
    """The validated path (leaf first) or, without one, the embedded issuers."""
    anchor_keys = {a.sha256 for a in anchors}
    certs = _path_certificates(path) if path is not None else _embedded_issuers(leaf, embedded)
    return tuple(
        ChainEntry(
            subject=rfc4514_name(c.subject),
            issuer=rfc4514_name(c.issuer),
            serial=serial_hex(c),
            trust_anchor=c.sha256 in anchor_keys,
        )
        for c in certs
    )


def check_chain(
    ctx: DocumentContext,
    signer_cert: asn1_x509.Certificate | None,
    embedded: Iterable[asn1_x509.Certificate],
    path: ValidationPath | None,
    findings: Findings,
) -> tuple[ChainEntry, ...]:
    """The signer's chain; warn when it does not reach a trust anchor. Without the
    signer's certificate there is no chain, and the verdict is at best
    INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND."""
    if signer_cert is None:
        findings.downgrade(NO_SIGNING_CERTIFICATE)
        findings.warn(plain_subindication(NO_SIGNING_CERTIFICATE[1]) or "")
        return ()
    chain = _chain(signer_cert, path, embedded, ctx.anchors)
    if not any(c.trust_anchor for c in chain):
        findings.warn("The signer's certificate does not lead to a trusted root certificate.")
    return chain

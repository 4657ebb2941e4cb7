"""How the signed attributes of a CMS signature are encoded.

RFC 5652 5.4: the signature is computed over "the DER encoding of the
SignedAttrs value", a SET OF, whose DER orders its elements by their
encodings (X.690 11.6). A signer that stores the attributes in another order
and signs them as stored produces a signature that verifies only over a
non-DER encoding: verifiers that re-encode the attributes (as RFC 5652 allows)
find it invalid, and the EU reference validator rejects it. pyHanko verifies
over the bytes as stored and accepts it. Pactum reports it as
TOTAL_FAILED/FORMAT_FAILURE: the signature is not in the format the standards
define (ETSI EN 319 122-1 builds on RFC 5652, and EN 319 102-1 5.2.2 fails a
signature whose format cannot be processed as specified), whatever its
cryptography says.
"""

from __future__ import annotations

from pyhanko.sign.validation import EmbeddedPdfSignature

from .verdict import FORMAT_FAILURE, Findings

__all__ = ["check_signed_attribute_order", "signed_attributes_in_der_order"]


def signed_attributes_in_der_order(esig: EmbeddedPdfSignature) -> bool:
    """Whether the signed attributes, as stored, are in DER order (true without any)."""
    attrs = esig.signer_info["signed_attrs"]
    if not attrs:
        return True
    encodings = [bytes(attr.dump()) for attr in attrs]
    return encodings == sorted(encodings)


def check_signed_attribute_order(esig: EmbeddedPdfSignature, findings: Findings) -> None:
    """A FORMAT_FAILURE when the signed attributes are stored out of DER order."""
    if signed_attributes_in_der_order(esig):
        return
    findings.downgrade(FORMAT_FAILURE)
    findings.warn(
        "The signed attributes are not DER-encoded (their SET OF is not in DER order), as RFC 5652 5.4 "
        "requires: the signature value matches them only as stored, not their DER encoding, so standard "
        "validators reject it."
    )

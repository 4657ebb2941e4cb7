"""``/adbe.pkcs7.sha1`` signatures (PDF 1.3 to 1.7, deprecated in PDF 2.0).

The CMS is not detached: it *encapsulates* the SHA-1 digest of the byte
ranges as its content, and the signer signs that content (usually through
signed attributes). Validating one is therefore two checks: the CMS signature
over its encapsulated content (pyHanko's CMS validation, which also builds the
signer's certificate path), and that the encapsulated digest is the SHA-1 of
the signed bytes of this document. pyHanko's ETSI process does not take this
format, so the long-term steps (past validation with proofs of existence) are
not made for it: the certificate path is validated at the validation time.
"""

from __future__ import annotations

import dataclasses
import hashlib

from pyhanko.sign.validation import EmbeddedPdfSignature, generic_cms
from pyhanko.sign.validation.status import StandardCMSSignatureStatus

from .._pdfobjects import array_items
from .context import DocumentContext
from .timestamps import validation_context
from .verdict import Findings, verdict_of_status

__all__ = ["SHA1_SUBFILTER", "check_sha1_signature"]

SHA1_SUBFILTER = "/adbe.pkcs7.sha1"


def _signed_bytes(data: bytes, esig: EmbeddedPdfSignature) -> bytes:
    """The bytes the ``/ByteRange`` covers (pairs of offset and length)."""
    numbers = [int(n) for n in array_items(esig.byte_range) if isinstance(n, int)]
    return b"".join(data[start : start + length] for start, length in zip(numbers[::2], numbers[1::2], strict=False))


def _encapsulated(esig: EmbeddedPdfSignature) -> bytes | None:
    content = esig.signed_data["encap_content_info"]["content"]
    value = content.native if content is not None else None
    return value if isinstance(value, bytes) else None


async def check_sha1_signature(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, findings: Findings
) -> StandardCMSSignatureStatus:
    """Validate an ``adbe.pkcs7.sha1`` signature; the status counts as not intact when the
    encapsulated digest is not the SHA-1 of the signed bytes."""
    status = await generic_cms.async_validate_cms_signature(
        esig.signed_data, status_cls=StandardCMSSignatureStatus, validation_context=validation_context(ctx)
    )
    expected = hashlib.sha1(_signed_bytes(ctx.data, esig)).digest()  # noqa: S324 - the format's digest
    if _encapsulated(esig) != expected:
        status = dataclasses.replace(status, intact=False)
        findings.warn("The SHA-1 digest inside the signature is not the digest of the signed bytes of this document.")
    findings.downgrade(verdict_of_status(status))
    findings.warn(
        "adbe.pkcs7.sha1 signature: the document is bound to it by a SHA-1 digest, which is no longer "
        "collision-resistant; its certificate path was checked at the validation time only."
    )
    return status

"""Builders for real-world PDF shapes that once crashed the validator.

* A page's ``/Annots`` or the AcroForm's ``/Fields`` written as an indirect
  reference to an array (``/Annots 12 0 R``) instead of the array itself: legal
  PDF, produced by several PDF libraries, and a ``TypeError`` in code that
  iterates ``dictionary.get(key)``.
* A CMS signature whose ``certificates`` set lacks the signer's certificate
  (EN 319 102-1 NO_SIGNING_CERTIFICATE_FOUND): the signed bytes are untouched and
  the new CMS is padded to the length of the old ``/Contents``, so only the
  missing certificate is wrong with the file.
* A CMS whose issuing-CA certificate cannot be parsed (found by the fuzzer: the
  certificates of a CMS are not signed, anyone may damage them).
"""

from __future__ import annotations

import io

from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.signer.support import byte_range


def _write(w: IncrementalPdfFileWriter) -> bytes:
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def make_entry_indirect(w: IncrementalPdfFileWriter, container: generic.DictionaryObject, key: str) -> bool:
    """Move the direct array or dictionary under ``key`` into an object of its own, leaving
    a reference behind; False when there is nothing direct to move."""
    value = container.raw_get(key)
    if not isinstance(value, (generic.ArrayObject, generic.DictionaryObject)):
        return False
    container[generic.NameObject(key)] = w.add_object(value)
    w.update_container(container)
    return True


def with_indirect_annots(pdf: bytes) -> bytes:
    """Every page's ``/Annots`` as an indirect array (in an incremental update)."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for page_ref in w.root["/Pages"]["/Kids"]:
        page = page_ref.get_object()
        if "/Annots" in page:
            make_entry_indirect(w, page, "/Annots")
    return _write(w)


def with_indirect_fields(pdf: bytes) -> bytes:
    """The AcroForm's ``/Fields`` as an indirect array (in an incremental update)."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    make_entry_indirect(w, w.root["/AcroForm"], "/Fields")
    return _write(w)


def without_signer_certificate(signed: bytes) -> bytes:
    """The last signature's CMS without the signer's certificate (the other certificates
    stay), written over the old ``/Contents`` with the same length."""
    br = byte_range(signed, -1)
    gap = signed[br[1] : br[2]]
    assert gap.startswith(b"<") and gap.endswith(b">")
    hex_contents = gap[1:-1]
    content_info = cms.ContentInfo.load(bytes.fromhex(hex_contents.decode()), strict=False)
    signed_data = content_info["content"]
    signer_id = signed_data["signer_infos"][0]["sid"].chosen
    kept = [
        choice
        for choice in signed_data["certificates"]
        if not (
            choice.chosen.issuer == signer_id["issuer"]
            and choice.chosen.serial_number == signer_id["serial_number"].native
        )
    ]
    assert len(kept) < len(signed_data["certificates"]), "the signer's certificate was not in the CMS"
    signed_data["certificates"] = cms.CertificateSet(kept)
    new_hex = content_info.dump(force=True).hex().encode()
    assert len(new_hex) <= len(hex_contents)
    patched = b"<" + new_hex.ljust(len(hex_contents), b"0") + b">"
    return signed[: br[1]] + patched + signed[br[2] :]


def with_unparsable_intermediate(signed: bytes) -> bytes:
    """The last signature's CMS with the subject name of the signer's issuing CA made
    unparsable (its tag changed, DER lengths unchanged). The CMS signature does not cover
    its certificates, so anyone can do this to a signed file; the signer's chain then
    cannot be built."""
    br = byte_range(signed, -1)
    hex_contents = signed[br[1] + 1 : br[2] - 1]
    der = bytes.fromhex(hex_contents.decode())
    signed_data = cms.ContentInfo.load(der, strict=False)["content"]
    issuer_name = signed_data["signer_infos"][0]["sid"].chosen["issuer"]
    other = next(c.chosen for c in signed_data["certificates"] if c.chosen.subject == issuer_name)
    cert_der, subject = other.dump(), other.subject.dump()
    assert subject[0] == 0x30  # the Name is a SEQUENCE: make it [CONTEXT 15], which no Name is
    damaged_cert = cert_der.replace(subject, b"\xaf" + subject[1:], 1)
    assert der.count(cert_der) == 1 and damaged_cert != cert_der
    new_hex = der.replace(cert_der, damaged_cert).hex().encode()
    return signed[: br[1] + 1] + new_hex + signed[br[2] - 1 :]

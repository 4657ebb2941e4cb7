"""Builders of later revisions that PAdES allows (or not): validation data added by a
long-term-validation tool, document timestamps, comments, and a reference to an object
that no cross-reference section defines."""

from __future__ import annotations

import io

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore

from tests.signer.classes import doc_timestamped


def _write(w: IncrementalPdfFileWriter) -> bytes:
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def rewrite_vri(signed: bytes, extra_cert: x509.Certificate) -> bytes:
    """A later DSS update that rewrites the VRI entry of the first signature with one more
    certificate, as LTV tools do when they extend a document again."""
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    contents = sig.sig_object.raw_get("/Contents").original_bytes
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    cert = asn1_x509.Certificate.load(extra_cert.public_bytes(Encoding.DER))
    DocumentSecurityStore.supply_dss_in_writer(w, contents, certs=[cert])
    return _write(w)


def add_document_timestamp(pdf: bytes, tsa_url: str) -> bytes:
    """An RFC 3161 document timestamp in a new revision (what B-LTA extension adds)."""
    return doc_timestamped(pdf, tsa_url)


def with_undefined_reference(pdf: bytes) -> bytes:
    """The catalog points at an object no cross-reference section defines (ISO 32000-1
    7.3.10: read as null). Some producers leave such references behind."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    w.root[generic.NameObject("/PieceInfo")] = generic.IndirectObject(9999, 0, w)
    w.update_root()
    return _write(w)


def add_annotation(signed: bytes, subtype: str = "/Square", page: int = 0) -> bytes:
    """A reviewer's annotation (a red box with a comment) on a page, in a new revision."""
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_dict = w.root["/Pages"]["/Kids"][page].get_object()
    appearance = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 100, 30)]),
        },
        stream_data=b"1 0 0 RG 2 w 1 1 98 28 re S",
    )
    annot = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject(subtype),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (300, 300, 400, 330)]),
            generic.NameObject("/Contents"): generic.TextStringObject("请核对 / please check"),
            generic.NameObject("/AP"): generic.DictionaryObject({generic.NameObject("/N"): w.add_object(appearance)}),
        }
    )
    ref = w.add_object(annot)
    if "/Annots" in page_dict:
        page_dict["/Annots"].append(ref)
    else:
        page_dict[generic.NameObject("/Annots")] = generic.ArrayObject([ref])
    w.update_container(page_dict)
    return _write(w)


def with_locking_signature_field(pdf: bytes, name: str, locked: list[str]) -> bytes:
    """An empty signature field whose signature will lock the form fields ``locked``
    (FieldMDP, ISO 32000-1 12.7.4.5: /Lock << /Action /Include /Fields [...] >>)."""
    from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, SigFieldSpec, append_signature_field

    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    append_signature_field(
        w, SigFieldSpec(name, field_mdp_spec=FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=locked))
    )
    return _write(w)

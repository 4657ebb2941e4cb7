"""Builders for signed PDFs of the classes real-world validators disagree on.

Each builder starts from a file signed (or timestamped) by pyHanko, changes the
signature dictionary in place (same length, so every offset stays) and then
writes a new CMS over the new byte ranges: the result is a sound file of the
class, not a damaged one. The CMS is built here with asn1crypto, so its shape
(SignerInfos, order of the signed attributes, encapsulated content) is ours:

* document timestamps whose dictionary says ``/Type /Sig`` or has no ``/Type``;
* ``/adbe.pkcs7.sha1``: the CMS encapsulates the SHA-1 digest of the byte ranges;
* ``/PBAD.PAdES`` and an invented SubFilter over a detached CMS;
* a CMS with two SignerInfos (two signers over the same bytes);
* a field name with periods in its ``/T``;
* a field whose value was prepared for a signature but never signed;
* signed attributes stored (and signed) out of DER order;
* a signature dictionary written again in a later revision (nonstandard coverage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asn1crypto import algos, cms, tsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.core import Asn1Value
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import timestamps
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

from signer import FileSigningKey, SignOptions, sign_pdf
from signer._loop import outside_event_loop
from signer.keys import to_asn1_certificate
from signer.timestamp import request_timestamp
from tests.signer.support import byte_range, make_contract_pdf

CmsBuilder = Callable[[bytes], bytes]


# ---------------------------------------------------------------------------
# rewriting the last signature of a file
# ---------------------------------------------------------------------------


def signed_bytes(pdf: bytes, which: int = -1) -> bytes:
    """The bytes the ``/ByteRange`` of a signature covers."""
    a, b, c, d = byte_range(pdf, which)
    return pdf[a : a + b] + pdf[c : c + d]


def reforge(pdf: bytes, replacements: list[tuple[bytes, bytes]], build_cms: CmsBuilder) -> bytes:
    """The last signature of ``pdf`` with its signed bytes edited (each ``old`` occurs once in
    the signed part; ``new`` is padded with spaces to its length) and a new CMS from
    ``build_cms(signed bytes)`` in its ``/Contents``."""
    br = byte_range(pdf, -1)
    head, tail = pdf[: br[1]], pdf[br[2] :]
    for old, new in replacements:
        assert len(new) <= len(old) and (head + tail).count(old) == 1, old
        padded = new.ljust(len(old), b" ")
        head, tail = head.replace(old, padded), tail.replace(old, padded)
    gap = br[2] - br[1] - 2
    new_hex = build_cms(head + tail).hex().encode()
    assert len(new_hex) <= gap, "the new CMS does not fit in /Contents"
    return head + b"<" + new_hex.ljust(gap, b"0") + b">" + tail


# ---------------------------------------------------------------------------
# CMS built by hand
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CmsSigner:
    """One signer of a hand-built CMS (EC key; SHA-256 unless ``digest`` says ``sha1``)."""

    key: FileSigningKey
    digest: str = "sha256"

    def hash(self, data: bytes) -> bytes:
        return hashlib.new(self.digest, data).digest()

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return to_asn1_certificate(self.key.certificate)

    def chain(self) -> list[asn1_x509.Certificate]:
        return [self.certificate, *(to_asn1_certificate(c) for c in self.key.chain)]

    def signed_attributes(self, content_digest: bytes, content_type: str = "data") -> list[cms.CMSAttribute]:
        cert_hash = hashlib.sha256(self.certificate.dump()).digest()
        return [
            cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": dt.datetime.now(dt.UTC)})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [content_digest]}),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [tsp.SigningCertificateV2({"certs": [{"cert_hash": cert_hash}]})],
                }
            ),
        ]

    def signer_info(self, attributes: list[cms.CMSAttribute]) -> cms.SignerInfo:
        """A SignerInfo whose signature is over ``attributes`` in the order given (asn1crypto
        sorts a SET OF it builds, so the SET is written by hand and parsed, which keeps it)."""
        signed_attrs = cms.CMSAttributes.load(_set_of(attributes))
        private_key = self.key.private_key
        assert isinstance(private_key, ec.EllipticCurvePrivateKey)
        algorithm = hashes.SHA1() if self.digest == "sha1" else hashes.SHA256()  # noqa: S303 - a legacy format
        signature = private_key.sign(signed_attrs.dump(), ec.ECDSA(algorithm))
        cert = self.certificate
        return cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": self.digest}),
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": f"{self.digest}_ecdsa"}),
                "signature": signature,
            }
        )


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _set_of(elements: Sequence[Asn1Value]) -> bytes:
    """A SET OF with its elements in the order given (asn1crypto would sort them)."""
    body = b"".join(e.dump() for e in elements)
    return b"\x31" + _der_length(len(body)) + body


def der_sorted(attributes: list[cms.CMSAttribute]) -> list[cms.CMSAttribute]:
    """The attributes in DER order of a SET OF (by their encodings)."""
    return sorted(attributes, key=lambda a: a.dump())


def signed_data(
    signer_infos: list[cms.SignerInfo], certificates: list[asn1_x509.Certificate], content: bytes | None = None
) -> bytes:
    """A CMS SignedData (detached unless ``content`` is given), its SignerInfos in the order given."""
    unique = {c.dump(): c for c in certificates}
    encap: dict[str, object] = {"content_type": "data"}
    if content is not None:
        encap["content"] = content
    sd = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [
                algos.DigestAlgorithm({"algorithm": "sha256"}),
                algos.DigestAlgorithm({"algorithm": "sha1"}),
            ],
            "encap_content_info": encap,
            "certificates": list(unique.values()),
            "signer_infos": cms.SignerInfos.load(_set_of(signer_infos)),
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump())


def detached_cms(
    *signers: CmsSigner, attribute_order: Callable[[list[cms.CMSAttribute]], list[cms.CMSAttribute]] = der_sorted
) -> CmsBuilder:
    """A builder of a detached CMS over the signed bytes, one SignerInfo per signer."""

    def build(data: bytes) -> bytes:
        digest = hashlib.sha256(data).digest()
        infos = [s.signer_info(attribute_order(s.signed_attributes(digest))) for s in signers]
        return signed_data(infos, [c for s in signers for c in s.chain()])

    return build


def sha1_cms(signer: CmsSigner) -> CmsBuilder:
    """``adbe.pkcs7.sha1``: the CMS encapsulates the SHA-1 digest of the signed bytes."""

    def build(data: bytes) -> bytes:
        encapsulated = hashlib.sha1(data).digest()  # noqa: S324 - the format demands SHA-1
        attrs = der_sorted(signer.signed_attributes(signer.hash(encapsulated)))
        return signed_data([signer.signer_info(attrs)], signer.chain(), content=encapsulated)

    return build


def timestamp_token(tsa_url: str) -> CmsBuilder:
    """A fresh RFC 3161 token over the SHA-256 of the signed bytes."""
    return lambda data: request_timestamp(hashlib.sha256(data).digest(), tsa_url)


# ---------------------------------------------------------------------------
# the files
# ---------------------------------------------------------------------------

_SUBFILTER = b"/SubFilter /ETSI.CAdES.detached"
_DOC_TS_TYPE = b"/Type /DocTimeStamp"


def signed_contract(key: FileSigningKey, field_name: str = "Signature1") -> bytes:
    return sign_pdf(make_contract_pdf(1), key, SignOptions(field_name=field_name))


@outside_event_loop  # pyHanko runs its own event loop; a browser test may hold one in this thread
def doc_timestamped(pdf: bytes, tsa_url: str) -> bytes:
    """``pdf`` with a document timestamp appended (pyHanko), in a new revision."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stamper = PdfTimeStamper(timestamps.HTTPTimeStamper(tsa_url))
    out = stamper.timestamp_pdf(w, "sha256", in_place=False)  # type: ignore[no-untyped-call]
    return bytes(out.getvalue())


def doc_timestamp_typed(pdf: bytes, tsa_url: str, type_entry: bytes) -> bytes:
    """A document timestamp whose dictionary says ``type_entry`` (e.g. ``/Type /Sig``, or
    ``b""`` for no /Type) instead of ``/Type /DocTimeStamp``; the token covers the change."""
    return reforge(doc_timestamped(pdf, tsa_url), [(_DOC_TS_TYPE, type_entry)], timestamp_token(tsa_url))


def timestamp_token_under_other_subfilter(pdf: bytes, tsa_url: str) -> bytes:
    """A document timestamp whose dictionary says ``/Type /Sig`` and an invented SubFilter: only
    its CMS (a timestamp token, eContentType id-ct-TSTInfo) tells what it is."""
    replacements = [(_DOC_TS_TYPE, b"/Type /Sig"), (b"/SubFilter /ETSI.RFC3161", b"/SubFilter /x.stamp")]
    return reforge(doc_timestamped(pdf, tsa_url), replacements, timestamp_token(tsa_url))


def unsigned_placeholder(key: FileSigningKey) -> bytes:
    """A signed contract plus a second field whose value is a signature dictionary that was
    prepared but never signed (no /Contents, no /ByteRange)."""
    w = IncrementalPdfFileWriter(io.BytesIO(signed_contract(key)))
    value = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Sig"),
            generic.NameObject("/Filter"): generic.NameObject("/Adobe.PPKLite"),
            generic.NameObject("/SubFilter"): generic.NameObject("/ETSI.CAdES.detached"),
        }
    )
    field = generic.DictionaryObject(
        {
            generic.NameObject("/FT"): generic.NameObject("/Sig"),
            generic.NameObject("/T"): generic.TextStringObject("Pending"),
            generic.NameObject("/V"): w.add_object(value),
        }
    )
    form = w.root["/AcroForm"]
    form["/Fields"].append(w.add_object(field))
    w.update_container(form)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def with_subfilter(key: FileSigningKey, subfilter: bytes) -> bytes:
    """A detached CMS signature whose dictionary names ``subfilter``."""
    return reforge(signed_contract(key), [(_SUBFILTER, b"/SubFilter " + subfilter)], detached_cms(CmsSigner(key)))


def sha1_signed(key: FileSigningKey, signer_digest: str = "sha256") -> bytes:
    """``adbe.pkcs7.sha1``; ``signer_digest="sha1"`` also signs with SHA-1, as old signers did."""
    signer = CmsSigner(key, signer_digest)
    return reforge(signed_contract(key), [(_SUBFILTER, b"/SubFilter /adbe.pkcs7.sha1")], sha1_cms(signer))


def two_signer_infos(first: FileSigningKey, second: FileSigningKey) -> bytes:
    """Two SignerInfos in one CMS, both over the same bytes."""
    return reforge(signed_contract(first), [], detached_cms(CmsSigner(first), CmsSigner(second)))


def two_signer_infos_second_elsewhere(first: FileSigningKey, second: FileSigningKey) -> bytes:
    """Two SignerInfos, the second (``second``) signing the digest of other bytes than the document's."""
    signers = (CmsSigner(first), CmsSigner(second))

    def build(data: bytes) -> bytes:
        digests = (hashlib.sha256(data).digest(), hashlib.sha256(b"another document").digest())
        infos = [s.signer_info(der_sorted(s.signed_attributes(d))) for s, d in zip(signers, digests, strict=True)]
        return signed_data(infos, [c for s in signers for c in s.chain()])

    return reforge(signed_contract(first), [], build)


def periods_in_name(key: FileSigningKey) -> bytes:
    """A signature field whose own ``/T`` holds periods (``Sig.2024.01``)."""
    return reforge(
        signed_contract(key, "SigA2024B01"), [(b"(SigA2024B01)", b"(Sig.2024.01)")], detached_cms(CmsSigner(key))
    )


def _not_der_order(attributes: list[cms.CMSAttribute]) -> list[cms.CMSAttribute]:
    ordered = der_sorted(attributes)
    reversed_order = list(reversed(ordered))
    assert [a.dump() for a in reversed_order] != [a.dump() for a in ordered]
    return reversed_order


def unsorted_signed_attributes(key: FileSigningKey) -> bytes:
    """Signed attributes stored, and signed, out of DER order (RFC 5652 5.4 signs their DER)."""
    return reforge(signed_contract(key), [], detached_cms(CmsSigner(key), attribute_order=_not_der_order))


def signature_dictionary_rewritten(key: FileSigningKey) -> bytes:
    """A signed file whose signature dictionary is written again, unchanged, in a later
    incremental update that also changes the document information (some tools re-save the
    dictionary): pyHanko's CONTIGUOUS_BLOCK_FROM_START coverage, without any wrapping."""
    signed = signed_contract(key)
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    field = w.root["/AcroForm"]["/Fields"][0].get_object()
    w.mark_update(field.raw_get("/V"))
    w.set_info(generic.DictionaryObject({generic.NameObject("/Author"): generic.TextStringObject("Archive")}))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()

"""What a filled signature field holds, decided before anything is validated.

A field is a *document timestamp* when its ``/SubFilter`` is ``/ETSI.RFC3161``,
when its CMS encapsulates an RFC 3161 ``TSTInfo`` (eContentType id-ct-TSTInfo:
the CMS is a timestamp token, whatever the dictionary says) or when its
``/Type`` is ``/DocTimeStamp``; a value with neither ``/Contents`` nor
``/ByteRange`` is an *unsigned placeholder* (a field prepared for a signature
that was never made); every other filled field is a *signature*.
Real-world files write document timestamps with ``/Type /Sig`` or no ``/Type``
at all; validated as signatures they would fail (a timestamp token has no
signer of the document), so the classification rests on the content, and the
odd dictionary is reported.

Also here: a CMS with more than one SignerInfo. pyHanko (and PAdES, ETSI EN 319
142-1 6.3) expects exactly one; some signing tools add a second signer over
the same bytes. :func:`first_signer_view` gives the document with each such
CMS reduced to its first SignerInfo: ``/Contents`` lies outside the signed
byte range, so the signed bytes stay exactly as they are, and the first signer
is validated like any other signature. The others are checked against the
signed bytes (digest and signature value, not their certificates): the report
names each with what was found, and one that does not hold fails the field.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import generic_cms

from .._pdfobjects import array_entry, entry, resolved, text_entry
from .certificates import common_name
from .verdict import HASH_FAILURE, NO_SIGNING_CERTIFICATE, PASSED, SIG_CRYPTO_FAILURE, Verdict, worse

__all__ = ["ClassifiedField", "FieldFinding", "FieldKind", "classify_fields", "first_signer_view"]

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"
_DOC_TIMESTAMP_TYPE = "/DocTimeStamp"


class FieldKind(enum.Enum):
    SIGNATURE = "signature"
    DOC_TIMESTAMP = "document timestamp"
    PLACEHOLDER = "unsigned placeholder"


@dataclass(frozen=True)
class FieldFinding:
    """What was found about a field before its validation: notes for its report, and the
    best verdict it can still get."""

    notes: tuple[str, ...] = ()
    verdict: Verdict = PASSED

    def plus(self, notes: tuple[str, ...]) -> FieldFinding:
        return FieldFinding(self.notes + notes, self.verdict)


@dataclass(frozen=True)
class ClassifiedField:
    """One filled signature field: its name, dictionary, kind and what was odd about it."""

    name: str
    field_dict: generic.DictionaryObject
    kind: FieldKind
    found: FieldFinding = field(default_factory=FieldFinding)


def _signed_data(sig_obj: object) -> cms.SignedData | None:
    """The CMS SignedData in a signature dictionary's ``/Contents`` (None if unreadable)."""
    contents = entry(sig_obj, "/Contents")
    if not isinstance(contents, bytes):
        return None
    try:
        content_info = cms.ContentInfo.load(bytes(contents))  # not strict: the zero padding is ignored
        if content_info["content_type"].native != "signed_data":
            return None
        signed_data = content_info["content"]
        return signed_data if isinstance(signed_data, cms.SignedData) else None
    except (ValueError, TypeError, KeyError):
        return None


def _encapsulated_type(sig_obj: object) -> str | None:
    signed_data = _signed_data(sig_obj)
    if signed_data is None:
        return None
    try:
        return str(signed_data["encap_content_info"]["content_type"].native)
    except (ValueError, TypeError, KeyError):
        return None


def _is_placeholder(sig_obj: object) -> bool:
    """A signature dictionary prepared but never signed: a readable dictionary with neither
    ``/Contents`` nor ``/ByteRange`` (one of them alone missing, or a dictionary that cannot be
    read, is a broken signature: an attacker may remove an entry or damage the dictionary)."""
    if not isinstance(resolved(sig_obj), generic.DictionaryObject):
        return False
    return entry(sig_obj, "/Contents") is None and entry(sig_obj, "/ByteRange") is None


def _kind_and_notes(sig_obj: object) -> tuple[FieldKind, tuple[str, ...]]:
    if _is_placeholder(sig_obj):
        return FieldKind.PLACEHOLDER, ()
    type_name = text_entry(sig_obj, "/Type")
    subfilter = text_entry(sig_obj, "/SubFilter")
    is_token = _encapsulated_type(sig_obj) == "tst_info"
    if not (is_token or subfilter == TIMESTAMP_SUBFILTER or type_name == _DOC_TIMESTAMP_TYPE):
        return FieldKind.SIGNATURE, ()
    notes: list[str] = []
    if type_name != _DOC_TIMESTAMP_TYPE:
        written = f"/Type {type_name}" if type_name else "no /Type"
        notes.append(
            f"This field holds a document timestamp (SubFilter {subfilter}, an RFC 3161 timestamp token), "
            f"but its dictionary has {written} instead of /Type /DocTimeStamp; it was validated as a "
            "document timestamp."
        )
    if is_token and subfilter != TIMESTAMP_SUBFILTER:
        notes.append(
            f"The field's CMS is a timestamp token although its SubFilter is {subfilter}; "
            "it was validated as a document timestamp."
        )
    return FieldKind.DOC_TIMESTAMP, tuple(notes)


def classify_fields(reader: PdfFileReader, earlier: dict[str, FieldFinding]) -> list[ClassifiedField]:
    """Every filled signature field, classified (``earlier``: found before, by field name)."""
    classified: list[ClassifiedField] = []
    for fq_name, sig_obj, field_ref in enumerate_sig_fields(reader, filled_status=True):
        field_dict = resolved(field_ref)
        if not isinstance(field_dict, generic.DictionaryObject):
            continue  # pyHanko lists field dictionaries only
        kind, notes = _kind_and_notes(sig_obj)
        found = earlier.get(fq_name, FieldFinding()).plus(notes)
        classified.append(ClassifiedField(fq_name, field_dict, kind, found))
    return classified


# ---------------------------------------------------------------------------
# more than one SignerInfo
# ---------------------------------------------------------------------------


def _reduced_contents(signed_data: cms.SignedData, width: int) -> bytes | None:
    """The hex ``/Contents`` (``width`` digits, zero-padded) of ``signed_data`` with its first
    SignerInfo only; None when it does not fit."""
    reduced = signed_data.copy()
    reduced["signer_infos"] = cms.SignerInfos([signed_data["signer_infos"][0]])
    der = cms.ContentInfo({"content_type": "signed_data", "content": reduced}).dump(force=True)
    hex_digits = der.hex().encode()
    return hex_digits.ljust(width, b"0") if len(hex_digits) <= width else None


@dataclass(frozen=True)
class _Placement:
    """Where a signature's ``/Contents`` hex digits lie in the file, and the bytes it signs."""

    hex_start: int
    hex_end: int
    signed: bytes


def _placement(data: bytes, sig_obj: object) -> _Placement | None:
    """None unless ``/ByteRange`` is two ranges around a ``<...>`` hex string."""
    numbers = [n for n in array_entry(sig_obj, "/ByteRange") if isinstance(n, int)]
    if len(numbers) != 4 or min(numbers) < 0:
        return None
    a, b, c, d = numbers
    start, end = a + b, c
    if not (0 < start < end <= len(data)) or data[start : start + 1] != b"<" or data[end - 1 : end] != b">":
        return None
    return _Placement(start + 1, end - 1, data[a : a + b] + data[c : c + d])


def _certificate_of(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> asn1_x509.Certificate | None:
    sid = signer_info["sid"].chosen
    if not isinstance(sid, cms.IssuerAndSerialNumber):
        return None
    for choice in signed_data["certificates"] or ():
        cert = choice.chosen
        if choice.name == "certificate" and cert.issuer == sid["issuer"]:
            if cert.serial_number == sid["serial_number"].native:
                return cert
    return None


def _signer_name(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> str:
    """The common name of the certificate a SignerInfo names."""
    cert = _certificate_of(signed_data, signer_info)
    return common_name(cert.subject) if cert is not None else "an unidentified signer"


def _integrity_of(signed_data: cms.SignedData, signer_info: cms.SignerInfo, signed: bytes) -> Verdict:
    """Digest and signature value of one SignerInfo over the signed bytes (no trust checks)."""
    cert = _certificate_of(signed_data, signer_info)
    if cert is None:
        return NO_SIGNING_CERTIFICATE
    try:
        digest = hashlib.new(str(signer_info["digest_algorithm"]["algorithm"].native), signed).digest()
        intact, valid = generic_cms.validate_sig_integrity(signer_info, cert, "data", digest)
    except Exception:  # noqa: BLE001 - an unusable SignerInfo counts as not verified
        return SIG_CRYPTO_FAILURE
    return PASSED if valid and intact else (HASH_FAILURE if not intact else SIG_CRYPTO_FAILURE)


_SAYS = {PASSED: "matches the signed bytes", HASH_FAILURE: "does NOT match the signed bytes"}


def _multi_signer_finding(signed_data: cms.SignedData, signed: bytes) -> FieldFinding:
    """The note on a CMS of several SignerInfos: the first is validated in full, the others
    against the signed bytes only; one that does not hold makes the field fail as it does."""
    infos = list(signed_data["signer_infos"])
    others = [(_signer_name(signed_data, si), _integrity_of(signed_data, si, signed)) for si in infos[1:]]
    verdict = PASSED
    for _, found in others:
        verdict = worse(verdict, found)
    checked = "; ".join(f"{name}: {_SAYS.get(found, 'cannot be verified')}" for name, found in others)
    note = (
        f"The signature's CMS holds {len(infos)} SignerInfos; PAdES expects one. The first "
        f"({_signer_name(signed_data, infos[0])}) is the signature validated here; the others were "
        f"checked against the signed bytes only, their certificates not validated ({checked})."
    )
    return FieldFinding((note,), verdict)


def _reduced_field(data: bytes, sig_obj: object) -> tuple[_Placement, bytes, FieldFinding] | None:
    """For a CMS of several SignerInfos: where its ``/Contents`` lies, the reduced hex digits,
    and what was found; None for any other field, or one too damaged to reduce (the
    validation of the field then reports it)."""
    try:
        signed_data = _signed_data(sig_obj)
        placement = _placement(data, sig_obj)
        if signed_data is None or placement is None or len(signed_data["signer_infos"]) < 2:
            return None
        contents = _reduced_contents(signed_data, placement.hex_end - placement.hex_start)
        if contents is None:
            return None
        return placement, contents, _multi_signer_finding(signed_data, placement.signed)
    except Exception:  # noqa: BLE001 - hostile input: left to the field's own validation
        return None


def first_signer_view(data: bytes, reader: PdfFileReader) -> tuple[bytes, dict[str, FieldFinding]]:
    """``data`` with every CMS of several SignerInfos reduced to its first one, and what was
    found about each field reduced (by field name). The signed bytes are not touched."""
    patched = bytearray(data)
    found: dict[str, FieldFinding] = {}
    for fq_name, sig_obj, _ in enumerate_sig_fields(reader, filled_status=True):
        reduced = _reduced_field(data, sig_obj)
        if reduced is not None:
            placement, contents, finding = reduced
            patched[placement.hex_start : placement.hex_end] = contents
            found[fq_name] = finding
    return bytes(patched), found

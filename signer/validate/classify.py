"""What a filled signature field holds, decided before anything is validated.

A field is a *document timestamp* when its ``/SubFilter`` is ``/ETSI.RFC3161``,
when its CMS encapsulates an RFC 3161 ``TSTInfo`` (eContentType id-ct-TSTInfo:
the CMS is a timestamp token, whatever the dictionary says) or when its
``/Type`` is ``/DocTimeStamp``; every other filled field is a *signature*.
Real-world files write document timestamps with ``/Type /Sig`` or no ``/Type``
at all; validated as signatures they would fail (a timestamp token has no
signer of the document), so the classification rests on the content, and the
odd dictionary is reported.

Also here: a CMS with more than one SignerInfo. pyHanko (and PAdES, ETSI EN 319
142-1 6.3) expects exactly one; some signing tools add a second signer over
the same bytes. :func:`first_signer_view` gives the document with each such
CMS reduced to its first SignerInfo: ``/Contents`` lies outside the signed
byte range, so the signed bytes stay exactly as they are, and the first signer
is validated like any other signature (the report says that the others were
not).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from .._pdfobjects import array_entry, entry, resolved, text_entry
from .certificates import common_name

__all__ = ["ClassifiedField", "FieldKind", "classify_fields", "first_signer_view"]

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"
_DOC_TIMESTAMP_TYPE = "/DocTimeStamp"


class FieldKind(enum.Enum):
    SIGNATURE = "signature"
    DOC_TIMESTAMP = "document timestamp"


@dataclass(frozen=True)
class ClassifiedField:
    """One filled signature field: its name, dictionary, kind and what was odd about it."""

    name: str
    field_dict: generic.DictionaryObject
    kind: FieldKind
    notes: tuple[str, ...] = field(default=())


def _signed_data(sig_obj: object) -> cms.SignedData | None:
    """The CMS SignedData in a signature dictionary's ``/Contents`` (None if unreadable)."""
    contents = entry(sig_obj, "/Contents")
    if not isinstance(contents, bytes):
        return None
    try:
        content_info = cms.ContentInfo.load(bytes(contents).rstrip(b"\x00"))
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


def _kind_and_notes(sig_obj: object) -> tuple[FieldKind, tuple[str, ...]]:
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


def classify_fields(reader: PdfFileReader, extra_notes: dict[str, tuple[str, ...]]) -> list[ClassifiedField]:
    """Every filled signature field, classified (``extra_notes``: found earlier, by field name)."""
    classified: list[ClassifiedField] = []
    for fq_name, sig_obj, field_ref in enumerate_sig_fields(reader, filled_status=True):
        field_dict = resolved(field_ref)
        if not isinstance(field_dict, generic.DictionaryObject):
            continue  # pyHanko lists field dictionaries only
        kind, notes = _kind_and_notes(sig_obj)
        classified.append(ClassifiedField(fq_name, field_dict, kind, extra_notes.get(fq_name, ()) + notes))
    return classified


# ---------------------------------------------------------------------------
# more than one SignerInfo
# ---------------------------------------------------------------------------


def _signer_name(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> str:
    """The common name of the certificate a SignerInfo names, else its issuer and serial."""
    sid = signer_info["sid"].chosen
    for choice in signed_data["certificates"] or ():
        cert = choice.chosen
        if choice.name == "certificate" and isinstance(sid, cms.IssuerAndSerialNumber):
            if cert.issuer == sid["issuer"] and cert.serial_number == sid["serial_number"].native:
                return common_name(cert.subject)
    return "an unidentified signer"


def _reduced_contents(signed_data: cms.SignedData, width: int) -> bytes | None:
    """The hex ``/Contents`` (``width`` digits, zero-padded) of ``signed_data`` with its first
    SignerInfo only; None when it does not fit."""
    reduced = signed_data.copy()
    reduced["signer_infos"] = cms.SignerInfos([signed_data["signer_infos"][0]])
    der = cms.ContentInfo({"content_type": "signed_data", "content": reduced}).dump(force=True)
    hex_digits = der.hex().encode()
    return hex_digits.ljust(width, b"0") if len(hex_digits) <= width else None


def _contents_span(data: bytes, sig_obj: object) -> tuple[int, int] | None:
    """Where the hex digits of ``/Contents`` lie in the file (between the two signed ranges)."""
    numbers = [n for n in array_entry(sig_obj, "/ByteRange") if isinstance(n, int)]
    if len(numbers) != 4:
        return None
    start, end = numbers[0] + numbers[1], numbers[2]
    if not (0 < start < end <= len(data)) or data[start : start + 1] != b"<" or data[end - 1 : end] != b">":
        return None
    return start + 1, end - 1


def _multi_signer_note(signed_data: cms.SignedData) -> str:
    infos = list(signed_data["signer_infos"])
    names = ", ".join(_signer_name(signed_data, si) for si in infos)
    return (
        f"The signature's CMS holds {len(infos)} SignerInfos ({names}); PAdES expects one. "
        f"The first ({_signer_name(signed_data, infos[0])}) is the signature validated here; "
        "the others are not validated and not shown."
    )


def first_signer_view(data: bytes, reader: PdfFileReader) -> tuple[bytes, dict[str, tuple[str, ...]]]:
    """``data`` with every CMS of several SignerInfos reduced to its first one, and a note
    for each field reduced (by field name). The signed bytes are not touched."""
    patched = bytearray(data)
    notes: dict[str, tuple[str, ...]] = {}
    for fq_name, sig_obj, _ in enumerate_sig_fields(reader, filled_status=True):
        signed_data = _signed_data(sig_obj)
        span = _contents_span(data, sig_obj)
        if signed_data is None or span is None or len(signed_data["signer_infos"]) < 2:
            continue
        contents = _reduced_contents(signed_data, span[1] - span[0])
        if contents is not None:
            patched[span[0] : span[1]] = contents
            notes[fq_name] = (_multi_signer_note(signed_data),)
    return bytes(patched), notes

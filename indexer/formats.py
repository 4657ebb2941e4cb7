"""Decide what a file is from its bytes, never from its name.

Used at upload time to accept only the formats Pactum can index, and to refuse a
damaged or truncated file before anything is stored.
"""

from __future__ import annotations

import codecs
import enum
import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["FileFormat", "FormatRejected", "RejectionReason", "detect_format", "FORMATS"]


@dataclass(frozen=True)
class FileFormat:
    media_type: str
    extension: str
    label: str


PDF = FileFormat("application/pdf", "pdf", "PDF")
DOCX = FileFormat("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word (DOCX)")
DOC = FileFormat("application/msword", "doc", "Word 97–2003 (DOC)")
ODT = FileFormat("application/vnd.oasis.opendocument.text", "odt", "OpenDocument (ODT)")
RTF = FileFormat("application/rtf", "rtf", "RTF")
TXT = FileFormat("text/plain", "txt", "Text")
PNG = FileFormat("image/png", "png", "PNG")
JPEG = FileFormat("image/jpeg", "jpg", "JPEG")
TIFF = FileFormat("image/tiff", "tif", "TIFF")

FORMATS: tuple[FileFormat, ...] = (PDF, DOCX, DOC, ODT, RTF, TXT, PNG, JPEG, TIFF)


class RejectionReason(enum.StrEnum):
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    TRUNCATED = "truncated"
    ENCRYPTED_OFFICE = "encrypted_office"


class FormatRejected(ValueError):
    def __init__(self, reason: RejectionReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


_HEAD = 8192
_TAIL = 2048
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def detect_format(stream: BinaryIO) -> FileFormat:
    """The format of a seekable stream, or :class:`FormatRejected` with the reason.

    The stream position is restored to the start afterwards.
    """
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    if size == 0:
        raise FormatRejected(RejectionReason.EMPTY, "The file is empty.")
    stream.seek(0)
    head = stream.read(_HEAD)
    stream.seek(max(0, size - _TAIL))
    tail = stream.read(_TAIL)
    stream.seek(0)
    try:
        return _classify(stream, head, tail)
    finally:
        stream.seek(0)


def _classify(stream: BinaryIO, head: bytes, tail: bytes) -> FileFormat:
    if b"%PDF-" in head[:1024]:
        _require(b"%%EOF" in tail, "The PDF ends early: its end-of-file marker is missing.")
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _classify_zip(stream)
    if head.startswith(_OLE_MAGIC):
        return _classify_ole(stream)
    if head.startswith(b"{\\rtf"):
        _require(tail.rstrip(b"\x00\r\n\t ").endswith(b"}"), "The RTF file ends early.")
        return RTF
    if head.startswith(_PNG_MAGIC):
        _require(_PNG_END in tail, "The PNG image ends early.")
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        _require(b"\xff\xd9" in tail, "The JPEG image ends early.")
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if _looks_like_text(head):
        return TXT
    raise FormatRejected(RejectionReason.UNSUPPORTED, "This kind of file is not accepted.")


def _require(condition: bool, detail: str) -> None:
    if not condition:
        raise FormatRejected(RejectionReason.TRUNCATED, detail)


def _classify_zip(stream: BinaryIO) -> FileFormat:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.media_type.encode():
                return ODT
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        # ValueError: offsets in a damaged directory point before the file's start ("negative seek").
        raise FormatRejected(
            RejectionReason.TRUNCATED, "The document is damaged or ends early (its ZIP directory is unreadable)."
        ) from None
    raise FormatRejected(RejectionReason.UNSUPPORTED, "This ZIP file is not a Word or OpenDocument text document.")


def _classify_ole(stream: BinaryIO) -> FileFormat:
    """Word 97–2003 files are OLE containers with a ``WordDocument`` stream.

    Password-protected DOCX files are OLE containers too (``EncryptedPackage``).
    The directory entry names are UTF-16LE, so a byte search finds them without an OLE parser.
    """
    content = stream.read(4 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in content:
        raise FormatRejected(RejectionReason.ENCRYPTED_OFFICE, "The Office document is password-protected.")
    if "WordDocument".encode("utf-16-le") in content:
        return DOC
    raise FormatRejected(RejectionReason.UNSUPPORTED, "This Office file is not a Word document.")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    # A multi-byte character may be cut at the end of the sample: decode incrementally.
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return _mostly_printable(head.decode(encoding, errors="ignore"))
    return False


def _mostly_printable(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return control / len(text) < 0.01

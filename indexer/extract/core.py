"""``extract()``: pick the extractor for a media type and turn every failure into ExtractionFailed."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .common import Deadline, PageText, assemble, named_with_engines
from .images import extract_image
from .model import Extraction, ExtractionFailed, ExtractOptions, FailureReason
from .odf import extract_odt
from .pdf import OcrCarry, PdfBatch, extract_pdf
from .pdf import extract_pdf_batch as pdf_batch
from .plaintext import extract_text_file
from .tika_native import extract_with_native_tika
from .tika_server import extract_with_tika_server
from .wordml import extract_docx

__all__ = ["MEDIA_TYPES", "extract", "extract_pdf_batch"]

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
TXT = "text/plain"
IMAGES = ("image/png", "image/jpeg", "image/tiff")

#: Other names the same formats go by.
_ALIASES = {
    "text/rtf": RTF,
    "application/x-rtf": RTF,
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/tif": "image/tiff",
    "image/x-tiff": "image/tiff",
    "application/x-pdf": PDF,
}
#: Every media type :func:`extract` accepts.
MEDIA_TYPES: tuple[str, ...] = (PDF, DOCX, DOC, ODT, RTF, TXT, *IMAGES)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_SNIFF = 4 * 1024 * 1024

Extractor = Callable[[Path, ExtractOptions, Deadline], PageText]


def extract(path: Path, media_type: str, options: ExtractOptions = ExtractOptions()) -> Extraction:
    """The text of the document at *path*, page by page.

    Raises :class:`ExtractionFailed` (with a reason code) for anything wrong with the document and
    ``FileNotFoundError`` only when *path* is not a file. The input file is only ever read.
    """
    deadline = Deadline(options.timeout_seconds)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No file at {path}")
    media_type = _normalise(media_type)
    if media_type not in MEDIA_TYPES:
        raise ExtractionFailed(
            FailureReason.UNSUPPORTED, f"Text cannot be extracted from {media_type or 'this'} files."
        )
    with _failures_as_extraction_failed(path):
        if options.tika_url:
            return assemble(extract_with_tika_server(path, media_type, options, deadline), "tika-server", deadline)
        name, extractor = _choose(path, media_type)
        result = extractor(path, options, deadline)
        name = named_with_engines(name, result)
        return assemble(result, name, deadline)


def extract_pdf_batch(
    path: Path, options: ExtractOptions, first_page: int, carry: OcrCarry, *, ocr_pages: int, pages: int
) -> PdfBatch:
    """One batch of a PDF (see :func:`indexer.extract.pdf.extract_pdf_batch`), every failure
    an :class:`ExtractionFailed` as for :func:`extract`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No file at {path}")
    with _failures_as_extraction_failed(path):
        return pdf_batch(path, options, first_page, carry, ocr_pages=ocr_pages, pages=pages)


@contextmanager
def _failures_as_extraction_failed(path: Path) -> Iterator[None]:
    try:
        yield
    except ExtractionFailed:
        raise
    except MemoryError:
        raise ExtractionFailed(FailureReason.TOO_LARGE, "The document needs more memory than is available.") from None
    except RecursionError:
        raise ExtractionFailed(FailureReason.MALFORMED, "The document is nested too deeply to read.") from None
    except Exception as error:  # a library's own error on a damaged file: never let it escape
        logger.warning("unexpected %s while extracting %s", type(error).__name__, path, exc_info=True)
        raise ExtractionFailed(
            FailureReason.MALFORMED, f"The document cannot be read: {type(error).__name__}: {error}"
        ) from error


def _normalise(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def _choose(path: Path, media_type: str) -> tuple[str, Extractor]:
    if media_type == PDF:
        return "pdfium", extract_pdf
    if media_type in IMAGES:
        return "ocr", extract_image
    if media_type == TXT:
        return "text", lambda p, o, _d: extract_text_file(p, o)
    if media_type == DOCX:
        return _choose_docx(path)
    if media_type == ODT:
        return "odt", extract_odt
    kind = "Word 97–2003" if media_type == DOC else "RTF"
    return "tika-native", lambda p, o, d: extract_with_native_tika(p, o, d, kind)


def _choose_docx(path: Path) -> tuple[str, Extractor]:
    """A password-protected DOCX is an OLE container, not a ZIP; so is a .doc sent as DOCX."""
    with path.open("rb") as stream:
        head = stream.read(_OLE_SNIFF)
    if head.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in head:
            raise ExtractionFailed(FailureReason.ENCRYPTED, "The Word document is password-protected.")
        if "WordDocument".encode("utf-16-le") in head:
            return "tika-native", lambda p, o, d: extract_with_native_tika(p, o, d, "Word 97–2003")
        raise ExtractionFailed(FailureReason.MALFORMED, "The file is an Office container without a Word document.")
    if not zipfile.is_zipfile(path):
        raise ExtractionFailed(FailureReason.MALFORMED, "The Word document is damaged: it is not a readable ZIP file.")
    return "docx", extract_docx

"""The values that cross the extraction API: options, the result and the one failure type."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["PAGE_SEPARATOR", "ExtractOptions", "Extraction", "ExtractionFailed", "FailureReason"]

#: Put between two pages in :attr:`Extraction.text`. The form feed makes the text splittable on its
#: own; the newlines around it keep the last word of a page and the first word of the next apart and
#: keep line-based patterns (``甲方：…``) from running across a page boundary.
PAGE_SEPARATOR = "\n\f\n"


@dataclass(frozen=True)
class ExtractOptions:
    #: Tesseract languages (pages Tesseract reads).
    ocr_languages: str = "chi_sim+eng"
    ocr_dpi: int = 300
    #: ``auto`` (Chinese pages through RapidOCR, others through Tesseract), ``rapidocr`` or
    #: ``tesseract``: see :mod:`indexer.extract.engines`.
    ocr_engine: str = "auto"
    #: onnxruntime intra-op threads per RapidOCR page (pages already run one per core).
    ocr_threads: int = 1
    #: Base URL of an Apache Tika server (``http://tika:9998``). When set, Tika extracts every format.
    tika_url: str | None = None
    #: Longer documents: the first ``max_pages`` pages are extracted and a warning says so.
    max_pages: int = 2000
    #: Cap on what a ZIP-based document (DOCX, ODT) may decompress to, and on a plain-text file's size.
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    #: Wall-clock budget for one :func:`extract` call, OCR included.
    timeout_seconds: float = 600
    #: OCR budget of one document: at most this many distinct page images are OCRed (0: no
    #: limit) ...
    max_ocr_pages: int = 0
    #: ... and no page starts OCR once this many seconds have passed since the first one did
    #: (0: no limit). Pages over budget keep their text layer and are counted in
    #: :attr:`Extraction.ocr_skipped_pages`; the extraction still succeeds.
    max_ocr_seconds: float = 0


@dataclass(frozen=True)
class Extraction:
    #: The whole text: the pages joined with :data:`PAGE_SEPARATOR`.
    text: str
    #: Character offset in :attr:`text` where each page starts; ``len(page_offsets) == page_count``.
    page_offsets: tuple[int, ...]
    #: Pages extracted. Formats without a reliable page layout (DOC, RTF, TXT without form feeds)
    #: give one page; DOCX pages follow explicit and last-rendered page breaks; ODT soft page breaks.
    page_count: int
    #: Pages whose text came from OCR.
    ocr_pages: int
    #: ``"zh"``, ``"en"``, ``"mixed"`` or ``"unknown"``: a guess from the ratio of Han characters
    #: to English words.
    language: str
    #: What produced the text: ``"pdfium"``, ``"docx"``, ``"odt"``, ``"tika-native"``,
    #: ``"tika-server"`` or ``"text"``; for OCRed pages the OCR engines that read them, e.g.
    #: ``"pdfium+rapidocr+tesseract"`` or (an image) ``"rapidocr"``.
    extractor: str
    seconds: float
    warnings: tuple[str, ...]
    #: Pages that needed OCR but were not OCRed because the document's OCR budget was spent.
    ocr_skipped_pages: int = 0

    def page_text(self, index: int) -> str:
        """The text of page *index* (0-based), without the separator."""
        start = self.page_offsets[index]
        if index + 1 < len(self.page_offsets):
            return self.text[start : self.page_offsets[index + 1] - len(PAGE_SEPARATOR)]
        return self.text[start:]


class FailureReason(enum.StrEnum):
    ENCRYPTED = "encrypted"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    OCR_FAILED = "ocr_failed"
    UNSUPPORTED = "unsupported"
    TIMEOUT = "timeout"
    #: The external extractor (Tika server, the native Tika library) could not be used at all.
    UNAVAILABLE = "unavailable"


class ExtractionFailed(Exception):
    """The document could not be extracted. ``reason`` is the code, ``str(error)`` an English sentence."""

    def __init__(self, reason: FailureReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[type[ExtractionFailed], tuple[FailureReason, str]]:
        return (type(self), (self.reason, self.message))

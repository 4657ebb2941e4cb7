"""The OCR engines behind one interface, and which one reads a page.

``ExtractOptions.ocr_engine`` chooses:

* ``auto`` (default): RapidOCR detects the page's text lines and reads a sample of them; a
  Chinese page is read by RapidOCR (CER ≈ 0.01–0.07 on the test scans against 0.15–0.45 for
  Tesseract, docs/performance.md), any other page by Tesseract with ``ocr_languages`` (better
  on English: it keeps the spaces between words).
* ``rapidocr``: every page through RapidOCR.
* ``tesseract``: every page through Tesseract (the engine before RapidOCR came).

When RapidOCR fails on a page, the page is OCRed by Tesseract instead and the failure is logged
and kept as a warning of the extraction (shown with the version), never hidden.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from .common import Deadline
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .ocr import clean_ocr_text, run_tesseract
from .rapid import OcrEngineError, RapidOcrEngine

__all__ = ["OCR_ENGINES", "OcrEngine", "OcrText", "TesseractEngine", "check_engine", "ocr_page"]

logger = logging.getLogger(__name__)

#: The values ``ocr_engine`` accepts.
OCR_ENGINES = ("auto", "rapidocr", "tesseract")


class OcrEngine(Protocol):
    """Reads the text of one encoded page image at *dpi*, within *deadline*."""

    name: str

    def read(self, image: bytes, dpi: int, deadline: Deadline) -> str: ...


class TesseractEngine:
    name = "tesseract"

    def __init__(self, languages: str) -> None:
        self.languages = languages

    def read(self, image: bytes, dpi: int, deadline: Deadline) -> str:
        return run_tesseract(image, self.languages, dpi, deadline)


@dataclass(frozen=True)
class OcrText:
    """A page's cleaned OCR text, the engine that read it and what went wrong on the way."""

    text: str
    engine: str
    warnings: tuple[str, ...] = ()


def check_engine(name: str) -> None:
    if name not in OCR_ENGINES:
        raise ExtractionFailed(
            FailureReason.OCR_FAILED, f"Unknown OCR engine {name!r}: use one of {', '.join(OCR_ENGINES)}."
        )


def ocr_page(image: bytes, dpi: int, options: ExtractOptions, deadline: Deadline, page: int) -> OcrText:
    """OCR one page (*page* is its 1-based number, for messages) with the configured engine."""
    check_engine(options.ocr_engine)
    tesseract = TesseractEngine(options.ocr_languages)
    if options.ocr_engine == "tesseract":
        return _done(tesseract, tesseract.read(image, dpi, deadline))
    rapid = RapidOcrEngine(options.ocr_threads)
    try:
        if options.ocr_engine == "rapidocr":
            return _done(rapid, rapid.read(image, dpi, deadline))
        text = rapid.read_chinese(image, deadline)
    except OcrEngineError as error:
        warning = f"Page {page}: {error} The page was OCRed with Tesseract instead."
        logger.warning("%s", warning)
        return OcrText(clean_ocr_text(tesseract.read(image, dpi, deadline)), tesseract.name, (warning,))
    if text is None:
        return _done(tesseract, tesseract.read(image, dpi, deadline))
    return _done(rapid, text)


def _done(engine: OcrEngine, raw: str) -> OcrText:
    return OcrText(clean_ocr_text(raw), engine.name)

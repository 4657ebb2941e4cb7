"""PDF: the text layer through PDFium, page by page; pages without usable text are OCRed.

Only the pages that need it are rendered and OCRed, so a mixed PDF (typed pages plus a scanned
signature page) costs one OCR page, not all of them. PDFium is not thread-safe: every call into it
holds :data:`PDFIUM_LOCK`, while Tesseract runs outside the lock on up to ``OCR_WORKERS`` pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .common import Deadline, PageText, normalise_newlines
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .ocr import clean_ocr_text, encode_for_ocr, ordered_map, run_tesseract

__all__ = ["PDFIUM_LOCK", "extract_pdf", "needs_ocr", "ocr_resolution"]

PDFIUM_LOCK = threading.RLock()

#: A page with fewer visible characters than this in its text layer is a candidate for OCR.
MIN_TEXT_CHARS = 20
#: Share of unusable characters (private use, replacement, controls) that marks a broken text
#: layer, e.g. a font without a ToUnicode map.
MAX_GARBAGE_SHARE = 0.3
#: A rendered page larger than this many pixels is rendered at a lower resolution.
MAX_RENDER_PIXELS = 60_000_000
#: Vector-only pages with this many path objects may be outlined text and are OCRed.
MANY_PATHS = 500
#: Scans at a lower resolution are enlarged to this one for OCR.
MIN_SCAN_DPI = 150

_ENCRYPTED_CODES = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}


@dataclass(frozen=True)
class _Page:
    number: int  # 1-based
    text: str
    image: bytes | None  # encoded page image when the page needs OCR
    dpi: int


@dataclass(frozen=True)
class _Done:
    text: str
    ocr: bool
    warning: str | None


def extract_pdf(path: Path, options: ExtractOptions, deadline: Deadline) -> PageText:
    result = PageText()
    document = _open(path)
    try:
        with PDFIUM_LOCK:
            total = len(document)
        count = min(total, options.max_pages)
        if total > count:
            result.warnings.append(f"The document has {total} pages; only the first {count} were extracted.")
        for done in ordered_map(
            lambda page: _finish(page, options, deadline), _read_pages(document, count, options, deadline, result)
        ):
            result.pages.append(done.text)
            result.ocr_pages += done.ocr
            if done.warning:
                result.warnings.append(done.warning)
    finally:
        with PDFIUM_LOCK:
            document.close()
    return result


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if error.err_code in _ENCRYPTED_CODES:
            raise ExtractionFailed(
                FailureReason.ENCRYPTED, "The PDF is encrypted and needs a password to be opened."
            ) from None
        raise ExtractionFailed(FailureReason.MALFORMED, f"The PDF cannot be read: {error}") from None


def _read_pages(
    document: pdfium.PdfDocument, count: int, options: ExtractOptions, deadline: Deadline, result: PageText
) -> Iterator[_Page]:
    """Text of each page, with a rendered image for the pages that need OCR."""
    for index in range(count):
        deadline.check(f"reading page {index + 1}")
        with PDFIUM_LOCK:
            page = _read_page(document, index, options, result)
        yield page


def _read_page(document: pdfium.PdfDocument, index: int, options: ExtractOptions, result: PageText) -> _Page:
    try:
        page = document[index]
    except pdfium.PdfiumError as error:
        result.warnings.append(f"Page {index + 1} could not be read ({error}); it was left empty.")
        return _Page(index + 1, "", None, options.ocr_dpi)
    try:
        textpage = page.get_textpage()
        try:
            text = _clean_pdf_text(textpage.get_text_range())
        finally:
            textpage.close()
        if not needs_ocr(text):
            return _Page(index + 1, text, None, options.ocr_dpi)
        has_graphics, scan_dpi = _graphics(page)
        if not has_graphics:
            return _Page(index + 1, text, None, options.ocr_dpi)
        image, dpi = _render(page, ocr_resolution(options.ocr_dpi, scan_dpi), index, result)
        return _Page(index + 1, text, image, dpi)
    finally:
        page.close()


def needs_ocr(text: str) -> bool:
    """True when a page's text layer is (almost) empty or mostly unusable characters."""
    visible = [char for char in text if not char.isspace()]
    if len(visible) < MIN_TEXT_CHARS:
        return True
    garbage = sum(1 for char in visible if "\ue000" <= char <= "\uf8ff" or char == "\ufffd" or ord(char) < 32)
    return garbage / len(visible) > MAX_GARBAGE_SHARE


def _graphics(page: pdfium.PdfPage) -> tuple[bool, float | None]:
    """Whether a page could hold text as pixels (an image) or as outlines (many paths), and the
    resolution of the scan when one image covers most of the page."""
    paths = 0
    width, height = page.get_size()
    for item in page.get_objects(max_depth=4):
        if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True, _scan_resolution(item, width * height)
        if item.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= MANY_PATHS:
                return True, None
    return False, None


def _scan_resolution(image: pdfium.PdfObject, page_area: float) -> float | None:
    """The image's own dpi when it covers at least half the page (a scanned page), else None."""
    try:
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) < 0.5 * page_area:
            return None
        metadata = image.get_metadata()
        return float(min(metadata.horizontal_dpi, metadata.vertical_dpi)) or None
    except (pdfium.PdfiumError, AttributeError, ValueError):
        return None


def ocr_resolution(requested: int, scan_dpi: float | None) -> int:
    """Render a scanned page at the scan's own resolution when that is lower than *requested*.

    Resampling a 200-dpi scan up to 300 dpi only invents pixels: on the Chinese test scans it is
    no more accurate and 25 % slower (docs/performance.md). Scans below 150 dpi are enlarged to
    150 dpi, since smaller glyphs are too small for Tesseract.
    """
    if scan_dpi is None:
        return requested
    return round(min(requested, max(scan_dpi, MIN_SCAN_DPI)))


def _render(page: pdfium.PdfPage, dpi: int, index: int, result: PageText) -> tuple[bytes, int]:
    width, height = page.get_size()
    scale = dpi / 72
    pixels = width * scale * height * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
        result.warnings.append(f"Page {index + 1} is very large; it was OCRed at {round(scale * 72)} dpi.")
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return encode_for_ocr(bitmap.to_pil()), max(1, round(scale * 72))
    finally:
        bitmap.close()


def _finish(page: _Page, options: ExtractOptions, deadline: Deadline) -> _Done:
    """The page's final text: OCR when it was rendered (runs in an OCR worker thread).

    The OCR text replaces the text layer, which was too short or unusable, unless OCR found nothing.
    """
    if page.image is None:
        return _Done(page.text, False, None)
    ocr_text = clean_ocr_text(run_tesseract(page.image, options.ocr_languages, page.dpi, deadline))
    if not ocr_text.strip():
        return _Done(page.text, True, f"OCR found no text on page {page.number}.")
    return _Done(ocr_text, True, None)


def _clean_pdf_text(text: str) -> str:
    # PDFium marks soft hyphens at line ends with U+0002 / U+FFFE.
    return normalise_newlines(text).replace("\x02", "").replace("\ufffe", "")

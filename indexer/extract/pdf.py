"""PDF: the text layer through PDFium, page by page; pages without usable text are OCRed.

Only the pages that need it are rendered and OCRed, so a mixed PDF (typed pages plus a scanned
signature page) costs one OCR page, not all of them. PDFium is not thread-safe: every call into it
holds :data:`PDFIUM_LOCK`, while Tesseract runs outside the lock on up to ``OCR_WORKERS`` pages.
Pages that look identical (the same scan repeated) are OCRed once, and a document's OCR stops
when its budget (``max_ocr_pages``, ``max_ocr_seconds``) is spent.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .common import Deadline, PageText, assemble, named_with_engines, normalise_newlines
from .engines import ocr_page
from .model import Extraction, ExtractionFailed, ExtractOptions, FailureReason
from .ocr import OcrBudget, encode_for_ocr, ordered_map

__all__ = [
    "PDFIUM_LOCK",
    "OcrCarry",
    "PdfBatch",
    "extract_pdf",
    "extract_pdf_batch",
    "join_batches",
    "needs_ocr",
    "ocr_resolution",
]

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
    #: What the page looks like (its images, their placement and the text layer) when it needs OCR.
    fingerprint: str | None = None
    #: A page that looks like one OCRed earlier in the document: its OCR text is reused.
    reuse: bool = False


@dataclass(frozen=True)
class _Done:
    text: str
    ocr: bool
    warning: str | None
    fingerprint: str | None = None
    reuse: bool = False
    #: The OCR engine that read the page, and what it reported (e.g. a fallback to Tesseract).
    engine: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class _Reading:
    """What one pass over a document keeps: the options, the result so far, the OCR budget and
    the fingerprints of the page images already sent to OCR."""

    options: ExtractOptions
    result: PageText
    budget: OcrBudget
    seen: set[str] = field(default_factory=set)


def extract_pdf(path: Path, options: ExtractOptions, deadline: Deadline) -> PageText:
    result = PageText()
    reading = _Reading(options, result, OcrBudget(options.max_ocr_pages, options.max_ocr_seconds))
    document = _open(path)
    try:
        count = _page_count(document, options, result)
        _read_range(document, range(count), deadline, reading, {}, lambda _index: False)
    finally:
        with PDFIUM_LOCK:
            document.close()
    reading.budget.note(result)
    return result


@dataclass(frozen=True)
class OcrCarry:
    """What the batches read before leave to the next batch of the same document."""

    #: OCR text of each distinct page image read so far (by fingerprint): identical pages of a
    #: later batch take it instead of being OCRed again.
    ocr_texts: Mapping[str, str] = field(default_factory=dict)
    #: Distinct page images OCRed so far (counted against ``max_ocr_pages``) ...
    ocr_used: int = 0
    #: ... seconds of OCR spent so far (counted against ``max_ocr_seconds``) ...
    ocr_seconds: float = 0.0
    #: ... and whether the budget ran out already (it stays spent).
    budget_spent: bool = False


@dataclass(frozen=True)
class PdfBatch:
    """Pages ``first_page`` to ``next_page - 1`` of a PDF: their text and what it took."""

    first_page: int
    next_page: int
    #: Pages of the document that are extracted (at most ``max_pages``).
    total_pages: int
    pages: tuple[str, ...]
    ocr_pages: int
    #: Distinct page images this batch OCRed, pages it left out over budget, seconds of OCR.
    ocr_used: int
    ocr_skipped: int
    ocr_seconds: float
    #: OCR texts of the page images this batch read first (to carry to the next batch).
    ocr_texts: dict[str, str]
    warnings: tuple[str, ...]
    seconds: float
    #: The OCR engines that read this batch's pages.
    ocr_engines: tuple[str, ...] = ()

    @property
    def last(self) -> bool:
        return self.next_page >= self.total_pages


def extract_pdf_batch(
    path: Path, options: ExtractOptions, first_page: int, carry: OcrCarry, *, ocr_pages: int, pages: int
) -> PdfBatch:
    """Read a PDF from ``first_page`` until ``ocr_pages`` distinct page images were OCRed or
    ``pages`` pages were read (0: no limit), whichever comes first, then stop.

    A long scan is read in such batches, each its own job, so that it takes turns with other
    work and a crash loses one batch at most; :func:`join_batches` makes the whole text.
    """
    deadline = Deadline(options.timeout_seconds)
    result = PageText()
    budget = OcrBudget(
        options.max_ocr_pages,
        options.max_ocr_seconds,
        used=carry.ocr_used,
        seconds=carry.ocr_seconds,
        spent=carry.budget_spent,
    )
    reading = _Reading(options, result, budget, set(carry.ocr_texts))
    ocr_texts = dict(carry.ocr_texts)
    document = _open(path)
    try:
        total = _page_count(document, options, result if first_page == 0 else PageText())

        def full(index: int) -> bool:
            return bool(ocr_pages and budget.used - carry.ocr_used >= ocr_pages) or bool(
                pages and index - first_page >= pages
            )

        next_page = _read_range(document, range(first_page, total), deadline, reading, ocr_texts, full)
    finally:
        with PDFIUM_LOCK:
            document.close()
    return PdfBatch(
        first_page=first_page,
        next_page=next_page,
        total_pages=total,
        pages=tuple(result.pages),
        ocr_pages=result.ocr_pages,
        ocr_used=budget.used - carry.ocr_used,
        ocr_skipped=budget.skipped,
        ocr_seconds=budget.seconds() - carry.ocr_seconds,
        ocr_texts={key: text for key, text in ocr_texts.items() if key not in carry.ocr_texts},
        warnings=tuple(result.warnings),
        seconds=deadline.elapsed(),
        ocr_engines=tuple(sorted(result.ocr_engines)),
    )


def join_batches(batches: Sequence[PdfBatch]) -> Extraction:
    """The whole document's extraction from its batches (in page order, the last one last)."""
    result = PageText()
    for batch in batches:
        result.pages.extend(batch.pages)
        result.ocr_pages += batch.ocr_pages
        result.warnings.extend(batch.warnings)
        result.ocr_engines.update(batch.ocr_engines)
    skipped = sum(batch.ocr_skipped for batch in batches)
    if skipped:
        budget = OcrBudget(used=sum(batch.ocr_used for batch in batches))
        budget.skipped = skipped
        budget.note(result)
    extraction = assemble(result, named_with_engines("pdfium", result), Deadline(0))
    return replace(extraction, seconds=round(sum(batch.seconds for batch in batches), 4))


def _page_count(document: pdfium.PdfDocument, options: ExtractOptions, result: PageText) -> int:
    with PDFIUM_LOCK:
        total = len(document)
    count = min(total, options.max_pages)
    if total > count:
        result.warnings.append(f"The document has {total} pages; only the first {count} were extracted.")
    return count


def _read_range(
    document: pdfium.PdfDocument,
    indexes: range,
    deadline: Deadline,
    reading: _Reading,
    ocr_texts: dict[str, str],
    full: Callable[[int], bool],
) -> int:
    """Read the pages of ``indexes`` into ``reading.result`` (OCR in parallel, in page order)
    until ``full(index)`` says the batch is full; the index of the first page not read."""
    stop = [indexes.stop]

    def pages() -> Iterator[_Page]:
        for index in indexes:
            if full(index):
                stop[0] = index
                return
            yield _read_one(document, index, deadline, reading)

    options, result = reading.options, reading.result
    for done in ordered_map(lambda page: _finish(page, options, deadline), pages()):
        result.pages.append(_final_text(done, ocr_texts))
        result.ocr_pages += done.ocr
        result.warnings.extend(done.notes)
        if done.engine:
            result.ocr_engines.add(done.engine)
        if done.warning:
            result.warnings.append(done.warning)
    return stop[0]


def _final_text(done: _Done, ocr_texts: dict[str, str]) -> str:
    """The page's text, taking the OCR text of the identical page read before it (results come in
    page order, so that page is finished already)."""
    if done.fingerprint is None:
        return done.text
    if done.reuse:
        return ocr_texts.get(done.fingerprint) or done.text
    ocr_texts[done.fingerprint] = done.text if done.ocr and done.warning is None else ""
    return done.text


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


def _read_one(document: pdfium.PdfDocument, index: int, deadline: Deadline, reading: _Reading) -> _Page:
    """Page ``index``'s text, with a rendered image when it needs OCR."""
    deadline.check(f"reading page {index + 1}")
    with PDFIUM_LOCK:
        return _read_page(document, index, reading)


def _read_page(document: pdfium.PdfDocument, index: int, reading: _Reading) -> _Page:
    options = reading.options
    try:
        page = document[index]
    except pdfium.PdfiumError as error:
        reading.result.warnings.append(f"Page {index + 1} could not be read ({error}); it was left empty.")
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
        return _page_for_ocr(page, index, text, ocr_resolution(options.ocr_dpi, scan_dpi), reading)
    finally:
        page.close()


def _page_for_ocr(page: pdfium.PdfPage, index: int, text: str, dpi: int, reading: _Reading) -> _Page:
    """A page that needs OCR: reused when an identical page was OCRed already, left with its text
    layer when the budget is spent, else rendered.

    Identical pages are found from the image streams before rendering (a scan repeated on every
    page costs neither rendering nor OCR); pages drawn with paths only are compared rendered.
    """
    fingerprint = _image_fingerprint(page, text)
    if fingerprint in reading.seen:
        return _Page(index + 1, text, None, dpi, fingerprint, reuse=True)
    if not reading.budget.take():
        return _Page(index + 1, text, None, dpi)
    image, dpi = _render(page, dpi, index, reading.result)
    if fingerprint is None:
        fingerprint = hashlib.sha256(image).hexdigest()
        if fingerprint in reading.seen:
            reading.budget.give_back()
            return _Page(index + 1, text, None, dpi, fingerprint, reuse=True)
    reading.seen.add(fingerprint)
    return _Page(index + 1, text, image, dpi, fingerprint)


def _image_fingerprint(page: pdfium.PdfPage, text: str) -> str | None:
    """SHA-256 over the page size, its text layer and each image's placement and raw stream
    bytes; ``None`` when the page has no image (or one that cannot be read)."""
    digest = hashlib.sha256(repr((page.get_size(), text)).encode())
    images = 0
    try:
        for item in page.get_objects(max_depth=4):
            if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                digest.update(repr(item.get_bounds()).encode())
                digest.update(bytes(item.get_data(decode_simple=False)))
                images += 1
    except (pdfium.PdfiumError, AttributeError, ValueError):
        return None
    return digest.hexdigest() if images else None


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
    if page.reuse:
        return _Done(page.text, True, None, page.fingerprint, reuse=True)
    if page.image is None:
        return _Done(page.text, False, None)
    ocr = ocr_page(page.image, page.dpi, options, deadline, page.number)
    if not ocr.text.strip():
        warning = f"OCR found no text on page {page.number}."
        return _Done(page.text, True, warning, page.fingerprint, engine=ocr.engine, notes=ocr.warnings)
    return _Done(ocr.text, True, None, page.fingerprint, engine=ocr.engine, notes=ocr.warnings)


def _clean_pdf_text(text: str) -> str:
    # PDFium marks soft hyphens at line ends with U+0002 / U+FFFE.
    return normalise_newlines(text).replace("\x02", "").replace("\ufffe", "")

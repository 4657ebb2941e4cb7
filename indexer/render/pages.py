"""Page numbers of a rendition: the text a Word document's extractor found, cut where the
rendered PDF's pages begin, so a search hit's page is the page the preview shows.

The text itself stays the extractor's (the PDF's text layer breaks Chinese words across lines
and repeats headers on every page); only the page boundaries move. A page start is found by
looking for a run of the page's first characters (white space ignored, NFKC, lower case) in the
text after the previous page's start (a page shorter than a probe is looked for whole); a page
none of whose probes is found starts where the previous one did (it gets no text). When fewer
than half the pages are found, the extractor's own pages are kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium

from indexer.extract.model import PAGE_SEPARATOR, Extraction
from indexer.extract.pdf import PDFIUM_LOCK

__all__ = ["pdf_page_texts", "repaginate"]

#: Characters compared per probe, and where in a page the probes start.
PROBE_CHARS = 24
PROBE_STARTS = tuple(range(0, 200, 20))
MIN_PROBE_CHARS = 6


def pdf_page_texts(path: Path) -> list[str]:
    """The text layer of every page of a PDF (a rendition Pactum made, so it has one)."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return [_page_text(document, index) for index in range(len(document))]
        finally:
            document.close()


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without white space, NFKC-folded and lower-cased, and each character's origin."""
    chars: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        for part in unicodedata.normalize("NFKC", character).lower():
            if not part.isspace():
                chars.append(part)
                origin.append(index)
    return "".join(chars), origin


def _find_start(haystack: str, page: str, cursor: int, *, last: bool) -> int | None:
    """Where in ``haystack`` (compact) the page (compact) begins, at or after ``cursor``."""
    if len(page) < PROBE_CHARS:  # a short page (a last line, a signature block): all of it
        if len(page) < MIN_PROBE_CHARS // 2:
            return None
        found = haystack.rfind(page, cursor) if last else haystack.find(page, cursor)
        return found if found != -1 else None
    for start in PROBE_STARTS:
        probe = page[start : start + PROBE_CHARS]
        if len(probe) < MIN_PROBE_CHARS or len(set(probe)) < 3:
            continue
        found = haystack.find(probe, cursor)
        if found != -1:
            return max(cursor, found - start)
    return None


def page_starts(text: str, page_texts: list[str]) -> list[int] | None:
    """Character offsets in ``text`` where each rendered page begins (``None``: not alignable)."""
    haystack, origin = _compact(text)
    starts = [0]
    cursor, found = 0, 0
    for number, page in enumerate(page_texts[1:], 2):
        at = _find_start(haystack, _compact(page)[0], cursor + 1, last=number == len(page_texts))
        if at is None or at >= len(origin):
            starts.append(starts[-1])
            continue
        found += 1
        cursor = at
        starts.append(origin[at])
    if len(page_texts) > 1 and found * 2 < len(page_texts) - 1:
        return None
    return starts


def repaginate(extraction: Extraction, page_texts: list[str]) -> Extraction:
    """The extraction with its pages cut where the rendition's pages begin."""
    if not page_texts or not extraction.text.strip():
        return extraction
    flat = extraction.text.replace(PAGE_SEPARATOR, "\n\n\n")
    starts = page_starts(flat, page_texts)
    if starts is None:
        warning = "The preview's pages could not be matched to the text; page numbers follow the document's own."
        return replace(extraction, warnings=(*extraction.warnings, warning))
    bounds = [*starts, len(flat)]
    pages = [flat[bounds[index] : bounds[index + 1]].strip() for index in range(len(starts))]
    offsets: list[int] = []
    position = 0
    for page in pages:
        offsets.append(position)
        position += len(page) + len(PAGE_SEPARATOR)
    return replace(extraction, text=PAGE_SEPARATOR.join(pages), page_offsets=tuple(offsets), page_count=len(pages))

"""Helpers every extractor shares: the time budget, page assembly and the language guess."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from .model import PAGE_SEPARATOR, Extraction, ExtractionFailed, FailureReason

__all__ = ["Deadline", "PageText", "assemble", "guess_language", "normalise_newlines", "split_form_feeds"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x0b")
_NUL = re.compile(r"[\x00\ufeff]")


class Deadline:
    """The wall-clock budget of one :func:`extract` call."""

    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self._end = self.started + max(0.0, seconds)

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self, doing: str) -> None:
        """Raise ``timeout`` when the budget is spent; *doing* says what was going on."""
        if time.monotonic() >= self._end:
            raise ExtractionFailed(FailureReason.TIMEOUT, f"Extraction ran out of time while {doing}.")


@dataclass
class PageText:
    """Text of the pages as they come out of an extractor, plus what happened on the way."""

    pages: list[str] = field(default_factory=list)
    ocr_pages: int = 0
    warnings: list[str] = field(default_factory=list)
    ocr_skipped: int = 0
    #: Names of the OCR engines that read at least one page.
    ocr_engines: set[str] = field(default_factory=set)


def normalise_newlines(text: str) -> str:
    """``\\n`` line ends only; drops NULs and byte-order marks, which only disturb indexing."""
    return _NUL.sub("", _NEWLINES.sub("\n", text))


def named_with_engines(name: str, result: PageText) -> str:
    """The extractor's name with the OCR engines that read pages: ``pdfium`` becomes
    ``pdfium+rapidocr`` when RapidOCR read a page; an image (``ocr``) is named by its engines."""
    engines = "+".join(sorted(result.ocr_engines))
    if name == "ocr":
        return engines or "tesseract"
    return f"{name}+{engines}" if engines else name


def assemble(result: PageText, extractor: str, deadline: Deadline) -> Extraction:
    """Join the pages with :data:`PAGE_SEPARATOR` and record where each one starts."""
    pages = [page.replace("\f", "\n").strip("\n") for page in result.pages] or [""]
    offsets: list[int] = []
    position = 0
    for page in pages:
        offsets.append(position)
        position += len(page) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(pages)
    return Extraction(
        text=text,
        page_offsets=tuple(offsets),
        page_count=len(pages),
        ocr_pages=result.ocr_pages,
        language=guess_language(text),
        extractor=extractor,
        seconds=round(deadline.elapsed(), 4),
        warnings=tuple(dict.fromkeys(result.warnings)),
        ocr_skipped_pages=result.ocr_skipped,
    )


def guess_language(text: str, sample: int = 200_000) -> str:
    """``zh``, ``en``, ``mixed`` or ``unknown`` from Han characters against English words.

    A Han character and an English word carry roughly the same information, so they are counted
    one for one; a Chinese contract full of company names in Latin letters still comes out ``zh``.
    """
    head = text[:sample]
    han = len(_HAN.findall(head))
    words = len(_LATIN_WORD.findall(head))
    if han + words < 5:
        return "unknown"
    share = han / (han + words)
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


def split_form_feeds(text: str) -> list[str]:
    """Pages of a text that marks page ends with form feeds (pdftotext, Tesseract, some exports)."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages

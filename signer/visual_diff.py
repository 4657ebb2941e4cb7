"""Does each page still look as it did when it was signed?

The object-level difference analysis (:mod:`signer.validate.diff_policy`) decides
whether a later revision's *objects* changed in an allowed way. A shadow attack
is built to look harmless there (a font's encoding, an XObject or a page tree
swapped through an update the rules cannot attribute precisely), while what
matters to a reader is what the page *shows*. This module renders every page of
the signed revision and of the final document with pdfium and compares them.

What is compared is the page content without annotations and form fields
(``draw_annots=False``): later signatures, filled-in fields and comments are
annotations, which DocMDP may permit, and their placement over signed content is
judged by :func:`signer._forensics.overlay_findings`. Everything else on a page
comes from its content streams and resources, which no permitted change touches:
any visible difference there is a change of signed content.

Cost is bounded by :class:`VisualLimits`: a modest resolution (72 dpi, at most
1,600 pixels on a page's long side), at most 100 pages per comparison and a time
budget per document; pages left out are named in the result. The renders of the
final document are made once per validated document (:class:`PageRenders`) and
shared by all its signatures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2 as pdfium
from PIL import Image, ImageChops

__all__ = ["PDFIUM_LOCK", "PageRenders", "VisualComparison", "VisualLimits", "compare_pages"]

# pdfium is not thread-safe and pypdfium2 does not serialise calls: every use of pdfium
# in signer/ holds this lock (validations may run in several threads of one web process).
PDFIUM_LOCK = threading.RLock()


@dataclass(frozen=True)
class VisualLimits:
    """Bounds on the visual comparison.

    Attributes:
        dpi: rendering resolution.
        max_side_px: a page is rendered smaller when its long side would exceed this.
        max_pages: pages compared at most (the first ones; the rest is reported).
        budget_seconds: rendering time per document, shared by its signatures.
        grey_threshold: a pixel counts as changed when its grey level differs by more.
        min_changed_pixels: a page differs when at least this many pixels changed.
    """

    dpi: float = 72.0
    max_side_px: int = 1600
    max_pages: int = 100
    budget_seconds: float = 5.0
    grey_threshold: int = 64
    min_changed_pixels: int = 4


@dataclass(frozen=True)
class VisualComparison:
    """The outcome of comparing the signed revision with the final document.

    ``differing_pages`` are 1-based page numbers (a page added or removed after
    signing differs); ``compared`` says how many pages were compared, of
    ``signed_pages``/``final_pages``; ``error`` says why nothing could be compared.
    """

    signed_pages: int
    final_pages: int
    compared: int
    differing_pages: tuple[int, ...]
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and self.compared >= max(self.signed_pages, self.final_pages)


@dataclass
class PageRenders:
    """Renders of one document's final revision, and the time spent rendering, shared by
    the comparisons of all its signatures."""

    limits: VisualLimits = field(default_factory=VisualLimits)
    final: dict[int, Image.Image] = field(default_factory=dict)
    spent_seconds: float = 0.0

    def within_budget(self) -> bool:
        return self.spent_seconds < self.limits.budget_seconds


def _render(doc: pdfium.PdfDocument, index: int, limits: VisualLimits) -> Image.Image:
    """Page ``index`` in grey levels, without annotations or form fields."""
    page = doc[index]
    try:
        width, height = page.get_size()
        scale = min(limits.dpi / 72.0, limits.max_side_px / max(width, height, 1.0))
        bitmap = page.render(scale=scale, grayscale=True, draw_annots=False, may_draw_forms=False)
        image: Image.Image = bitmap.to_pil().convert("L")
        return image
    finally:
        page.close()


def _changed_pixels(before: Image.Image, after: Image.Image, threshold: int) -> int:
    """Pixels whose grey level differs by more than ``threshold`` (all of them when the
    page size changed)."""
    if before.size != after.size:
        return max(before.size[0] * before.size[1], after.size[0] * after.size[1])
    mask = ImageChops.difference(before, after).point(lambda v: 255 if v > threshold else 0)
    return int(mask.histogram()[255])


def _timed(
    renders: PageRenders,
    render: Callable[[pdfium.PdfDocument, int, VisualLimits], Image.Image],
    doc: pdfium.PdfDocument,
    index: int,
) -> Image.Image:
    """``render(doc, index, limits)``, its time charged to the document's budget."""
    start = time.perf_counter()
    try:
        return render(doc, index, renders.limits)
    finally:
        renders.spent_seconds += time.perf_counter() - start


def compare_pages(signed_pdf: bytes, final_pdf: bytes, renders: PageRenders) -> VisualComparison:
    """Compare each page of ``signed_pdf`` (the signed revision) with the same page of
    ``final_pdf`` (the document as it is shown now). Never raises: a document pdfium
    cannot open or render gives a result with ``error`` set."""
    with PDFIUM_LOCK:
        return _compare(signed_pdf, final_pdf, renders)


def _compare(signed_pdf: bytes, final_pdf: bytes, renders: PageRenders) -> VisualComparison:
    try:
        signed_doc = pdfium.PdfDocument(signed_pdf)
    except Exception as exc:  # noqa: BLE001 - hostile input: say so
        return VisualComparison(0, 0, 0, (), f"the signed revision cannot be rendered: {exc}")
    try:
        final_doc = pdfium.PdfDocument(final_pdf)
    except Exception as exc:  # noqa: BLE001
        signed_doc.close()
        return VisualComparison(0, 0, 0, (), f"the document cannot be rendered: {exc}")
    try:
        return _compare_documents(signed_doc, final_doc, renders)
    finally:
        signed_doc.close()
        final_doc.close()


def _compare_documents(
    signed_doc: pdfium.PdfDocument, final_doc: pdfium.PdfDocument, renders: PageRenders
) -> VisualComparison:
    limits = renders.limits
    signed_pages, final_pages = len(signed_doc), len(final_doc)
    common = min(signed_pages, final_pages)
    differing = [n + 1 for n in range(common, max(signed_pages, final_pages))]  # added or removed pages
    compared = 0
    try:
        for index in range(min(common, limits.max_pages)):
            if not renders.within_budget():
                break
            before = _timed(renders, _render, signed_doc, index)
            after = renders.final.get(index)
            if after is None:
                after = renders.final[index] = _timed(renders, _render, final_doc, index)
            if _changed_pixels(before, after, limits.grey_threshold) >= limits.min_changed_pixels:
                differing.append(index + 1)
            compared += 1
    except Exception as exc:  # noqa: BLE001 - a page pdfium cannot render
        return VisualComparison(signed_pages, final_pages, compared, tuple(sorted(differing)), f"{exc}")
    compared += max(signed_pages, final_pages) - common  # added/removed pages are judged without rendering
    return VisualComparison(signed_pages, final_pages, compared, tuple(sorted(differing)))

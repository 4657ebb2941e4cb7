"""Text extraction for indexing: PDF (text layer + OCR), Word, OpenDocument, RTF, text and images.

Never imports Flask. ``extract(path, media_type, options)`` returns an :class:`Extraction` or raises
:class:`ExtractionFailed` with a reason code; see docs/performance.md for measured speed and OCR quality.
"""

from __future__ import annotations

from .core import MEDIA_TYPES, extract, extract_pdf_batch
from .model import PAGE_SEPARATOR, Extraction, ExtractionFailed, ExtractOptions, FailureReason
from .pdf import OcrCarry, PdfBatch, join_batches

__all__ = [
    "MEDIA_TYPES",
    "PAGE_SEPARATOR",
    "ExtractOptions",
    "Extraction",
    "ExtractionFailed",
    "FailureReason",
    "OcrCarry",
    "PdfBatch",
    "extract",
    "extract_pdf_batch",
    "join_batches",
]

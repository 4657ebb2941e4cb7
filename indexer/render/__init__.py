"""Office documents (DOCX, DOC, ODT, RTF) rendered as PDF.

Used for the preview of Word contracts (a rendition stored beside the original, never replacing
it) and reusable wherever a document must become a PDF (drafting from templates)::

    options = RenderOptions(converter="libreoffice", timeout_seconds=120)
    pdf_path = render_pdf(Path("contract.docx"), Path("/tmp/out"), options)

This package never imports a web framework; every choice is an explicit option.
"""

from __future__ import annotations

from .libreoffice import render_pdf, soffice_available
from .model import (
    CONVERTERS,
    RENDERABLE_MEDIA_TYPES,
    ConverterMissing,
    RenderDisabled,
    RenderFailed,
    RenderOptions,
    RenderReason,
    needs_rendition,
)
from .pages import pdf_page_texts, repaginate

__all__ = [
    "CONVERTERS",
    "RENDERABLE_MEDIA_TYPES",
    "ConverterMissing",
    "RenderDisabled",
    "RenderFailed",
    "RenderOptions",
    "RenderReason",
    "needs_rendition",
    "pdf_page_texts",
    "render_pdf",
    "repaginate",
    "soffice_available",
]

"""The font of the app's PDFs: :mod:`signer.fonts` (the one finder) with the configured
``PACTUM_CJK_FONT``. The comparison and audit trail PDFs use :func:`register_pdf_font`; signature
stamps and validation reports hand :func:`configured_font_path` to the signer library."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from signer.fonts import FontChoice, FontUnavailable, find_cjk_font, register_reportlab_font

from .errors import ServiceUnavailable
from .extensions import settings


def configured_font_path() -> str | None:
    """The configured font file, or ``None`` for the first installed candidate."""
    return settings().cjk_font or None


def cjk_font() -> FontChoice:
    """The TrueType font (file and face) that the app's reportlab PDFs embed."""
    return find_cjk_font(configured_font_path(), truetype_only=True)


def register_pdf_font() -> str:
    """Register the app's PDF font with reportlab and return the name to draw with.

    reportlab's font registry is global to the process, so the name is made from the font file
    (two apps configured with different fonts in one process never draw with each other's).
    Raises :class:`ServiceUnavailable` saying why when no usable font is installed or configured.
    """
    try:
        choice = cjk_font()
        name = _registered_name(choice)
        register_reportlab_font(name, choice.path)
    except FontUnavailable as error:
        raise ServiceUnavailable(_("The PDF cannot be made: %(reason)s", reason=str(error))) from None
    return name


def _registered_name(choice: FontChoice) -> str:
    digest = hashlib.sha256(f"{choice.path}#{choice.index}".encode()).hexdigest()[:12]
    return f"PactumCJK-{digest}"


def landscape_pdf(story: Sequence[Any], title: str) -> bytes:
    """The app's landscape A4 table documents (audit trail, ledger): the same margins, author
    and a byte-stable build (``invariant``) so the same inputs give the same file."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="Pactum",
        invariant=1,
    ).build(list(story))
    return buffer.getvalue()

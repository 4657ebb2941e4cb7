from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core import clock
from ..core.extensions import Model


class SavedSearch(Model):
    """A query with its filters, kept under a name; personal, or shared with everyone of a role."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: The search page's query string (q, filters, sort), replayed as it was saved.
    query_string: Mapped[str] = mapped_column(Text)
    shared_with_role: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class ExtractionBatch(Model):
    """The pages of a big PDF read so far, one row per batch: a batch of OCR is one job, so a
    long scan takes turns with other uploads, and a crash resumes after the last batch kept.

    Removed when the whole document is read and its text stored (``version_texts``).
    """

    __tablename__ = "extraction_batches"

    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), primary_key=True)
    first_page: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: The first page of the next batch (pages ``first_page`` up to here are in :attr:`pages`).
    next_page: Mapped[int]
    #: Pages of the document that are read (at most ``ExtractOptions.max_pages``).
    total_pages: Mapped[int]
    pages: Mapped[list[str]] = mapped_column(JSON)
    #: Pages whose text came from OCR (identical pages included).
    ocr_pages: Mapped[int]
    #: Distinct page images OCRed (what the page budget counts).
    ocr_used: Mapped[int]
    #: Pages that needed OCR but were left out because the budget was spent.
    ocr_skipped: Mapped[int]
    #: Seconds of OCR spent (what the time budget counts).
    ocr_seconds: Mapped[float]
    #: OCR text of each distinct page image (its fingerprint), so a later batch reuses it.
    ocr_texts: Mapped[dict[str, str]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)
    seconds: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

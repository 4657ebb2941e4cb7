from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..contracts.models import ContractVersion
from ..core.clock import utcnow
from ..core.extensions import db


class VersionText(db.Model):  # type: ignore[name-defined,misc]
    """The text extracted from one version and how it was obtained.

    Kept so that the search index (derived data) can be rebuilt without extracting or
    OCR-ing every file again.
    """

    __tablename__ = "version_texts"

    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    page_offsets: Mapped[list[int]] = mapped_column(JSON, default=list)
    page_count: Mapped[int] = mapped_column(default=0)
    characters: Mapped[int] = mapped_column(default=0)
    ocr_pages: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(10), default="unknown")
    extractor: Mapped[str] = mapped_column(String(40))
    seconds: Mapped[float] = mapped_column(default=0.0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Metadata found in the text (dates, amounts, parties, number) for the user to accept.
    suggestions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extracted_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[ContractVersion] = relationship(
        backref=db.backref("extracted", uselist=False, lazy="select", passive_deletes=True)
    )


class SavedSearch(db.Model):  # type: ignore[name-defined,misc]
    """A query with its filters, kept under a name; personal, or shared with everyone of a role."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: The search page's query string (q, filters, sort), replayed as it was saved.
    query_string: Mapped[str] = mapped_column(Text)
    shared_with_role: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
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

"""Review: comments anchored to a range of a version's text, and the clause checklist with the
findings it produces for each version."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core import clock
from ..core.extensions import Model


class CommentStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ReviewComment(Model):
    """A comment on a contract version. A thread's first comment (``parent_id`` is None) holds
    the anchor: the quoted text, its offsets in the version's extracted text and its page;
    replies hold only their body.

    When a new version's text is extracted, open threads whose quote is still found move to it
    (``version_id`` and the offsets change); the others become ``outdated`` and stay on the
    version they were written on.
    """

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    #: The version the anchor points into (the latest the quote was found in).
    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), index=True)
    #: The version the comment was written on.
    origin_version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    start_offset: Mapped[int | None]
    end_offset: Mapped[int | None]
    page: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default=CommentStatus.OPEN)
    outdated: Mapped[bool] = mapped_column(default=False)
    #: Ids of the users the body @mentions (notified once, when the comment is written).
    mentions: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    replies: Mapped[list[ReviewComment]] = relationship(
        order_by="ReviewComment.id", cascade="all, delete-orphan", passive_deletes=True
    )


class ChecklistItem(Model):
    """A clause a contract should contain, recognised by any of its phrases (one per line; a
    line between slashes, ``/…/``, is a regular expression). ``contract_type_code`` None
    applies to every type."""

    __tablename__ = "review_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_type_code: Mapped[str | None] = mapped_column(
        ForeignKey("contract_types.code", ondelete="CASCADE"), index=True
    )
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    patterns: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def label(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "contract_type": self.contract_type_code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "patterns": [line for line in self.patterns.splitlines() if line.strip()],
            "active": self.active,
        }


class ReviewFinding(Model):
    """A checklist clause not found in a version's text."""

    __tablename__ = "review_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_checklist_items.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32), default="missing_clause")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    item: Mapped[ChecklistItem] = relationship(lazy="joined")


class ReviewOutcome(StrEnum):
    NO_CHANGE = "no_change"
    NEEDS_AMENDMENT = "needs_amendment"
    TERMINATE = "terminate"


class ReviewInterval(Model):
    """How often in-force contracts of a type are reviewed."""

    __tablename__ = "review_intervals"

    contract_type_code: Mapped[str] = mapped_column(
        ForeignKey("contract_types.code", ondelete="CASCADE"), primary_key=True
    )
    months: Mapped[int]


class ReviewSchedule(Model):
    """When a contract is next reviewed: set by hand, or from its type's interval."""

    __tablename__ = "review_schedules"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    due_on: Mapped[date | None] = mapped_column(index=True)
    #: A contract's own interval (overrides its type's).
    months: Mapped[int | None]


class PeriodicReview(Model):
    """One review done: its outcome and note."""

    __tablename__ = "review_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(default=clock.now)

    reviewer: Mapped[User | None] = relationship(lazy="joined")

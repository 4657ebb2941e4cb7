"""Imported bank statements: the file (by its SHA-256, so it is imported once), and each line
with its proposal (the instalment it pays), its state and the payment it became."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model


class RowState(enum.StrEnum):
    #: One open instalment proposed (confidence and reason kept).
    MATCHED = "matched"
    #: Several instalments fit: the user picks one.
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"
    #: Confirmed: a payment was recorded.
    RECORDED = "recorded"
    IGNORED = "ignored"
    #: The same transaction was recorded from another file.
    DUPLICATE = "duplicate"
    #: Neither a date nor an amount could be read (a total line, a note).
    UNREADABLE = "unreadable"


#: States in which a row may still be confirmed, assigned or ignored.
OPEN_STATES = (RowState.MATCHED, RowState.AMBIGUOUS, RowState.UNMATCHED)


class StatementImport(Model):
    __tablename__ = "statement_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the file's bytes: the same file is imported once.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    #: The header row as found, and the columns by field (see ``statement_files.FIELDS``).
    header: Mapped[list[str]] = mapped_column(JSON, default=list)
    columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: True until the columns are known (the user maps them when the header was not recognised).
    needs_mapping: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)

    uploaded_by = relationship("User", lazy="joined")
    rows: Mapped[list[StatementRow]] = relationship(
        back_populates="statement", order_by="StatementRow.position", cascade="all, delete-orphan"
    )


class StatementRow(Model):
    __tablename__ = "statement_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("statement_imports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: The line's cells as read (kept for the mapping step).
    cells: Mapped[list[str]] = mapped_column(JSON, default=list)
    booked_on: Mapped[date | None] = mapped_column(Date)
    #: Always positive; ``direction`` says which way the money went.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    #: "credit" (money in: a receivable instalment) or "debit" (money out: a payable one).
    direction: Mapped[str | None] = mapped_column(String(6))
    counterparty: Mapped[str | None] = mapped_column(String(255))
    reference: Mapped[str | None] = mapped_column(Text)
    transaction_id: Mapped[str | None] = mapped_column(String(120))
    #: The line's currency when the file says it (a currency column, or a mark such as US$ in
    #: the amount); None: not said, and any instalment's currency is taken as the line's.
    currency: Mapped[str | None] = mapped_column(String(3))
    #: Same date, amount, direction, party and transaction id/memo (and n-th such line of its
    #: file): the same transaction, whichever file it comes from.
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(12), default=RowState.UNMATCHED)
    instalment_id: Mapped[int | None] = mapped_column(ForeignKey("instalments.id", ondelete="SET NULL"))
    #: 0–100, how sure the proposal is, and why it was made.
    confidence: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(40))
    #: Instalment ids that fit an ambiguous row.
    candidates: Mapped[list[int]] = mapped_column(JSON, default=list)
    ignore_reason: Mapped[str | None] = mapped_column(Text)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id", ondelete="SET NULL"))
    #: The row of another import that recorded the same transaction.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("statement_rows.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    statement: Mapped[StatementImport] = relationship(back_populates="rows")

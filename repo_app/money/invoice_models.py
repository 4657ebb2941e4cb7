"""Invoices of a contract (发票), kept beside its payment plan.

An invoice is issued by us on a receivable contract or received from the counterparty on a
payable one; its file (PDF, OFD or an image) is a blob like a payment receipt. Amounts are
``Numeric(18, 2)`` read as :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model, db
from .models import Instalment


class InvoiceKind(enum.StrEnum):
    #: We issued it (a receivable contract).
    ISSUED = "issued"
    #: The counterparty issued it to us (a payable contract).
    RECEIVED = "received"


class InvoiceType(enum.StrEnum):
    #: 增值税专用发票 (paper or electronic with code and 8-digit number).
    VAT_SPECIAL = "vat_special"
    #: 增值税普通发票.
    VAT_NORMAL = "vat_normal"
    #: 全面数字化的电子发票 (数电票): a 20-digit number and no code.
    ELECTRONIC = "electronic"
    #: An invoice of another country.
    FOREIGN = "foreign"


class InvoiceStatus(enum.StrEnum):
    REQUESTED = "requested"
    ISSUED = "issued"
    SENT = "sent"
    #: Received by us (payable) or confirmed by the buyer (receivable).
    RECEIVED = "received"
    #: 红冲: cancelled by a red-letter invoice.
    REVERSED = "reversed"
    #: 作废.
    VOID = "void"


invoice_instalments = Table(
    "invoice_instalments",
    db.metadata,
    Column("invoice_id", ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True),
    Column("instalment_id", ForeignKey("instalments.id", ondelete="CASCADE"), primary_key=True),
)


class Invoice(Model):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    type: Mapped[str] = mapped_column(String(12))
    code: Mapped[str | None] = mapped_column(String(12))
    number: Mapped[str | None] = mapped_column(String(40))
    #: ``type:code:number`` once the invoice has a number: the same invoice is recorded once.
    identity: Mapped[str | None] = mapped_column(String(80), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    #: Per cent (13 for 13 %), None when the invoice states none (foreign invoices).
    tax_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    tax: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default=InvoiceStatus.ISSUED)
    status_reason: Mapped[str | None] = mapped_column(Text)
    buyer_name: Mapped[str | None] = mapped_column(String(255))
    buyer_tax_id: Mapped[str | None] = mapped_column(String(20))
    seller_name: Mapped[str | None] = mapped_column(String(255))
    seller_tax_id: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    file_key: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    instalments: Mapped[list[Instalment]] = relationship(secondary=invoice_instalments, lazy="selectin")
    created_by = relationship("User", lazy="joined")

    @property
    def counts(self) -> bool:
        """Counted as invoiced: issued and neither void nor reversed."""
        return self.status in COUNTED_STATUSES


COUNTED_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.RECEIVED)
#: The moves allowed from each status.
MOVES: dict[str, tuple[str, ...]] = {
    InvoiceStatus.REQUESTED: (InvoiceStatus.ISSUED,),
    InvoiceStatus.ISSUED: (InvoiceStatus.SENT, InvoiceStatus.RECEIVED, InvoiceStatus.REVERSED, InvoiceStatus.VOID),
    InvoiceStatus.SENT: (InvoiceStatus.RECEIVED, InvoiceStatus.REVERSED, InvoiceStatus.VOID),
    InvoiceStatus.RECEIVED: (InvoiceStatus.REVERSED, InvoiceStatus.VOID),
    InvoiceStatus.REVERSED: (),
    InvoiceStatus.VOID: (),
}

"""Payment plans, instalments and payments, kept beside the contract (keyed by contract id).

Every amount is a ``Numeric(18, 2)`` column read as :class:`~decimal.Decimal`; no float ever
holds money.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model


class Direction(enum.StrEnum):
    #: The counterparty pays us.
    RECEIVABLE = "receivable"
    #: We pay the counterparty.
    PAYABLE = "payable"


class DueRule(enum.StrEnum):
    """How an instalment's due date is found."""

    #: A fixed date.
    FIXED = "fixed"
    #: ``offset_days`` after the contract's effective date.
    EFFECTIVE = "effective"
    #: ``offset_days`` after a milestone of the contract is done (or, until then, its due date).
    MILESTONE = "milestone"


class PaymentPlan(Model):
    """A contract's direction of money; its instalments hang off the contract id."""

    __tablename__ = "payment_plans"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    direction: Mapped[str] = mapped_column(String(12), default=Direction.RECEIVABLE)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class Instalment(Model):
    """One planned payment: when it falls due, how much, in which currency, on what condition."""

    __tablename__ = "instalments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    due_rule: Mapped[str] = mapped_column(String(12), default=DueRule.FIXED)
    due_date: Mapped[date | None] = mapped_column(Date)
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("contract_milestones.id", ondelete="SET NULL"))
    #: The amount, or None when ``percent`` of the contract amount is meant.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    currency: Mapped[str] = mapped_column(String(3))
    condition: Mapped[str | None] = mapped_column(Text)
    #: The day the payments reached the planned amount (None: open); kept by the services, so
    #: "My tasks" and reminders can leave settled instalments out in SQL.
    settled_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: What the payments towards it add up to (reversed ones left out); kept by the services
    #: with ``settled_on``, so the dashboard's open amounts need no sum over every payment.
    paid_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Payment(Model):
    """Money received or paid against one instalment. Never deleted: a mistake is reversed."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    instalment_id: Mapped[int] = mapped_column(ForeignKey("instalments.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    #: In the instalment's currency.
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    method: Mapped[str] = mapped_column(String(20), default="transfer")
    reference: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    #: The instalment was paid beyond its amount by this payment (flagged, not refused).
    overpaid: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    receipt_key: Mapped[str | None] = mapped_column(String(200))
    receipt_name: Mapped[str | None] = mapped_column(String(255))
    receipt_type: Mapped[str | None] = mapped_column(String(120))
    receipt_size: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversal_reason: Mapped[str | None] = mapped_column(Text)

    instalment: Mapped[Instalment] = relationship(lazy="joined")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id], lazy="joined")
    reversed_by = relationship("User", foreign_keys=[reversed_by_id], lazy="joined")

    @property
    def active(self) -> bool:
        return self.reversed_at is None


PAYMENT_METHODS = ("transfer", "cheque", "cash", "card", "acceptance_bill", "other")

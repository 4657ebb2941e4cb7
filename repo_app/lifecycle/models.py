"""Lifecycle data kept beside the contract (keyed by contract id), not on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model

MILESTONE_KINDS = ("delivery", "acceptance", "payment", "other")


class ContractTerms(Model):
    """Auto-renewal terms, notice and termination of one contract."""

    __tablename__ = "contract_terms"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    #: Renews by itself for ``renewal_months`` unless notice is given ``notice_days`` before expiry.
    auto_renew: Mapped[bool] = mapped_column(default=False)
    renewal_months: Mapped[int | None]
    notice_days: Mapped[int | None]
    #: Notice of non-renewal given (the contract then expires at its expiry date).
    notice_given_on: Mapped[date | None] = mapped_column(Date)
    notice_given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: How often it renewed itself.
    renewals: Mapped[int] = mapped_column(default=0)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    #: The termination agreement, when there is one (a contract of its own).
    termination_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    terminated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_changed_at: Mapped[datetime | None]


class Milestone(Model):
    """A dated obligation of a contract (delivery, acceptance, payment …) with an owner."""

    __tablename__ = "contract_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    #: Days before the due date to remind, e.g. "7,0" (0 = on the day); empty = no reminders.
    remind_days: Mapped[str] = mapped_column(String(60), default="7,0")
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")

    @property
    def offsets(self) -> list[int]:
        from .config import parse_offsets

        return parse_offsets(self.remind_days, allow_zero=True)


class ContractWatcher(Model):
    """A user who follows a contract and receives its reminders and status changes."""

    __tablename__ = "contract_watchers"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SchedulerState(Model):
    """When a periodic job last completed, so the next run catches up on what it missed."""

    __tablename__ = "scheduler_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime | None]

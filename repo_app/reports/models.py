"""Indexes the dashboard's aggregations read (migration 0022). The tables are the contracts
feature's; the indexes are the reports feature's, so they are declared here.

Each covers one GROUP BY of the dashboard and the columns of the access filter
(``contracts.access``), so counting 100,000 contracts reads an index, not the table: the
overview (type × status × department × currency with amounts, expiry and signing dates) and the
months signed and created.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..contracts.models import Contract
from ..core import clock
from ..core.extensions import Model

_AMOUNTS = (Contract.currency, Contract.deleted_at, Contract.amount)
_ACCESS = (Contract.owner_id, Contract.confidential, Contract.department_id, Contract.department_level)

OVERVIEW_INDEX = Index(
    "ix_contracts_report_overview",
    Contract.contract_type_code,
    Contract.status,
    Contract.department_id,
    Contract.currency,
    Contract.deleted_at,
    Contract.amount,
    Contract.signed_date,
    Contract.expiry_date,
    Contract.owner_id,
    Contract.confidential,
    Contract.department_level,
)
SIGNED_INDEX = Index("ix_contracts_report_signed", Contract.signed_date, *_AMOUNTS, *_ACCESS)
CREATED_INDEX = Index("ix_contracts_report_created", Contract.created_at, *_AMOUNTS, *_ACCESS)


class SavedReport(Model):
    """A report definition kept under a name: personal, or shared with everyone of some roles;
    optionally e-mailed on a schedule to its owner and recipients (each sees what they may read)."""

    __tablename__ = "saved_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: The builder's definition (``builder.Definition.to_dict()``).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Roles the report is shared with (empty: personal).
    shared_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: "", "daily", "weekly" or "monthly".
    schedule: Mapped[str] = mapped_column(String(10), default="")
    #: Users (ids) who get the scheduled e-mail besides the owner.
    recipients: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class SentReport(Model):
    """The exactly-once ledger of scheduled e-mails: one row per report, period and recipient,
    inserted before the e-mail goes out (``notifications.once.insert_once``)."""

    __tablename__ = "sent_reports"

    report_id: Mapped[int] = mapped_column(ForeignKey("saved_reports.id", ondelete="CASCADE"), primary_key=True)
    #: The period's name: 2026-12-05 (daily), 2026-W49 (weekly), 2026-12 (monthly).
    period: Mapped[str] = mapped_column(String(12), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=clock.now)

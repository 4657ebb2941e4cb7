from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """One security-relevant event. Rows are only ever inserted.

    ``hash`` covers the event's content and ``prev_hash`` (the previous event's hash), so the
    rows form a chain: editing, deleting or reordering any of them breaks it
    (``pactum audit verify``).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3 … without gaps.
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Kept as text too, so the trail still names the actor if the account goes.
    actor_email: Mapped[str | None] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(60), index=True)
    contract_id: Mapped[int | None] = mapped_column(index=True)
    version_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):  # type: ignore[name-defined,misc]
    """The chain's newest link, in one row.

    Writers update this row before reading it, which serialises them (a row lock on
    PostgreSQL, the write lock on SQLite), so two transactions can never fork the chain.
    It also lets ``verify`` notice events cut off the end.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)

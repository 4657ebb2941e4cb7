from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import Model

GENESIS_HASH = "0" * 64


class AuditEvent(Model):
    """One security-relevant event. Rows are only ever inserted.

    ``hash`` covers the event's content and ``prev_hash`` (the previous event's hash), so the
    rows form a chain: editing, deleting or reordering any of them breaks it
    (``pactum audit verify``).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3 … without gaps.
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
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


class AuditHead(Model):
    """The chain's newest link, in one row.

    Writers update this row before reading it, which serialises them (a row lock on
    PostgreSQL, the write lock on SQLite), so two transactions can never fork the chain.
    It also lets ``verify`` notice events cut off the end.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class AuditAnchor(Model):
    """An RFC 3161 timestamp of the chain's head at one moment (``pactum audit anchor``).

    The token's message imprint is the head event's ``hash`` (itself the SHA-256 of the link),
    so a timestamp authority vouches that the chain up to ``seq`` existed at the token's time:
    rewriting the chain up to there, even consistently, no longer matches the anchor.
    """

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The chain position and hash that were timestamped.
    seq: Mapped[int] = mapped_column(index=True)
    hash: Mapped[str] = mapped_column(String(64))
    #: The timestamp token (DER-encoded CMS SignedData holding a TSTInfo).
    token: Mapped[bytes] = mapped_column(LargeBinary)
    tsa_url: Mapped[str] = mapped_column(String(500))
    #: The time in the token (naive UTC), copied out for listing.
    timestamped_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: The organisation's day of a daily anchor made by the periodic job (one per day); empty
    #: for anchors made on the command line.
    scheduled_day: Mapped[date | None] = mapped_column(Date, unique=True)

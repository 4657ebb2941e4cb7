"""In-app notifications, preferences, the delivery outbox, webhooks and the "sent once" ledgers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model

#: Delivery channels besides the in-app list (which every notification goes to).
CHANNELS = ("email", "webhook")


class Notification(Model):
    """One message to one user. The text is rendered when shown, in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Where the notification leads (a path inside Pactum).
    url: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    read_at: Mapped[datetime | None]


class NotificationPreference(Model):
    """What a user wants by e-mail. Missing row: the defaults of the columns."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_approvals: Mapped[bool] = mapped_column(default=True)
    email_reminders: Mapped[bool] = mapped_column(default=True)
    email_status: Mapped[bool] = mapped_column(default=True)
    #: Reminders and status changes come once a day in one e-mail instead of one by one.
    daily_digest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class WebhookEndpoint(Model):
    """An HTTP endpoint (an SMS, DingTalk or WeCom gateway …) that receives events as JSON."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    #: The HMAC-SHA256 key of the signature header.
    secret: Mapped[str] = mapped_column(String(200))
    #: Comma-separated event names (e.g. "reminder.expiry,approval.requested"), "*" for all.
    events: Mapped[str] = mapped_column(String(500), default="*")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def wants(self, event: str) -> bool:
        names = {name.strip() for name in self.events.split(",") if name.strip()}
        return "*" in names or event in names or f"{event.split('.')[0]}.*" in names


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    #: Claimed by a worker that is sending it.
    SENDING = "sending"
    SENT = "sent"
    #: Given up after the last attempt (admins can retry).
    FAILED = "failed"


class Delivery(Model):
    """The outbox: one e-mail or webhook call, written in the transaction of its cause and
    sent after the commit; failures are retried with backoff.

    status: pending → sending → sent | pending (retry later) | failed (gave up).
    """

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(String(40))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    response_status: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint | None] = relationship(lazy="joined")
    user = relationship("User", lazy="joined")


class ReminderStatus(StrEnum):
    """What became of a claimed reminder occurrence (see :class:`SentReminder`)."""

    SENT = "sent"
    SUPERSEDED = "superseded"


class SentReminder(Model):
    """The ledger that makes every reminder go out once: one row per (contract, rule,
    occurrence), enforced by the database, whichever worker gets there first.

    status: sent, or superseded (a later reminder of the same kind was due at the same run,
    e.g. after downtime, and was sent instead).
    """

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("contract_id", "rule", "occurrence", name="uq_sent_reminders_occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    #: e.g. "expiry:30", "notice:7", "milestone:12:0".
    rule: Mapped[str] = mapped_column(String(60))
    #: The date the reminder is about (expiry date, notice deadline, milestone date), so that a
    #: changed date makes new occurrences.
    occurrence: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=ReminderStatus.SENT)
    sent_at: Mapped[datetime] = mapped_column(default=clock.now)


class SentDigest(Model):
    """One daily digest per user and day, whichever worker sends it."""

    __tablename__ = "sent_digests"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=clock.now)
    count: Mapped[int] = mapped_column(default=0)

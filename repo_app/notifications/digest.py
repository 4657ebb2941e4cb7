"""The daily digest: for users who chose it, one e-mail a day with what they were told in
the last day (reminders and status changes are then not e-mailed one by one)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..core import clock, uow
from ..core.extensions import db, settings
from . import delivery, messages
from .links import external
from .models import Delivery, Notification, NotificationPreference, SentDigest
from .once import insert_once
from .services import language_of

log = logging.getLogger(__name__)


def send_digests() -> int:
    """Queue today's digest of every user who wants one (once per user and day)."""
    if not settings().smtp_url:
        return 0
    local = clock.local_now()
    if local.hour < settings().reminder_hour:
        return 0
    today, now = local.date(), clock.now()
    users = list(
        db.session.scalars(
            select(User)
            .join(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(NotificationPreference.daily_digest.is_(True), User.active.is_(True))
        )
    )
    queued = 0
    for user in users:
        if db.session.get(SentDigest, (user.id, today)) is not None:
            continue
        previous = db.session.scalar(
            select(SentDigest.sent_at).where(SentDigest.user_id == user.id).order_by(SentDigest.day.desc()).limit(1)
        )
        since = max(previous or now - timedelta(days=1), now - timedelta(days=7))
        notes = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id, Notification.created_at > since, Notification.created_at <= now)
                .order_by(Notification.created_at)
            )
        )
        if not insert_once(SentDigest, user_id=user.id, day=today, sent_at=now, count=len(notes)):
            db.session.rollback()
            continue  # another worker has it
        if notes:
            language = language_of(user)
            entries = []
            for note in notes:
                text = messages.render_in(language, note.kind, note.params or {})
                entries.append({"subject": text.subject, "body": text.body, "link": external(note.url)})
            delivery.add(
                Delivery(
                    channel="email",
                    event="digest",
                    user_id=user.id,
                    created_at=now,
                    next_attempt_at=now,
                    payload={"kind": "digest", "day": today.isoformat(), "entries": entries, "language": language},
                )
            )
            queued += 1
        uow.commit()  # each person's digest is a unit of work of its own
    return queued

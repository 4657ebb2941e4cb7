"""Sending notifications: one call fans a message out to the in-app list, e-mail (by each
recipient's preferences) and the webhooks that subscribed to the event.

Everything is written in the caller's transaction; e-mails and webhook calls go into the
outbox (``Delivery``) and leave after the commit (``delivery.dispatch``), so a rolled-back
change never notifies anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..auth.models import User
from ..contracts.models import Contract
from ..core import clock
from ..core.errors import NotFound
from ..core.extensions import db, rows_updated, settings
from ..core.pagination import Page, paginate
from . import delivery, messages
from .links import external
from .models import Delivery, Notification, NotificationPreference, WebhookEndpoint


def preferences(user_id: int) -> NotificationPreference:
    """The user's preferences (the defaults when never saved; not added to the session)."""
    found = db.session.get(NotificationPreference, user_id)
    if found is not None:
        return found
    return NotificationPreference(
        user_id=user_id, email_approvals=True, email_reminders=True, email_status=True, daily_digest=False
    )


def save_preferences(user: User, **values: bool) -> NotificationPreference:
    row = db.session.get(NotificationPreference, user.id)
    if row is None:
        row = NotificationPreference(user_id=user.id)
        db.session.add(row)
    for name in ("email_approvals", "email_reminders", "email_status", "daily_digest"):
        if name in values:
            setattr(row, name, bool(values[name]))
    from ..core.audit import record

    record("notifications.preferences", actor=user, **{k: bool(v) for k, v in values.items()})
    return row


def language_of(user: User) -> str:
    return user.language or settings().default_language


def wants_email_now(user: User, kind: str) -> bool:
    """Whether ``kind`` goes to ``user`` by e-mail at once (else only in-app, or in the digest)."""
    if not settings().smtp_url or not user.email:
        return False
    prefs = preferences(user.id)
    if not getattr(prefs, f"email_{messages.category(kind)}", True):
        return False
    return not (prefs.daily_digest and not kind.startswith(messages.URGENT_PREFIXES))


def notify(
    kind: str,
    recipients: Iterable[User | None],
    *,
    url: str,
    contract: Contract | None = None,
    params: dict[str, Any] | None = None,
    exclude: User | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (duplicates, inactive users and ``exclude`` are dropped)."""
    params = dict(params or {})
    if contract is not None:
        params.setdefault("title", contract.title)
    now = clock.now()
    seen: set[int] = set()
    users: list[User] = []
    for user in recipients:
        if user is None or not user.active or user.id in seen or (exclude is not None and user.id == exclude.id):
            continue
        seen.add(user.id)
        users.append(user)
    created = []
    for user in users:
        note = Notification(
            user_id=user.id,
            kind=kind,
            contract_id=contract.id if contract else None,
            params=params,
            url=url,
            created_at=now,
        )
        db.session.add(note)
        created.append(note)
    db.session.flush()
    for user, note in zip(users, created, strict=True):
        if wants_email_now(user, kind):
            delivery.add(
                Delivery(
                    channel="email",
                    event=kind,
                    notification_id=note.id,
                    user_id=user.id,
                    payload={"kind": kind, "params": params, "url": url, "language": language_of(user)},
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    _webhooks(kind, users, url, contract, params)
    return created


def _webhooks(kind: str, users: list[User], url: str, contract: Contract | None, params: dict[str, Any]) -> None:
    endpoints = [
        endpoint
        for endpoint in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)))
        if endpoint.wants(kind)
    ]
    if not endpoints:
        return
    now = clock.now()
    body = {
        "event": kind,
        "occurred_at": now.replace(microsecond=0).isoformat() + "Z",
        "url": external(url),
        "contract": None
        if contract is None
        else {
            "id": contract.id,
            "title": contract.title,
            "contract_number": contract.contract_number,
            "status": contract.status,
            "expiry_date": contract.expiry_date.isoformat() if contract.expiry_date else None,
        },
        "recipients": [
            {"email": user.email, "name": user.display_name, "language": language_of(user)} for user in users
        ],
        "message": {language: asdict(messages.render_in(language, kind, params)) for language in ("zh_CN", "en")},
        "data": params,
    }
    for endpoint in endpoints:
        delivery.add(
            Delivery(
                channel="webhook",
                event=kind,
                endpoint_id=endpoint.id,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
        )


# --- the in-app list ---------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def list_notifications(user: User, page: int, per_page: int, *, unread_only: bool = False) -> Page[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()), page, per_page)


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or, with ``None``, all of them) read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        note = db.session.get(Notification, notification_id)
        if note is None or note.user_id != user.id:
            raise NotFound(_("No such notification."))
        query = query.where(Notification.id == notification_id)
    return rows_updated(query.values(read_at=clock.now()))


def open_notification(user: User, notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound(_("No such notification."))
    if note.read_at is None:
        note.read_at = clock.now()
    return note


def to_dict(note: Notification) -> dict[str, Any]:
    text = messages.render(note.kind, note.params or {})
    return {
        "id": note.id,
        "kind": note.kind,
        "contract_id": note.contract_id,
        "subject": text.subject,
        "body": text.body,
        "url": note.url,
        "created_at": note.created_at.replace(microsecond=0).isoformat() + "Z",
        "read": note.read_at is not None,
    }

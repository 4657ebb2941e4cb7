"""The outbox: e-mails and webhook calls written with their cause, sent after the commit.

``add`` puts a delivery into the current transaction; after committing, the caller calls
``dispatch`` to queue the sending. Should queueing fail, or a worker die mid-send, the
periodic ``deliver_due`` sends whatever is due, so nothing is lost. A claim (a conditional
UPDATE) makes sure two workers never send the same delivery at the same time. Failures are
retried after 1 min, 5 min, 30 min, 2 h and 12 h, then given up (visible to admins).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from ..core import clock
from ..core.extensions import db
from ..core.jobs.queue import enqueue
from .models import Delivery

log = logging.getLogger(__name__)

DELIVER = "notifications.deliver"
BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
#: A delivery claimed longer ago than this lost its worker and is tried again.
STALE_CLAIM = timedelta(minutes=10)
_SESSION_KEY = "pactum.outbox"


class DeliveryFailed(Exception):
    """A send that may work later (connection refused, HTTP 5xx, SMTP 4xx …)."""

    def __init__(self, message: str, status: int | None = None, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.status = status
        #: Trying again cannot help (e.g. the address is refused): give up at once.
        self.permanent = permanent


def add(item: Delivery) -> Delivery:
    db.session.add(item)
    db.session.flush()
    db.session.info.setdefault(_SESSION_KEY, []).append(item.id)
    return item


def dispatch() -> None:
    """Queue the deliveries added in the transaction just committed."""
    ids = db.session.info.pop(_SESSION_KEY, [])
    for delivery_id in ids:
        try:
            enqueue(DELIVER, delivery_id)
        except Exception:  # noqa: BLE001 - the periodic sweep sends it later
            log.exception("could not queue delivery %s", delivery_id)


def discard() -> None:
    """Forget queued ids after a rollback."""
    db.session.info.pop(_SESSION_KEY, None)


def _claim(delivery_id: int) -> bool:
    now = clock.now()
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return bool(claimed)


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else is sending it; returns its new status."""
    if not _claim(delivery_id):
        item = db.session.get(Delivery, delivery_id)
        return item.status if item is not None else "missing"
    item = db.session.get(Delivery, delivery_id)
    assert item is not None
    db.session.refresh(item)
    try:
        status = _send(item)
    except DeliveryFailed as error:
        item.response_status = error.status
        item.last_error = str(error)[:2000]
        if error.permanent or item.attempts >= MAX_ATTEMPTS:
            item.status = "failed"
        else:
            item.status = "pending"
            item.next_attempt_at = clock.now() + timedelta(seconds=BACKOFF_SECONDS[item.attempts - 1])
        log.warning("delivery %s (%s) failed, attempt %s: %s", item.id, item.channel, item.attempts, error)
    else:
        item.status, item.response_status, item.last_error = "sent", status, None
        item.sent_at = clock.now()
    db.session.commit()
    return item.status


def _send(item: Delivery) -> int | None:
    if item.channel == "email":
        from .email import send_delivery

        send_delivery(item)
        return None
    if item.channel == "webhook":
        from .webhooks import send_delivery as post

        return post(item)
    raise DeliveryFailed(f"unknown channel {item.channel}")


def deliver_due(limit: int = 200) -> int:
    """Send every delivery that is due (retries, and any whose queueing was lost)."""
    now = clock.now()
    db.session.execute(
        update(Delivery)
        .where(Delivery.status == "sending", Delivery.claimed_at < now - STALE_CLAIM)
        .values(status="pending")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    ids = list(
        db.session.scalars(
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.id)
            .limit(limit)
        )
    )
    for delivery_id in ids:
        deliver(delivery_id)
    return len(ids)

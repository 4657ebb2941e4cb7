"""Sending the outbox (``delivery.py``): a worker claims a delivery, sends it through its
channel and records the outcome. A claim (a conditional UPDATE) makes sure two workers never
send the same delivery at the same time. Failures are retried after 1 min, 5 min, 30 min,
2 h and 12 h, then given up (visible to admins)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from ..core import clock, uow
from ..core.extensions import db, rows_updated
from . import email, webhooks
from .delivery import BACKOFF_SECONDS, MAX_ATTEMPTS, STALE_CLAIM, DeliveryFailed
from .models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)


def _claim(delivery_id: int) -> bool:
    now = clock.now()
    claimed = rows_updated(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    uow.commit()  # the claim must be visible to other workers before anything is sent
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
            item.status = DeliveryStatus.FAILED
        else:
            item.status = DeliveryStatus.PENDING
            item.next_attempt_at = clock.now() + timedelta(seconds=BACKOFF_SECONDS[item.attempts - 1])
        log.warning("delivery %s (%s) failed, attempt %s: %s", item.id, item.channel, item.attempts, error)
    else:
        item.status, item.response_status, item.last_error = DeliveryStatus.SENT, status, None
        item.sent_at = clock.now()
    uow.commit()  # each delivery is a unit of work of its own
    return item.status


def _send(item: Delivery) -> int | None:
    if item.channel == "email":
        email.send_delivery(item)
        return None
    if item.channel == "webhook":
        return webhooks.send_delivery(item)
    raise DeliveryFailed(f"unknown channel {item.channel}")


def deliver_due(limit: int = 200) -> int:
    """Send every delivery that is due (retries, and any whose queueing was lost)."""
    now = clock.now()
    db.session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - STALE_CLAIM)
        .values(status=DeliveryStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    uow.commit()  # each delivery is a unit of work of its own
    ids = list(
        db.session.scalars(
            select(Delivery.id)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
            .order_by(Delivery.id)
            .limit(limit)
        )
    )
    for delivery_id in ids:
        deliver(delivery_id)
    return len(ids)

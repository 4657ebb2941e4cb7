"""The outbox: e-mails and webhook calls written with their cause, sent after the commit.

``add`` puts a delivery into the current transaction and queues its sending for after the
commit (nothing is sent for a change that rolls back). Should queueing fail, or a worker die
mid-send, the periodic ``deliver_due`` (``sending.py``) sends whatever is due, so nothing is
lost.

"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from ..core import uow
from ..core.extensions import db
from ..core.jobs.queue import enqueue
from .models import Delivery

log = logging.getLogger(__name__)

DELIVER = "notifications.deliver"
BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
#: A delivery claimed longer ago than this lost its worker and is tried again.
STALE_CLAIM = timedelta(minutes=10)


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
    queue_after_commit(item.id)
    return item


def queue_after_commit(delivery_id: int) -> None:
    """Queue the sending of ``delivery_id`` once the current unit of work commits."""
    uow.after_commit(partial(_queue, delivery_id), key=(DELIVER, delivery_id))


def _queue(delivery_id: int) -> None:
    try:
        enqueue(DELIVER, delivery_id)
    except Exception:  # noqa: BLE001 - the periodic sweep sends it later
        log.exception("could not queue delivery %s", delivery_id)

"""What the rest of the app calls when something searchable changed.

Queueing can fail (the Redis server is down); the change itself is committed already and
stays the truth, so the failure is logged rather than undone: stuck versions are queued
again by the periodic sweep, and ``pactum reindex`` rebuilds everything from the database.
"""

from __future__ import annotations

import logging

from ..core.jobs.queue import enqueue
from .tasks import PROCESS_VERSION, REFRESH_CONTRACTS

log = logging.getLogger(__name__)


def version_added(version_id: int) -> None:
    _enqueue(PROCESS_VERSION, version_id)


def contract_changed(contract_id: int) -> None:
    contracts_changed([contract_id])


def contracts_changed(contract_ids: list[int]) -> None:
    _enqueue(REFRESH_CONTRACTS, contract_ids)


def _enqueue(name: str, *args: object) -> None:
    try:
        enqueue(name, *args)
    except Exception:  # noqa: BLE001 - any queue failure; see the module docstring
        log.exception("could not queue %s%r", name, args)

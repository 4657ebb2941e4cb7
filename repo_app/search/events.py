"""What keeps the index in step with the database: signal receivers that queue work once the
change is committed (never for a change that rolls back).

Queueing can fail (the Redis server is down); the change itself is committed already and
stays the truth, so the failure is logged rather than undone: stuck versions are queued
again by the periodic sweep, and ``pactum reindex`` rebuilds everything from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask

from ..contracts.models import Contract, ContractVersion
from ..core import signals, uow
from ..core.jobs.queue import enqueue
from .pipeline import processing_priority
from .tasks import PROCESS_VERSION, REFRESH_CONTRACTS

log = logging.getLogger(__name__)

_CHANGED = "search.changed_contracts"
_HELD = "search.held_contracts"
#: Most contract ids one refresh job carries: a bulk change becomes a few jobs of this size
#: instead of one per contract (or one unbounded job).
REFRESH_BATCH = 500


def process_after_commit(version: ContractVersion) -> None:
    """Extract and index ``version`` once the current unit of work commits (small files first)."""
    version_id, priority = version.id, processing_priority(version)
    uow.after_commit(
        lambda: _enqueue(PROCESS_VERSION, version_id, priority=priority), key=(PROCESS_VERSION, version_id)
    )


def refresh_after_commit(contract_ids: Iterable[int]) -> None:
    """Refresh these contracts' index entries once the current unit of work commits.

    The ids go out in jobs of at most :data:`REFRESH_BATCH`. Inside a :func:`uow.batch` (a
    loop committing per contract) they are gathered across its commits, deduplicated, and a job
    is queued whenever a full batch is ready, the rest when the loop ends.
    """
    changed = uow.pending_set(_CHANGED)
    changed.update(contract_ids)
    uow.after_commit(lambda: _hold_for_refresh(changed), key=REFRESH_CONTRACTS)


def _hold_for_refresh(committed: set[int]) -> None:
    held = uow.batch_set(_HELD)
    held.update(committed)
    while len(held) >= REFRESH_BATCH:
        _enqueue(REFRESH_CONTRACTS, _take(held, REFRESH_BATCH))
    uow.after_batch(lambda: _queue_rest(held), key=_HELD)


def _queue_rest(held: set[int]) -> None:
    while held:
        _enqueue(REFRESH_CONTRACTS, _take(held, REFRESH_BATCH))


def _take(held: set[int], count: int) -> list[int]:
    """The ``count`` lowest ids, removed from ``held``."""
    taken = sorted(held)[:count]
    held.difference_update(taken)
    return taken


def _enqueue(name: str, *args: object, priority: int | None = None) -> None:
    try:
        enqueue(name, *args, priority=priority)
    except Exception:  # noqa: BLE001 - any queue failure; see the module docstring
        log.exception("could not queue %s%r", name, args)


def _new_version(sender: Flask, *, contract: Contract, version: ContractVersion | None, **_: Any) -> None:
    if version is None:  # a contract created without a file (a renewal)
        refresh_after_commit([contract.id])
    else:
        process_after_commit(version)


def _contract_changed(sender: Flask, *, contract: Contract, **_: Any) -> None:
    refresh_after_commit([contract.id])


def _contract_removed(sender: Flask, *, contract: Contract, action: str, **_: Any) -> None:
    if action != "purging":  # the purge itself follows
        refresh_after_commit([contract.id])


def connect_receivers(app: Flask) -> None:
    for signal in (signals.contract_created, signals.version_added, signals.signed):
        signals.connect(app, signal, _new_version)
    for signal in (signals.metadata_changed, signals.access_changed, signals.status_changed):
        signals.connect(app, signal, _contract_changed)
    signals.connect(app, signals.contract_removed, _contract_removed)

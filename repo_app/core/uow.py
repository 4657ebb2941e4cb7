"""One unit of work per request, job or command.

Services change the session and flush; they never commit. The request commits once when it
ends without an error (``init_app`` below), a job when its function returns, a command when
it is done. Whatever must happen only after that commit — queueing a search refresh, sending
the e-mails and webhooks of the outbox — is registered with :func:`after_commit` and runs
after the commit, or is dropped when the transaction rolls back, so a refused change never
notifies anybody and a committed one always does.

After-commit callbacks must not use the database session (it has just committed); they queue
work, which runs in a unit of work of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

log = logging.getLogger(__name__)

_CALLBACKS = "pactum.after_commit"
_ROLLBACK_CALLBACKS = "pactum.after_rollback"
_PENDING = "pactum.pending"
_KEEP = "pactum.keep_on_error"
_BATCH = "pactum.batch"

Callback = Callable[[], None]


def after_commit(callback: Callback, key: Hashable | None = None) -> None:
    """Run ``callback`` once the current transaction commits (once per ``key``)."""
    pending: dict[Hashable, Callback] = db.session.info.setdefault(_CALLBACKS, {})
    pending[key if key is not None else callback] = callback


def after_rollback(callback: Callback, key: Hashable | None = None) -> None:
    """Run ``callback`` if the current transaction rolls back instead (e.g. remove a blob that
    an upload stored before its record was committed). It may use the session."""
    pending: dict[Hashable, Callback] = db.session.info.setdefault(_ROLLBACK_CALLBACKS, {})
    pending[key if key is not None else callback] = callback


def pending_set(key: str) -> set[Any]:
    """A set kept until the transaction ends, for callbacks that batch (e.g. contract ids)."""
    sets: dict[str, set[Any]] = db.session.info.setdefault(_PENDING, {})
    return sets.setdefault(key, set())


@dataclass
class _Batch:
    depth: int = 0
    callbacks: dict[Hashable, Callback] = field(default_factory=dict)
    sets: dict[str, set[Any]] = field(default_factory=dict)


@contextmanager
def batch() -> Iterator[None]:
    """Group the units of work of a loop that commits per item (a schedule pass over thousands
    of contracts): work registered with :func:`after_batch` meanwhile is done once, when the
    loop ends, instead of after every item's commit. Nested batches end with the outermost one.

    What was held is done even when the loop ends with an error: it stems from the items that
    were committed before it.
    """
    state: _Batch = db.session.info.setdefault(_BATCH, _Batch())
    state.depth += 1
    try:
        yield
    finally:
        state.depth -= 1
        if state.depth == 0:
            db.session.info.pop(_BATCH, None)
            _run(state.callbacks, "after-batch")


def _open_batch() -> _Batch | None:
    state: _Batch | None = db.session.info.get(_BATCH)
    return state


def after_batch(callback: Callback, key: Hashable) -> None:
    """Run ``callback`` when the current :func:`batch` ends (once per ``key``), or now when no
    batch is open. Meant for after-commit work that is cheaper done once for many commits."""
    state = _open_batch()
    if state is None:
        _run({key: callback}, "after-batch")
    else:
        state.callbacks[key] = callback


def batch_set(key: str) -> set[Any]:
    """A set kept until the current :func:`batch` ends (a fresh one when no batch is open), for
    after-commit work that gathers ids across the batch's commits."""
    state = _open_batch()
    if state is None:
        return set()
    return state.sets.setdefault(key, set())


def commit() -> None:
    """Commit the current unit of work (the request, job and command wrappers call this)."""
    db.session.commit()


def rollback() -> None:
    db.session.rollback()


def keep_on_error() -> None:
    """Commit what this unit of work changed so far even though it ends in an error.

    For refusals that are themselves recorded: a wrong password given to sign is audited
    and counts towards the throttle, while the answer is still an error.
    """
    db.session.info[_KEEP] = True


def end_with_error() -> None:
    """How an error answer ends the unit of work: rolled back, unless :func:`keep_on_error`."""
    if db.session.info.pop(_KEEP, False):
        commit()
    else:
        rollback()


def _committed(session: Session) -> None:
    callbacks: dict[Hashable, Callback] = session.info.pop(_CALLBACKS, {})
    session.info.pop(_ROLLBACK_CALLBACKS, None)
    session.info.pop(_PENDING, None)
    session.info.pop(_KEEP, None)
    _run(callbacks, "after-commit")


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is not None:  # a savepoint: the outer transaction goes on
        return
    callbacks: dict[Hashable, Callback] = session.info.pop(_ROLLBACK_CALLBACKS, {})
    session.info.pop(_CALLBACKS, None)
    session.info.pop(_PENDING, None)
    session.info.pop(_KEEP, None)
    _run(callbacks, "after-rollback")


def _run(callbacks: dict[Hashable, Callback], when: str) -> None:
    for callback in callbacks.values():
        try:
            callback()
        except Exception:  # noqa: BLE001 - each callback has its own fallback (sweeps, retries)
            log.exception("%s work %r failed", when, callback)


event.listen(Session, "after_commit", _committed)
event.listen(Session, "after_soft_rollback", _rolled_back)


def init_app(app: Flask) -> None:
    """Commit each request's work once, when it ends without an error.

    Error handlers roll back before they answer (``errors.py``); an unhandled exception ends as
    a 500, which rolls back here. An answer of 4xx that a view returns itself (a failed log-in
    it recorded) is committed like any other.
    """

    @app.after_request
    def _commit_request(response: Response) -> Response:
        if response.status_code >= 500:
            rollback()
        elif _has_work(db.session()):
            commit()

        return response


def _has_work(session: Session) -> bool:
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)

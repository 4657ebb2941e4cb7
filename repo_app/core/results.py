"""Results of heavy work, made by a background job once and kept, keyed by a hash of the inputs.

A page or API call that needs such a result (a comparison of large versions, a report PDF)
calls :func:`request`: a result already made is returned at once; otherwise a row in state
``queued`` is added and, once the request commits, the job that makes it is queued. The caller
answers 202 with a URL to poll; the job (:func:`produce`) marks the row ``running``, makes the
bytes under ``PACTUM_JOB_TIMEOUT_SECONDS`` and stores them (compressed) in the row, or the
reason it failed. Asking again for the same inputs is served from the row, whoever asks:
access is checked by the caller, on the contract, every time; the key only names the inputs.

Rows carry the contract they were made from, so purging a contract forgets its results
(:func:`forget`). A failed result is queued again the next time it is requested, and so is one
left queued or running well beyond the job time limit (its worker was killed).
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import LargeBinary, String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from . import clock, deadline, uow
from .errors import PactumError
from .extensions import Model, db, settings
from .jobs.queue import enqueue

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class CachedResult(Model):
    """One result of heavy work (or the state of its making)."""

    __tablename__ = "cached_results"

    #: SHA-256 of the kind and the inputs (see :func:`result_key`).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    media_type: Mapped[str | None] = mapped_column(String(100))
    #: The result, zlib-compressed.
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    def seconds_running(self) -> int:
        """Seconds since the job started (or since the request, while queued)."""
        return int((clock.now() - (self.started_at or self.created_at)).total_seconds())


def result_key(kind: str, inputs: Sequence[str]) -> str:
    """The key of the result of ``kind`` for ``inputs`` (hashes, versions of formats, options)."""
    return hashlib.sha256("\x1f".join([kind, *inputs]).encode()).hexdigest()


def find(key: str) -> CachedResult | None:
    return db.session.get(CachedResult, key)


def request(key: str, kind: str, job: str, arguments: Sequence[object], contract_id: int | None) -> CachedResult:
    """The result under ``key``; when there is none yet (or it failed), a queued row, and job
    ``job`` is called with ``key`` and ``arguments`` once the request commits."""
    row = find(key)
    if row is not None and row.status != FAILED and not _abandoned(row):
        return row
    if row is None:
        added = CachedResult(key=key, kind=kind, contract_id=contract_id, status=QUEUED, created_at=clock.now())
        row = _added(added)
        if row is not added:  # a concurrent request added it first
            return row
    row.status, row.error, row.created_at, row.started_at, row.finished_at = QUEUED, None, clock.now(), None, None
    db.session.flush()
    uow.after_commit(lambda: enqueue(job, key, *arguments), key=("result", key))
    return row


#: Seconds beyond the job time limit after which a queued or running result counts as lost.
ABANDONED_AFTER_SECONDS = 120


def _abandoned(row: CachedResult) -> bool:
    """Whether a result still queued or running can no longer be on its way: its worker was
    killed, or the queue lost the job. Asking for it again then queues it again."""
    limit = settings().job_timeout_seconds
    unfinished = row.status in (QUEUED, RUNNING)
    return unfinished and bool(limit) and row.seconds_running() > limit + ABANDONED_AFTER_SECONDS


def _added(row: CachedResult) -> CachedResult:
    """``row`` inserted, or the row a concurrent request inserted under the same key."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = find(row.key)
        if existing is None:
            raise
        return existing
    return row


def payload(row: CachedResult) -> bytes:
    if row.status != DONE or row.payload is None:
        raise ValueError(f"result {row.key} is {row.status}, not done")
    return zlib.decompress(row.payload)


def produce(key: str, make: Callable[[], tuple[bytes, str]]) -> None:
    """Run in the job: make the result of row ``key`` and store it, or the reason it failed.

    The ``running`` state is committed at once so that pollers see it. A refusal the work
    raises (a deadline, a text too large) is stored for the user to read; any other error is
    logged and stored as a short reason. Either way the job itself ends normally: running the
    same inputs again would fail the same way, so it is not retried.
    """
    row = find(key)
    if row is None or row.status == DONE:  # forgotten meanwhile (purged), or made by another job
        return
    row.status, row.started_at = RUNNING, clock.now()
    uow.commit()
    try:
        with deadline.limited(settings().job_timeout_seconds):
            data, media_type = make()
    except PactumError as error:
        _finish(row, FAILED, error=error.message)
    except Exception as error:
        log.exception("making result %s (%s) failed", key, row.kind)
        uow.rollback()
        _finish(row, FAILED, error=_("The work failed: %(reason)s", reason=type(error).__name__))
    else:
        _finish(row, DONE, data=data, media_type=media_type)


def _finish(row: CachedResult, status: str, data: bytes = b"", media_type: str = "", error: str = "") -> None:
    row.status, row.finished_at = status, clock.now()
    row.payload = zlib.compress(data, 6) if status == DONE else None
    row.media_type = media_type or None
    row.error = error or None


def forget(contract_id: int) -> None:
    """Remove the results made from a contract (it is being purged)."""
    db.session.execute(delete(CachedResult).where(CachedResult.contract_id == contract_id))


__all__ = [
    "DONE",
    "FAILED",
    "QUEUED",
    "RUNNING",
    "CachedResult",
    "find",
    "forget",
    "payload",
    "produce",
    "request",
    "result_key",
]

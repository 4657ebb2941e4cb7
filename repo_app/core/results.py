"""Results of heavy work, made by a background job once and kept, keyed by a hash of the inputs.

A page or API call that needs such a result (a comparison of large versions, a report PDF)
calls :func:`request`: a result already made is returned at once; otherwise a row in state
``queued`` is added and, once the request commits, the job that makes it is queued. The caller
answers 202 with a URL to poll; the job (:func:`produce`) marks the row ``running``, makes the
bytes under ``PACTUM_JOB_TIMEOUT_SECONDS`` and stores them (compressed) in the row, or the
reason it failed. Asking again for the same inputs is served from the row, whoever asks:
access is checked by the caller, on the contract, every time; the key only names the inputs.

Rows carry the contract they were made from, so purging a contract forgets its results
(:func:`forget`), and the user they were made for when the result is that user's own (an
audit-trail PDF shows what its requester may see). A failed result is queued again the next
time it is requested, and so is one left queued or running well beyond the job time limit (its
worker was killed).

Each kind of result is described once (:class:`ResultKind`, registered under :data:`KINDS` by
the feature that makes it): its job, who may read a row of it, its download name and the
sentences a waiting page shows. The generic routes (``/results/<key>`` in the contracts feature,
``/api/v1/results/{key}``) look rows up by key and ask the kind whether the caller may read it,
so the key alone never grants access.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import LargeBinary, String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from . import clock, deadline, registry, uow
from .errors import PactumError, library_error_answer
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
    #: The user the result was made for, when it is theirs alone (None: whoever may read the contract).
    owner_id: Mapped[int | None]
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


@dataclass(frozen=True)
class ResultKind:
    """One kind of result: how it is made, who may read it and what a waiting page says.

    The sentences are functions, so they are translated when they are shown.
    """

    name: str
    #: The job that makes it: called with the row's key and the request's arguments.
    job: str
    #: Whether ``user`` may read ``row`` (checked on every status poll and download).
    may_read: Callable[[Any, CachedResult], bool]
    #: "Comparing the versions", "Writing the report": what the job is doing.
    working: Callable[[], str]
    #: "The comparison is ready."
    ready: Callable[[], str]
    #: "The comparison failed" (the reason follows).
    failed: Callable[[], str]
    #: The file name a download of the result gets.
    filename: Callable[[CachedResult], str] = lambda row: f"{row.kind}.bin"


#: Every kind of result the app makes, registered by the feature that makes it.
KINDS: registry.Key[ResultKind] = registry.Key("results.kinds")


def kind_of(row: CachedResult) -> ResultKind:
    for kind in registry.items(KINDS):
        if kind.name == row.kind:
            return kind
    raise LookupError(f"no result kind {row.kind!r} is registered")


def request(
    key: str, kind: ResultKind, arguments: Sequence[object], contract_id: int | None, owner_id: int | None = None
) -> CachedResult:
    """The result under ``key``; when there is none yet (or it failed), a queued row, and the
    kind's job is called with ``key`` and ``arguments`` once the request commits."""
    row = find(key)
    if row is not None and row.status != FAILED and not _abandoned(row):
        return row
    if row is None:
        added = CachedResult(
            key=key, kind=kind.name, contract_id=contract_id, owner_id=owner_id, status=QUEUED, created_at=clock.now()
        )
        row = _added(added)
        if row is not added:  # a concurrent request added it first
            return row
    row.status, row.error, row.created_at, row.started_at, row.finished_at = QUEUED, None, clock.now(), None, None
    db.session.flush()
    uow.after_commit(lambda: enqueue(kind.job, key, *arguments), key=("result", key))
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
    except Exception as error:  # noqa: BLE001 - kept as the result's failure, logged when unexpected
        uow.rollback()
        _finish(row, FAILED, error=_failure_reason(key, row.kind, error))
    else:
        _finish(row, DONE, data=data, media_type=media_type)


def _failure_reason(key: str, kind: str, error: Exception) -> str:
    """A library's refusal (an unreadable PDF, …) in the words the error table gives it; any
    other error is logged and named by its type only."""
    try:
        return library_error_answer(error).message(error)
    except LookupError:
        log.exception("making result %s (%s) failed", key, kind)
        return _("The work failed: %(reason)s", reason=type(error).__name__)


def _finish(row: CachedResult, status: str, data: bytes = b"", media_type: str = "", error: str = "") -> None:
    row.status, row.finished_at = status, clock.now()
    row.payload = zlib.compress(data, 6) if status == DONE else None
    row.media_type = media_type or None
    row.error = error or None


def progress_to_dict(row: CachedResult | None, kind: ResultKind) -> dict[str, object]:
    """What a poller is told: the state, seconds so far, a sentence for people, and the reason
    of a failure. No row means nothing to wait for."""
    if row is None or row.status == DONE:
        return {"status": DONE, "message": kind.ready()}
    seconds = row.seconds_running()
    messages = {
        QUEUED: _("Waiting for a background worker (%(seconds)d s)…", seconds=seconds),
        RUNNING: _("%(doing)s (%(seconds)d s)…", doing=kind.working(), seconds=seconds),
        FAILED: _("%(what)s: %(reason)s", what=kind.failed(), reason=row.error or ""),
    }
    return {"status": row.status, "seconds": seconds, "message": messages[row.status], "error": row.error}


def forget(contract_id: int) -> None:
    """Remove the results made from a contract (it is being purged)."""
    db.session.execute(delete(CachedResult).where(CachedResult.contract_id == contract_id))


__all__ = [
    "DONE",
    "FAILED",
    "KINDS",
    "QUEUED",
    "RUNNING",
    "CachedResult",
    "ResultKind",
    "find",
    "forget",
    "kind_of",
    "payload",
    "produce",
    "progress_to_dict",
    "request",
    "result_key",
]

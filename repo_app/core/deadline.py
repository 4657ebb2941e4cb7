"""A time limit for every request, and for heavy jobs: a cooperative deadline.

Each request gets ``PACTUM_REQUEST_TIMEOUT_SECONDS`` from its start; a heavy job runs within
``PACTUM_JOB_TIMEOUT_SECONDS`` (:func:`limited`). Long loops (version comparison, PDF reports)
call :func:`check`, which raises :class:`DeadlineExceeded` once the time is up: the work
stops where it is, the unit of work rolls back, and the client gets a 503 with a message and
``retry_after`` (503 rather than 504: no gateway timed out, the server itself declined to go
on; work that may take longer belongs in a job, see ``core/results.py``).

Why cooperative: Python cannot kill a thread, and ``pactum serve`` runs gunicorn's threaded
workers, whose own ``timeout`` only notices a worker process that stopped answering
altogether (its threads may go on for ever). That gunicorn timeout is kept as the backstop,
a little longer than the request limit, for code that never reaches a check.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g, has_app_context
from flask_babel import gettext as _

from .errors import ServiceUnavailable
from .extensions import settings

_DEADLINE = "pactum_deadline"
_LIMIT = "pactum_deadline_seconds"


class DeadlineExceeded(ServiceUnavailable):
    code = "timeout"


def _set(seconds: int) -> tuple[Any, Any]:
    previous = (g.get(_DEADLINE), g.get(_LIMIT))
    setattr(g, _DEADLINE, time.monotonic() + seconds if seconds > 0 else None)
    setattr(g, _LIMIT, seconds)
    return previous


def check() -> None:
    """Raise :class:`DeadlineExceeded` if the current request's or job's time is up."""
    if not has_app_context():
        return
    deadline = g.get(_DEADLINE)
    if deadline is not None and time.monotonic() > deadline:
        seconds = g.get(_LIMIT)
        raise DeadlineExceeded(
            _(
                "The server stopped this work after %(seconds)d seconds, its time limit. Try again later.",
                seconds=seconds,
            ),
            retry_after=seconds,
        )


def remaining() -> float | None:
    """Seconds left before the deadline (None: no limit)."""
    deadline = g.get(_DEADLINE) if has_app_context() else None
    return None if deadline is None else deadline - time.monotonic()


@contextmanager
def limited(seconds: int) -> Iterator[None]:
    """Run the block under a deadline of its own (a job; 0: none), then restore the outer one."""
    previous = _set(seconds)
    try:
        yield
    finally:
        setattr(g, _DEADLINE, previous[0])
        setattr(g, _LIMIT, previous[1])


def init_app(app: Flask) -> None:
    """Every request starts its clock when it starts."""

    @app.before_request
    def start_the_clock() -> None:
        _set(settings().request_timeout_seconds)


__all__ = ["DeadlineExceeded", "check", "init_app", "limited", "remaining"]

"""Running the queue's consumer (``pactum worker``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask
from huey import Huey

from .. import registry, uow

log = logging.getLogger(__name__)

#: Idle polling starts at 50 ms and backs off to at most 0.5 s, so a queued job (a tag just
#: added, a new upload) starts within half a second even on the polling SQLite queue.
INITIAL_POLL_DELAY = 0.05
MAX_POLL_DELAY = 0.5

#: What each worker does once when it starts, before taking jobs: recover what a crash left
#: behind (jobs lost with their worker, temporary files). Each runs in its own unit of work.
ON_START: registry.Key[Callable[[], object]] = registry.Key("jobs.on_start")


def run_start_steps(app: Flask) -> None:
    """Run every :data:`ON_START` step; one failing is logged and does not stop the worker."""
    with app.app_context():
        for step in registry.items(ON_START):
            try:
                step()
                uow.commit()
            except Exception:  # noqa: BLE001 - the worker still starts; the periodic tick retries
                uow.rollback()
                log.exception("worker start step %s failed", getattr(step, "__name__", step))


def run_worker(app: Flask, threads: int) -> None:
    """Block running the consumer until SIGINT/SIGTERM; periodic jobs run here too."""
    run_start_steps(app)
    queue: Huey = app.extensions["pactum.queue"]
    consumer = queue.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=True,
        initial_delay=INITIAL_POLL_DELAY,
        backoff=1.5,
        max_delay=MAX_POLL_DELAY,
    )
    consumer.run()

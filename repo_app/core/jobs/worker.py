"""Running the queue's consumer (``pactum worker``)."""

from __future__ import annotations

from flask import Flask
from huey import Huey

#: Idle polling starts at 50 ms and backs off to at most 0.5 s, so a queued job (a tag just
#: added, a new upload) starts within half a second even on the polling SQLite queue.
INITIAL_POLL_DELAY = 0.05
MAX_POLL_DELAY = 0.5


def run_worker(app: Flask, threads: int) -> None:
    """Block running the consumer until SIGINT/SIGTERM; periodic jobs run here too."""
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

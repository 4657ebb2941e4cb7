"""The job queue. Tasks are registered per application, so the web process and the worker
build identical queues from the same settings; jobs carry ids only and run in an app context."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from huey import Huey, PriorityRedisHuey, SqliteHuey
from huey.exceptions import RetryTask

from .. import uow
from ..settings import Settings

#: Retries after the first failure, waiting 5 s, 10 s, 20 s …
RETRIES = 4
RETRY_DELAY_SECONDS = 5


def build_queue(settings: Settings) -> Huey:
    if settings.queue_immediate:
        return Huey("pactum", immediate=True, immediate_use_memory=True)
    if settings.queue_url.startswith(("redis://", "rediss://", "unix://")):
        # The priority flavour: a sorted set instead of a list, so small uploads overtake big ones.
        return PriorityRedisHuey("pactum", url=settings.queue_url)
    if settings.queue_url:
        from .errors import QueueConfigError

        raise QueueConfigError(
            f"PACTUM_QUEUE_URL must be empty (embedded SQLite queue) or redis://…, not {settings.queue_url!r}."
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pactum", filename=str(settings.data_dir / "queue.sqlite3"))


def init_queue(app: Flask, settings: Settings) -> Huey:
    queue = build_queue(settings)
    app.extensions["pactum.queue"] = queue
    app.extensions["pactum.jobs"] = {}
    return queue


def job(
    app: Flask, name: str, *, retries: int = RETRIES, on_give_up: Callable[..., None] | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Register ``function`` as a job of ``app``'s queue, run inside an app context as one unit
    of work: committed when it returns, rolled back when it raises.

    Failures are retried with exponential backoff; a function may raise ``RetryTask`` itself.
    When the last retry fails too, ``on_give_up(*args, error)`` runs (in an app context) so the
    failure becomes visible to users instead of staying in the queue's log.
    """
    queue: Huey = app.extensions["pactum.queue"]

    def register(function: Callable[..., Any]) -> Any:
        def run(*args: Any, task: Any = None) -> Any:
            with app.app_context():
                try:
                    result = function(*args)
                    uow.commit()
                    return result
                except Exception as error:
                    uow.rollback()
                    if on_give_up is not None and _last_attempt(task, error):
                        on_give_up(*args, error)
                        uow.commit()
                    raise

        run.__name__ = name
        task = queue.task(retries=retries, retry_delay=RETRY_DELAY_SECONDS, retry_backoff=2, name=name, context=True)(
            run
        )
        app.extensions["pactum.jobs"][name] = task
        return task

    return register


def periodic(app: Flask, name: str, schedule: Callable[[datetime], bool], function: Callable[[], object]) -> None:
    """Run ``function`` inside an app context of ``app`` whenever ``schedule`` (a
    ``huey.crontab``) says so, in the worker that runs the queue's scheduler."""
    queue: Huey = app.extensions["pactum.queue"]

    def run() -> None:
        with app.app_context():
            function()

    run.__name__ = name
    queue.periodic_task(schedule, name=name)(run)


def _last_attempt(task: Any, error: Exception) -> bool:
    if isinstance(error, RetryTask):
        return False
    return task is None or not task.retries


def enqueue(name: str, *args: Any, priority: int | None = None) -> None:
    """Queue job ``name``; raises if the queue cannot take it (the caller decides what that means).

    Jobs with a higher ``priority`` are taken first (the SQLite and Redis queues both order by it).
    """
    task = current_app.extensions["pactum.jobs"][name]
    if priority is None:
        task(*args)
    else:
        task(*args, priority=priority)


def queue() -> Huey:
    value: Huey = current_app.extensions["pactum.queue"]
    return value


__all__ = ["RetryTask", "build_queue", "enqueue", "init_queue", "job", "periodic", "queue"]

"""Leases on running jobs, so that a job lost with its worker is found within a minute or two.

A job that must not be lost (extracting an upload) holds a lease while it runs: an expiry time
kept in the queue's own store (SQLite file or Redis, beside the jobs themselves), renewed by a
heartbeat thread every :data:`RENEW_EVERY`. A worker killed with SIGKILL stops renewing; once
the lease has expired, the periodic tick (or the next worker to start) queues the job again.
A lease also names its holder (host name and process id): a lease whose holder on this host no
longer runs is lost at once, so a restarted ``pactum serve`` recovers its killed worker's job
without waiting for the lease to expire. (A reused process id only makes the lease look alive
until it expires.)
"""

from __future__ import annotations

import enum
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from huey import Huey

from .. import clock

#: A lease not renewed for this long belongs to a job whose worker is gone.
LEASE_TIME = timedelta(seconds=60)
#: How often a running job renews its lease: several renewals fit in one lease time, so a busy
#: machine that delays one renewal does not make a running job look lost.
RENEW_EVERY = timedelta(seconds=15)


class Lease(enum.Enum):
    NONE = "none"  # never taken, or released: the job is queued, finished or was never queued
    LIVE = "live"  # a worker is running the job
    EXPIRED = "expired"  # the worker running the job stopped renewing: the job is lost


def lease_key(job: str, item: object) -> str:
    return f"pactum.lease.{job}.{item}"


def _holding(expires: datetime) -> dict[str, object]:
    return {"expires": expires, "host": socket.gethostname(), "pid": os.getpid()}


@contextmanager
def held(job: str, item: object) -> Iterator[None]:
    """Hold the lease on ``job`` for ``item`` while the block runs (renewed in the background)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    queue: Huey = app.extensions["pactum.queue"]
    key = lease_key(job, item)
    queue.put(key, _holding(clock.now() + LEASE_TIME))
    stop = threading.Event()
    heartbeat = threading.Thread(target=_renew, args=(app, queue, key, stop), name=f"lease-{key}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()
        queue.delete(key)


def _renew(app: Flask, queue: Huey, key: str, stop: threading.Event) -> None:
    with app.app_context():
        while not stop.wait(RENEW_EVERY.total_seconds()):
            queue.put(key, _holding(clock.now() + LEASE_TIME))


def state(job: str, item: object) -> Lease:
    queue: Huey = current_app.extensions["pactum.queue"]
    holding: dict[str, Any] | None = queue.get(lease_key(job, item), peek=True)
    if holding is None:
        return Lease.NONE
    if holding["expires"] <= clock.now() or _holder_gone(holding):
        return Lease.EXPIRED
    return Lease.LIVE


def _holder_gone(holding: dict[str, Any]) -> bool:
    if holding["host"] != socket.gethostname():
        return False  # another machine: only the expiry tells
    try:
        os.kill(int(holding["pid"]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a process of another user has that id
    return False


def expire(job: str, item: object) -> None:
    """Forget the lease (before the job is queued again, so the next sweep does not repeat it)."""
    queue: Huey = current_app.extensions["pactum.queue"]
    queue.delete(lease_key(job, item))


def put_expiry(job: str, item: object, expires: datetime) -> None:
    """Set the lease's expiry directly: what a worker's last renewal before a crash leaves."""
    queue: Huey = current_app.extensions["pactum.queue"]
    queue.put(lease_key(job, item), _holding(expires))

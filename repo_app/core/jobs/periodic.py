"""The periodic tick: every minute, each feature's periodic steps run one after the other.

Features add their steps in ``init_app`` (``registry.add(app, STEPS, Step("reminders", …))``).
Each step runs in a unit of work of its own, so one failure neither stops the others nor
leaves their changes half-committed. Every step must be idempotent and safe on several
workers at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from huey import crontab

from .. import registry, uow
from .queue import job, periodic

log = logging.getLogger(__name__)

TICK = "periodic.tick"


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], Any]
    #: Steps run by rank: dates move statuses first, then what depends on statuses
    #: (escalations, reminders), then what sends (digests, deliveries), then the audit anchor.
    rank: int


STEPS: registry.Key[Step] = registry.Key("periodic.steps")


def tick() -> dict[str, Any]:
    """One run of every periodic step (what the scheduler calls each minute)."""
    results: dict[str, Any] = {}
    for step in sorted(registry.items(STEPS), key=lambda step: step.rank):
        try:
            results[step.name] = step.run()
            uow.commit()
        except Exception as error:  # noqa: BLE001 - the next step still runs; the error is logged
            uow.rollback()
            log.exception("periodic step %s failed", step.name)
            results[step.name] = error
    return results


def init_app(app: Flask) -> None:
    job(app, TICK, retries=0)(tick)
    periodic(app, "periodic_tick", crontab(minute="*"), tick)

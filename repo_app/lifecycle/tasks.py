"""Background jobs of the lifecycle, workflow and notification features, and their set-up.

One periodic task runs every minute and does, each step on its own so one failure does not
stop the others: date-driven status moves, SLA escalations, due reminders, daily digests, due
deliveries (retries) and, with a timestamp authority configured, the day's anchor of the audit
chain (``pactum audit anchor``). Every step is idempotent and safe on several workers at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from huey import crontab

from ..core.jobs.queue import job
from ..notifications import delivery

log = logging.getLogger(__name__)

TICK = "lifecycle.tick"


def _steps() -> list[tuple[str, Callable[[], Any]]]:
    from ..audit.anchors import anchor_daily
    from ..notifications.digest import send_digests
    from ..notifications.reminders import send_due_reminders
    from ..workflows.services import escalate_overdue
    from .schedule import apply_dates

    return [
        ("status", apply_dates),
        ("escalations", escalate_overdue),
        ("reminders", send_due_reminders),
        ("digests", send_digests),
        ("deliveries", delivery.deliver_due),
        ("audit_anchor", anchor_daily),
    ]


def tick() -> dict[str, Any]:
    """One run of every periodic step (what the scheduler calls each minute)."""
    from ..core.extensions import db

    results: dict[str, Any] = {}
    for name, step in _steps():
        try:
            results[name] = step()
        except Exception as error:  # noqa: BLE001 - the next step still runs; the error is logged
            db.session.rollback()
            log.exception("periodic step %s failed", name)
            results[name] = error
    return results


def register_jobs(app: Flask) -> None:
    job(app, delivery.DELIVER, retries=0)(delivery.deliver)
    job(app, TICK, retries=0)(tick)
    queue = app.extensions["pactum.queue"]

    @queue.periodic_task(crontab(minute="*"), name="lifecycle_tick")
    def lifecycle_tick() -> None:
        with app.app_context():
            tick()


def init_lifecycle(app: Flask) -> None:
    """Jobs, task providers and the navigation counts of the four lifecycle packages."""
    from ..tasks_inbox.context import register_context
    from ..tasks_inbox.providers import register_builtin
    from .config import validate
    from .panel import register_panel

    validate(app.extensions["pactum.settings"])
    register_jobs(app)
    register_builtin(app)
    register_context(app)
    register_panel(app)


def blueprints() -> tuple[Any, ...]:
    from ..notifications.blueprint import bp as notifications_bp
    from ..tasks_inbox.blueprint import bp as tasks_bp
    from ..workflows.blueprint import bp as workflows_bp
    from .blueprint import bp as lifecycle_bp

    return (lifecycle_bp, workflows_bp, notifications_bp, tasks_bp)

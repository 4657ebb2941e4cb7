"""The lifecycle feature: statuses, terms, milestones and reminders — pages, API handler,
periodic steps, the reminders part of "My tasks" and the lifecycle panel of the contract page."""

from __future__ import annotations

from flask import Flask

from ..contracts.status import STATUS_LABELS
from ..core import registry
from ..core.api import add_route
from ..core.jobs.periodic import STEPS, Step
from ..core.tasks import PROVIDERS
from . import api, panel
from .blueprint import bp
from .config import validate
from .inbox import ReminderTasks
from .reminders import send_due_reminders
from .schedule import apply_dates


def init_app(app: Flask) -> None:
    validate(app.extensions["pactum.settings"])
    app.register_blueprint(bp)
    registry.add(app, PROVIDERS, ReminderTasks())
    registry.add(app, STEPS, Step("status", apply_dates, rank=10))
    registry.add(app, STEPS, Step("reminders", send_due_reminders, rank=30))
    # Globals, not a context processor: macros imported without context see them too.
    app.jinja_env.globals.update(lifecycle_panel=panel.panel, status_labels=STATUS_LABELS)
    add_route(app, "/contracts/<int:contract_id>/status", api.change_status, "POST")

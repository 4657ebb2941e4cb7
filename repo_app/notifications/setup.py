"""The notifications feature: in-app notifications, e-mail and webhooks through the outbox."""

from __future__ import annotations

from flask import Flask

from ..auth.password_reset import RESET_MAILERS
from ..core import registry
from ..core.api import add_route
from ..core.jobs.periodic import STEPS, Step
from ..core.jobs.queue import job
from . import account_mail, api, delivery, sending
from .blueprint import bp
from .digest import send_digests


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    job(app, delivery.DELIVER, retries=0)(sending.deliver)
    registry.add(app, RESET_MAILERS, account_mail.send_password_reset)
    registry.add(app, STEPS, Step("digests", send_digests, rank=40))
    registry.add(app, STEPS, Step("deliveries", sending.deliver_due, rank=50))
    add_route(app, "/notifications", api.list_notifications, "GET")
    add_route(app, "/notifications/read", api.mark_read, "POST")

"""The navigation's counts: open tasks and unread notifications, one query each."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def register_context(app: Flask) -> None:
    @app.context_processor
    def inject_counts() -> dict[str, Any]:
        return {"nav_counts": _counts}


class _Counts:
    def __init__(self, tasks: int, unread: int) -> None:
        self.tasks, self.unread = tasks, unread


def _counts() -> _Counts | None:
    """Called by base.html once per page (pages without the navigation pay nothing)."""
    if not current_user.is_authenticated or request.path.startswith("/api/"):
        return None
    from ..core import clock
    from ..core.extensions import db
    from ..notifications.services import unread_count
    from .providers import task_count

    try:
        return _Counts(task_count(current_user, clock.today()), unread_count(current_user))
    except SQLAlchemyError:
        # E.g. an error page rendered after a failed transaction: the page matters more.
        db.session.rollback()
        log.exception("navigation counts failed")
        return None

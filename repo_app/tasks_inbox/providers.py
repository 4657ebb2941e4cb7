"""Gathering "My tasks" from the task providers the features registered (``core/tasks.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, literal, select

from ..auth.models import User
from ..core import registry
from ..core.extensions import db
from ..core.tasks import PROVIDERS, Task, TaskProvider


def providers() -> list[TaskProvider]:
    return registry.items(PROVIDERS)


def task_count(user: User, today: date) -> int:
    """All providers' counts in one query (for the navigation badge)."""
    counts = [provider.count_query(user, today) for provider in providers()]
    if not counts:
        return 0
    total: Any = literal(0)
    for count in counts:
        total = total + func.coalesce(count, 0)
    return int(db.session.scalar(select(total)) or 0)


def gather(user: User, today: date) -> list[tuple[TaskProvider, list[Task]]]:
    return [(provider, provider.tasks(user, today)) for provider in providers()]

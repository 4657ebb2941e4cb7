"""The extension point of "My tasks": what a feature gives a user to do.

A provider has a ``name`` ("approvals"), a translated ``label``, ``tasks(user, today)`` listing
the user's open tasks and ``count_query(user, today)``, a scalar subquery counting them, so the
navigation badge costs one database round trip for all providers together. Features add their
provider in ``init_app`` (``registry.add(app, PROVIDERS, …)``); the tasks inbox gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.sql.expression import ScalarSelect

from . import registry


@dataclass(frozen=True)
class Task:
    provider: str
    kind: str
    #: What to do, in the reader's language.
    title: str
    url: str
    contract_id: int | None = None
    contract_title: str = ""
    due: date | datetime | None = None
    overdue: bool = False
    detail: str = ""
    #: Extra values for quick actions in the list (e.g. the approval id).
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due = self.due.isoformat() if self.due is not None else None
        return {
            "provider": self.provider,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "contract_id": self.contract_id,
            "contract_title": self.contract_title,
            "due": due,
            "overdue": self.overdue,
            "detail": self.detail,
            **({"data": self.data} if self.data else {}),
        }


@runtime_checkable
class TaskProvider(Protocol):
    """``user`` is the signed-in user (``auth.models.User``, a layer above this one)."""

    name: str
    label: Any

    def tasks(self, user: Any, today: date) -> list[Task]: ...

    def count_query(self, user: Any, today: date) -> ScalarSelect[Any]: ...


PROVIDERS: registry.Key[TaskProvider] = registry.Key("tasks.providers")

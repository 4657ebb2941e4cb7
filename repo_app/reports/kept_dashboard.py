"""The home dashboard kept per user while nothing it counts has changed.

Counting the dashboard reads every contract and instalment the viewer may read (at 100,000
contracts, about a second on SQLite). Most views see the same figures as the previous one,
so a dashboard is kept per process, per user, language and day, together with the last
audited change it reflects (:func:`.freshness.data_bound`): any audited change after it — a
new contract, a payment, an approval decision, a change of someone's access — makes the next
view count afresh. What changes with the clock alone (the age of waiting approvals) is at
most ``dashboard_keep_seconds`` old; the page shows when its figures were counted.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from flask import current_app

from ..auth.models import User
from ..core import clock
from .dashboard import Dashboard, dashboard
from .freshness import data_bound

#: Dashboards kept per process (least recently used ones go first).
MAX_KEPT = 512
_EXTENSION = "pactum.kept_dashboards"


@dataclass(frozen=True)
class _Kept:
    board: Dashboard
    bound: int
    counted_at: float


class _Store:
    """A small least-recently-used map, safe across a process's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[int, str, date], _Kept] = OrderedDict()

    def get(self, key: tuple[int, str, date]) -> _Kept | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[int, str, date], kept: _Kept) -> None:
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > MAX_KEPT:
                self._items.popitem(last=False)


def _store() -> _Store:
    # per application: two apps in one process (tests) share user ids but not data
    store: _Store | None = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions.setdefault(_EXTENSION, _Store())
    return store


def kept_dashboard(user: User, language: str) -> Dashboard:
    """``user``'s dashboard: the kept one while no audited change followed it and it is younger
    than ``dashboard_keep_seconds``, else counted now (and kept)."""
    max_age = current_app.extensions["pactum.settings"].dashboard_keep_seconds
    if max_age <= 0:
        return dashboard(user, language)
    # read before counting: a change committed meanwhile leaves the kept board older than the
    # data, so the next view counts again rather than missing it
    bound = data_bound()
    key = (user.id, language, clock.today())
    store = _store()
    kept = store.get(key)
    if kept is not None and kept.bound == bound and time.monotonic() - kept.counted_at < max_age:
        return kept.board
    board = dashboard(user, language)
    store.put(key, _Kept(board, bound, time.monotonic()))
    return board

"""Totals and facet counts of recent queries, per index view.

A search page costs two passes over the matching documents: the top hits, and the total with
the facet counts. Paging, changing the sort or the page size repeats the second pass with
the same answer, so an engine may keep it (Elasticsearch's shard request cache does the same
for aggregations). An entry belongs to one *view* of the index (the commit the searcher
sees): a commit makes a new view, and the entries of older views are dropped on first sight
of the new one, so counts never lag behind the hits they come with.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = ["Counts", "CountsCache"]


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    facets: dict[str, dict[str, int]]


class CountsCache:
    """A thread-safe LRU of :class:`Counts` for the newest view only."""

    def __init__(self, entries: int = 256) -> None:
        self.entries = entries
        self._view: Hashable = None
        self._found: OrderedDict[Hashable, Counts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, view: Hashable, key: Hashable) -> Counts | None:
        with self._lock:
            if view != self._view:
                return None
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, view: Hashable, key: Hashable, counts: Counts) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            if view != self._view:
                self._view = view
                self._found.clear()
            self._found[key] = counts
            self._found.move_to_end(key)
            while len(self._found) > self.entries:
                self._found.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()

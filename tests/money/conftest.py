"""Fixtures of the money tests: contracts made straight in the database (tests.lifecycle), a
controllable clock, search refreshes recorded instead of run."""

from __future__ import annotations

from tests.lifecycle.conftest import at, search_refreshes

__all__ = ["at", "search_refreshes"]

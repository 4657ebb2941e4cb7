"""Fixtures of the money tests: contracts made straight in the database (tests.lifecycle), a
controllable clock, cheap password hashing, search refreshes recorded instead of run."""

from __future__ import annotations

from tests.lifecycle.conftest import at, cheap_passwords, search_refreshes

__all__ = ["at", "cheap_passwords", "search_refreshes"]

"""Debian's Chromium driven by Playwright against the live server of tests/conftest.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Browser tests exercise the UI, not the database engine: SQLite only."""
    target = tmp_path / "pactum.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def _tab(browser: Any, **context_options: Any) -> Iterator[Any]:
    """A tab in a browser context of its own (its own cookies), Chinese by default."""
    context = browser.new_context(**{"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **context_options})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with _tab(browser) as tab:
        yield tab


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    with _tab(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as tab:
        yield tab


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:
    """A second user at the same time as ``page``."""
    with _tab(browser) as tab:
        yield tab

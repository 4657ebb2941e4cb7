"""The layout guard: every main page, in Chinese and English, on a 1366 px screen and a 390 px
phone, must fit its window (no sideways scrolling, nothing sticking out of its box, no control
too narrow for its text) and never squeeze text into a column of one or two characters per line.
The measurements are in layout_check.js; the pages and their data in site.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.browser.site import Page, Site, build, log_in

pytestmark = pytest.mark.browser

CHECK = (Path(__file__).parent / "layout_check.js").read_text(encoding="utf-8")
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}


class Tabs:
    """One browser tab per user (a context of its own: its own cookies), logged in on first use."""

    def __init__(self, browser: Any, base: str, stack: ExitStack, **options: Any) -> None:
        self.browser, self.base, self.stack, self.options = browser, base, stack, options
        self.tabs: dict[str | None, Any] = {}

    def for_user(self, email: str | None) -> Any:
        if email not in self.tabs:
            context = self.browser.new_context(**self.options)
            self.stack.callback(context.close)
            context.set_default_timeout(15_000)
            tab = context.new_page()
            if email is not None:
                log_in(tab, self.base, email)
            self.tabs[email] = tab
        return self.tabs[email]


def open_page(tab: Any, base: str, page: Page) -> None:
    response = tab.goto(f"{base}{page.path}")
    assert response is not None and response.status == 200, f"{page.name}: {page.path} answered {response.status}"
    if page.ready:
        tab.wait_for_selector(page.ready)
    tab.evaluate("document.fonts.ready")


def problems_of(tab: Any, page: Page | str) -> list[str]:
    name = page if isinstance(page, str) else page.name
    problems = [f"{name}: {problem}" for problem in tab.evaluate(CHECK)]
    if isinstance(page, Page) and page.first_screen:
        top = tab.eval_on_selector(page.first_screen, "el => el.getBoundingClientRect().top + window.scrollY")
        height = tab.evaluate("window.innerHeight")
        if top > height * 0.75:
            problems.append(
                f"{name}: {page.first_screen} starts {round(top)}px down, below the first screen ({height}px)"
            )
    return problems


def open_menu(tab: Any) -> bool:
    """Open the collapsed navigation on a narrow screen (answers whether there was one to open)."""
    toggler = tab.locator(".navbar-toggler")
    if not toggler.is_visible():
        return False
    toggler.click()
    tab.wait_for_selector("#app-nav.show")
    return True


@pytest.fixture
def site(app: Flask, client: FlaskClient, make_user: Callable[..., Any]) -> Site:
    return build(app, client, make_user)


@pytest.fixture
def tabs(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Tabs]]:
    with ExitStack() as stack:

        def make(language: str, width: int) -> Tabs:
            phone = width < 600
            return Tabs(
                browser,
                live_server,
                stack,
                locale=LANGUAGES[language],
                viewport={"width": width, "height": 844 if phone else 900},
                is_mobile=phone,
                has_touch=phone,
            )

        yield make


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_main_page_fits_its_window(
    site: Site, tabs: Callable[..., Tabs], live_server: str, language: str, width: int
) -> None:
    users = tabs(language, width)
    problems: list[str] = []
    menus_checked: set[str | None] = set()
    for page in site.pages:
        tab = users.for_user(page.email)
        open_page(tab, live_server, page)
        assert tab.get_attribute("html", "lang") == HTML_LANG[language], page.name
        problems += problems_of(tab, page)
        if page.email not in menus_checked and open_menu(tab):
            menus_checked.add(page.email)
            problems += problems_of(tab, f"{page.name} (menu open)")
    assert not problems, f"{len(problems)} layout problems at {width}px in {language}:\n" + "\n".join(problems)

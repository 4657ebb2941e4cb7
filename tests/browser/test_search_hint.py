"""The search box's hint is shown whole in both languages (it holds quotes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import _tab
from tests.browser.test_upload_flow import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "locale, hint",
    [
        ("zh-CN", '关键词、"精确短语"、party:华为、tag:保密、-排除词 …'),
        ("en-GB", 'Words, "an exact phrase", party:华为, tag:保密, -excluded …'),
    ],
)
def test_the_search_hint_is_shown_whole(
    browser: Any, live_server: str, make_user: Callable[..., Any], locale: str, hint: str
) -> None:
    make_user("viewer")
    with _tab(browser, locale=locale) as page:
        log_in(page, live_server, "viewer@example.com")
        page.goto(f"{live_server}/search")
        box = page.locator("input[name=q]")
        assert box.get_attribute("placeholder") == hint
        # Nothing of the hint leaked out of the attribute as stray attributes.
        names = box.evaluate("element => Array.from(element.attributes).map(a => a.name)")
        assert not [name for name in names if "phrase" in name or "短语" in name], names


def test_an_unclosed_quote_searches_instead_of_failing(
    page: Any, live_server: str, make_user: Callable[..., Any]
) -> None:
    make_user("viewer")
    log_in(page, live_server, "viewer@example.com")
    page.goto(f"{live_server}/search")
    page.fill("input[name=q]", '"保密条款')
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("[data-search-error]").count() == 0
    assert page.locator("[data-total]").count() == 1


def test_a_syntax_error_is_explained_in_chinese(page: Any, live_server: str, make_user: Callable[..., Any]) -> None:
    make_user("viewer")
    log_in(page, live_server, "viewer@example.com")
    page.goto(f"{live_server}/search?q=(保密")
    error = page.locator("[data-search-error]").inner_text()
    assert "左括号" in error and "never" not in error

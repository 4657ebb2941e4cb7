"""The search box: its hint is shown whole in both languages (it holds quotes), a stray quote
is no error, errors are in the user's language; "save this search" is where it is seen."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.conftest import _tab
from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import docx_bytes

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


@pytest.mark.parametrize("tab", ["page", "phone_page"])
def test_save_this_search_is_in_sight_next_to_the_results(
    tab: str, request: pytest.FixtureRequest, live_server: str, client: FlaskClient, admin_token: str
) -> None:
    page = request.getfixturevalue(tab)
    for n in range(8):
        client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(docx_bytes(f"租赁合同第{n}号：承租方按月支付租金。")), f"lease-{n}.docx"),
                "metadata": json.dumps({"title": f"租赁合同 {n}", "tags": [f"标签{n}"]}, ensure_ascii=False),
            },
        )
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/search?q=租金")
    assert page.locator("[data-total]").get_attribute("data-total") == "8"
    button = page.locator("[data-save-search] button.dropdown-toggle")
    box = button.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["y"] + box["height"] <= viewport["height"], "not in sight without scrolling"
    assert box["y"] < page.locator(".search-hit").first.bounding_box()["y"], "it belongs above the results"
    button.click()
    page.fill("[data-save-search] input[name=name]", "按月付租金")
    page.locator("[data-save-search] button.btn-primary").click()
    page.wait_for_url("**/search?**")
    assert page.locator("[data-saved-searches] a", has_text="按月付租金").count() == 1

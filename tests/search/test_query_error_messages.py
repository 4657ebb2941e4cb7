"""Search syntax errors speak the user's language, and a stray quote is no error at all."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from indexer.search.query import SYNTAX_ERRORS
from repo_app.core.query_errors import MESSAGES
from tests.conftest import bearer


def test_every_parser_error_has_a_translatable_message() -> None:
    assert set(MESSAGES) == set(SYNTAX_ERRORS)


@pytest.mark.parametrize(
    "query, chinese",
    [
        ("(a OR b", "括号"),
        ("foo:bar", "不是字段"),
        ("word~3", "模糊"),
        ("a OR", "OR"),
    ],
)
def test_syntax_errors_are_in_chinese_for_a_chinese_user(
    client: FlaskClient, admin_token: str, query: str, chinese: str
) -> None:
    response = client.get(
        "/api/v1/search", headers={**bearer(admin_token), "Accept-Language": "zh-CN"}, query_string={"q": query}
    )
    assert response.status_code == 400
    message = response.json["error"]["message"]
    assert chinese in message
    # Only the query's own words and operators may be Latin letters; the sentence is Chinese.
    query_words = {"OR", "AND", "NOT", "bar", "foo", "word", "party", "tag", "type", "title", "number"}
    latin_words = set(re.findall(r"[A-Za-z]{3,}", message)) - query_words
    assert not latin_words, message
    english = client.get(
        "/api/v1/search", headers={**bearer(admin_token), "Accept-Language": "en"}, query_string={"q": query}
    )
    assert "not valid" in english.json["error"]["message"]


def test_an_unclosed_quote_on_the_search_page_searches(login: Callable[..., FlaskClient]) -> None:
    browser = login("editor")
    page = browser.get("/search", query_string={"q": '"保密条款'}, headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "data-search-error" not in page.get_data(as_text=True)

"""The home page by role: those who oversee the whole (admin, manager, finance, auditor) land on
the dashboard, everyone else on "My tasks"; each page links to the other."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

HOMES = {
    "admin": "/dashboard",
    "manager": "/dashboard",
    "finance": "/dashboard",
    "auditor": "/dashboard",
    "editor": "/tasks",
    "viewer": "/tasks",
    "signer": "/tasks",
}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_home_by_role(login: Callable[..., FlaskClient], role: str) -> None:
    browser = login(role)
    landing = browser.get("/")
    assert landing.status_code == 302 and landing.headers["Location"] == HOMES[role]
    page = browser.get(HOMES[role]).get_data(as_text=True)
    other = "/tasks" if HOMES[role] == "/dashboard" else "/dashboard"
    assert f'href="{other}" data-other-home' in page


def test_home_asks_for_a_log_in(client: FlaskClient) -> None:
    answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]

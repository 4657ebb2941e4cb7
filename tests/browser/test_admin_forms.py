"""What an administrator meets first: adding a user, and telling Pactum the organisation's
own names so that "Found in the text" stops offering our own company as the counterparty."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer

pytestmark = pytest.mark.browser

TEXT = "采购合同\n甲方：上海澄衡科技股份有限公司\n乙方：华东精密机械制造有限公司\n合同金额：人民币120,000元\n"


def test_a_new_user_gets_the_least_privileged_role_unless_chosen(
    page: Any, live_server: str, make_user: Callable[..., Any]
) -> None:
    make_user("admin")
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/admin/users")
    form = page.locator("form", has=page.locator("input[name=password]"))
    assert form.locator("select[name=role]").input_value() == "viewer"
    form.locator("input[name=email]").fill("newcomer@example.com")
    form.locator("input[name=password]").fill("Copper-Lantern-Orbit-5512")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[data-user='newcomer@example.com']")
    assert page.locator("tr[data-user='newcomer@example.com'] select[name=role]").input_value() == "viewer"


def test_our_own_names_are_not_offered_as_counterparty(
    page: Any, live_server: str, client: FlaskClient, admin_token: str, make_user: Callable[..., Any]
) -> None:
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={
            "file": (io.BytesIO(TEXT.encode()), "采购.txt"),
            "metadata": json.dumps({"title": "设备采购", "counterparties": ["华东精密机械制造有限公司"]}),
        },
    )
    contract_url = f"{live_server}/contracts/{created.json['id']}"
    make_user("admin", email="boss@example.com")
    log_in(page, live_server, "boss@example.com")
    page.goto(contract_url)
    offered = page.locator("[data-suggestion=counterparties]")
    assert "上海澄衡科技股份有限公司" in offered.inner_text()  # before: 甲方 = us is offered

    page.goto(f"{live_server}/admin/organisation")
    page.fill("#own-names", "上海澄衡科技股份有限公司\nShanghai Chengheng Technology Co., Ltd.")
    page.locator("[data-own-names] button").click()
    page.wait_for_url(f"{live_server}/admin/organisation")
    assert page.locator("#own-names").input_value().splitlines() == [
        "上海澄衡科技股份有限公司",
        "Shanghai Chengheng Technology Co., Ltd.",
    ]
    page.goto(contract_url)
    assert page.locator("[data-suggestion=counterparties]").count() == 0
    assert "上海澄衡科技股份有限公司" not in page.locator(".suggestions").inner_text()
    assert page.locator("[data-suggestion=amount]").count() == 1  # other findings still show

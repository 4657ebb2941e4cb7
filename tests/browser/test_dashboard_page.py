"""The dashboard in a browser: the charts are drawn under the CSP, and clicking a bar opens the
search listing the contracts it counted (a money bar: the instalments it counted)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser


def test_a_bar_opens_the_search_of_its_contracts(
    page: Any, live_server: str, client: Any, admin_token: str, make_user: Callable[..., Any]
) -> None:
    for number, (title, kind) in enumerate(
        (("设备采购合同", "purchase"), ("办公租赁合同", "lease"), ("仓库租赁合同", "lease"))
    ):
        client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(pdf_bytes(f"contract {number}")), "c.pdf"),
                "metadata": json.dumps({"title": title, "contract_type": kind}, ensure_ascii=False),
            },
        )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/dashboard")
    canvas = page.locator("[data-chart-section=type] canvas")
    # the most numerous type comes first: leases (2); its bar's centre, as Chart.js placed it
    point = canvas.evaluate("c => { const bar = Chart.getChart(c).getDatasetMeta(0).data[0]; return [bar.x, bar.y]; }")
    assert page.locator("[data-chart-section=type] tr[data-bar=lease] [data-count]").inner_text() == "2"
    canvas.click(position={"x": point[0], "y": point[1] + 2})
    page.wait_for_url("**/search?contract_type=lease")
    assert page.locator("[data-total]").get_attribute("data-total") == "2"
    assert not errors, errors


def test_an_aging_bar_opens_the_instalments_it_counted(
    page: Any, live_server: str, client: Any, admin_token: str
) -> None:
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={
            "file": (io.BytesIO(pdf_bytes("receivable")), "c.pdf"),
            "metadata": json.dumps({"title": "技术服务合同", "amount": "1000", "currency": "CNY"}),
        },
    )
    plan = {"direction": "receivable", "instalments": [{"amount": "400", "due_date": "2020-01-31"}]}
    planned = client.put(f"/api/v1/contracts/{created.json['id']}/money/plan", json=plan, headers=bearer(admin_token))
    assert planned.status_code == 200, planned.json
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/dashboard")
    section = page.locator("[data-chart-section=aging]")
    assert section.locator("tr[data-bar='90+'] [data-cny]").get_attribute("data-cny") == "400.00"
    # the last bucket ("over 90 days") is the fifth bar; click its centre as Chart.js placed it
    point = section.locator("canvas").evaluate(
        "c => { const bar = Chart.getChart(c).getDatasetMeta(0).data[4]; return [bar.x, bar.y]; }"
    )
    section.locator("canvas").click(position={"x": point[0], "y": point[1] + 2})
    page.wait_for_url("**/money/instalments?**")
    totals = page.locator("[data-totals]")
    assert totals.get_attribute("data-count") == "1" and totals.get_attribute("data-cny") == "400.00"
    assert "技术服务合同" in page.locator("tr[data-instalment]").inner_text()

"""The report builder in a browser: build a grouped report, preview it (table and chart under
the CSP), save it and reopen it from "My reports", at 1366 and 390 px."""

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


@pytest.mark.parametrize("width", [1366, 390])
def test_build_preview_save_and_reopen(
    page: Any, live_server: str, client: Any, admin_token: str, make_user: Callable[..., Any], width: int
) -> None:
    for number, (title, kind, amount) in enumerate(
        (("设备采购合同", "purchase", "1000"), ("办公租赁合同", "lease", "200"), ("仓库租赁合同", "lease", "300"))
    ):
        client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(pdf_bytes(f"contract {number}")), "c.pdf"),
                "metadata": json.dumps(
                    {"title": title, "contract_type": kind, "amount": amount, "currency": "CNY"}, ensure_ascii=False
                ),
            },
        )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/reports")
    page.select_option("#group1", "contract_type")
    page.check("input[name=measure][value='sum:amount']")
    page.click("[data-preview]")
    page.wait_for_selector("canvas[data-report-chart]")
    drawn = page.locator("canvas[data-report-chart]").evaluate("c => Chart.getChart(c).data.datasets[0].data")
    assert sorted(drawn) == [1, 2]  # the count of each type, drawn by Chart.js under the CSP
    lease = page.locator("tr[data-report-row=lease]")
    assert lease.locator("[data-measure=count]").inner_text() == "2"
    assert "500.00" in lease.locator("[data-measure='sum:amount']").inner_text()
    page.fill("#report-name", "按类型")
    page.click("[data-save-report] button[type=submit]")
    page.wait_for_url("**/reports?report=*")
    page.goto(f"{live_server}/reports")
    page.locator("[data-saved-reports=mine] a", has_text="按类型").click()
    page.wait_for_selector("[data-report-table]")
    assert page.locator("h1").inner_text() == "按类型"
    assert page.locator("tr[data-report-row]").count() == 2
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page is wider than the screen by {overflow} px"
    assert not errors, errors

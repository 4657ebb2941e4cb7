from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import docx_bytes

pytestmark = pytest.mark.browser


def test_search_with_a_facet_click_and_open_the_hit(page: Any, live_server: str, client: Any, admin_token: str,
                                                    make_user: Callable[..., Any]) -> None:
    for title, kind, text in (("技术保密协议", "nda", "双方对技术资料负有保密义务，违约责任由违约方承担。"),
                              ("仓库租赁合同", "lease", "承租方应对租赁物中的保密资料负有保密义务。")):
        client.post("/api/v1/contracts", headers=bearer(admin_token), data={
            "file": (io.BytesIO(docx_bytes(text)), f"{title}.docx"),
            "metadata": json.dumps({"title": title, "contract_type": kind}, ensure_ascii=False)})
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/search?q=保密")
    assert page.locator("[data-total]").get_attribute("data-total") == "2"
    page.locator("[data-facet=contract_type] a.facet-link[data-value=lease]").click()
    page.wait_for_url("**contract_type=lease**")
    assert page.locator("[data-total]").get_attribute("data-total") == "1"
    assert page.locator(".filter-chip").count() == 1
    hit = page.locator(".search-hit")
    assert "<mark>" in hit.inner_html() and "仓库租赁合同" in hit.inner_text()
    hit.locator("a").first.click()
    page.wait_for_url("**/contracts/*")
    assert "仓库租赁合同" in page.locator("h1").inner_text()

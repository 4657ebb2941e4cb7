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


def test_search_with_a_facet_click_and_open_the_hit(
    page: Any, live_server: str, client: Any, admin_token: str, make_user: Callable[..., Any]
) -> None:
    for title, kind, text in (
        ("技术保密协议", "nda", "双方对技术资料负有保密义务，违约责任由违约方承担。"),
        ("仓库租赁合同", "lease", "承租方应对租赁物中的保密资料负有保密义务。"),
    ):
        client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(docx_bytes(text)), f"{title}.docx"),
                "metadata": json.dumps({"title": title, "contract_type": kind}, ensure_ascii=False),
            },
        )
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


def _two_page_pdf(second_page_line: str) -> bytes:
    from reportlab.pdfgen import canvas

    from signer.fonts import register_reportlab_font

    register_reportlab_font("PactumSearchCJK")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for line in ("第一页：合同双方的基本信息。", second_page_line):
        pdf.setFont("PactumSearchCJK", 14)
        pdf.drawString(72, 720, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_hit_opens_the_pdf_at_its_page_with_the_words_marked(
    page: Any, live_server: str, client: Any, admin_token: str
) -> None:
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={
            "file": (io.BytesIO(_two_page_pdf("第二页：乙方承担不可抗力以外的违约责任。")), "设备采购合同.pdf"),
            "metadata": json.dumps({"title": "设备采购合同"}, ensure_ascii=False),
        },
    )
    assert created.status_code == 201, created.json
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/search?q=违约责任")
    page.locator(".search-hit a").first.click()
    page.wait_for_url("**page=2**")
    marks = page.locator(".pdf-preview-page[data-index='1'] .pdf-hit")
    marks.first.wait_for()
    assert marks.count() == 1
    assert page.locator(".pdf-preview-page[data-index='0'] .pdf-hit").count() == 0
    # The mark lies on the line of text, in the page's upper part, not somewhere arbitrary.
    mark, sheet = marks.first.bounding_box(), page.locator(".pdf-preview-page[data-index='1']").bounding_box()
    assert mark["width"] > 10 and sheet["y"] < mark["y"] < sheet["y"] + sheet["height"] * 0.3

"""Comparing two versions of a contract: inline, side by side, and as a PDF."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import docx_bytes

pytestmark = pytest.mark.browser

OLD_TEXT = "第3条 付款：甲方应在三十日内支付货款。The buyer shall pay promptly within thirty days by bank transfer."
NEW_TEXT = "第3条 付款：甲方应在三十日内支付全部货款。The buyer shall pay within sixty days by bank transfer."


@pytest.fixture
def contract_id(client: FlaskClient, token_for: Callable[..., str]) -> int:
    """A contract whose second version adds a word, drops one and replaces one."""
    token = token_for("editor")
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(docx_bytes(OLD_TEXT)), "付款条款.docx"),
            "metadata": json.dumps({"title": "付款条款对比"}, ensure_ascii=False),
        },
    )
    assert created.status_code == 201, created.json
    cid: int = created.json["id"]
    second = client.post(
        f"/api/v1/contracts/{cid}/versions",
        headers=bearer(token),
        data={"file": (io.BytesIO(docx_bytes(NEW_TEXT)), "付款条款-修订.docx")},
    )
    assert second.status_code == 201, second.json
    return cid


def marked(page: Any, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_compare_inline_side_by_side_and_as_pdf(page: Any, live_server: str, contract_id: int) -> None:
    log_in(page, live_server, "editor@example.com")
    page.goto(f"{live_server}/contracts/{contract_id}")
    page.locator(f"a[href='/contracts/{contract_id}/compare']").click()
    page.wait_for_url(f"{live_server}/contracts/{contract_id}/compare")

    summary = page.locator("[data-compare-summary]").inner_text()
    assert "插入 1 处，删除 1 处，替换 1 处，移动段落 0 个" in summary
    assert "变更条款：第3条" in summary
    assert page.locator("#cmp-a").input_value() == "1" and page.locator("#cmp-b").input_value() == "2"

    # Inline: one text, deletions struck out and insertions underlined where they happened.
    inline = page.locator(".compare-inline")
    assert marked(page, ".compare-inline ins.diff-ins") == ["全部", "sixty"]
    assert marked(page, ".compare-inline del.diff-del") == ["promptly", "thirty"]
    assert inline.inner_text().startswith("第3条 付款：甲方应在三十日内支付全部货款。")
    deleted = page.locator(".compare-inline del.diff-del").first
    assert "line-through" in deleted.evaluate("node => getComputedStyle(node).textDecorationLine")

    # Side by side: the old version shows only deletions, the new one only insertions.
    page.locator("a.btn", has_text="并排").click()
    page.wait_for_url("**view=side**")
    old_side, new_side = page.locator(".compare-side .diff-text").all()
    assert [text.strip() for text in old_side.locator("del.diff-del").all_inner_texts()] == ["promptly", "thirty"]
    assert old_side.locator("ins").count() == 0
    assert [text.strip() for text in new_side.locator("ins.diff-ins").all_inner_texts()] == ["全部", "sixty"]
    assert new_side.locator("del").count() == 0
    assert " ".join(old_side.inner_text().split()) == OLD_TEXT
    assert " ".join(new_side.inner_text().split()) == NEW_TEXT
    assert "插入 1 处" in page.locator("[data-compare-summary]").inner_text()

    # The comparison downloads as a PDF with the same changes in it.
    with page.expect_download() as download_info:
        page.locator("a", has_text="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"compare-{contract_id}-v1-v2.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "全部" in text and "sixty" in text and "thirty" in text


def pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_a_large_comparison_is_waited_for_and_then_shown(
    app: Any, page: Any, live_server: str, contract_id: int
) -> None:
    from dataclasses import replace

    app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], compare_job_chars=50)
    log_in(page, live_server, "editor@example.com")
    waiting = page.goto(f"{live_server}/contracts/{contract_id}/compare?a=1&b=2")
    assert waiting.status == 202  # the background-comparison page, which polls
    assert page.locator("[data-result-poll]").count() == 1
    page.wait_for_selector("[data-compare-summary]", timeout=15_000)  # it loaded the result by itself
    assert "插入 1 处，删除 1 处，替换 1 处" in page.locator("[data-compare-summary]").inner_text()
    assert marked(page, ".compare-inline ins.diff-ins") == ["全部", "sixty"]


def _current_marks(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".is-current-change").all_inner_texts()]


def test_next_and_previous_jump_between_the_changes(page: Any, live_server: str, contract_id: int) -> None:
    log_in(page, live_server, "editor@example.com")
    page.goto(f"{live_server}/contracts/{contract_id}/compare")
    position = page.locator("[data-change-position]")
    # Inline: 全部 inserted, promptly deleted, thirty replaced by sixty: three changes.
    page.click("[data-change-next]")
    assert _current_marks(page) == ["全部"] and position.inner_text() == "第 1 处，共 3 处"
    page.click("[data-change-next]")
    assert _current_marks(page) == ["promptly"]
    page.keyboard.press("n")
    assert _current_marks(page) == ["thirty", "sixty"] and position.inner_text() == "第 3 处，共 3 处"
    page.keyboard.press("p")
    assert _current_marks(page) == ["promptly"]
    page.click("[data-change-prev]")
    page.click("[data-change-prev]")  # before the first comes the last
    assert _current_marks(page) == ["thirty", "sixty"]
    # Typing in a field is not navigation.
    page.locator("#cmp-a").focus()
    page.keyboard.press("n")
    assert _current_marks(page) == ["thirty", "sixty"]

    # Side by side: a replacement is one change, marked on both sides.
    page.goto(f"{live_server}/contracts/{contract_id}/compare?view=side")
    for _step in range(3):
        page.keyboard.press("n")
    assert sorted(_current_marks(page)) == ["sixty", "thirty"]
    assert position.inner_text() == "第 3 处，共 3 处"

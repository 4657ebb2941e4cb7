"""Review in the browser: select a passage in the PDF preview, comment on it, reply, resolve."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

PASSAGE = "keep all terms confidential"


def test_select_text_comment_reply_and_resolve(
    page: Any, live_server: str, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    token = token_for("editor")
    uploaded = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(pdf_bytes(f"The Supplier shall {PASSAGE} for five years.")), "nda.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    log_in(page, live_server, "editor@example.com")
    page.goto(f"{live_server}/contracts/{uploaded.json['id']}")

    # Select the passage in the preview's text layer, as a mouse would.
    span = page.locator(".textLayer span", has_text=PASSAGE).first
    span.wait_for()
    page.evaluate(
        """(passage) => {
          const node = [...document.querySelectorAll('.textLayer span')]
            .find((s) => s.textContent.includes(passage)).firstChild;
          const start = node.textContent.indexOf(passage);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + passage.length);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }""",
        PASSAGE,
    )
    comment_button = page.locator("[data-comment-selection]")
    page.wait_for_function("() => !document.querySelector('[data-comment-selection]').disabled")
    comment_button.click()
    assert page.locator("[data-comment-quote]").input_value() == PASSAGE
    assert page.locator("[data-comment-page]").input_value() == "1"
    page.fill("[data-comment-body]", "保密期限应为十年。")
    page.click("[data-comment-form] button")

    thread = page.locator("[data-thread]").first
    thread.wait_for()
    assert PASSAGE in thread.inner_text() and "保密期限应为十年。" in thread.inner_text()
    page.locator(".pdf-comment-mark").first.wait_for()  # the passage is marked in the preview

    thread.locator("input[name=body]").fill("同意，已改为十年。")
    thread.locator(".review-reply-form button").click()
    thread = page.locator("[data-thread]").first
    assert "同意，已改为十年。" in thread.locator("[data-reply]").inner_text()

    thread.locator("form:has(input[name=resolved]) button").click()
    assert page.locator("[data-thread]").first.get_attribute("data-status") == "resolved"
    # A resolved passage is no longer marked.
    page.locator(".pdf-preview-page[data-marked]").first.wait_for()
    assert page.locator(".pdf-comment-mark").count() == 0

"""Review in the browser: select a passage in the PDF preview, comment on it, reply with an
@mention picked from the list, resolve."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from repo_app.auth.models import User
from repo_app.core.extensions import db
from repo_app.notifications.models import Notification
from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

PASSAGE = "keep all terms confidential"


def user_id(email: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.email == email))


def test_select_text_comment_reply_and_resolve(
    app: Flask, page: Any, live_server: str, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    token = token_for("editor")
    uploaded = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(pdf_bytes(f"The Supplier shall {PASSAGE} for five years.")), "nda.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    token_for("viewer", email="li.na@example.com")
    grant = {"grantee_type": "user", "grantee": "li.na@example.com", "level": "comment"}
    shared = client.put(
        f"/api/v1/contracts/{uploaded.json['id']}/access", headers=bearer(token), json={"grants": [grant]}
    )
    assert shared.status_code == 200, shared.json
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

    reply = thread.locator("input[name=body]")
    reply.press_sequentially("同意，已改为十年。请 @li")
    page.locator("[data-mention-option='li.na@example.com']").wait_for()
    reply.press("Enter")  # picks the highlighted person
    assert reply.input_value() == "同意，已改为十年。请 @li.na@example.com "
    thread.locator(".review-reply-form button").click()
    thread = page.locator("[data-thread]").first
    assert "同意，已改为十年。请 @li.na@example.com" in thread.locator("[data-reply]").inner_text()
    with app.app_context():
        mentioned = db.session.scalars(select(Notification.user_id).where(Notification.kind == "review.mentioned"))
        assert list(mentioned) == [user_id("li.na@example.com")]

    thread.locator("form:has(input[name=resolved]) button").click()
    assert page.locator("[data-thread]").first.get_attribute("data-status") == "resolved"
    # A resolved passage is no longer marked.
    page.locator(".pdf-preview-page[data-marked]").first.wait_for()
    assert page.locator(".pdf-comment-mark").count() == 0

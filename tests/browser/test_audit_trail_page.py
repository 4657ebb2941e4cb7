"""The audit trail as people read it: sentences, titles, an action list, one event per visit,
cards on a phone."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.signer.support import make_contract_pdf

pytestmark = pytest.mark.browser

TITLE = "华东仓储服务合同"


@pytest.fixture
def contract_id(client: FlaskClient, token_for: Callable[..., str]) -> int:
    """A PDF large enough (≈190 KB) for the viewer to fetch it in ranges, and one download."""
    owner = token_for("admin")
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(owner),
        data={
            "file": (io.BytesIO(make_contract_pdf(pages=200)), "仓储合同.pdf"),
            "metadata": json.dumps({"title": TITLE}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    cid = int(response.json["id"])
    assert client.get(f"/api/v1/contracts/{cid}/versions/1/file", headers=bearer(owner)).status_code == 200
    return cid


def _actions(app: Flask, contract_id: int) -> list[str]:
    with app.app_context():
        query = sa.select(AuditEvent.action).where(AuditEvent.contract_id == contract_id).order_by(AuditEvent.seq)
        return list(db.session.scalars(query))


def test_one_visit_records_one_view_and_one_preview(
    page: Any, live_server: str, app: Flask, contract_id: int, make_user: Callable[..., Any]
) -> None:
    """Opening the page, scrolling through the viewer (range requests) and coming back to the
    page (a reload, as after every action on it) is one visit."""
    make_user("auditor")
    log_in(page, live_server, "auditor@example.com")
    before = len(_actions(app, contract_id))
    page.goto(f"{live_server}/contracts/{contract_id}")
    page.wait_for_selector(".pdf-preview-page canvas")
    page.mouse.move(900, 500)
    for _ in range(4):
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(400)
    page.reload()
    page.wait_for_selector(".pdf-preview-page canvas")
    page.wait_for_timeout(800)
    recorded = _actions(app, contract_id)[before:]
    assert recorded.count("contract.view") == 1, recorded
    assert recorded.count("version.preview") == 1, recorded


def test_the_trail_reads_as_sentences_with_titles_and_an_action_list(
    page: Any, live_server: str, contract_id: int, make_user: Callable[..., Any]
) -> None:
    make_user("auditor")
    log_in(page, live_server, "auditor@example.com")
    page.goto(f"{live_server}/audit?contract_id={contract_id}")
    table = page.locator(".audit-table")
    download = table.locator("tr[data-action='version.download'] [data-sentence]")
    assert download.inner_text() == f"Admin User 下载了《{TITLE}》第 1 版"
    link = download.locator("a[data-contract-link]")
    assert link.get_attribute("href") == f"/contracts/{contract_id}"
    # the raw code and JSON are only behind "recorded data", closed
    assert not table.get_by_text("version.download", exact=True).first.is_visible()
    assert "{" not in table.inner_text()
    # the action filter is a list of named actions, not a free-text field
    select = page.locator("select[name=action]")
    select.select_option(label="上传合同")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**action=contract.create**")
    actions = page.locator(".audit-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert actions == ["contract.create"]
    assert page.locator("select[name=action]").input_value() == "contract.create"


def test_phone_shows_cards_not_a_wide_table(
    phone_page: Any, live_server: str, contract_id: int, make_user: Callable[..., Any]
) -> None:
    make_user("auditor")
    log_in(phone_page, live_server, "auditor@example.com")
    phone_page.goto(f"{live_server}/audit?contract_id={contract_id}")
    assert not phone_page.locator(".audit-table").is_visible()
    cards = phone_page.locator(".audit-cards > li")
    assert cards.count() >= 2 and cards.first.is_visible()
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box is not None and box["height"] < 160 and box["width"] <= 390
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways"
    assert "上传了《" in cards.last.inner_text()

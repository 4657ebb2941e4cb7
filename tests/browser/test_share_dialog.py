"""The owner shares a contract through the share dialog; others see it, or stop seeing it, at once."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

TITLE = "设备采购框架协议"


@pytest.fixture
def contract_id(client: FlaskClient, token_for: Callable[..., str], make_user: Callable[..., Any]) -> int:
    """A contract of the legal department (readable by its members), a colleague there and an
    outsider from finance."""
    owner = token_for("editor", department="法务部")
    make_user("viewer", department="法务部")  # viewer@example.com, the colleague
    make_user("viewer", department="财务部")  # viewer2@example.com, the outsider
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(owner),
        data={
            "file": (io.BytesIO(pdf_bytes("framework agreement")), "框架协议.pdf"),
            "metadata": json.dumps({"title": TITLE}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def open_share_dialog(page: Any) -> Any:
    page.locator("button[data-bs-target='#share-dialog']").click()
    dialog = page.locator("#share-dialog")
    dialog.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#share-dialog').classList.contains('show')")
    return dialog


def save_sharing(page: Any, dialog: Any, base: str, contract_id: int) -> None:
    dialog.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/contracts/{contract_id}")
    assert "共享设置已保存" in page.locator(".flash-messages").inner_text()


def status_of(page: Any, url: str) -> int:
    response = page.goto(url)
    return int(response.status)


def test_grant_read_to_another_user(page: Any, second_page: Any, live_server: str, contract_id: int) -> None:
    url = f"{live_server}/contracts/{contract_id}"
    log_in(second_page, live_server, "viewer2@example.com")
    assert status_of(second_page, url) == 404
    assert TITLE not in second_page.content()

    log_in(page, live_server, "editor@example.com")
    page.goto(url)
    dialog = open_share_dialog(page)
    row = dialog.locator(".share-grant").last
    assert row.locator("input[name=grantee]").input_value() == ""
    row.locator("select[name=grantee_type]").select_option("user")
    row.locator("input[name=grantee]").fill("viewer2@example.com")
    row.locator("select[name=level]").select_option("read")
    save_sharing(page, dialog, live_server, contract_id)

    # The dialog now lists the grant, and an empty line for the next one.
    dialog = open_share_dialog(page)
    rows = dialog.locator(".share-grant")
    assert rows.count() == 2
    assert rows.first.locator("input[name=grantee]").input_value() == "viewer2@example.com"
    assert rows.first.locator("select[name=level]").input_value() == "read"

    assert status_of(second_page, url) == 200
    assert TITLE in second_page.locator("h1").inner_text()
    # Read only: no editing, sharing or signing for the outsider.
    assert second_page.locator("button[data-bs-target='#share-dialog']").count() == 0
    assert second_page.locator(f"a[href='/contracts/{contract_id}/edit']").count() == 0
    second_page.goto(f"{live_server}/contracts")
    assert second_page.locator(".contract-list a", has_text=TITLE).count() == 1


def test_confidential_removes_department_access(
    page: Any, second_page: Any, live_server: str, contract_id: int
) -> None:
    url = f"{live_server}/contracts/{contract_id}"
    log_in(second_page, live_server, "viewer@example.com")
    assert status_of(second_page, url) == 200  # a member of the contract's department

    log_in(page, live_server, "editor@example.com")
    page.goto(url)
    dialog = open_share_dialog(page)
    assert dialog.locator("select[name=department_level]").input_value() == "read"
    switch = dialog.locator("#share-confidential")
    assert not switch.is_checked()
    switch.check()
    save_sharing(page, dialog, live_server, contract_id)
    assert page.locator("button[data-bs-target='#share-dialog'] .bi-lock-fill").count() == 1
    assert open_share_dialog(page).locator("#share-confidential").is_checked()

    assert status_of(second_page, url) == 404
    second_page.goto(f"{live_server}/contracts")
    assert second_page.locator(".contract-list a", has_text=TITLE).count() == 0
    # The owner still has it.
    assert status_of(page, url) == 200

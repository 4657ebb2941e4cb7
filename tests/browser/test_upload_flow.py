from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser


#: Where log-in lands: the dashboard or My tasks, by role.
HOME = r"/(dashboard|tasks)$"


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + HOME))  # the home page after log-in, by role


def test_log_in_upload_a_pdf_and_see_it_in_the_list(
    page: Any, live_server: str, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    make_user("editor")
    log_in(page, live_server, "editor@example.com")
    page.click("a.nav-link[href='/contracts/upload']")
    page.fill("input[name=title]", "浏览器上传的采购合同")
    page.fill("textarea[name=counterparties]", "上海浦江机电有限公司")
    page.fill("input[name=tags]", "采购, 2025")
    contract = tmp_path / "采购合同.pdf"
    contract.write_bytes(pdf_bytes("browser upload"))
    page.set_input_files("[data-upload-zone] input[type=file]", str(contract))
    page.click("[data-upload-submit]")
    link = page.locator("[data-upload-results] a, .upload-zone ~ * a").first
    link.wait_for()
    page.goto(f"{live_server}/contracts")
    item = page.locator(".contract-list a", has_text="浏览器上传的采购合同")
    assert item.count() == 1
    assert "上海浦江机电有限公司" in item.inner_text()
    item.click()
    page.wait_for_selector("[data-pdf-preview] canvas")
    assert page.locator(".versions [data-version='1']").count() == 1


def test_duplicate_upload_shows_a_link_to_the_existing_contract(
    page: Any, live_server: str, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    make_user("editor")
    log_in(page, live_server, "editor@example.com")
    contract = tmp_path / "same.pdf"
    contract.write_bytes(pdf_bytes("uploaded twice"))
    outcomes = []
    for _attempt in range(2):
        page.goto(f"{live_server}/contracts/upload")
        page.set_input_files("[data-upload-zone] input[type=file]", str(contract))
        page.click("[data-upload-submit]")
        status = page.locator(".upload-item .text-success, .upload-item .text-warning-emphasis").first
        status.wait_for()
        outcomes.append((status.get_attribute("class"), status.locator("a").get_attribute("href")))
    (first_class, first_link), (second_class, second_link) = outcomes
    assert "text-success" in first_class and "text-warning-emphasis" in second_class
    assert first_link == second_link and second_link.startswith("/contracts/")


def _pick_then_type_then_upload(page: Any, base: str, contract: Path, title: str) -> None:
    """The natural order at phone width, where the drop zone comes before the form."""
    page.goto(f"{base}/contracts/upload")
    page.set_input_files("[data-upload-zone] input[type=file]", str(contract))
    page.wait_for_selector(".upload-item")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=counterparties]", "杭州西湖数据有限公司")
    page.fill("input[name=tags]", "后填")
    page.click("[data-upload-submit]")
    page.locator(".upload-item .text-success a").wait_for()


def _open_uploaded_contract(page: Any, base: str, title: str) -> str:
    page.goto(f"{base}/contracts")
    item = page.locator(".contract-list a", has_text=title)
    assert item.count() == 1, "the contract does not carry the title typed after picking the file"
    return str(item.inner_text())


@pytest.mark.parametrize("tab", ["page", "phone_page"])
def test_details_typed_after_picking_the_file_are_kept(
    tab: str, request: pytest.FixtureRequest, live_server: str, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    page = request.getfixturevalue(tab)
    make_user("editor")
    log_in(page, live_server, "editor@example.com")
    contract = tmp_path / "scan-0042.pdf"
    contract.write_bytes(pdf_bytes(f"typed after picking {tab}"))
    if tab == "phone_page":
        page.goto(f"{live_server}/contracts/upload")
        zone_top = page.locator("[data-upload-zone]").bounding_box()["y"]
        assert zone_top < page.locator("input[name=title]").bounding_box()["y"], "the zone comes first on a phone"
    _pick_then_type_then_upload(page, live_server, contract, "后来输入的标题")
    summary = _open_uploaded_contract(page, live_server, "后来输入的标题")
    assert "杭州西湖数据有限公司" in summary
    assert page.locator(".contract-list a", has_text="scan-0042").count() == 0


def test_nothing_is_sent_before_the_form_is_submitted(
    page: Any, live_server: str, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    make_user("editor")
    log_in(page, live_server, "editor@example.com")
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    first.write_bytes(pdf_bytes("kept back"))
    second.write_bytes(pdf_bytes("sent"))
    page.goto(f"{live_server}/contracts/upload")
    page.click("[data-upload-submit]")
    assert page.locator("[data-upload-none]").is_visible()
    page.set_input_files("[data-upload-zone] input[type=file]", [str(first), str(second)])
    assert page.locator("[data-upload-none]").is_hidden()
    page.locator(".upload-item", has_text="first.pdf").locator("[data-upload-remove]").click()
    page.wait_for_timeout(500)
    page.goto(f"{live_server}/contracts")
    assert page.locator(".contract-list a").count() == 0, "a file was uploaded before the form was submitted"
    page.goto(f"{live_server}/contracts/upload")
    page.set_input_files("[data-upload-zone] input[type=file]", [str(first), str(second)])
    page.locator(".upload-item", has_text="first.pdf").locator("[data-upload-remove]").click()
    page.fill("input[name=title]", "只传第二个")
    page.click("[data-upload-submit]")
    page.locator(".upload-item .text-success a").wait_for()
    assert page.locator(".upload-item").count() == 1
    _open_uploaded_contract(page, live_server, "只传第二个")


def test_phone_layout_has_a_working_menu(phone_page: Any, live_server: str, make_user: Callable[..., Any]) -> None:
    make_user("viewer")
    log_in(phone_page, live_server, "viewer@example.com")
    menu = phone_page.locator("a.nav-link[href='/contracts']")
    assert not menu.is_visible()
    phone_page.click(".navbar-toggler")
    menu.wait_for(state="visible")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"

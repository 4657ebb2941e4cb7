from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/tasks")  # the landing page after log-in


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
        status = page.locator(".upload-item .text-success, .upload-item .text-warning-emphasis").first
        status.wait_for()
        outcomes.append((status.get_attribute("class"), status.locator("a").get_attribute("href")))
    (first_class, first_link), (second_class, second_link) = outcomes
    assert "text-success" in first_class and "text-warning-emphasis" in second_class
    assert first_link == second_link and second_link.startswith("/contracts/")


def test_phone_layout_has_a_working_menu(phone_page: Any, live_server: str, make_user: Callable[..., Any]) -> None:
    make_user("viewer")
    log_in(phone_page, live_server, "viewer@example.com")
    menu = phone_page.locator("a.nav-link[href='/contracts']")
    assert not menu.is_visible()
    phone_page.click(".navbar-toggler")
    menu.wait_for(state="visible")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"

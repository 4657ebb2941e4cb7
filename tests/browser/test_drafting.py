"""Drafting a contract from a starter template in the browser, then seeing it on its page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from repo_app.core.extensions import db
from repo_app.drafting.starter import load_starter
from tests.browser.test_upload_flow import log_in

pytestmark = pytest.mark.browser


def test_draft_from_a_template_and_see_it_on_the_contract_page(
    page: Any, live_server: str, app: Flask, make_user: Callable[..., Any]
) -> None:
    admin = make_user("admin")
    make_user("editor")
    with app.app_context():
        load_starter(db.session.merge(admin))
        db.session.commit()
    log_in(page, live_server, "editor@example.com")
    page.click("a.nav-link[href='/templates']")
    row = page.locator(".template-row").filter(has=page.locator(".template-name", has_text="服务合同"))
    row.locator("a[href$='/draft']").click()
    page.fill("[name=party_a]", "北京示例科技有限公司")
    page.fill("[name=party_b]", "上海保洁服务有限公司")
    page.fill("[name='party_b.address']", "上海市徐汇区")
    page.fill("[name=scope]", "办公楼保洁服务")
    page.fill("[name=fee]", "abc")
    page.fill("[name=start_date]", "2026-02-01")
    page.fill("[name=end_date]", "2027-01-31")
    page.fill("[name=signed_date]", "2026-01-05")
    page.click("[data-draft-submit]")
    # The browser asks for Chinese. A wrong amount: the form comes back naming the field, the other
    # values kept.
    assert "不是数字" in page.locator("[data-draft-error]").inner_text()
    assert page.input_value("[name=party_b]") == "上海保洁服务有限公司"
    page.fill("[name=fee]", "120000")
    page.click("[data-draft-submit]")
    page.wait_for_selector("[data-drafted-from]")
    assert "由模板 服务合同 第 1 版起草" in page.inner_text("[data-drafted-from]")
    facts = page.inner_text(".contract-facts")
    assert "上海保洁服务有限公司" in facts and "120,000.00" in facts and "2027-01-31" in facts
    assert "由模板起草" in page.inner_text("[data-version-origin]")

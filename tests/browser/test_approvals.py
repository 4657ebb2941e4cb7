"""An approver on a phone (390 px wide) logs in, lands on "My tasks" and approves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from repo_app.core.extensions import db
from repo_app.workflows import services
from repo_app.workflows.models import Approval
from tests.conftest import PASSWORD
from tests.lifecycle.conftest import contract, make_contract, user
from tests.lifecycle.helpers import organisation

pytestmark = pytest.mark.browser


def test_approve_from_the_task_list_on_a_phone(
    phone_page: Any, live_server: str, app: Flask, make_user: Callable[..., Any]
) -> None:
    with app.app_context():
        organisation(make_user)
        cid = make_contract(
            "owner@example.com", title="手机审批的采购合同", amount="80000", counterparties=("杭州西湖设备有限公司",)
        )
        approval_id = services.submit(user("owner@example.com"), contract(cid), "请审批").id
        db.session.commit()
    page = phone_page

    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "regional@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/dashboard")  # an approving manager's home
    page.goto(f"{live_server}/tasks")
    task = page.locator(f"[data-task=approval][data-approval='{approval_id}']")
    assert "手机审批的采购合同" in task.inner_text()
    # The task count shows on the menu button's menu.
    page.click(".navbar-toggler")
    assert page.locator("[data-task-count]").inner_text() == "1"
    task.locator("a.btn", has_text="打开").click()
    page.wait_for_url(f"{live_server}/approvals/{approval_id}")
    assert page.locator("[data-amount]").inner_text().strip() == "CNY 80,000.00"
    page.fill("#decision-comment", "价格合理，同意。")
    approve = page.locator("[data-decision=approve]")
    box = approve.bounding_box()
    assert box["width"] > 300 and box["height"] >= 44  # a full-width button, easy to tap
    approve.click()
    page.wait_for_url(f"{live_server}/tasks")
    assert "已同意" in page.locator(".flash-messages").inner_text()
    assert page.locator("[data-task=approval]").count() == 0
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with app.app_context():
        item = db.session.get(Approval, approval_id)
        decision = item.decisions[-1]
        assert (decision.decision, decision.user.email, decision.comment) == (
            "approve",
            "regional@example.com",
            "价格合理，同意。",
        )
        assert item.current_step.name == "Legal"

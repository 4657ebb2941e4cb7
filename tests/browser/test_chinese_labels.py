"""No raw English left in the Chinese UI where a new user looks: role names on the
saved-search sharing form and on a workflow's approval levels, and how a version came to be."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import ContractVersion
from repo_app.core.extensions import db
from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

CHINESE_ROLES = {"管理员", "经理", "编辑", "签署人", "查看者", "审计员", "财务"}
ENGLISH_ROLES = {"admin", "manager", "editor", "signer", "viewer", "auditor", "finance"}


def _option_texts(page: Any, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(f"{selector} option").all_inner_texts()]


def test_role_names_are_chinese_on_the_sharing_and_workflow_forms(
    page: Any, live_server: str, make_user: Callable[..., Any]
) -> None:
    make_user("admin")
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/search?q=")
    page.locator("[data-save-search] button.dropdown-toggle").click()
    shared = _option_texts(page, "select[name=shared_with_role]")
    assert any("查看者" in text for text in shared), shared
    assert not [text for text in shared if any(role in text for role in ENGLISH_ROLES)], shared

    page.goto(f"{live_server}/admin/workflows")
    page.fill("#wf-name", "采购审批")
    page.locator("form", has=page.locator("#wf-name")).locator("button").click()
    page.wait_for_url("**/admin/workflows/*")
    level_form = page.locator("[data-new-level]")
    roles = [text for text in _option_texts(page, "[data-new-level] select[name=role]") if text != "—"]
    assert set(roles) == CHINESE_ROLES
    level_form.locator("input[name=name]").fill("部门审核")
    level_form.locator("select[name=role]").select_option("manager")
    level_form.locator("button", has_text="添加").click()
    level = page.locator("[data-level='1']")
    level.wait_for()
    described = level.locator(".text-body-secondary").first.inner_text()
    assert "经理" in described and "role:" not in described and "manager" not in described


def test_a_signed_version_says_where_it_came_from_in_chinese(
    page: Any, live_server: str, app: Flask, client: FlaskClient, admin_token: str
) -> None:
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes("v1")), "合同.pdf"), "metadata": json.dumps({"title": "签署来源"})},
    )
    contract_id = created.json["id"]
    client.post(
        f"/api/v1/contracts/{contract_id}/versions",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes("v1 signed")), "合同-signed.pdf")},
    )
    with app.app_context():  # what signing records for the version it adds
        first, second = db.session.query(ContractVersion).order_by(ContractVersion.number).all()
        second.origin, second.source_version_id = "signed", first.id
        db.session.commit()
    log_in(page, live_server, "admin@example.com")  # the owner (admin_token's user)
    page.goto(f"{live_server}/contracts/{contract_id}")
    label = page.locator("[data-version-origin]").inner_text()
    assert label == "由 v1 签署生成"

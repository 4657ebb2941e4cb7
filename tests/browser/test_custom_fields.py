"""An administrator adds a custom field, fills it in on a contract and filters on it in search."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import bearer
from tests.samples import docx_bytes

from .test_upload_flow import log_in

pytestmark = pytest.mark.browser


def test_admin_adds_a_field_fills_it_and_filters_on_it(
    page: Any, live_server: str, client: FlaskClient, admin_token: str, tmp_path: Path
) -> None:
    metadata = {"title": "华东仓储服务合同", "contract_type": "service"}
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(docx_bytes("仓储服务。")), "c.docx"), "metadata": json.dumps(metadata)},
    )
    other = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(docx_bytes("另一份。")), "d.docx"), "metadata": json.dumps({"title": "另一份"})},
    )
    cid, other_id = created.json["id"], other.json["id"]
    log_in(page, live_server, "admin@example.com")

    page.goto(f"{live_server}/admin/custom-fields")
    form = page.locator("[data-new-custom-field]")
    form.locator("input[name=key]").fill("region")
    form.locator("select[name=kind]").select_option("select")
    form.locator("input[name=label_zh]").fill("所属区域")
    form.locator("input[name=label_en]").fill("Region")
    form.locator("input[name=options]").fill("华东, 华北")
    form.locator("select[name=contract_types]").select_option("service")
    form.locator("button").click()
    page.locator("[data-custom-field='region']").wait_for()

    page.goto(f"{live_server}/contracts/{cid}/edit")
    field = page.locator("[data-custom-field='region']")
    assert field.is_visible()
    page.select_option("select[name=contract_type]", "lease")
    assert field.is_hidden()  # the field applies to service contracts only
    page.select_option("select[name=contract_type]", "service")
    page.select_option("select[name='cf.region']", "华东")
    page.locator("form.card button[type=submit]").click()
    page.locator("[data-custom-value='region']", has_text="华东").wait_for()

    page.goto(f"{live_server}/contracts/upload")
    page.fill("input[name=title]", "华北服务合同")
    page.select_option("select[name=contract_type]", "service")
    page.select_option("select[name='cf.region']", "华北")
    upload_file = tmp_path / "华北.docx"
    upload_file.write_bytes(docx_bytes("华北服务。"))
    page.set_input_files("[data-upload-zone] input[type=file]", str(upload_file))
    page.click("[data-upload-submit]")
    page.locator(".upload-item .text-success a").wait_for()
    listed = client.get("/api/v1/contracts", headers=bearer(admin_token)).json["items"]
    assert [c["custom_fields"] for c in listed if c["title"] == "华北服务合同"] == [{"region": "华北"}]

    page.goto(f"{live_server}/search")
    facet = page.locator("[data-facet='cf:region'] a[data-value='华东']")
    assert "1" in facet.inner_text()
    facet.click()
    page.wait_for_url("**cf.region=**")
    hits = page.locator(".search-hit")
    assert [hits.nth(i).get_attribute("data-contract-id") for i in range(hits.count())] == [str(cid)]
    assert page.locator(f".search-hit[data-contract-id='{other_id}']").count() == 0

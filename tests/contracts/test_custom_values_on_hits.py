"""Search hits carry the values of the custom fields marked "filter in search" (the API hit and,
compactly, the result card) — and only those."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.contracts import custom_fields
from repo_app.core.extensions import db
from tests.contracts.test_custom_fields import search, upload


@pytest.fixture
def two_fields(app: Flask, admin_token: str) -> None:
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        region = {"kind": "select", "label_zh": "区域", "label_en": "Region", "options": ["华东", "华北"]}
        custom_fields.save_field(admin, "region", region | {"filterable": True})
        custom_fields.save_field(admin, "memo", {"kind": "text", "label_zh": "备注", "label_en": "Memo"})
        db.session.commit()


def test_hits_show_the_searchable_custom_values(
    client: FlaskClient, admin_token: str, two_fields: None, login: Callable[..., FlaskClient]
) -> None:
    values = {"region": "华东", "memo": "内部备注"}
    made = upload(client, admin_token, "华东区域的采购合同。", {"title": "华东采购", "custom_fields": values})
    assert made.status_code == 201, made.json
    upload(client, admin_token, "没有字段的采购合同。", {"title": "普通采购"})
    hits = {hit["title"]: hit for hit in search(client, admin_token, q="采购")["hits"]}
    assert hits["华东采购"]["custom_fields"] == {"region": "华东"}  # the memo is not marked for search
    assert hits["普通采购"]["custom_fields"] == {}
    page = login("admin").get("/search?q=采购", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span data-custom-value="region">Region: 华东</span>' in page
    assert "内部备注" not in page

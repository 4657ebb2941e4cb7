"""Custom fields end to end: definitions → the contract JSON (read, write, 422 naming the field)
→ the audit diff → search filters, facets and sorting through /api/v1/search (the engine the
app runs: the engines themselves pass tests/indexer/search/test_conformance.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.contracts import custom_fields
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer, csrf_token_from, ensure_department
from tests.samples import docx_bytes

#: One field of each kind: (key, kind, extra definition values).
KINDS: list[tuple[str, str, dict[str, Any]]] = [
    ("project", "text", {}),
    ("notes_long", "long_text", {}),
    ("pieces", "integer", {}),
    ("rate", "decimal", {}),
    ("deposit", "money", {}),
    ("due", "date", {}),
    ("urgent", "boolean", {}),
    ("region", "select", {"options": ["华东", "华北", "华南"]}),
    ("labels", "multi_select", {"options": ["框架", "续签", "涉外"]}),
    ("handler", "user", {}),
    ("sponsor", "department", {}),
    ("guarantor", "counterparty", {}),
    ("portal", "url", {}),
]

VALUES: dict[str, Any] = {
    "project": "智慧园区二期",
    "notes_long": "第一行\n第二行",
    "pieces": 12,
    "rate": "0.035",
    "deposit": {"amount": "1200.5", "currency": "usd"},
    "due": "2025-03-01",
    "urgent": True,
    "region": "华东",
    "labels": ["框架", "涉外"],
    "handler": "HANDLER@example.com",
    "sponsor": "采购部",
    "guarantor": "中国银行上海分行",
    "portal": "https://erp.example.com/c/1",
}

STORED: dict[str, Any] = VALUES | {
    "deposit": {"amount": "1200.50", "currency": "USD"},
    "handler": "handler@example.com",
}


@pytest.fixture
def fields(app: Flask, make_user: Callable[..., User], admin_token: str) -> None:
    make_user("editor", email="handler@example.com")
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        ensure_department("采购部")
        for key, kind, extra in KINDS:
            custom_fields.save_field(
                admin,
                key,
                {"kind": kind, "label_zh": f"字段{key}", "label_en": f"Field {key}", "filterable": True} | extra,
            )
        custom_fields.save_field(
            admin,
            "lease_only",
            {
                "kind": "text",
                "label_zh": "租赁专用",
                "label_en": "Lease only",
                "contract_types": ["lease"],
                "required": True,
            },
        )
        db.session.commit()


def upload(client: FlaskClient, token: str, text: str, metadata: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(docx_bytes(text)), "c.docx"), "metadata": json.dumps(metadata, ensure_ascii=False)},
    )


def search(client: FlaskClient, token: str, **params: Any) -> Any:
    response = client.get("/api/v1/search", headers=bearer(token), query_string=params)
    assert response.status_code == 200, response.json
    return response.json


def test_every_kind_round_trips_through_the_api_and_is_audited(
    client: FlaskClient, admin_token: str, fields: None
) -> None:
    created = upload(client, admin_token, "采购合同正文。", {"title": "采购", "custom_fields": VALUES})
    assert created.status_code == 201, created.json
    contract = client.get(f"/api/v1/contracts/{created.json['id']}", headers=bearer(admin_token)).json
    assert contract["custom_fields"] == STORED
    changed = client.patch(
        f"/api/v1/contracts/{contract['id']}",
        headers=bearer(admin_token),
        json={"custom_fields": {"pieces": "15", "region": None}},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["custom_fields"]["pieces"] == 15 and "region" not in changed.json["custom_fields"]
    assert changed.json["custom_fields"]["project"] == "智慧园区二期"  # not sent: unchanged
    with client.application.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "contract.update")).one()
        assert event.details["changes"] == {
            "custom_fields.pieces": {"old": 12, "new": 15},
            "custom_fields.region": {"old": "华东", "new": None},
        }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("pieces", "12.5"),
        ("rate", "abc"),
        ("rate", "0.123456"),
        ("deposit", {"amount": "-1"}),
        ("due", "2025-02-30"),
        ("urgent", "maybe"),
        ("region", "西北"),
        ("labels", ["框架", "无此项"]),
        ("handler", "nobody@example.com"),
        ("sponsor", "没有的部门"),
        ("portal", "ftp://x"),
        ("project", "长" * 256),
        ("no_such_field", "x"),
        ("lease_only", "x"),  # does not apply to a contract without the lease type
    ],
)
def test_a_bad_value_is_a_422_naming_the_field_and_nothing_is_stored(
    client: FlaskClient, admin_token: str, fields: None, key: str, value: Any
) -> None:
    answer = upload(client, admin_token, "正文。", {"title": "坏值", "custom_fields": {key: value}})
    assert answer.status_code == 422
    assert f"custom_fields.{key}" in answer.json["error"]["message"]
    assert f"custom_fields.{key}" in answer.json["error"]["fields"]
    assert client.get("/api/v1/contracts", headers=bearer(admin_token)).json["total"] == 0


def test_required_fields_defaults_and_types(client: FlaskClient, admin_token: str, app: Flask, fields: None) -> None:
    missing = upload(client, admin_token, "租赁合同。", {"title": "租赁", "contract_type": "lease"})
    assert missing.status_code == 422 and "custom_fields.lease_only" in missing.json["error"]["fields"]
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        field = custom_fields.field_by_key("lease_only")
        custom_fields.save_field(
            admin,
            "lease_only",
            {
                "label_zh": "租赁专用",
                "label_en": "Lease only",
                "contract_types": ["lease"],
                "required": True,
                "default": "默认值",
            },
        )
        assert field.default == "默认值"
        db.session.commit()
    made = upload(client, admin_token, "租赁合同。", {"title": "租赁", "contract_type": "lease"})
    assert made.status_code == 201 and made.json["custom_fields"] == {"lease_only": "默认值"}


def test_retired_fields_keep_their_values_but_refuse_changes(
    client: FlaskClient, admin_token: str, app: Flask, fields: None
) -> None:
    cid = upload(client, admin_token, "正文。", {"title": "退役", "custom_fields": {"project": "旧项目"}}).json["id"]
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        custom_fields.retire_field(admin, custom_fields.field_by_key("project"), True)
        db.session.commit()
    contract = client.get(f"/api/v1/contracts/{cid}", headers=bearer(admin_token)).json
    assert contract["custom_fields"]["project"] == "旧项目"
    same = client.patch(
        f"/api/v1/contracts/{cid}", headers=bearer(admin_token), json={"custom_fields": {"project": "旧项目"}}
    )
    assert same.status_code == 200
    refused = client.patch(
        f"/api/v1/contracts/{cid}", headers=bearer(admin_token), json={"custom_fields": {"project": "新"}}
    )
    assert refused.status_code == 422 and "custom_fields.project" in refused.json["error"]["fields"]
    assert search(client, admin_token, **{"cf.project": "旧项目"})["total"] == 1


def test_search_filters_facets_and_sorts_on_custom_fields(client: FlaskClient, admin_token: str, fields: None) -> None:
    a = upload(client, admin_token, "甲合同。", {"title": "甲", "custom_fields": VALUES}).json["id"]
    b = upload(
        client,
        admin_token,
        "乙合同。",
        {
            "title": "乙",
            "custom_fields": {
                "pieces": 3,
                "region": "华北",
                "urgent": False,
                "rate": "0.5",
                "deposit": "99",
                "due": "2026-01-01",
                "labels": ["框架"],
            },
        },
    ).json["id"]
    c = upload(client, admin_token, "丙合同。", {"title": "丙"}).json["id"]

    def ids(**params: Any) -> list[int]:
        return [hit["id"] for hit in search(client, admin_token, **params)["hits"]]

    assert set(ids(**{"cf.region": "华东"})) == {a}
    assert set(ids(**{"cf.labels": "框架"})) == {a, b}
    assert set(ids(**{"cf.urgent": "false"})) == {b}
    assert set(ids(**{"cf.handler": "handler@example.com"})) == {a}
    assert set(ids(**{"cf.sponsor": "采购部"})) == {a}
    assert set(ids(**{"cf.guarantor": "中国银行上海分行"})) == {a}
    assert set(ids(**{"cf.project": "智慧园区二期"})) == {a}
    assert set(ids(**{"cf.pieces.min": "5"})) == {a}
    assert set(ids(**{"cf.rate.max": "0.1"})) == {a}
    assert set(ids(**{"cf.deposit.min": "100", "cf.deposit.max": "1200.50"})) == {a}
    assert set(ids(**{"cf.due.min": "2025-06-01"})) == {b}
    assert ids(sort="cf:pieces") == [b, a, c]
    assert ids(sort="-cf:due") == [b, a, c]
    facets = search(client, admin_token)["facets"]
    assert facets["cf:region"] == [{"value": "华东", "count": 1}, {"value": "华北", "count": 1}]
    assert facets["cf:labels"][0] == {"value": "框架", "count": 2}
    assert {f["value"] for f in facets["cf:urgent"]} == {"true", "false"}
    assert facets["cf:handler"] == [{"value": "handler@example.com", "count": 1}]
    assert "cf:project" not in facets  # text fields filter, they are not counted
    for bad in (
        {"cf.nope": "x"},
        {"cf.pieces": "3"},
        {"cf.region.min": "1"},
        {"cf.pieces.min": "1.5"},
        {"sort": "cf:region"},
    ):
        answer = client.get("/api/v1/search", headers=bearer(admin_token), query_string=bad)
        assert answer.status_code == 422, bad


def test_search_hits_only_what_the_user_may_read(
    client: FlaskClient, admin_token: str, token_for: Callable[[str], str], fields: None
) -> None:
    upload(client, admin_token, "机密。", {"title": "机密", "custom_fields": {"region": "华东"}})
    cid = upload(client, admin_token, "机密二。", {"title": "机密二", "custom_fields": {"region": "华东"}}).json["id"]
    client.put(
        f"/api/v1/contracts/{cid}/access", headers=bearer(admin_token), json={"confidential": True, "grants": []}
    )
    outsider = token_for("viewer", email="outsider@example.com")
    result = search(client, outsider, **{"cf.region": "华东"})
    assert cid not in {hit["id"] for hit in result["hits"]}
    assert sum(f["count"] for f in result["facets"]["cf:region"]) == result["total"]


def test_admin_page_edit_form_contract_page_and_search_sidebar(
    login: Callable[..., FlaskClient], admin_token: str, client: FlaskClient
) -> None:
    admin = login("admin")
    page = admin.get("/admin/custom-fields", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    token = csrf_token_from(page)
    for key, kind, extra in (
        ("region", "select", {"options": "华东, 华北"}),
        ("pieces", "integer", {}),
        ("lease_note", "text", {"contract_types": "lease"}),
    ):
        saved = admin.post(
            "/admin/custom-fields",
            data={
                "csrf_token": token,
                "key": key,
                "kind": kind,
                "label_zh": f"中文{key}",
                "label_en": f"En {key}",
                "filterable": "1",
                "help_zh": "填写说明",
            }
            | extra,
        )
        assert saved.status_code == 302
    bad = admin.post(
        "/admin/custom-fields", data={"csrf_token": token, "key": "Bad Key", "kind": "text"}, follow_redirects=True
    )
    assert "a–z" in bad.get_data(as_text=True) or "a-z" in bad.get_data(as_text=True)
    page = admin.get("/admin/custom-fields").get_data(as_text=True)
    assert 'data-custom-field="region"' in page and 'data-custom-field="lease_note"' in page

    upload_page = admin.get("/contracts/upload", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'name="cf.region"' in upload_page and 'data-contract-types="lease"' in upload_page
    assert "填写说明" in upload_page
    cid = upload(client, admin_token, "甲。", {"title": "甲"}).json["id"]
    edit = admin.get(f"/contracts/{cid}/edit").get_data(as_text=True)
    response = admin.post(
        f"/contracts/{cid}/edit",
        data={
            "csrf_token": csrf_token_from(edit),
            "title": "甲",
            "currency": "CNY",
            "cf.region": "华北",
            "cf.pieces": "7",
            "cf.lease_note": "不适用时不存",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert 'data-custom-value="region"' in html and "华北" in html and "不适用时不存" not in html
    bad = admin.post(
        f"/contracts/{cid}/edit",
        data={"csrf_token": csrf_token_from(edit), "title": "甲", "currency": "CNY", "cf.pieces": "七"},
    )
    assert "custom_fields.pieces" in bad.get_data(as_text=True)

    results = admin.get("/search", query_string={"cf.region": "华北"}, headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True
    )
    assert 'data-facet="cf:region"' in results and "中文region" in results
    assert f'data-contract-id="{cid}"' in results
    assert 'data-custom-range="pieces"' in results and 'value="cf:pieces"' in results
    assert 'name="cf.region" value="华北"' in results  # kept by the search box


def test_a_saved_search_keeps_its_custom_filters(login: Callable[..., FlaskClient], fields: None) -> None:
    browser = login("editor")
    page = browser.get("/search", query_string={"cf.region": "华东"}).get_data(as_text=True)
    browser.post(
        "/search/saved",
        data={"csrf_token": csrf_token_from(page), "name": "华东合同", "q": "", "cf.region": "华东"},
    )
    listing = browser.get("/search").get_data(as_text=True)
    assert "cf.region=%E5%8D%8E%E4%B8%9C" in listing


def test_the_contract_list_carries_each_contracts_values(client: FlaskClient, admin_token: str, fields: None) -> None:
    a = upload(client, admin_token, "甲。", {"title": "甲", "custom_fields": {"region": "华东"}}).json["id"]
    b = upload(client, admin_token, "乙。", {"title": "乙"}).json["id"]
    items = {c["id"]: c for c in client.get("/api/v1/contracts", headers=bearer(admin_token)).json["items"]}
    assert items[a]["custom_fields"] == {"region": "华东"} and items[b]["custom_fields"] == {}


def test_the_ledger_export_has_a_typed_column_per_field(
    fields: None, client: FlaskClient, admin_token: str, login: Callable[..., FlaskClient]
) -> None:
    import io

    import openpyxl

    from tests.reports.conftest import fetch_result

    upload(client, admin_token, "采购合同正文。", {"title": "台账采购", "custom_fields": VALUES})
    exported = fetch_result(login("admin", email="ledger@example.com"), "/reports/ledger.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.get_data())).active
    header = [cell.value for cell in sheet[1]]
    (row,) = [dict(zip(header, values, strict=True)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert row["Field pieces"] == 12 and isinstance(row["Field pieces"], int)
    assert row["Field deposit"] == pytest.approx(1200.5) and row["Field deposit (currency)"] == "USD"
    assert row["Field due"].date().isoformat() == "2025-03-01"
    assert row["Field labels"] == "框架; 涉外" and row["Field urgent"] == "yes"

"""The template API: list with schemas, draft with JSON variables, 422 naming the variable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from repo_app.drafting import schemas
from repo_app.drafting.models import Template

from ..conftest import bearer, ensure_department
from .helpers import text_of


def test_starter_library_drafts_every_template(client: FlaskClient, starter: dict[str, int], admin_token: str) -> None:
    assert len(starter) >= 12
    listed = client.get("/api/v1/templates", headers=bearer(admin_token)).get_json()["items"]
    assert {item["id"] for item in listed} >= set(starter.values())
    for item in listed:
        values = schemas.sample_values(item["variables"])
        answer = client.post(
            f"/api/v1/templates/{item['id']}/drafts", json={"variables": values}, headers=bearer(admin_token)
        )
        assert answer.status_code == 201, (item["name"], answer.get_json())
        contract = answer.get_json()
        word = client.get(f"/api/v1/contracts/{contract['id']}/versions/1/file", headers=bearer(admin_token))
        text = text_of(word.data)
        assert "{{" not in text and "{%" not in text, item["name"]
        if item["language"] == "zh" and any(v["type"] == "money" for v in item["variables"]):
            assert "人民币壹拾万元整" in text or "人民币贰万元整" in text, item["name"]
    lease = client.get(f"/api/v1/templates/{starter['lease_zh']}", headers=bearer(admin_token)).get_json()
    assert lease["contract_type"] == "lease" and lease["version"] == 1


def test_draft_answers_422_naming_the_bad_variable(
    client: FlaskClient, starter: dict[str, int], token_for: Callable[[str], str]
) -> None:
    token = token_for("editor")
    url = f"/api/v1/templates/{starter['service_en']}/drafts"
    schema = client.get(f"/api/v1/templates/{starter['service_en']}", headers=bearer(token)).get_json()
    good = schemas.sample_values(schema["variables"])
    cases: list[tuple[dict[str, Any], str]] = [
        ({**good, "fee": "12.345"}, "variables.fee"),
        ({**good, "fee": {"amount": "abc", "currency": "USD"}}, "variables.fee"),
        ({**good, "start_date": "2026-13-01"}, "variables.start_date"),
        ({k: v for k, v in good.items() if k != "party_b"}, "variables.party_b"),
        ({**good, "colour": "blue"}, "variables.colour"),
        ({**good, "sla": "maybe"}, "variables.sla"),
    ]
    for values, field in cases:
        answer = client.post(url, json={"variables": values}, headers=bearer(token))
        assert answer.status_code == 422, values
        assert answer.get_json()["error"]["field"] == field
        assert field.split(".")[1] in answer.get_json()["error"]["message"]
    made = client.post(
        url,
        json={"variables": {**good, "fee": {"amount": 50000, "currency": "USD"}}, "title": "IT support"},
        headers=bearer(token),
    )
    assert made.status_code == 201
    contract = made.get_json()
    assert contract["title"] == "IT support" and contract["amount"] == "50000.00" and contract["currency"] == "USD"
    assert contract["counterparties"] == ["Sample Services Ltd."] and contract["status"] == "draft"
    assert contract["versions"][0]["media_type"].endswith("wordprocessingml.document")


def test_permissions_and_department_templates(
    app: Flask, client: FlaskClient, starter: dict[str, int], token_for: Callable[..., str]
) -> None:
    viewer = token_for("viewer")
    assert client.get("/api/v1/templates", headers=bearer(viewer)).status_code == 403
    assert client.post(
        f"/api/v1/templates/{starter['nda_zh']}/drafts", json={"variables": {}}, headers=bearer(viewer)
    ).status_code in (403, 404)
    with app.app_context():
        template = db.session.get(Template, starter["nda_zh"])
        template.department = ensure_department("法务部")
        db.session.commit()
    sales = token_for("editor", department="销售部")
    legal = token_for("editor", department="法务部")
    names = {item["name"] for item in client.get("/api/v1/templates", headers=bearer(sales)).get_json()["items"]}
    assert "保密协议" not in names and "销售合同" in names
    assert client.get(f"/api/v1/templates/{starter['nda_zh']}", headers=bearer(sales)).status_code == 404
    assert client.get(f"/api/v1/templates/{starter['nda_zh']}", headers=bearer(legal)).status_code == 200


def test_a_known_counterparty_fills_its_address_and_contact_from_the_directory(
    client: FlaskClient, starter: dict[str, int], admin_token: str
) -> None:
    party = {
        "name": "杭州西湖设备有限公司",
        "address": "杭州市西湖区文三路 1 号",
        "contacts": [{"name": "王芳", "role": "销售经理", "email": "wang.fang@example.com", "phone": "0571-8888 0001"}],
    }
    assert client.post("/api/v1/counterparties", json=party, headers=bearer(admin_token)).status_code == 201
    template = client.get(f"/api/v1/templates/{starter['purchase_zh']}", headers=bearer(admin_token)).get_json()
    values = schemas.sample_values(template["variables"]) | {"party_b": {"name": "杭州西湖设备有限公司"}}
    answer = client.post(
        f"/api/v1/templates/{template['id']}/drafts", json={"variables": values}, headers=bearer(admin_token)
    )
    assert answer.status_code == 201, answer.get_json()
    word = client.get(f"/api/v1/contracts/{answer.get_json()['id']}/versions/1/file", headers=bearer(admin_token))
    text = text_of(word.data)
    assert "地址：杭州市西湖区文三路 1 号" in text and "王芳 0571-8888 0001 wang.fang@example.com" in text


def test_non_standard_terms_name_the_clauses_changed_from_the_template(
    app: Flask, client: FlaskClient, starter: dict[str, int], admin_token: str
) -> None:
    import io

    import docx

    from repo_app.contracts.models import Contract
    from repo_app.review.panel import deviation_notes

    template = client.get(f"/api/v1/templates/{starter['purchase_zh']}", headers=bearer(admin_token)).get_json()
    values = schemas.sample_values(template["variables"])
    drafted = client.post(
        f"/api/v1/templates/{template['id']}/drafts", json={"variables": values}, headers=bearer(admin_token)
    )
    contract_id = drafted.get_json()["id"]
    page = client.get(f"/contracts/{contract_id}", headers=bearer(admin_token))
    assert 'data-deviation="none"' in page.get_data(as_text=True)  # the drafted version is the standard
    word = client.get(f"/api/v1/contracts/{contract_id}/versions/1/file", headers=bearer(admin_token)).data
    document = docx.Document(io.BytesIO(word))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("第四条"):
            paragraph.text = "第四条 验收：甲方应在收货后三十日内验收，逾期未提出异议的视为验收合格。"
    negotiated = io.BytesIO()
    document.save(negotiated)
    uploaded = client.post(
        f"/api/v1/contracts/{contract_id}/versions",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(negotiated.getvalue()), "negotiated.docx")},
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    shown = client.get(f"/contracts/{contract_id}", headers=bearer(admin_token)).get_data(as_text=True)
    assert (
        'data-deviation="changed"' in shown
        and "第四条" in shown
        and "第三条" not in shown.split("data-deviation")[1][:600]
    )
    with app.test_request_context():
        contract = db.session.get(Contract, contract_id)
        assert contract is not None
        (note,) = deviation_notes(contract)
    assert "第四条" in note and "version 2" in note

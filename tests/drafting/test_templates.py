"""Templates in the browser's pages: upload, variables found, publish, draft, the contract page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from repo_app.drafting.models import Template

from ..conftest import csrf_token_from
from .helpers import PURCHASE, docx, text_of


def _token(client: FlaskClient, url: str = "/templates") -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def _upload(client: FlaskClient, data: bytes, name: str = "采购模板") -> Any:
    return client.post(
        "/templates/new",
        data={
            "csrf_token": _token(client),
            "name": name,
            "language": "zh",
            "contract_type": "purchase",
            "file": (io.BytesIO(data), "purchase.docx"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _save_clause(client: FlaskClient, text: str) -> None:
    client.post(
        "/clauses",
        data={"csrf_token": _token(client), "key": "confidentiality", "title": "保密", "text_zh": text, "text_en": ""},
    )


def _template_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.query(Template.id).filter_by(name=name).scalar()


def _variables_form(client: FlaskClient, template_id: int, then: str = "") -> dict[str, str]:
    html = client.get(f"/templates/{template_id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html), "count": re.search(r'name="count" value="(\d+)"', html).group(1)}
    for name, value in re.findall(r'<input type="hidden" name="(name-\d+)" value="([^"]*)"', html):
        form[name] = value
    for field, value in re.findall(r'name="(type-\d+)">.*?<option value="(\w+)" selected', html):
        form[field] = value
    if then:
        form["then"] = then
    return form


def test_upload_publish_and_draft_a_contract(app: Flask, login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    _save_clause(editor, "双方应对合同内容保密。")
    page = _upload(editor, PURCHASE).get_data(as_text=True)
    # Every placeholder is listed, with the type its use suggests.
    for name in ("number", "buyer", "price", "signed", "warranty", "items"):
        assert f'data-variable="{name}"' in page
    template_id = _template_id(app, "采购模板")
    form = _variables_form(editor, template_id, then="publish")
    index = {v: k.split("-")[1] for k, v in form.items() if k.startswith("name-")}
    assert form[f"type-{index['price']}"] == "money" and form[f"type-{index['items']}"] == "table"
    assert form[f"type-{index['buyer']}"] == "party" and form[f"type-{index['warranty']}"] == "yesno"
    form[f"type-{index['signed']}"] = "date"
    form[f"columns-{index['items']}"] = "name, qty"
    form[f"maps_to-{index['buyer']}"] = "counterparty"
    form[f"maps_to-{index['price']}"] = "amount"
    form[f"maps_to-{index['signed']}"] = "signed_date"
    form[f"label-{index['buyer']}"] = "买方"
    for name in ("number", "buyer", "price", "signed"):
        form[f"required-{index[name]}"] = "1"
    published = editor.post(f"/templates/{template_id}/variables", data=form, follow_redirects=True)
    assert "Published" in published.get_data(as_text=True)

    draft_url = f"/templates/{template_id}/draft"
    values = {
        "csrf_token": _token(editor, draft_url),
        "number": "CG-2026-001",
        "buyer": "北京甲方有限公司",
        "buyer.address": "北京市海淀区",
        "price": "100000",
        "price.currency": "CNY",
        "signed": "2026-01-05",
        "warranty": "1",
        "items": "螺丝 | 300\n螺母 | 200",
    }
    missing = editor.post(draft_url, data={**values, "buyer": ""})
    assert missing.status_code == 422 and "买方 (buyer): required" in missing.get_data(as_text=True)
    done = editor.post(draft_url, data=values)
    assert done.status_code == 302
    contract_page = editor.get(done.headers["Location"]).get_data(as_text=True)
    assert "Drafted from template 采购模板 v1" in contract_page
    assert "北京甲方有限公司" in contract_page and "100,000.00" in contract_page
    word = editor.get(done.headers["Location"].replace("/contracts/", "/api/v1/contracts/") + "/versions/1/file")
    text = text_of(word.data)
    assert "人民币壹拾万元整" in text and "2026年1月5日" in text and "地址：北京市海淀区" in text
    assert "质量保证期为十二个月。" in text and "双方应对合同内容保密。" in text
    assert "螺丝 | 300" in text and "螺母 | 200" in text and "{{" not in text


def test_a_jinja_error_names_its_paragraph_or_cell(login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    page = _upload(editor, docx("甲方：{{ party_a }}", "{% if warranty %}", "质保")).get_data(as_text=True)
    assert "The template has an error in paragraph 2" in page
    page = _upload(editor, docx("ok", table=[["{{ price }", "x"]]), name="坏表格").get_data(as_text=True)
    assert "table 1, row 1, cell 1" in page


def test_publish_refuses_a_misspelt_attribute(app: Flask, login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    _upload(editor, docx("价款：{{ price }}，大写：{{ price.uper }}"), name="拼写错误")
    template_id = _template_id(app, "拼写错误")
    page = editor.post(f"/templates/{template_id}/publish", data={"csrf_token": _token(editor)}, follow_redirects=True)
    assert "has no attribute &#39;uper&#39;" in page.get_data(as_text=True)
    assert "not published yet" in page.get_data(as_text=True)


def test_publish_refuses_an_unknown_clause_and_names_where(app: Flask, login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    _upload(editor, docx("正文", '{{ clause("no_such_clause") }}'), name="缺条款")
    template_id = _template_id(app, "缺条款")
    page = editor.post(f"/templates/{template_id}/publish", data={"csrf_token": _token(editor)}, follow_redirects=True)
    assert "The clause no_such_clause included in paragraph 2 is not in the clause library." in page.get_data(
        as_text=True
    )


def test_published_versions_never_change_and_clauses_arrive_at_the_next_version(
    app: Flask, login: Callable[..., FlaskClient], token_for: Callable[[str], str]
) -> None:
    editor = login("editor")
    _save_clause(editor, "旧保密条款。")
    _upload(editor, docx("{{ who }}", '{{ clause("confidentiality") }}'), name="条款模板")
    template_id = _template_id(app, "条款模板")
    editor.post(f"/templates/{template_id}/publish", data={"csrf_token": _token(editor)})
    _save_clause(editor, "新保密条款。")
    # Editing the published version opens version 2 as a draft; drafting still uses version 1.
    form = _variables_form(editor, template_id)
    editor.post(f"/templates/{template_id}/variables", data=form)
    token = token_for("editor")
    headers = {"Authorization": f"Bearer {token}"}
    first = editor.post(f"/api/v1/templates/{template_id}/drafts", json={"variables": {"who": "甲"}}, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["drafted_from"]["version"] == 1
    assert "旧保密条款。" in text_of(
        editor.get(f"/api/v1/contracts/{first.get_json()['id']}/versions/1/file", headers=headers).data
    )
    editor.post(f"/templates/{template_id}/publish", data={"csrf_token": _token(editor)})
    second = editor.post(f"/api/v1/templates/{template_id}/drafts", json={"variables": {"who": "甲"}}, headers=headers)
    assert second.get_json()["drafted_from"]["version"] == 2
    assert "新保密条款。" in text_of(
        editor.get(f"/api/v1/contracts/{second.get_json()['id']}/versions/1/file", headers=headers).data
    )


def test_preview_without_libreoffice_says_so(app: Flask, login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    _upload(editor, docx("甲方：{{ party_a }}"), name="预览模板")
    template_id = _template_id(app, "预览模板")
    answer = editor.get(f"/templates/{template_id}/versions/1/preview.pdf")
    assert answer.status_code == 503
    assert "The preview needs LibreOffice (soffice)" in answer.get_data(as_text=True)
    sample = editor.get(f"/templates/{template_id}/versions/1/sample.docx")
    assert sample.status_code == 200 and "甲方：示例公司 Example Co., Ltd." in text_of(sample.data)


def test_purging_a_contract_keeps_a_template_made_of_the_same_file(
    app: Flask, login: Callable[..., FlaskClient], admin_token: str
) -> None:
    data = docx("甲方：{{ party_a }}", "同一份文件")
    headers = {"Authorization": f"Bearer {admin_token}"}
    client = app.test_client()
    uploaded = client.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(data), "same.docx")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201
    editor = login("editor")
    _upload(editor, data, name="同一文件模板")
    contract_id = uploaded.get_json()["id"]
    assert client.delete(f"/api/v1/contracts/{contract_id}", headers=headers).status_code == 204
    assert client.post(f"/api/v1/contracts/{contract_id}/purge", headers=headers).status_code in (200, 204)
    kept = editor.get(f"/templates/{_template_id(app, '同一文件模板')}/versions/1/file")
    assert kept.status_code == 200 and kept.data == data


def test_save_a_contract_version_as_a_template(app: Flask, login: Callable[..., FlaskClient], admin_token: str) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    client = app.test_client()
    metadata = '{"title": "已签采购合同", "counterparties": ["上海样本贸易有限公司"], "contract_number": "CG-7"}'
    data = docx("合同编号：CG-7", "买方：上海样本贸易有限公司", table=[["卖方", "上海样本贸易有限公司"]])
    uploaded = client.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(data), "signed.docx"), "metadata": metadata},
        headers=headers,
        content_type="multipart/form-data",
    )
    contract_id = uploaded.get_json()["id"]
    editor = login("admin", email="manager@example.com")
    page = editor.get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert "data-save-as-template" in page
    url = f"/contracts/{contract_id}/versions/1/save-as-template"
    form = editor.get(url).get_data(as_text=True)
    assert "上海样本贸易有限公司" in form and 'value="party_b"' in form
    fields = {
        "csrf_token": csrf_token_from(form),
        "name": "来自合同的模板",
        "language": "zh",
        "text-0": "上海样本贸易有限公司",
        "variable-0": "party_b",
        "text-1": "CG-7",
        "variable-1": "contract_number",
        "text-2": "不存在的文字",
        "variable-2": "nothing",
    }
    refused = editor.post(url, data=fields, follow_redirects=True).get_data(as_text=True)
    assert "The text 不存在的文字 does not occur in the document." in refused
    del fields["text-2"], fields["variable-2"]
    made = editor.post(url, data=fields, follow_redirects=True).get_data(as_text=True)
    assert 'data-variable="party_b"' in made and 'data-variable="contract_number"' in made
    word = editor.get(f"/templates/{_template_id(app, '来自合同的模板')}/versions/1/file").data
    assert "买方：{{ party_b }}" in text_of(word) and "卖方 | {{ party_b }}" in text_of(word)

from __future__ import annotations

import io
import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token_from
from tests.samples import docx_bytes, pdf_bytes


def _upload(browser: FlaskClient, content: bytes, filename: str, metadata: dict | None = None) -> int:
    token = csrf_token_from(browser.get("/contracts/upload").get_data(as_text=True))
    data = {"file": (io.BytesIO(content), filename)}
    if metadata:
        data["metadata"] = json.dumps(metadata, ensure_ascii=False)
    response = browser.post("/api/v1/contracts", data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_contract_pages_show_what_was_uploaded(login: Callable[[str], FlaskClient]) -> None:
    browser = login("editor")
    contract_id = _upload(
        browser,
        pdf_bytes(),
        "服务合同.pdf",
        {
            "title": "技术服务合同",
            "counterparties": ["北京云杉科技有限公司"],
            "amount": "350000",
            "contract_type": "service",
            "tags": ["IT"],
            "expiry_date": "2027-06-30",
        },
    )
    listing = browser.get("/contracts", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "技术服务合同" in listing and "北京云杉科技有限公司" in listing and "CNY 350,000.00" in listing
    detail = browser.get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert "data-pdf-preview" in detail and f"/api/v1/contracts/{contract_id}/versions/1/file?inline=1" in detail
    assert "2027-06-30" in detail and "服务合同.pdf" in detail


def test_edit_form_changes_metadata(login: Callable[[str], FlaskClient]) -> None:
    browser = login("editor")
    contract_id = _upload(browser, pdf_bytes("edit"), "e.pdf", {"title": "原标题"})
    page = browser.get(f"/contracts/{contract_id}/edit").get_data(as_text=True)
    assert 'value="原标题"' in page
    response = browser.post(
        f"/contracts/{contract_id}/edit",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "新标题",
            "counterparties": "甲公司、乙公司\n丙公司",
            "amount": "1,200.50",
            "currency": "USD",
            "tags": "保密, 年度",
            "contract_type": "nda",
            "department": "",
            "signed_date": "2025-01-02",
            "effective_date": "",
            "expiry_date": "",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "新标题" in html and "甲公司" in html and "丙公司" in html and "USD 1,200.50" in html
    bad = browser.post(
        f"/contracts/{contract_id}/edit",
        data={"csrf_token": csrf_token_from(page), "title": "新标题", "amount": "abc", "currency": "CNY"},
    )
    assert "amount" in bad.get_data(as_text=True)


def test_new_version_and_trash_from_the_page(login: Callable[[str], FlaskClient], app: Flask) -> None:
    browser = login("manager")
    contract_id = _upload(browser, pdf_bytes("v1"), "v1.pdf")
    page = browser.get(f"/contracts/{contract_id}").get_data(as_text=True)
    token = csrf_token_from(page)
    done = browser.post(
        f"/contracts/{contract_id}/versions",
        data={"csrf_token": token, "file": (io.BytesIO(docx_bytes("v2")), "第二版.docx")},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "第二版.docx" in html and 'data-version="2"' in html
    refused = browser.post(
        f"/contracts/{contract_id}/versions",
        data={"csrf_token": token, "file": (io.BytesIO(b"\x00\x01binary"), "x.exe")},
        follow_redirects=True,
    )
    assert 'data-version="3"' not in refused.get_data(as_text=True)
    browser.post(f"/contracts/{contract_id}/delete", data={"csrf_token": token})
    assert browser.get(f"/contracts/{contract_id}").status_code == 404


def test_health_probes(app: Flask, client: FlaskClient, tmp_path) -> None:
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok", "storage": "ok"}


def test_readyz_names_the_failing_part(app: Flask, client: FlaskClient, tmp_path) -> None:
    import shutil

    blobs = tmp_path / "blobs"
    shutil.rmtree(blobs)
    blobs.write_text("a volume that went away")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["storage"].startswith("failed")
    assert response.json["checks"]["database"] == "ok"


def test_storage_misconfiguration_stops_the_app(app_config: dict, tmp_path) -> None:
    import pytest

    from repo_app import create_app
    from storage import StorageConfigError

    (tmp_path / "a-file").write_text("x")
    app_config["storage_url"] = f"file://{tmp_path / 'a-file'}"
    with pytest.raises(StorageConfigError, match="a-file"):
        create_app(app_config)

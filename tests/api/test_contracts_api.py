from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import ContractVersion
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer, stored_blobs
from tests.samples import SAMPLES, docx_bytes, pdf_bytes, png_bytes


def upload(
    client: FlaskClient,
    token: str,
    content: bytes,
    filename: str = "contract.pdf",
    metadata: dict[str, Any] | None = None,
) -> Any:
    data: dict[str, Any] = {"file": (io.BytesIO(content), filename)}
    if metadata is not None:
        data["metadata"] = json.dumps(metadata, ensure_ascii=False)
    return client.post("/api/v1/contracts", data=data, headers=bearer(token), content_type="multipart/form-data")


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_upload_every_accepted_type(client: FlaskClient, admin_token: str, kind: str) -> None:
    filename, make, media_type = SAMPLES[kind]
    content = make()
    response = upload(client, admin_token, content, filename)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["versions"][0]["number"] == 1
    assert body["versions"][0]["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["versions"][0]["size"] == len(content)
    assert body["versions"][0]["media_type"] == media_type
    assert body["versions"][0]["status"]
    assert response.headers["Location"].endswith(f"/api/v1/contracts/{body['id']}")
    assert body["versions"][0]["sha256"] in stored_blobs(client.application)
    # the exact bytes come back
    download = client.get(f"/api/v1/contracts/{body['id']}/versions/1/file", headers=bearer(admin_token))
    assert download.data == content
    assert download.mimetype == media_type


def test_chinese_filename_and_metadata_round_trip(client: FlaskClient, admin_token: str) -> None:
    metadata = {
        "title": "设备采购合同",
        "contract_number": "CG-2025-001",
        "contract_type": "purchase",
        "counterparties": ["华东精密机械有限公司", "Acme Ltd"],
        "amount": "1280000.50",
        "currency": "cny",
        "signed_date": "2025-03-01",
        "effective_date": "2025-03-01",
        "expiry_date": "2026-02-28",
        "tags": ["设备", "年度框架"],
        "description": "第一批交付",
    }
    response = upload(client, admin_token, pdf_bytes(), "采购合同（最终版）.pdf", metadata)
    assert response.status_code == 201, response.json
    body = client.get(f"/api/v1/contracts/{response.json['id']}", headers=bearer(admin_token)).json
    assert body["title"] == "设备采购合同"
    assert body["counterparties"] == ["华东精密机械有限公司", "Acme Ltd"]
    assert body["amount"] == "1280000.50" and body["currency"] == "CNY"
    assert body["tags"] == sorted(["设备", "年度框架"])
    assert body["versions"][0]["filename"] == "采购合同（最终版）.pdf"
    download = client.get(f"/api/v1/contracts/{body['id']}/versions/latest/file", headers=bearer(admin_token))
    assert "filename*=UTF-8''%E9%87%87%E8%B4%AD" in download.headers["Content-Disposition"]


def test_title_defaults_to_the_filename(client: FlaskClient, admin_token: str) -> None:
    response = upload(client, admin_token, pdf_bytes(), "租赁合同_2025.pdf")
    assert response.json["title"] == "租赁合同 2025"


@pytest.mark.parametrize(
    "content, filename, status, code",
    [
        (b"", "empty.pdf", 422, "invalid"),
        (b"MZ\x90\x00" + bytes(range(256)) * 8, "setup.pdf", 415, "unsupported_type"),
        (pdf_bytes()[:-300], "cut.pdf", 422, "invalid"),
        (docx_bytes()[:2000], "cut.docx", 422, "invalid"),
        (png_bytes()[:-12], "cut.png", 422, "invalid"),
    ],
)
def test_bad_files_are_refused_and_leave_nothing(
    app: Flask, client: FlaskClient, admin_token: str, content: bytes, filename: str, status: int, code: str
) -> None:
    response = upload(client, admin_token, content, filename)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    with app.app_context():
        assert db.session.query(ContractVersion).count() == 0
    assert stored_blobs(app) == set()


def test_oversize_upload_answers_413_with_the_limit(app_config: dict[str, Any]) -> None:
    from repo_app import create_app

    app_config["max_upload_mb"] = 1
    app = create_app(app_config)
    client = app.test_client()
    with app.app_context():
        from repo_app.auth.services import create_token, create_user

        user = create_user("big@example.com", "correct horse battery", "admin")
        _row, token = create_token(user, "t")
        db.session.commit()
    big = pdf_bytes()[:-6] + b" " * (2 * 1024 * 1024) + b"%%EOF\n"
    response = upload(client, token, big, "big.pdf")
    assert response.status_code == 413
    assert "1 MB" in response.json["error"]["message"]
    # Just under the request limit but over the file limit: the store refuses it too.
    almost = pdf_bytes()[:-6] + b" " * (1024 * 1024 + 10) + b"%%EOF\n"
    response = upload(client, token, almost, "almost.pdf")
    assert response.status_code == 413
    with app.app_context():
        assert db.session.query(ContractVersion).count() == 0
        db.engine.dispose()
    assert stored_blobs(app) == set()


def test_duplicate_is_reported_with_a_link(client: FlaskClient, admin_token: str) -> None:
    content = pdf_bytes("duplicate me")
    first = upload(client, admin_token, content, "a.pdf", {"title": "原合同"})
    second = upload(client, admin_token, content, "copy.pdf")
    assert second.status_code == 409
    error = second.json["error"]
    assert error["code"] == "duplicate"
    assert error["contract_id"] == first.json["id"]
    assert error["contract_url"] == f"/contracts/{first.json['id']}"
    assert "原合同" in error["message"]
    assert client.get("/api/v1/contracts", headers=bearer(admin_token)).json["total"] == 1


def test_duplicate_of_a_contract_the_uploader_cannot_read_names_nothing(
    client: FlaskClient, token_for: Callable[..., str]
) -> None:
    content = pdf_bytes("confidential merger draft")
    legal = token_for("editor", department="法务部")
    finance = token_for("editor", department="财务部")
    first = upload(client, legal, content, "a.pdf", {"title": "秘密并购协议"})
    assert first.status_code == 201
    assert client.get(f"/api/v1/contracts/{first.json['id']}", headers=bearer(finance)).status_code == 404

    second = upload(client, finance, content, "copy.pdf")
    assert second.status_code == 409
    error = second.json["error"]
    assert error["code"] == "duplicate"
    assert "秘密并购协议" not in second.get_data(as_text=True)
    assert set(error) == {"code", "message"}
    # the one who may read it still gets the helpful answer
    again = upload(client, legal, content, "again.pdf")
    assert again.json["error"]["contract_id"] == first.json["id"]


def test_failed_database_write_removes_the_new_blob(app: Flask, client: FlaskClient, admin_token: str) -> None:
    # An unknown contract type fails after the blob was written: the blob must go again.
    response = upload(client, admin_token, pdf_bytes("orphan?"), "x.pdf", {"contract_type": "nope"})
    assert response.status_code == 422
    assert "nope" in response.json["error"]["message"]
    assert stored_blobs(app) == set()


@pytest.mark.parametrize(
    "metadata, fragment",
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"signed_date": "2025-02-30"}, "signed_date"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"effective_date": "2025-05-01", "expiry_date": "2025-01-01"}, "expiry_date"),
        ({"department": "无此部门"}, "无此部门"),
    ],
)
def test_invalid_metadata_is_refused_with_the_field_named(
    client: FlaskClient, admin_token: str, metadata: dict[str, Any], fragment: str
) -> None:
    response = upload(client, admin_token, pdf_bytes(), "m.pdf", metadata)
    assert response.status_code == 422
    assert fragment in response.json["error"]["message"]


def test_metadata_that_is_not_json_is_refused(client: FlaskClient, admin_token: str) -> None:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes()), "a.pdf"), "metadata": "{oops"},
    )
    assert response.status_code == 422
    assert "JSON" in response.json["error"]["message"]


def test_missing_file_field(client: FlaskClient, admin_token: str) -> None:
    response = client.post("/api/v1/contracts", headers=bearer(admin_token), data={"metadata": "{}"})
    assert response.status_code == 422
    assert "file" in response.json["error"]["message"]


def test_new_version_and_version_numbers(client: FlaskClient, admin_token: str) -> None:
    contract = upload(client, admin_token, pdf_bytes("v1"), "v1.pdf").json
    second = docx_bytes("v2")
    response = client.post(
        f"/api/v1/contracts/{contract['id']}/versions",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(second), "v2.docx")},
    )
    assert response.status_code == 201
    assert response.json["number"] == 2
    latest = client.get(f"/api/v1/contracts/{contract['id']}/versions/latest/file", headers=bearer(admin_token))
    assert latest.data == second
    first = client.get(f"/api/v1/contracts/{contract['id']}/versions/1/file", headers=bearer(admin_token))
    assert first.data == pdf_bytes("v1")
    again = client.post(
        f"/api/v1/contracts/{contract['id']}/versions",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes("v1")), "again.pdf")},
    )
    assert again.status_code == 409
    assert "version 1" in again.json["error"]["message"]
    missing = client.get(f"/api/v1/contracts/{contract['id']}/versions/9/file", headers=bearer(admin_token))
    assert missing.status_code == 404


def test_download_etag_and_ranges(client: FlaskClient, admin_token: str) -> None:
    content = pdf_bytes("ranges")
    contract = upload(client, admin_token, content, "r.pdf").json
    url = f"/api/v1/contracts/{contract['id']}/versions/1/file"
    full = client.get(url, headers=bearer(admin_token))
    sha = hashlib.sha256(content).hexdigest()
    assert full.headers["ETag"] == f'"{sha}"'
    assert full.headers["Accept-Ranges"] == "bytes"
    part = client.get(url, headers={**bearer(admin_token), "Range": "bytes=5-14"})
    assert part.status_code == 206
    assert part.data == content[5:15]
    assert part.headers["Content-Range"] == f"bytes 5-14/{len(content)}"
    tail = client.get(url, headers={**bearer(admin_token), "Range": "bytes=-7"})
    assert tail.data == content[-7:]
    beyond = client.get(url, headers={**bearer(admin_token), "Range": f"bytes={len(content) + 5}-"})
    assert beyond.status_code == 416
    cached = client.get(url, headers={**bearer(admin_token), "If-None-Match": f'"{sha}"'})
    assert cached.status_code == 304 and cached.data == b""
    stale = client.get(url, headers={**bearer(admin_token), "Range": "bytes=0-3", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.data == content


def test_patch_updates_only_the_fields_sent(app: Flask, client: FlaskClient, admin_token: str) -> None:
    contract = upload(
        client, admin_token, pdf_bytes(), "p.pdf", {"title": "旧标题", "tags": ["a"], "amount": "10"}
    ).json
    response = client.patch(
        f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token), json={"title": "新标题", "tags": ["b", "c"]}
    )
    assert response.status_code == 200
    assert response.json["title"] == "新标题"
    assert response.json["tags"] == ["b", "c"]
    assert response.json["amount"] == "10.00"
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="contract.update").one()
        assert event.details["changes"]["title"] == {"old": "旧标题", "new": "新标题"}
    bad = client.patch(f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token), json={"title": ""})
    assert bad.status_code == 422


def test_trash_and_restore(client: FlaskClient, admin_token: str, token_for: Any) -> None:
    contract = upload(client, admin_token, pdf_bytes("trash"), "t.pdf").json
    url = f"/api/v1/contracts/{contract['id']}"
    assert client.delete(url, headers=bearer(admin_token)).status_code == 204
    assert client.get(url, headers=bearer(admin_token)).status_code == 404
    assert client.get("/api/v1/contracts", headers=bearer(admin_token)).json["total"] == 0
    # the file is kept; a re-upload points to the trash instead of duplicating silently
    again = upload(client, admin_token, pdf_bytes("trash"), "t.pdf")
    assert again.status_code == 409 and "trash" in again.json["error"]["message"]
    manager = token_for("manager")
    # Only admins see the trash: for anyone else the contract does not exist.
    assert client.post(f"{url}/restore", headers=bearer(manager)).status_code == 404
    restored = client.post(f"{url}/restore", headers=bearer(admin_token))
    assert restored.status_code == 200 and restored.json["deleted_at"] is None
    assert client.get(url, headers=bearer(admin_token)).status_code == 200


def test_list_is_paged_newest_first(client: FlaskClient, admin_token: str) -> None:
    for number in range(3):
        upload(client, admin_token, pdf_bytes(f"doc {number}"), f"{number}.pdf", {"title": f"合同{number}"})
    page = client.get("/api/v1/contracts?per_page=2", headers=bearer(admin_token)).json
    assert page["total"] == 3 and [item["title"] for item in page["items"]] == ["合同2", "合同1"]
    second = client.get("/api/v1/contracts?per_page=2&page=2", headers=bearer(admin_token)).json
    assert [item["title"] for item in second["items"]] == ["合同0"]
    bad = client.get("/api/v1/contracts?per_page=1000", headers=bearer(admin_token))
    assert bad.status_code == 422


def test_every_change_is_audited(app: Flask, client: FlaskClient, admin_token: str) -> None:
    contract = upload(client, admin_token, pdf_bytes("audit"), "a.pdf").json
    client.get(f"/api/v1/contracts/{contract['id']}/versions/1/file", headers=bearer(admin_token))
    client.delete(f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token))
    with app.app_context():
        actions = [event.action for event in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert {"contract.create", "version.download", "contract.trash"} <= set(actions)


def test_openapi_document_describes_the_paths(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    for path in (
        "/contracts",
        "/contracts/{contract_id}",
        "/contracts/{contract_id}/versions",
        "/contracts/{contract_id}/versions/{number}/file",
    ):
        assert path in document["paths"]
    assert "ContractMetadata" in document["components"]["schemas"]
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_api_path_answers_json(client: FlaskClient, admin_token: str) -> None:
    response = client.get("/api/v1/nothing-here", headers=bearer(admin_token))
    assert response.status_code == 404
    assert response.json["error"]["message"]

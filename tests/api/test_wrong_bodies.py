"""Bodies and ids of the wrong shape answer a 4xx that says what is wrong, never a 500 (defects
Schemathesis found: tests/api/test_schemathesis.py)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import bearer
from tests.samples import pdf_bytes

HUGE = 10**30


@pytest.fixture
def contract_id(client: FlaskClient, admin_token: str) -> int:
    data = {"file": (io.BytesIO(pdf_bytes("Wrong bodies 错误请求")), "wrong.pdf")}
    response = client.post(
        "/api/v1/contracts", data=data, headers=bearer(admin_token), content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


CASES: list[tuple[str, str, Any, str]] = [
    ("POST", "/legal-hold", ["hold"], "JSON object"),
    ("POST", "/legal-hold", "hold", "JSON object"),
    ("POST", "/legal-hold", {"hold": True, "reason": 5}, "reason must be text"),
    ("POST", "/legal-hold", {"hold": "yes", "reason": "case 12"}, "hold must be true or false"),
    ("PUT", "/parent", {"parent_id": HUGE, "relation": "amendment"}, "parent_id must be a whole number"),
    ("PUT", "/parent", {"parent_id": "1", "relation": "amendment"}, "parent_id must be a whole number"),
    ("PUT", "/parent", {"parent_id": 1, "relation": ["amendment"]}, "relation must be text"),
    ("PUT", "/access", {"grants": [{"grantee_type": ["user"], "level": "read"}]}, "grantee_type"),
    ("PUT", "/access", {"grants": [{"grantee_type": "user", "grantee_id": HUGE, "level": "read"}]}, "grantee_id"),
    ("PUT", "/access", {"grants": [{"grantee_type": "user", "grantee": "a@b.c", "level": {}}]}, "Unknown level"),
    ("PUT", "/access", {"department_level": ["read"]}, "Unknown level"),
    ("PUT", "/access", {"confidential": "no"}, "confidential must be true or false"),
    ("POST", "/signing-requests", "signers", "JSON object"),
    ("POST", "/signing-requests", {"signers": [["a@b.c"]]}, "signers must be a list"),
    ("POST", "/signing-requests", {"signers": ["admin@example.com"], "level": ["B-B"]}, "level must be text"),
    ("POST", "/signing-requests", {"signers": ["admin@example.com"], "message": 5}, "message must be text"),
    ("POST", "/sign", {"appearance": {"box": [0, 0, 100, 100], "image_id": HUGE}}, "No such seal"),
]


@pytest.mark.parametrize(("method", "suffix", "body", "message"), CASES)
def test_wrong_body_answers_a_4xx_with_a_message(
    client: FlaskClient, admin_token: str, contract_id: int, method: str, suffix: str, body: Any, message: str
) -> None:
    url = f"/api/v1/contracts/{contract_id}{suffix}"
    response = client.open(url, method=method, json=body, headers=bearer(admin_token))
    assert response.status_code in (404, 422), (response.status_code, response.get_data(as_text=True))
    assert message in response.json["error"]["message"]


def test_notification_ids_are_checked(client: FlaskClient, admin_token: str) -> None:
    read = "/api/v1/notifications/read"
    too_large = client.post(read, json={"id": HUGE}, headers=bearer(admin_token))
    assert too_large.status_code == 422 and "id must be a whole number" in too_large.json["error"]["message"]
    # a text id used to mark every notification read; now it is refused
    assert client.post(read, json={"id": "3"}, headers=bearer(admin_token)).status_code == 422
    assert client.post(read, json={"id": 12345}, headers=bearer(admin_token)).status_code == 404
    assert client.post(read, json={}, headers=bearer(admin_token)).json == {"marked": 0, "unread": 0}


def test_ids_in_urls_beyond_the_database_integers_are_not_found(client: FlaskClient, admin_token: str) -> None:
    for url in (f"/api/v1/contracts/{HUGE}", f"/api/v1/contracts/{2**31}/access", f"/api/v1/contracts/{2**63}"):
        response = client.get(url, headers=bearer(admin_token))
        assert response.status_code == 404, (url, response.status_code)
        assert response.json["error"]["code"] == "not_found"


def test_pages_beyond_the_database_integers_are_refused(client: FlaskClient, admin_token: str) -> None:
    for url in ("/api/v1/contracts", "/api/v1/notifications", "/api/v1/audit", "/api/v1/search"):
        response = client.get(f"{url}?page={10**20}", headers=bearer(admin_token))
        assert response.status_code == 422, (url, response.status_code)
        assert "page must be between 1 and" in response.json["error"]["message"]

"""A required custom field is checked again when a contract moves to another type: through the
API (PATCH) and the edit form, a type whose required field is empty is refused with a 422
naming ``custom_fields.<key>``, and nothing is stored."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.contracts import custom_fields
from repo_app.core.extensions import db
from tests.conftest import bearer, csrf_token_from, log_in
from tests.contracts.test_custom_fields import upload


@pytest.fixture
def lease_field(app: Flask, admin_token: str) -> None:
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        values = {"kind": "text", "label_zh": "出租方编号", "label_en": "Lessor number", "required": True}
        custom_fields.save_field(admin, "lessor_no", values | {"contract_types": ["lease"]})
        db.session.commit()


def _contract(client: FlaskClient, token: str) -> int:
    made = upload(client, token, "采购合同。", {"title": "办公桌采购", "contract_type": "purchase"})
    assert made.status_code == 201, made.json
    return int(made.json["id"])


def test_patch_to_a_type_with_an_empty_required_field_is_refused(
    client: FlaskClient, admin_token: str, lease_field: None
) -> None:
    contract_id = _contract(client, admin_token)
    url = f"/api/v1/contracts/{contract_id}"
    moved = client.patch(url, json={"contract_type": "lease", "title": "改名"}, headers=bearer(admin_token))
    assert moved.status_code == 422
    assert "custom_fields.lessor_no" in moved.json["error"]["fields"]
    kept = client.get(url, headers=bearer(admin_token)).json
    assert (kept["contract_type"], kept["title"]) == ("purchase", "办公桌采购")  # nothing stored
    body = {"contract_type": "lease", "custom_fields": {"lessor_no": "L-7"}}
    assert client.patch(url, json=body, headers=bearer(admin_token)).status_code == 200
    assert client.get(url, headers=bearer(admin_token)).json["custom_fields"] == {"lessor_no": "L-7"}


def test_the_edit_form_refuses_the_move_too(
    app: Flask, client: FlaskClient, admin_token: str, lease_field: None
) -> None:
    contract_id = _contract(client, admin_token)
    browser = app.test_client()
    assert log_in(browser, "admin@example.com").status_code == 302
    page = browser.get(f"/contracts/{contract_id}/edit").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "title": "办公桌采购", "contract_type": "lease", "currency": "CNY"}
    answer = browser.post(f"/contracts/{contract_id}/edit", data=form, headers={"Accept-Language": "en"})
    assert answer.status_code == 200  # the form again, with the reason
    assert "custom_fields.lessor_no" in answer.get_data(as_text=True)
    kept = client.get(f"/api/v1/contracts/{contract_id}", headers=bearer(admin_token)).json
    assert kept["contract_type"] == "purchase"

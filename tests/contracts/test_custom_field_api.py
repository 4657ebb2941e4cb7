"""Custom field definitions through the API: everyone who reads contracts lists the active
ones; administrators add, change and retire them with the admin page's checks, audited."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer

URL = "/api/v1/custom-fields"
REGION = {
    "key": "region",
    "kind": "select",
    "label_zh": "区域",
    "label_en": "Region",
    "help_en": "Sales region",
    "options": ["华东", "华北"],
    "contract_types": ["sales"],
    "required": True,
    "filterable": True,
}


def test_admins_add_change_and_retire_readers_list(
    app: Flask, client: FlaskClient, admin_token: str, token_for: Callable[..., str]
) -> None:
    viewer = token_for("viewer")
    assert client.post(URL, json=REGION, headers=bearer(viewer)).status_code == 403
    made = client.post(URL, json=REGION, headers=bearer(admin_token))
    assert made.status_code == 201, made.json
    assert made.json["options"] == ["华东", "华北"] and made.json["contract_types"] == ["sales"]
    assert client.post(URL, json=REGION, headers=bearer(admin_token)).status_code == 409

    listed = client.get(URL, headers=bearer(viewer)).json["items"]
    assert [(row["key"], row["kind"], row["label_zh"], row["required"]) for row in listed] == [
        ("region", "select", "区域", True)
    ]
    assert listed[0]["help_en"] == "Sales region"

    changed = client.patch(f"{URL}/region", json={"options": ["华东", "华北", "华南"]}, headers=bearer(admin_token))
    assert changed.status_code == 200 and changed.json["options"] == ["华东", "华北", "华南"]
    assert changed.json["label_en"] == "Region"  # what was not sent is kept
    assert client.patch(f"{URL}/region", json={"options": []}, headers=bearer(viewer)).status_code == 403

    retired = client.post(f"{URL}/region/retire", headers=bearer(admin_token))
    assert retired.status_code == 200 and retired.json["retired"] is True
    assert client.get(URL, headers=bearer(viewer)).json["items"] == []
    back = client.post(f"{URL}/region/retire", json={"retired": False}, headers=bearer(admin_token))
    assert back.json["retired"] is False
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert [a for a in actions if a.startswith("custom_field.")] == [
        "custom_field.save",
        "custom_field.save",
        "custom_field.retire",
        "custom_field.restore",
    ]


def test_the_admin_forms_checks_apply(client: FlaskClient, admin_token: str) -> None:
    bad_key = client.post(URL, json={**REGION, "key": "Bad Key"}, headers=bearer(admin_token))
    assert bad_key.status_code == 422 and "key" in bad_key.json["error"]["fields"]
    no_options = client.post(URL, json={**REGION, "options": []}, headers=bearer(admin_token))
    assert no_options.status_code == 422 and "options" in no_options.json["error"]["fields"]
    unknown_type = client.post(URL, json={**REGION, "contract_types": ["nope"]}, headers=bearer(admin_token))
    assert unknown_type.status_code == 422 and "contract_types" in unknown_type.json["error"]["fields"]
    assert client.post(URL, json=REGION, headers=bearer(admin_token)).status_code == 201
    kind = client.patch(f"{URL}/region", json={"kind": "text"}, headers=bearer(admin_token))
    assert kind.status_code == 422 and "kind" in kind.json["error"]["fields"]
    stray = client.patch(f"{URL}/region", json={"colour": "red"}, headers=bearer(admin_token))
    assert stray.status_code == 422
    assert client.patch(f"{URL}/nothing", json={}, headers=bearer(admin_token)).status_code == 404
    assert client.get(URL, headers=bearer(admin_token)).json["items"][0]["options"] == ["华东", "华北"]

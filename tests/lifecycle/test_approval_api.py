"""The approval API, a new version restarting approval, and version_is_approved with files."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.workflows import services
from tests.conftest import bearer
from tests.lifecycle.conftest import contract, user
from tests.lifecycle.helpers import organisation, tokens_for
from tests.samples import docx_bytes, pdf_bytes


@pytest.fixture
def tokens(app: Flask, make_user: Callable[..., Any]) -> dict[str, str]:
    with app.app_context():
        organisation(make_user)
        made = tokens_for(
            "owner@example.com", "regional@example.com", "legal1@example.com", "cfo@example.com", "admin@example.com"
        )
    return made


def upload(client: FlaskClient, token: str, metadata: dict[str, Any]) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(pdf_bytes(json.dumps(metadata))), "合同.pdf"),
            "metadata": json.dumps(metadata, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_submit_decide_and_read_through_the_api(app: Flask, client: FlaskClient, tokens: dict[str, str]) -> None:
    cid = upload(client, tokens["owner"], {"title": "设备采购合同", "amount": "1000000", "currency": "CNY"})
    preview = client.get(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"]))
    assert preview.status_code == 200 and preview.json["approval"] is None
    assert preview.json["route_preview"]["workflows"] == ["Standard", "CFO"]
    # Readers who may not edit cannot submit; the approvers-to-be cannot see it yet at all.
    assert client.post(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["legal1"])).status_code == 404
    submitted = client.post(
        f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"]), json={"comment": "请审批"}
    )
    assert submitted.status_code == 201, submitted.json
    state = submitted.json
    assert state["status"] == "in_approval" and state["approval"]["version"] == 1
    assert [level["name"] for level in state["approval"]["levels"]] == ["Department", "Legal", "CFO"]
    assert state["approval"]["routing"]["rules"][0]["matched"] is True
    # Approvers were given read access, so they can open it now.
    assert client.get(f"/api/v1/contracts/{cid}", headers=bearer(tokens["regional"])).status_code == 200

    tasks = client.get("/api/v1/tasks", headers=bearer(tokens["regional"])).json
    assert tasks["counts"]["approvals"] == 1
    assert tasks["items"][0]["url"] == state["approval"]["url"] and tasks["items"][0]["contract_id"] == cid

    def decide(who: str, body: dict[str, Any]) -> Any:
        return client.post(f"/api/v1/contracts/{cid}/approval/decisions", headers=bearer(tokens[who]), json=body)

    # Later levels get access when their turn comes: until then the contract stays invisible.
    assert decide("legal1", {"decision": "approve"}).status_code == 404
    assert decide("regional", {"decision": "reject"}).status_code == 422  # no opinion
    assert decide("regional", {"decision": "approve", "version": 2}).status_code == 409  # not what is approved
    assert decide("regional", {"decision": "maybe"}).status_code == 422
    assert decide("regional", {"decision": "approve", "version": 1, "comment": "同意"}).status_code == 200
    assert decide("legal1", {"decision": "approve"}).status_code == 200
    done = decide("cfo", {"decision": "approve"})
    assert done.status_code == 200
    assert done.json["status"] == "approved" and done.json["approval"]["status"] == "approved"
    assert done.json["latest_version_approved"] is True
    history = [(entry["decision"], entry["user"], entry["version"]) for entry in done.json["approval"]["decisions"]]
    assert history[1] == ("approve", "regional@example.com", 1)
    assert decide("cfo", {"decision": "approve"}).status_code == 404  # nothing in approval any more
    assert client.get("/api/v1/tasks", headers=bearer(tokens["regional"])).json["total"] == 0


def test_a_new_version_restarts_the_approval(app: Flask, client: FlaskClient, tokens: dict[str, str]) -> None:
    cid = upload(client, tokens["owner"], {"title": "服务合同"})
    client.post(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"]))
    first = client.post(
        f"/api/v1/contracts/{cid}/approval/decisions", headers=bearer(tokens["regional"]), json={"decision": "approve"}
    ).json["approval"]
    assert first["current_level"] == 2
    new_version = client.post(
        f"/api/v1/contracts/{cid}/versions",
        headers=bearer(tokens["owner"]),
        data={"file": (io.BytesIO(docx_bytes("v2 服务合同")), "v2.docx")},
    )
    assert new_version.status_code == 201
    state = client.get(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"])).json
    assert state["status"] == "in_approval"
    fresh = state["approval"]
    assert fresh["id"] != first["id"] and fresh["restarted_from"] == first["id"]
    assert fresh["version"] == 2 and fresh["current_level"] == 1
    assert fresh["submitted_by"] == "owner@example.com"
    with app.app_context():
        old = services.get_approval(user("owner@example.com"), first["id"])
        assert old.status == "superseded" and old.decisions[-1].decision == "restart"
        item = contract(cid)
        assert services.version_is_approved(item, item.versions[0]) is False
    # The department manager must approve again, now version 2.
    again = client.post(
        f"/api/v1/contracts/{cid}/approval/decisions",
        headers=bearer(tokens["regional"]),
        json={"decision": "approve", "version": 2},
    )
    assert again.status_code == 200
    client.post(
        f"/api/v1/contracts/{cid}/approval/decisions", headers=bearer(tokens["legal1"]), json={"decision": "approve"}
    )
    with app.app_context():
        item = contract(cid)
        assert [services.version_is_approved(item, version) for version in item.versions] == [False, True]
    # A third version after approval: the approved one stays v2, v3 is not approved.
    client.post(
        f"/api/v1/contracts/{cid}/versions",
        headers=bearer(tokens["owner"]),
        data={"file": (io.BytesIO(pdf_bytes("v3 服务合同")), "v3.pdf")},
    )
    with app.app_context():
        item = contract(cid)
        assert [services.version_is_approved(item, version) for version in item.versions] == [False, True, False]
        assert item.status == "approved"


def test_restart_can_be_switched_off(app: Flask, client: FlaskClient, tokens: dict[str, str]) -> None:
    app.extensions["pactum.settings"] = replace(
        app.extensions["pactum.settings"], approval_restart_on_new_version=False
    )
    cid = upload(client, tokens["owner"], {"title": "租赁合同"})
    approval_id = int(
        client.post(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"])).headers["X-Approval-Id"]
    )
    client.post(
        f"/api/v1/contracts/{cid}/versions",
        headers=bearer(tokens["owner"]),
        data={"file": (io.BytesIO(docx_bytes("租赁 v2")), "v2.docx")},
    )
    state = client.get(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"])).json
    assert state["approval"]["id"] == approval_id and state["approval"]["version"] == 1
    for who in ("regional", "legal1"):
        client.post(
            f"/api/v1/contracts/{cid}/approval/decisions", headers=bearer(tokens[who]), json={"decision": "approve"}
        )
    with app.app_context():
        item = contract(cid)
        # What was approved is version 1, not the later upload.
        assert [services.version_is_approved(item, version) for version in item.versions] == [True, False]


def test_withdraw_and_manual_status_through_the_api(client: FlaskClient, tokens: dict[str, str]) -> None:
    cid = upload(client, tokens["owner"], {"title": "保密协议"})
    assert client.delete(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"])).status_code == 404
    client.post(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"]))
    withdrawn = client.delete(
        f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"]), json={"comment": "撤回"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "draft"
    refused = client.post(
        f"/api/v1/contracts/{cid}/status", headers=bearer(tokens["owner"]), json={"status": "in_force"}
    )
    assert refused.status_code == 403  # registering a signed contract is for managers
    moved = client.post(
        f"/api/v1/contracts/{cid}/status",
        headers=bearer(tokens["admin"]),
        json={"status": "in_force", "reason": "纸质合同已签"},
    )
    assert moved.status_code == 200 and moved.json["status"] == "in_force"
    wrong = client.post(f"/api/v1/contracts/{cid}/status", headers=bearer(tokens["admin"]), json={"status": "draft"})
    assert wrong.status_code == 409 and wrong.json["error"]["message"]
    assert client.post(f"/api/v1/contracts/{cid}/status", headers=bearer(tokens["admin"]), json={}).status_code == 422

"""Signing inside the contract lifecycle: approval first, signers notified and tasked in turn,
the contract in force once everyone has signed."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from repo_app.notifications.models import Notification
from tests.conftest import PASSWORD, bearer
from tests.lifecycle.conftest import user
from tests.lifecycle.helpers import organisation, tokens_for
from tests.signer.support import make_contract_pdf

SIGNERS = ("regional@example.com", "cfo@example.com")


@pytest.fixture
def tokens(app: Flask, make_user: Callable[..., Any]) -> dict[str, str]:
    with app.app_context():
        organisation(make_user)
        made = tokens_for("owner@example.com", "regional@example.com", "legal1@example.com", "cfo@example.com")
    return made


@pytest.fixture
def contract_id(client: FlaskClient, tokens: dict[str, str]) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(tokens["owner"]),
        data={
            "file": (io.BytesIO(make_contract_pdf()), "服务合同.pdf"),
            "metadata": json.dumps({"title": "年度服务合同", "effective_date": "2020-01-01"}),
        },
    )
    assert response.status_code == 201, response.json
    cid = int(response.json["id"])
    grants = [{"grantee_type": "user", "grantee": email, "level": "sign"} for email in SIGNERS]
    shared = client.put(
        f"/api/v1/contracts/{cid}/access",
        headers=bearer(tokens["owner"]),
        json={"department_level": "read", "grants": grants},
    )
    assert shared.status_code == 200, shared.json
    return cid


def sign(client: FlaskClient, token: str, cid: int) -> Any:
    return client.post(
        f"/api/v1/contracts/{cid}/sign",
        headers=bearer(token),
        json={"level": "B-B", "reason": "同意", "password": PASSWORD},
    )


def approve_all(client: FlaskClient, tokens: dict[str, str], cid: int) -> None:
    assert client.post(f"/api/v1/contracts/{cid}/approval", headers=bearer(tokens["owner"])).status_code == 201
    for who in ("regional", "legal1"):
        decided = client.post(
            f"/api/v1/contracts/{cid}/approval/decisions", headers=bearer(tokens[who]), json={"decision": "approve"}
        )
        assert decided.status_code == 200, decided.json


def status_of(client: FlaskClient, tokens: dict[str, str], cid: int) -> str:
    return str(client.get(f"/api/v1/contracts/{cid}", headers=bearer(tokens["owner"])).json["status"])


def test_signing_waits_for_the_approval_workflow(client: FlaskClient, tokens: dict[str, str], contract_id: int) -> None:
    refused = sign(client, tokens["regional"], contract_id)
    assert refused.status_code == 409
    assert "approval" in refused.json["error"]["message"]
    client.post(f"/api/v1/contracts/{contract_id}/approval", headers=bearer(tokens["owner"]))
    assert sign(client, tokens["regional"], contract_id).status_code == 409  # still running
    for who in ("regional", "legal1"):
        client.post(
            f"/api/v1/contracts/{contract_id}/approval/decisions",
            headers=bearer(tokens[who]),
            json={"decision": "approve"},
        )
    assert sign(client, tokens["regional"], contract_id).status_code == 201


def test_a_version_uploaded_after_approval_cannot_be_signed(
    client: FlaskClient, tokens: dict[str, str], contract_id: int
) -> None:
    approve_all(client, tokens, contract_id)
    newer = client.post(
        f"/api/v1/contracts/{contract_id}/versions",
        headers=bearer(tokens["owner"]),
        data={"file": (io.BytesIO(make_contract_pdf(title="改过的合同")), "v2.pdf")},
    )
    assert newer.status_code == 201, newer.json
    refused = sign(client, tokens["regional"], contract_id)
    assert refused.status_code == 409 and "version 2" in refused.json["error"]["message"]


def test_signers_are_told_in_turn_and_the_contract_comes_into_force(
    app: Flask, client: FlaskClient, tokens: dict[str, str], contract_id: int
) -> None:
    approve_all(client, tokens, contract_id)
    assert status_of(client, tokens, contract_id) == "approved"
    created = client.post(
        f"/api/v1/contracts/{contract_id}/signing-requests",
        headers=bearer(tokens["owner"]),
        json={"signers": list(SIGNERS), "level": "B-B", "message": "请在周五前签署"},
    )
    assert created.status_code == 201, created.json
    assert status_of(client, tokens, contract_id) == "signing"

    def signing_tasks(who: str) -> list[dict[str, Any]]:
        listed = client.get("/api/v1/tasks", headers=bearer(tokens[who])).json
        return [item for item in listed["items"] if item["provider"] == "signing"]

    assert [task["contract_id"] for task in signing_tasks("regional")] == [contract_id]
    assert signing_tasks("cfo") == []  # not their turn yet
    # The second signer co-signs the version the first produced (approved through its source).
    assert sign(client, tokens["regional"], contract_id).status_code == 201
    assert signing_tasks("regional") == [] and len(signing_tasks("cfo")) == 1
    assert status_of(client, tokens, contract_id) == "signing"
    assert sign(client, tokens["cfo"], contract_id).status_code == 201
    assert signing_tasks("cfo") == []
    assert status_of(client, tokens, contract_id) == "in_force"
    with app.app_context():
        kinds = {(note.user_id, note.kind) for note in db.session.query(Notification)}
        assert (user("regional@example.com").id, "signing.requested") in kinds
        assert (user("cfo@example.com").id, "signing.requested") in kinds
        assert (user("owner@example.com").id, "signing.completed") in kinds

"""Per-contract access lists: users × contracts × actions, through the API and the search engine."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from tests.conftest import bearer, ensure_department
from tests.samples import pdf_bytes

# Organisation: 集团 ⊃ 华东区 ⊃ 上海分公司; 华南区 separately.
USERS = {
    "owner": ("editor", "上海分公司"),
    "colleague": ("editor", "上海分公司"),
    "outsider": ("editor", "华南区"),
    "regional_manager": ("manager", "华东区"),
    "other_manager": ("manager", "华南区"),
    "auditor": ("auditor", None),
    "team_member": ("viewer", "华南区"),  # in the group 并购项目组
    "admin": ("admin", None),
}
# Contracts, all owned by "owner":
#   plain        department 上海分公司, members may read
#   shared       like plain, plus an edit grant to "outsider"
#   confidential confidential, read grant to the group 并购项目组
EXPECTED_READ = {
    "owner": {"plain", "shared", "confidential"},
    "colleague": {"plain", "shared"},
    "outsider": {"shared"},
    "regional_manager": {"plain", "shared"},
    "other_manager": set(),
    "auditor": {"plain", "shared"},
    "team_member": {"confidential"},
    "admin": {"plain", "shared", "confidential"},
}
EXPECTED_EDIT = {
    "owner": {"plain", "shared", "confidential"},
    "colleague": set(),
    "outsider": {"shared"},
    "regional_manager": {"plain", "shared"},
    "other_manager": set(),
    "auditor": set(),
    "team_member": set(),
    "admin": {"plain", "shared", "confidential"},
}


@pytest.fixture
def world(app: Flask, client: FlaskClient, make_user: Callable[..., Any]) -> tuple[dict[str, str], dict[str, int]]:
    with app.app_context():
        ensure_department("集团")
        ensure_department("华东区", parent="集团")
        ensure_department("上海分公司", parent="华东区")
        ensure_department("华南区", parent="集团")
        db.session.commit()
    tokens = {}
    from repo_app.auth.services import create_token

    for name, (role, department) in USERS.items():
        user = make_user(role, email=f"{name}@example.com", department=department)
        with app.app_context():
            tokens[name] = create_token(db.session.merge(user), "t")[1]
            db.session.commit()
    from repo_app.admin.services import create_group, set_membership
    from repo_app.auth.models import User

    with app.app_context():
        admin = db.session.query(User).filter_by(email="admin@example.com").one()
        group = create_group(admin, "并购项目组")
        db.session.commit()
        set_membership(admin, group, "team_member@example.com", True)
        db.session.commit()
    owner = tokens["owner"]
    ids = {}
    for key in ("plain", "shared", "confidential"):
        response = client.post(
            "/api/v1/contracts",
            headers=bearer(owner),
            data={
                "file": (io.BytesIO(pdf_bytes(f"access {key}")), f"{key}.pdf"),
                "metadata": json.dumps({"title": f"权限测试 {key}", "tags": ["权限测试"]}),
            },
        )
        assert response.status_code == 201, response.json
        ids[key] = response.json["id"]
    assert (
        client.put(
            f"/api/v1/contracts/{ids['shared']}/access",
            headers=bearer(owner),
            json={"grants": [{"grantee_type": "user", "grantee": "outsider@example.com", "level": "edit"}]},
        ).status_code
        == 200
    )
    assert (
        client.put(
            f"/api/v1/contracts/{ids['confidential']}/access",
            headers=bearer(owner),
            json={
                "confidential": True,
                "grants": [{"grantee_type": "group", "grantee": "并购项目组", "level": "read"}],
            },
        ).status_code
        == 200
    )
    return tokens, ids


@pytest.mark.parametrize("who", sorted(USERS))
def test_read_edit_download_and_search(
    client: FlaskClient, world: tuple[dict[str, str], dict[str, int]], who: str
) -> None:
    tokens, ids = world
    token = tokens[who]
    readable = {
        key
        for key, cid in ids.items()
        if client.get(f"/api/v1/contracts/{cid}", headers=bearer(token)).status_code == 200
    }
    assert readable == EXPECTED_READ[who]
    downloadable = {
        key
        for key, cid in ids.items()
        if client.get(f"/api/v1/contracts/{cid}/versions/1/file", headers=bearer(token)).status_code == 200
    }
    assert downloadable == EXPECTED_READ[who]
    editable = set()
    for key, cid in ids.items():
        status = client.patch(f"/api/v1/contracts/{cid}", headers=bearer(token), json={"description": who}).status_code
        assert status in (200, 403, 404)
        assert (status == 404) == (key not in EXPECTED_READ[who]), "invisible must be 404, not 403"
        if status == 200:
            editable.add(key)
    assert editable == EXPECTED_EDIT[who]
    listed = client.get("/api/v1/contracts", headers=bearer(token)).json
    assert {item["id"] for item in listed["items"]} == {ids[key] for key in EXPECTED_READ[who]}
    found = client.get("/api/v1/search", headers=bearer(token), query_string={"q": "权限测试"}).json
    assert found["total"] == len(EXPECTED_READ[who])
    assert {hit["id"] for hit in found["hits"]} == {ids[key] for key in EXPECTED_READ[who]}
    tag_counts = {f["value"]: f["count"] for f in found["facets"]["tags"]}
    assert tag_counts.get("权限测试", 0) == len(EXPECTED_READ[who])


def test_revoking_a_grant_takes_effect_in_search_at_once(
    client: FlaskClient, world: tuple[dict[str, str], dict[str, int]]
) -> None:
    tokens, ids = world
    outsider = tokens["outsider"]
    assert client.get("/api/v1/search", headers=bearer(outsider), query_string={"q": "权限测试"}).json["total"] == 1
    client.put(f"/api/v1/contracts/{ids['shared']}/access", headers=bearer(tokens["owner"]), json={"grants": []})
    assert client.get("/api/v1/search", headers=bearer(outsider), query_string={"q": "权限测试"}).json["total"] == 0
    assert client.get(f"/api/v1/contracts/{ids['shared']}", headers=bearer(outsider)).status_code == 404


def test_only_managers_of_a_contract_change_its_access(
    client: FlaskClient, world: tuple[dict[str, str], dict[str, int]]
) -> None:
    tokens, ids = world
    body = {"confidential": False, "grants": []}
    assert (
        client.put(
            f"/api/v1/contracts/{ids['plain']}/access", headers=bearer(tokens["colleague"]), json=body
        ).status_code
        == 403
    )
    assert (
        client.put(
            f"/api/v1/contracts/{ids['confidential']}/access", headers=bearer(tokens["outsider"]), json=body
        ).status_code
        == 404
    )
    bad = client.put(
        f"/api/v1/contracts/{ids['plain']}/access",
        headers=bearer(tokens["owner"]),
        json={"grants": [{"grantee_type": "user", "grantee": "nobody@example.com", "level": "read"}]},
    )
    assert bad.status_code == 422 and "nobody@example.com" in bad.json["error"]["message"]


def test_sharing_is_audited_with_old_and_new_lists(
    app: Flask, client: FlaskClient, world: tuple[dict[str, str], dict[str, int]]
) -> None:
    from repo_app.core.audit.models import AuditEvent

    _tokens, ids = world
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="contract.share", contract_id=ids["confidential"]).one()
    assert event.details["old"]["confidential"] is False and event.details["new"]["confidential"] is True
    assert event.details["new"]["grants"][0]["grantee"] == "并购项目组"

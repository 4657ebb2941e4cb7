"""Every role against every route: who gets 200/201/204, 403 or 404 (and 401/302 when anonymous)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import bearer, csrf_token_from
from tests.samples import docx_bytes, pdf_bytes

ROLES = ["admin", "manager", "editor", "signer", "viewer", "auditor"]
WRITERS = {"admin", "manager", "editor"}
DELETERS = {"admin", "manager"}
MISSING = 999_999


def _expect(allowed: set[str], ok: int) -> dict[str, int]:
    return {role: ok if role in allowed else 403 for role in ROLES}


ALL_OK = {role: 200 for role in ROLES}

# (name, method, path template, body factory, expected status per role)
API_ROUTES: list[tuple[str, str, str, Callable[[], dict[str, Any]] | None, dict[str, int]]] = [
    ("list", "GET", "/api/v1/contracts", None, ALL_OK),
    (
        "create",
        "POST",
        "/api/v1/contracts",
        lambda: {"data": {"file": (io.BytesIO(pdf_bytes("matrix new")), "n.pdf")}},
        _expect(WRITERS, 201),
    ),
    ("read", "GET", "/api/v1/contracts/{id}", None, ALL_OK),
    ("read missing", "GET", f"/api/v1/contracts/{MISSING}", None, {r: 404 for r in ROLES}),
    ("patch", "PATCH", "/api/v1/contracts/{id}", lambda: {"json": {"tags": ["x"]}}, _expect(WRITERS, 200)),
    (
        "patch missing",
        "PATCH",
        f"/api/v1/contracts/{MISSING}",
        lambda: {"json": {"tags": ["x"]}},
        {r: 404 for r in ROLES},
    ),
    (
        "new version",
        "POST",
        "/api/v1/contracts/{id}/versions",
        lambda: {"data": {"file": (io.BytesIO(docx_bytes("matrix v2")), "v2.docx")}},
        _expect(WRITERS, 201),
    ),
    ("download", "GET", "/api/v1/contracts/{id}/versions/1/file", None, ALL_OK),
    ("download missing", "GET", f"/api/v1/contracts/{MISSING}/versions/1/file", None, {r: 404 for r in ROLES}),
    ("delete", "DELETE", "/api/v1/contracts/{id}", None, _expect(DELETERS, 204)),
    ("read trashed", "GET", "/api/v1/contracts/{trashed}", None, {r: 404 for r in ROLES}),
    ("restore", "POST", "/api/v1/contracts/{trashed}/restore", None, {r: 200 if r == "admin" else 404 for r in ROLES}),
]

WEB_ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("contract list", "/contracts", ALL_OK),
    ("upload page", "/contracts/upload", _expect(WRITERS, 200)),
    ("contract page", "/contracts/{id}", ALL_OK),
    ("missing contract page", f"/contracts/{MISSING}", {r: 404 for r in ROLES}),
    ("edit page", "/contracts/{id}/edit", _expect(WRITERS, 200)),
    ("trash", "/trash", _expect({"admin"}, 200)),
    ("trashed contract page", "/contracts/{trashed}", {r: 200 if r == "admin" else 404 for r in ROLES}),
    ("users admin", "/admin/users", _expect({"admin"}, 200)),
    ("api tokens", "/account/tokens", ALL_OK),
]


DEPARTMENT = "法务部"


@pytest.fixture
def contracts(app: Flask, client: FlaskClient, admin_token: str) -> dict[str, int]:
    """One live contract and one in the trash, created by an admin for the department all the
    test users belong to, whose members may edit: so the role alone decides in this matrix."""
    from repo_app.core.extensions import db
    from tests.conftest import ensure_department

    with app.app_context():
        ensure_department(DEPARTMENT)
        db.session.commit()
    ids = {}
    for key, text in (("id", "matrix live"), ("trashed", "matrix trashed")):
        response = client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(pdf_bytes(text)), f"{key}.pdf"),
                "metadata": json.dumps({"title": text, "department": DEPARTMENT}),
            },
        )
        ids[key] = response.json["id"]
        shared = client.put(
            f"/api/v1/contracts/{ids[key]}/access", headers=bearer(admin_token), json={"department_level": "edit"}
        )
        assert shared.status_code == 200, shared.json
    client.delete(f"/api/v1/contracts/{ids['trashed']}", headers=bearer(admin_token))
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(client: FlaskClient, token_for: Callable[[str], str], contracts: dict[str, int], role: str) -> None:
    token = token_for(role, department=DEPARTMENT)
    outcomes = {}
    for name, method, template, body, expected in API_ROUTES:
        kwargs = body() if body else {}
        response = client.open(template.format(**contracts), method=method, headers=bearer(token), **kwargs)
        outcomes[name] = (response.status_code, expected[role])
        if response.status_code >= 400:
            assert response.json["error"]["message"], name
    assert {name: got for name, (got, _) in outcomes.items()} == {name: want for name, (_, want) in outcomes.items()}


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(login: Callable[[str], FlaskClient], contracts: dict[str, int], role: str) -> None:
    browser = login(role, department=DEPARTMENT)
    got = {name: browser.get(path.format(**contracts)).status_code for name, path, _ in WEB_ROUTES}
    assert got == {name: expected[role] for name, _, expected in WEB_ROUTES}


def test_anonymous_requests(client: FlaskClient, contracts: dict[str, int]) -> None:
    for _name, method, template, body, _expected in API_ROUTES:
        kwargs = body() if body else {}
        response = client.open(template.format(**contracts), method=method, **kwargs)
        # Unsafe requests without a session are refused by the CSRF check before anything else.
        assert response.status_code in (401, 400), template
        assert response.json["error"]["message"]
    for _name, path, _expected in WEB_ROUTES:
        response = client.get(path.format(**contracts))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_web_forms_enforce_roles_on_post(login: Callable[[str], FlaskClient], contracts: dict[str, int]) -> None:
    viewer = login("viewer", department=DEPARTMENT)
    token = csrf_token_from(viewer.get("/contracts").get_data(as_text=True))
    cid = contracts["id"]
    assert viewer.post(f"/contracts/{cid}/delete", data={"csrf_token": token}).status_code == 403
    assert viewer.post(f"/contracts/{cid}/edit", data={"csrf_token": token, "title": "x"}).status_code == 403
    assert (
        viewer.post(
            "/admin/users",
            data={"csrf_token": token, "email": "x@example.com", "password": "0123456789", "role": "admin"},
        ).status_code
        == 403
    )
    assert viewer.get(f"/contracts/{cid}").status_code == 200  # still readable


def test_deactivated_user_loses_access(
    app: Flask, client: FlaskClient, login: Callable[[str], FlaskClient], token_for: Callable[[str], str]
) -> None:
    from repo_app.auth.models import User
    from repo_app.core.extensions import db

    token = token_for("viewer")
    assert client.get("/api/v1/contracts", headers=bearer(token)).status_code == 200
    with app.app_context():
        db.session.query(User).filter_by(email="viewer@example.com").update({"active": False})
        db.session.commit()
    assert client.get("/api/v1/contracts", headers=bearer(token)).status_code == 401

"""The OpenAPI document describes every /api/v1 route the app serves (issue 16)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from werkzeug.test import TestResponse

from repo_app.auth.roles import Role
from tests.conftest import bearer
from tests.samples import pdf_bytes

_PREFIX = "/api/v1"
_IGNORED_METHODS = {"HEAD", "OPTIONS"}
_UNDOCUMENTED = {"/openapi.json", "/docs"}  # the document itself and its viewer


def _openapi_path(rule: str) -> str:
    """``/contracts/<int:contract_id>`` → ``/contracts/{contract_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(_PREFIX + "/"):
            continue
        path = _openapi_path(rule.rule[len(_PREFIX) :])
        if path in _UNDOCUMENTED:
            continue
        for method in (rule.methods or set()) - _IGNORED_METHODS:
            operations.add((method, path))
    return operations


def _path_parameters(document: dict, path: str, method: str) -> set[str]:
    item = document["paths"][path]
    parameters = item.get("parameters", []) + item[method.lower()].get("parameters", [])
    return {p["name"] for p in parameters if p.get("in") == "path"}


def test_every_api_route_is_described(app: Flask, client: FlaskClient, admin_token: str) -> None:
    document = client.get(f"{_PREFIX}/openapi.json", headers=bearer(admin_token)).json
    described = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item if method != "parameters"
    }
    missing = sorted(f"{method} {_PREFIX}{path}" for method, path in _served_operations(app) - described)
    assert not missing, "not in the OpenAPI document:\n" + "\n".join(missing)
    stale = sorted(f"{method} {_PREFIX}{path}" for method, path in described - _served_operations(app))
    assert not stale, "described but not served:\n" + "\n".join(stale)


def test_path_parameters_match_the_url_map(app: Flask, client: FlaskClient, admin_token: str) -> None:
    document = client.get(f"{_PREFIX}/openapi.json", headers=bearer(admin_token)).json
    wrong = []
    for method, path in sorted(_served_operations(app)):
        if path not in document["paths"] or method.lower() not in document["paths"][path]:
            continue  # reported by the test above
        expected = set(re.findall(r"{([^}]+)}", path))
        if _path_parameters(document, path, method) != expected:
            wrong.append(f"{method} {path}: expected path parameters {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_the_document_is_valid_openapi(client: FlaskClient, admin_token: str) -> None:
    document = client.get(f"{_PREFIX}/openapi.json", headers=bearer(admin_token)).json
    validate(document)


def _documented_answer(document: dict, path: str, method: str, status: int) -> dict:
    """The documented answer of ``method path`` for ``status`` (a $ref to a shared answer resolved)."""
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}, which is not documented"
    answer = responses[str(status)]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    return answer


def _assert_conforms(document: dict, path: str, method: str, response: TestResponse) -> None:
    answer = _documented_answer(document, path, method, response.status_code)
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or not response.is_json:
        return
    validator = Draft202012Validator({**schema, "components": document["components"]})
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(response.json)
    ]
    assert not problems, f"{method.upper()} {path} → {response.status_code}:\n" + "\n".join(problems)


_READS = [
    ("/contracts", "/contracts"),
    ("/contracts/{contract_id}", "/contracts/{id}"),
    ("/contracts/{contract_id}/access", "/contracts/{id}/access"),
    ("/contracts/{contract_id}/lineage", "/contracts/{id}/lineage"),
    ("/contracts/{contract_id}/similar", "/contracts/{id}/similar"),
    ("/contracts/{contract_id}/approval", "/contracts/{id}/approval"),
    ("/contracts/{contract_id}/signing-requests", "/contracts/{id}/signing-requests"),
    (
        "/contracts/{contract_id}/versions/{old}/compare/{new}/status",
        "/contracts/{id}/versions/1/compare/latest/status",
    ),
    ("/search", "/search?q=contract"),
    ("/search/suggest", "/search/suggest?q=con"),
    ("/audit", "/audit"),
    ("/tasks", "/tasks"),
    ("/notifications", "/notifications"),
    ("/seals", "/seals"),
    ("/templates", "/templates"),
    ("/templates/{template_id}", "/templates/1"),
]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.AUDITOR])
def test_answers_conform_to_the_document(
    client: FlaskClient, admin_token: str, token_for: Callable[[str], str], role: Role
) -> None:
    """Every read operation, as users of several roles: no server error, a documented status and
    a body that matches the documented schema."""
    document = client.get(f"{_PREFIX}/openapi.json").json
    uploaded = client.post(
        f"{_PREFIX}/contracts",
        data={"file": (io.BytesIO(pdf_bytes("Supply contract 供货合同")), "supply.pdf")},
        headers=bearer(admin_token),
        content_type="multipart/form-data",
    )
    _assert_conforms(document, "/contracts", "post", uploaded)
    token = admin_token if role is Role.ADMIN else token_for(role.value)
    for path, url in _READS:
        response = client.get(_PREFIX + url.format(id=uploaded.json["id"]), headers=bearer(token))
        assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
        _assert_conforms(document, path, "get", response)


class _Ids(dict[str, object]):
    """Path parameters: the uploaded contract, version 1, and id 1 for any other row."""

    def __missing__(self, key: str) -> object:
        return 1


def _concrete(path: str, contract_id: int) -> str:
    return path.format_map(_Ids(contract_id=contract_id, number=1, old=1, new="latest"))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_every_write_answers_empty_bodies_as_documented(
    client: FlaskClient, admin_token: str, token_for: Callable[[str], str], role: Role
) -> None:
    """Each write operation sent an empty JSON object: a documented 4xx or success, never a 500."""
    document = client.get(f"{_PREFIX}/openapi.json").json
    uploaded = client.post(
        f"{_PREFIX}/contracts",
        data={"file": (io.BytesIO(pdf_bytes("Lease 租赁合同")), "lease.pdf")},
        headers=bearer(admin_token),
        content_type="multipart/form-data",
    )
    token = admin_token if role is Role.ADMIN else token_for(role.value)
    writes = sorted(
        (
            (path, method)
            for path, item in document["paths"].items()
            for method in item
            if method in {"post", "put", "patch", "delete"}
        ),
        key=lambda operation: (operation[1] == "delete" or operation[0].endswith("/purge"), operation),
    )  # the contract is trashed and purged last, so the other operations still find it
    for path, method in writes:
        url = _PREFIX + _concrete(path, uploaded.json["id"])
        response = client.open(url, method=method.upper(), json={}, headers=bearer(token))
        assert response.status_code < 500, f"{method.upper()} {url} as {role}: {response.status_code}"
        _assert_conforms(document, path, method, response)

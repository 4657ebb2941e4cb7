"""The OpenAPI document describes every /api/v1 route the app serves (issue 16)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.conftest import bearer

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

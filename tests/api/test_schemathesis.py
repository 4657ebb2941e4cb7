"""Schemathesis against the live app: every /api/v1 operation, as users of several roles (issue 16).

The app is the embedded default (SQLite and blobs in a temporary data folder, jobs run at once)
with demo-like data: contracts with several versions, metadata, tags, one signed PDF and one in
the trash. It is served over HTTP on 127.0.0.1; the OpenAPI document is loaded from it, and the
Schemathesis engine generates requests for every operation it describes (examples, coverage and
fuzzing phases, positive and negative data), sent with the role's API token. Each answer must not
be a server error, must have a documented status and content type, and must match the documented
schema. Path parameters mostly name the contracts and versions that exist, so the requests reach
the code behind the 404. The numbers reach the terminal summary (tests/fixtures/schemathesis_summary.py).
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from schemathesis.engine import Status, events

from repo_app.auth.models import User
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer, ensure_department
from tests.fixtures.schemathesis_summary import PROPERTY
from tests.samples import pdf_bytes, txt_bytes

ROLES = ("admin", "editor", "signer", "viewer", "auditor")
DEPARTMENT = "法务部"
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")
SEED = 20261205
#: Fuzzing examples per operation and generation mode (positive, negative); more for a deeper
#: run on a workstation: PACTUM_TEST_SCHEMATHESIS_EXAMPLES=50 pytest tests/api/test_schemathesis.py
MAX_EXAMPLES = int(os.environ.get("PACTUM_TEST_SCHEMATHESIS_EXAMPLES", "8"))
#: The coverage phase (boundary values and every kind of wrong input, ~25 requests per operation)
#: runs for the role that reaches the most code; the others are fuzzed only, to keep CI short.
COVERAGE_ROLES = {"admin"}
#: Roles refused most writes (403), whose reads the admin and editor runs also fuzz: half the
#: examples still send every operation positive and negative data, in less CI time.
LIGHT_ROLES = {"signer", "viewer", "auditor"}


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """The embedded default: SQLite in the temporary data folder."""
    target = tmp_path / "pactum.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


@pytest.fixture(autouse=True)
def _quiet_request_log() -> Iterator[None]:
    """The server's one line per request (thousands) would bury a failure's report."""
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ca_key_type": "ec-p256"}


def _upload(client: FlaskClient, token: str, content: bytes, filename: str, metadata: dict[str, Any]) -> int:
    data = {"file": (io.BytesIO(content), filename), "metadata": json.dumps(metadata, ensure_ascii=False)}
    response = client.post("/api/v1/contracts", data=data, headers=bearer(token), content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _new_version(client: FlaskClient, token: str, contract_id: int, content: bytes) -> None:
    data = {"file": (io.BytesIO(content), "v2.pdf")}
    url = f"/api/v1/contracts/{contract_id}/versions"
    response = client.post(url, data=data, headers=bearer(token), content_type="multipart/form-data")
    assert response.status_code == 201, response.json


def _sign(client: FlaskClient, tokens: dict[str, str], contract_id: int) -> None:
    access = {"department_level": "sign"}
    url = f"/api/v1/contracts/{contract_id}"
    assert client.put(f"{url}/access", headers=bearer(tokens["editor"]), json=access).status_code == 200
    body = {"level": "B-B", "reason": "同意", "location": "上海", "password": PASSWORD}
    response = client.post(f"{url}/sign", headers=bearer(tokens["signer"]), json=body)
    assert response.status_code == 201, response.json


@dataclass
class Demo:
    tokens: dict[str, str]
    contracts: list[int]
    emails: list[str] = field(default_factory=list)


@pytest.fixture
def demo(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> Demo:
    """Users of every role in one department, and contracts like the demo's, made through the API."""
    from repo_app.signing.keys import init_ca

    with app.app_context():
        ensure_department(DEPARTMENT)
        init_ca()
        db.session.commit()
    tokens = {role: token_for(role, department=DEPARTMENT) for role in ("admin", "manager", *ROLES[1:])}
    editor = tokens["editor"]
    supply = {
        "title": "设备供货合同 Supply contract",
        "contract_number": "CG-2026-001",
        "contract_type": "purchase",
        "counterparties": ["华东精密机械有限公司", "Acme Ltd"],
        "amount": "1280000.50",
        "signed_date": "2026-01-15",
        "expiry_date": "2027-01-14",
        "tags": ["设备", "framework"],
    }
    first = _upload(client, editor, pdf_bytes("设备供货合同 Supply contract v1"), "供货合同.pdf", supply)
    _new_version(client, editor, first, pdf_bytes("设备供货合同 Supply contract v2, amended"))
    signed = _upload(client, editor, pdf_bytes("Lease 租赁合同"), "lease.pdf", {"title": "办公室租赁合同"})
    _sign(client, tokens, signed)
    notes = _upload(client, editor, txt_bytes(), "memo.txt", {"title": "备忘录 Memo", "contract_type": "other"})
    trashed = _upload(client, editor, pdf_bytes("Old NDA 保密协议"), "nda.pdf", {"title": "保密协议 NDA"})
    assert client.delete(f"/api/v1/contracts/{trashed}", headers=bearer(tokens["manager"])).status_code == 204
    with app.app_context():
        emails = [user.email for user in db.session.scalars(db.select(User))]
    return Demo(tokens=tokens, contracts=[first, signed, notes, trashed], emails=emails)


def _config(base_url: str, role: str, demo: Demo) -> schemathesis.Config:
    token = demo.tokens[role]
    checks: dict[str, Any] = {"enabled": False, **{name: {"enabled": True} for name in CHECKS}}
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": f"{base_url}/api/v1",
            "headers": {"Authorization": f"Bearer {token}"},
            "workers": 1,
            "request-timeout": 60,
            "generation": {
                "mode": "all",
                "max-examples": max(2, MAX_EXAMPLES // 2) if role in LIGHT_ROLES else MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
            },
            "phases": {"coverage": {"enabled": role in COVERAGE_ROLES}, "stateful": {"enabled": False}},
            "checks": checks,
            "dictionaries": {
                "contracts": {"values": demo.contracts},
                "versions": {"values": [1, 2, "latest"]},
                "emails": {"values": demo.emails},
            },
            "parameters": {
                "path.contract_id": {"dictionary": "contracts", "probability": 0.9},
                "path.number": {"dictionary": "versions", "probability": 0.9},
                "path.old": {"dictionary": "versions", "probability": 0.9},
                "path.new": {"dictionary": "versions", "probability": 0.9},
                "body.parent_id": {"dictionary": "contracts", "probability": 0.5},
                "body.email": {"dictionary": "emails", "probability": 0.5},
                "body.user": {"dictionary": "emails", "probability": 0.5},
            },
        }
    )


@dataclass
class Outcome:
    role: str
    operations: set[str] = field(default_factory=set)
    examples: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record_scenario(self, event: events.ScenarioFinished) -> None:
        recorder = event.recorder
        if event.status is Status.SKIP or not recorder.label:
            return
        self.operations.add(recorder.label)
        self.examples += len(recorder.cases)
        for case_id, checks in recorder.checks.items():
            for check in checks:
                if check.status is Status.FAILURE and check.failure_info is not None:
                    self.failures.append(self._describe(recorder, case_id, check))

    @staticmethod
    def _describe(recorder: Any, case_id: str, check: Any) -> str:
        failure = check.failure_info.failure
        response = recorder.interactions.get(case_id)
        status = response.response.status_code if response is not None and response.response else "?"
        message = " ".join(str(failure.message).split())[:300]
        return (
            f"{recorder.label} → {status}: {check.name}: {failure.title}: {message}\n  {check.failure_info.code_sample}"
        )

    def record_error(self, event: events.NonFatalError) -> None:
        self.errors.append(f"{event.label}: {type(event.value).__name__}: {event.value}")

    def summary(self, seconds: float) -> dict[str, Any]:
        problems = sorted({line.splitlines()[0] for line in self.failures}) + self.errors
        return {
            "role": self.role,
            "operations": len(self.operations),
            "examples": self.examples,
            "failures": len(self.failures),
            "errors": len(self.errors),
            "seconds": seconds,
            "problems": problems,
            "checks": list(CHECKS),
            "seed": SEED,
        }


def _run(schema: Any, role: str) -> Outcome:
    outcome = Outcome(role)
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            outcome.record_scenario(event)
        elif isinstance(event, events.NonFatalError):
            outcome.record_error(event)
        elif isinstance(event, events.FatalError):
            raise event.exception
    return outcome


def _documented_operations(document: dict[str, Any]) -> set[str]:
    verbs = {"get", "put", "post", "patch", "delete"}
    return {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item if method in verbs
    }


@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_for_role(
    live_server: str, demo: Demo, role: str, record_property: Callable[[str, object], None]
) -> None:
    started = time.monotonic()
    token = demo.tokens[role]
    schema = schemathesis.openapi.from_url(
        f"{live_server}/api/v1/openapi.json", config=_config(live_server, role, demo), headers=bearer(token)
    )
    outcome = _run(schema, role)
    record_property(PROPERTY, json.dumps(outcome.summary(round(time.monotonic() - started, 1))))
    assert not outcome.failures, f"{len(outcome.failures)} failures as {role}:\n" + "\n".join(outcome.failures[:40])
    assert not outcome.errors, "\n".join(outcome.errors)
    untested = _documented_operations(schema.raw_schema) - outcome.operations
    assert not untested, f"operations Schemathesis did not run as {role}: {sorted(untested)}"
    assert outcome.examples >= 2 * len(outcome.operations), "too few requests: positive and negative data for each"

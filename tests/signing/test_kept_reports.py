"""Issue 16: the signature report PDF and the audit-trail PDF are made by a job, kept by the
hashes of their inputs and polled; the second request is served from what was kept, and a
result's key is no pass: who may not read what it was made from gets 404."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from repo_app.audit import services as audit_services
from repo_app.core.extensions import db
from repo_app.core.results import CachedResult
from repo_app.signing import services as signing_services
from tests.conftest import bearer
from tests.signing import test_signing_api
from tests.signing.test_signing_api import sign

#: The signing tests' contract (a PDF in a department whose members may sign it), and their tokens.
setup = test_signing_api.setup

OTHER_DEPARTMENT = "财务部"


def _rows(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(row.kind, row.status) for row in db.session.scalars(select(CachedResult))]


def _must_not_run(*_args: Any, **_kwargs: Any) -> None:
    raise AssertionError("made again although the result is kept")


def _status_url(page: str) -> str:
    found = re.search(r'data-status-url="([^"]+)"', page)
    assert found is not None, page
    return html.unescape(found.group(1))


def test_report_pdf_is_queued_polled_then_served_from_what_was_kept(
    app: Flask, client: FlaskClient, setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    assert sign(client, tokens["signer"], contract).status_code == 201
    url = f"/api/v1/contracts/{contract}/versions/2/signatures?format=pdf&lang=en"
    first = client.get(url, headers=bearer(tokens["viewer"]))
    assert first.status_code == 202 and first.json["status"] == "queued"
    status_url = first.json["status_url"]
    assert first.headers["Location"] == status_url and status_url.startswith("/api/v1/results/")
    # The test queue runs the job as soon as the request commits.
    state = client.get(status_url, headers=bearer(tokens["viewer"]))
    assert state.status_code == 200 and state.json["status"] == "done"
    assert state.json["message"] == "The signature report is ready."
    made = client.get(state.json["result_url"], headers=bearer(tokens["viewer"]))
    assert made.status_code == 200 and made.mimetype == "application/pdf" and made.data.startswith(b"%PDF")
    assert _rows(app) == [("signature-report", "done")]

    monkeypatch.setattr(signing_services, "validate_pdf", _must_not_run)
    monkeypatch.setattr(signing_services, "render_report_pdf", _must_not_run)
    again = client.get(url, headers=bearer(tokens["viewer"]))
    assert again.status_code == 200 and again.data == made.data
    assert again.headers["Content-Disposition"] == f'attachment; filename="signature-report-{contract}-v2.pdf"'
    assert _rows(app) == [("signature-report", "done")]
    # Another language is another result.
    assert client.get(url.replace("lang=en", "lang=zh"), headers=bearer(tokens["viewer"])).status_code == 202


def test_a_new_revocation_list_makes_the_report_again(
    app: Flask, client: FlaskClient, setup: dict[str, Any], token_for: Callable[..., str]
) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    url = f"/api/v1/contracts/{contract}/versions/2/signatures?format=pdf&lang=en"
    assert client.get(url, headers=bearer(tokens["viewer"])).status_code == 202
    assert client.get(url, headers=bearer(tokens["viewer"])).status_code == 200
    revoked = client.post(
        "/api/v1/pki/revocations",
        headers=bearer(token_for("admin")),
        json={"email": "signer@example.com", "reason": "key_compromise"},
    )
    assert revoked.status_code in (200, 201), revoked.json
    assert client.get(url, headers=bearer(tokens["viewer"])).status_code == 202  # the inputs changed
    assert [status for _kind, status in _rows(app)] == ["done", "done"]


def test_who_may_not_read_the_contract_cannot_fetch_its_report_by_key(
    client: FlaskClient, setup: dict[str, Any], token_for: Callable[..., str], login: Callable[..., FlaskClient]
) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    first = client.get(
        f"/api/v1/contracts/{contract}/versions/2/signatures?format=pdf", headers=bearer(tokens["viewer"])
    )
    status_url = first.json["status_url"]
    key = status_url.rsplit("/", 1)[1]
    assert client.get(f"{status_url}/file", headers=bearer(tokens["viewer"])).status_code == 200
    outsider = token_for("viewer", department=OTHER_DEPARTMENT)
    for url in (status_url, f"{status_url}/file"):
        answer = client.get(url, headers=bearer(outsider))
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
    browser = login("manager", department=OTHER_DEPARTMENT)
    assert browser.get(f"/results/{key}").status_code == 404
    assert browser.get(f"/results/{key}/status").status_code == 404
    assert client.get(f"/api/v1/results/{'0' * 64}", headers=bearer(tokens["viewer"])).status_code == 404


def test_the_report_link_waits_on_a_page_then_downloads(
    app: Flask, client: FlaskClient, setup: dict[str, Any], login: Callable[..., FlaskClient]
) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    browser = login("viewer", department="法务部")
    detail = browser.get(f"/contracts/{contract}").get_data(as_text=True)
    link = f"/contracts/{contract}/versions/2/signature-report.pdf"
    assert f'data-report-pdf href="{link}"' in detail
    page = browser.get(link)
    assert page.status_code == 202
    text = page.get_data(as_text=True)
    assert re.search(r'<script nonce="[^"]+" type="module" src="[^"]*js/result-poll.js"', text)
    assert f'data-done-url="{link}"' in text
    state = browser.get(_status_url(text)).json
    assert state["status"] == "done"
    report = browser.get(link)
    assert report.status_code == 200 and report.data.startswith(b"%PDF")
    assert report.headers["Content-Disposition"] == f'attachment; filename="signature-report-{contract}-v2.pdf"'


def test_a_report_that_cannot_be_made_says_why(app: Flask, client: FlaskClient, setup: dict[str, Any]) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    with app.app_context():  # a damaged PDF stored as the version (its hash is what it was)
        from repo_app.contracts.models import ContractVersion

        version = db.session.scalars(select(ContractVersion).where(ContractVersion.contract_id == contract)).one()
        version.sha256 = "0" * 64
        version.blob_key = "missing/blob"
        db.session.commit()
    first = client.get(
        f"/api/v1/contracts/{contract}/versions/1/signatures?format=pdf", headers=bearer(tokens["viewer"])
    )
    assert first.status_code == 202
    state = client.get(first.json["status_url"], headers=bearer(tokens["viewer"])).json
    assert state["status"] == "failed" and state["message"].startswith("The signature report could not be made: ")
    assert client.get(f"{first.json['status_url']}/file", headers=bearer(tokens["viewer"])).status_code == 409


# --- the audit trail's PDF ------------------------------------------------------------------------


def test_trail_pdf_is_kept_for_its_user_and_the_trail_as_it_stands(
    app: Flask, login: Callable[..., FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    auditor = login("auditor")
    first = auditor.get("/audit/export.pdf?action=auth.")
    assert first.status_code == 202
    status_url = _status_url(first.get_data(as_text=True))
    key = status_url.split("/")[2]
    assert auditor.get(status_url).json["status"] == "done"
    made = auditor.get("/audit/export.pdf?action=auth.")
    assert made.status_code == 200 and made.data.startswith(b"%PDF")
    assert auditor.get(f"/results/{key}").data == made.data

    # Asked again with nothing new in the trail (exports aside): served from what was kept.
    monkeypatch.setattr(audit_services, "_trail_pdf", _must_not_run)
    assert auditor.get("/audit/export.pdf?action=auth.").data == made.data
    assert _rows(app) == [("audit-trail", "done")]
    # Another auditor sees the same trail but may not fetch this one's PDF by its key.
    other = login("auditor")
    assert other.get(f"/results/{key}").status_code == 404
    assert other.get(f"/results/{key}/status").status_code == 404
    # A new event in the trail (the log-in just now) makes a new PDF.
    assert auditor.get("/audit/export.pdf?action=auth.").status_code == 202


def test_a_user_who_lost_the_right_to_read_the_trail_cannot_fetch_their_pdf(
    app: Flask, login: Callable[..., FlaskClient], make_user: Callable[..., Any]
) -> None:
    auditor = login("auditor")
    first = auditor.get("/audit/export.pdf")
    key = _status_url(first.get_data(as_text=True)).split("/")[2]
    assert auditor.get(f"/results/{key}").status_code == 200
    with app.app_context():
        from repo_app.auth.models import User

        user = db.session.scalars(select(User).where(User.email == "auditor@example.com")).one()
        user.role = "viewer"
        db.session.commit()
    assert auditor.get(f"/results/{key}").status_code == 404


def test_results_are_described_in_the_api_document(client: FlaskClient, admin_token: str) -> None:
    document = client.get("/api/v1/openapi.json", headers=bearer(admin_token)).json
    assert set(document["paths"]["/results/{key}"]) >= {"get"}
    assert "409" in document["paths"]["/results/{key}/file"]["get"]["responses"]
    signatures = document["paths"]["/contracts/{contract_id}/versions/{number}/signatures"]["get"]
    assert "202" in signatures["responses"]

"""The audit trail as a PDF: the filtered events in text a reader can search (Chinese included),
the filter in the header, the export itself audited, and only for auditors and admins."""

from __future__ import annotations

import hashlib
import html
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.fonts import make_font
from tests.samples import pdf_bytes

CHINESE_TITLE = "上海浦东物业租赁合同"


@pytest.fixture
def trail(client: FlaskClient, admin_token: str) -> int:
    """An upload with a Chinese title, a title change and a download."""
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes("audit pdf")), "lease.pdf")},
    )
    contract_id: int = created.json["id"]
    client.patch(f"/api/v1/contracts/{contract_id}", headers=bearer(admin_token), json={"title": CHINESE_TITLE})
    client.get(f"/api/v1/contracts/{contract_id}/versions/1/file", headers=bearer(admin_token))
    return contract_id


def fetch_pdf(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> Any:
    """The PDF is written by a job: the first answer is the page that waits for it (202, with
    its state URL); once the state says done (the test queue runs jobs at once), the same URL
    answers with the kept PDF."""
    first = client.get(url, headers=headers)
    if first.status_code != 202:
        return first
    page = first.get_data(as_text=True)
    status_url = re.search(r'data-status-url="([^"]+)"', page)
    assert status_url is not None and "js/result-poll.js" in page
    state = client.get(html.unescape(status_url.group(1)), headers=headers)
    assert state.status_code == 200 and state.json["status"] == "done", state.json
    return client.get(url, headers=headers)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_pdf_holds_the_filtered_events_and_names_the_filter(login: Callable[[str], FlaskClient], trail: int) -> None:
    browser = login("auditor")
    response = fetch_pdf(browser, f"/audit/export.pdf?action=contract.&contract_id={trail}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="pactum-audit-')
    text = pdf_text(response.get_data())
    assert "Audit trail" in text
    assert "Action starts with: contract." in text and f"Contract: {trail}" in text
    assert "contract.update" in text and "contract.create" in text
    assert "Admin User" in text and "uploaded" in text  # each event also as a sentence (actor by name)
    assert CHINESE_TITLE in text  # rendered in the CJK font, extractable as text
    assert "version.download" not in text and "auth.login" not in text  # filtered out
    assert "Exported" in text and "auditor@example.com" in text


def test_unfiltered_pdf_says_so(login: Callable[[str], FlaskClient], trail: int) -> None:
    text = pdf_text(fetch_pdf(login("admin"), "/audit/export.pdf").get_data())
    assert "Filter: none" in text
    assert "version.download" in text and "auth.login" in text


def test_pdf_export_is_audited(app: Flask, login: Callable[[str], FlaskClient], trail: int) -> None:
    from repo_app.core.audit.models import AuditEvent

    browser = login("auditor")
    assert fetch_pdf(browser, "/audit/export.pdf?actor=admin@example.com").status_code == 200
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="audit.export").all()
    assert len(events) == 2  # the request that queued the PDF and the one that fetched it
    for event in events:
        assert event.actor_email == "auditor@example.com"
        assert event.details == {"format": "pdf", "filters": {"actor": "admin@example.com"}}


@pytest.mark.parametrize("role", ["manager", "editor", "signer", "viewer"])
def test_only_auditors_and_admins_get_the_pdf(
    login: Callable[[str], FlaskClient], token_for: Callable[[str], str], client: FlaskClient, trail: int, role: str
) -> None:
    assert login(role).get("/audit/export.pdf").status_code == 403
    assert client.get("/audit/export.pdf", headers=bearer(token_for(role))).status_code == 403


def test_anonymous_is_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get("/audit/export.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_auditor_token_gets_the_pdf(client: FlaskClient, token_for: Callable[[str], str], trail: int) -> None:
    response = fetch_pdf(client, "/audit/export.pdf", headers=bearer(token_for("auditor")))
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")


def test_bad_filter_is_refused(login: Callable[[str], FlaskClient]) -> None:
    assert login("auditor").get("/audit/export.pdf?from=yesterday").status_code == 422


def test_trail_page_links_both_exports_with_the_filter(login: Callable[[str], FlaskClient], trail: int) -> None:
    page = login("auditor").get("/audit?action=contract.").get_data(as_text=True)
    assert "/audit/export.csv?action=contract." in page
    assert "/audit/export.pdf?action=contract." in page


@pytest.fixture
def configured_font(request: pytest.FixtureRequest, app_config: dict[str, Any], tmp_path: Path) -> None:
    """PACTUM_CJK_FONT (set before the app is built): a font mapping the characters given."""
    # reportlab shares one face between files of the same internal name for the whole process:
    # each test's font has its own
    unique = hashlib.sha256(str(tmp_path).encode()).hexdigest()[:8]
    font = make_font(tmp_path / "configured.ttf", request.param, name=f"PactumConfigured{unique}")
    app_config["cjk_font"] = str(font)


@pytest.mark.parametrize("configured_font", ["合同甲乙方壹元整Aa1¥"], indirect=True)
def test_pdf_embeds_the_configured_font(configured_font: None, login: Callable[[str], FlaskClient]) -> None:
    response = fetch_pdf(login("auditor"), "/audit/export.pdf")
    assert response.status_code == 200
    assert b"+PactumConfigured" in response.get_data()


@pytest.mark.parametrize("configured_font", ["Aa1"], indirect=True)
def test_pdf_without_a_usable_font_says_why(configured_font: None, login: Callable[[str], FlaskClient]) -> None:
    response = login("auditor").get("/audit/export.pdf")
    assert response.status_code == 503
    assert "The PDF cannot be made" in response.get_data(as_text=True)

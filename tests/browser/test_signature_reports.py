"""Signature reports in the browser: the signer by name with the local time on the contract
page, the full report on its own page with its JSON and PDF, and the check of a PDF from outside."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import Contract
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.browser.test_upload_flow import log_in
from tests.conftest import PASSWORD, bearer
from tests.signer.support import make_contract_pdf
from tests.signing.conftest import version_bytes, with_internal_ca

pytestmark = pytest.mark.browser

TITLE = "已签署的服务合同"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ca_key_type": "ec-p256"}


@pytest.fixture
def app(app: Flask) -> Flask:
    return with_internal_ca(app)


@pytest.fixture
def signed_contract(client: FlaskClient, token_for: Callable[..., str]) -> int:
    """A contract signed (B-B) by the admin "Admin User" of the internal CA."""
    token = token_for("admin")
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(make_contract_pdf()), "服务合同.pdf"),
            "metadata": json.dumps({"title": TITLE}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    cid = int(response.json["id"])
    signed = client.post(f"/api/v1/contracts/{cid}/sign", headers=bearer(token), json={"password": PASSWORD})
    assert signed.status_code == 201, signed.json
    return cid


def test_the_panel_names_the_signer_and_shows_local_times(
    page: Any, live_server: str, signed_contract: int, make_user: Callable[..., Any]
) -> None:
    make_user("auditor")
    log_in(page, live_server, "auditor@example.com")
    page.goto(f"{live_server}/contracts/{signed_contract}")
    card = page.locator("[data-signatures-panel] .signature-card").first
    signer = card.locator("[data-signer]")
    assert signer.inner_text().startswith("Admin User")
    assert "CN=Admin User" in (signer.get_attribute("title") or "")
    text = card.inner_text()
    assert "CN=" not in text.split("证书")[0]  # the DN only behind "Certificate"
    assert "年" in text and "UTC+8" in text  # 2026年12月5日 15:30:00 UTC+8, not an ISO string
    assert "+00:00" not in text and "T0" not in text
    times = card.locator("time")
    assert times.first.get_attribute("datetime").endswith("Z")
    card.locator("[data-certificate] summary").click()
    assert "CN=Admin User" in card.locator("[data-certificate]").inner_text()
    # the report on its own page, with the JSON next to it
    page.locator("[data-report-page]").click()
    page.wait_for_url(f"**/contracts/{signed_contract}/versions/2/signatures")
    report = page.locator("[data-report-signature]").first
    assert report.get_attribute("data-indication") == "TOTAL_PASSED"
    assert report.locator("[data-explanation]").inner_text().startswith("签名有效")
    json_url = page.locator("[data-report-json]").get_attribute("href")
    body = page.evaluate("url => fetch(url).then(r => r.json())", json_url)
    assert body["signatures"][0]["explanation"]["zh"].startswith("签名有效")
    assert body["signatures"][0]["indication"] == "TOTAL_PASSED"


def test_an_auditor_validates_an_outside_pdf_on_the_page(
    page: Any,
    live_server: str,
    app: Flask,
    signed_contract: int,
    make_user: Callable[..., Any],
    tmp_path: Any,
) -> None:
    outside = tmp_path / "外来合同.pdf"
    outside.write_bytes(version_bytes(app, signed_contract, 2))
    with app.app_context():
        contracts_before = db.session.scalar(sa.select(sa.func.count()).select_from(Contract))
    make_user("auditor")
    log_in(page, live_server, "auditor@example.com")
    page.goto(f"{live_server}/audit")
    page.locator("[data-validate-link]").click()
    page.set_input_files("input[name=file]", str(outside))
    page.get_by_role("button", name="验证").click()
    report = page.locator("[data-report-signature]").first
    report.wait_for()
    assert report.get_attribute("data-indication") == "TOTAL_PASSED"
    assert "Admin User" in report.inner_text()
    with page.expect_download() as download_info:
        page.locator("[data-report-json]").click()
    data = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert data["document"]["filename"] == "外来合同.pdf" and data["signatures"][0]["indication"] == "TOTAL_PASSED"
    with page.expect_download() as pdf_info:
        page.locator("[data-report-pdf]").click()
    assert open(pdf_info.value.path(), "rb").read().startswith(b"%PDF")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contract)) == contracts_before
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "signature.validate_upload")).one()
        assert event.actor_email == "auditor@example.com" and event.details["filename"] == "外来合同.pdf"
    # a file that is not a PDF is refused on the page, in words
    not_pdf = tmp_path / "note.pdf"
    not_pdf.write_bytes(b"hello")
    page.set_input_files("input[name=file]", str(not_pdf))
    page.get_by_role("button", name="验证").click()
    assert page.locator("[data-validate-error]").is_visible()

"""PDF renditions of Word files for the preview, made by the real LibreOffice while a version
is processed: stored beside the original, served for the preview, removed with the version."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from indexer.render import pdf_page_texts
from repo_app.cli import main
from repo_app.contracts.models import VersionRendition
from repo_app.core.extensions import db
from tests.conftest import bearer, stored_blobs
from tests.paths import require_corpus
from tests.word_contracts import MALFORMED_DOC, contract_docx, require_soffice

MARKER = "附加约定：乙方须遵守琥珀计划的保密要求。"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    require_soffice()
    return {**app_config, "preview_converter": "libreoffice"}


def _upload(client: FlaskClient, token: str, content: bytes, name: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(content), name), "metadata": json.dumps({"title": name}, ensure_ascii=False)},
    )
    assert response.status_code == 201, response.json
    return dict(response.json)


def _rendition(app: Flask, contract_id: int) -> VersionRendition | None:
    with app.app_context():
        from repo_app.contracts.models import Contract

        contract = db.session.get(Contract, contract_id)
        assert contract is not None and contract.latest_version is not None
        row = db.session.get(VersionRendition, contract.latest_version.id)
        if row is not None:
            db.session.expunge(row)
        return row


def _compact(text: str) -> str:
    return "".join(text.split())


def test_a_word_contract_is_previewed_as_pdf_and_its_hits_name_the_rendered_page(
    app: Flask, client: FlaskClient, admin_token: str, tmp_path: Path
) -> None:
    original = contract_docx(repeat=3, last_line=MARKER)
    contract = _upload(client, admin_token, original, "借款合同.docx")
    row = _rendition(app, contract["id"])
    assert row is not None and row.status == "ready" and row.page_count >= 3
    assert row.sha256 != contract["versions"][0]["sha256"]  # beside the original, not instead of it

    preview = client.get(f"/api/v1/contracts/{contract['id']}/versions/1/preview.pdf", headers=bearer(admin_token))
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.data.startswith(b"%PDF-") and preview.headers["ETag"].strip('"') == row.sha256
    assert "inline" in preview.headers["Content-Disposition"] and "%E5%80%9F" in preview.headers["Content-Disposition"]
    download = client.get(f"/api/v1/contracts/{contract['id']}/versions/1/file", headers=bearer(admin_token))
    assert download.data == original  # the download stays the original DOCX

    pdf = tmp_path / "rendition.pdf"
    pdf.write_bytes(preview.data)
    rendered_pages = pdf_page_texts(pdf)
    marker_page = next(number for number, text in enumerate(rendered_pages, 1) if "琥珀计划" in _compact(text))
    assert marker_page == len(rendered_pages) > 1
    hits = client.get("/api/v1/search?q=琥珀", headers=bearer(admin_token)).json["hits"]
    assert [(hit["id"], hit["page"]) for hit in hits] == [(contract["id"], marker_page)]

    page = client.get(f"/contracts/{contract['id']}?page={marker_page}&q=琥珀", headers=bearer(admin_token))
    html = page.get_data(as_text=True)
    assert f"/api/v1/contracts/{contract['id']}/versions/1/preview.pdf" in html
    assert f'data-page="{marker_page}"' in html and "data-rendition-note" in html
    marked = re.search(r"data-highlight='([^']*)'", html)
    assert marked is not None and json.loads(marked.group(1)) == ["琥珀"]


def test_a_malformed_word_file_says_why_there_is_no_preview(app: Flask, client: FlaskClient, admin_token: str) -> None:
    # Passes the upload check and the text extractor, but LibreOffice cannot load it.
    docx = require_corpus("poi_docx_adversarial", "document", "ExternalEntityInText.docx").read_bytes()
    contract = _upload(client, admin_token, docx, "external-entity.docx")
    body = client.get(f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token)).json
    assert body["versions"][0]["status"] == "indexed"  # still searchable, never stuck
    row = _rendition(app, contract["id"])
    assert row is not None and row.status == "failed" and row.reason == "unreadable" and row.blob_key is None
    page = client.get(f"/contracts/{contract['id']}", headers=bearer(admin_token))
    assert page.status_code == 200
    assert "this file could not be converted to PDF (LibreOffice could not read the document" in page.get_data(
        as_text=True
    )
    missing = client.get(f"/api/v1/contracts/{contract['id']}/versions/1/preview.pdf", headers=bearer(admin_token))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"

    # A Word 97–2003 file nothing can read: the version fails with the reason, the preview says why.
    broken = _upload(client, admin_token, require_corpus(*MALFORMED_DOC).read_bytes(), "broken.doc")
    body = client.get(f"/api/v1/contracts/{broken['id']}", headers=bearer(admin_token)).json
    assert body["versions"][0]["status"] == "failed"
    text = client.get(f"/contracts/{broken['id']}", headers=bearer(admin_token)).get_data(as_text=True)
    assert "could not be converted to PDF" in text


def _configure(app: Flask, **changes: Any) -> None:
    app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], **changes)


def test_without_libreoffice_the_version_is_searchable_and_the_preview_says_why(
    app: Flask, client: FlaskClient, admin_token: str
) -> None:
    _configure(app, soffice="/nowhere/soffice")
    contract = _upload(client, admin_token, contract_docx(last_line=MARKER), "借款合同.docx")
    body = client.get(f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token)).json
    assert body["versions"][0]["status"] == "indexed"
    assert client.get("/api/v1/search?q=琥珀", headers=bearer(admin_token)).json["total"] == 1
    row = _rendition(app, contract["id"])
    assert row is not None and row.reason == "missing"
    text = client.get(f"/contracts/{contract['id']}", headers=bearer(admin_token)).get_data(as_text=True)
    assert "LibreOffice, which converts this file to PDF, is not installed on the server" in text


def test_the_renditions_command_makes_the_missing_ones(
    app: Flask, app_config: dict[str, Any], client: FlaskClient, admin_token: str
) -> None:
    _configure(app, preview_converter="off")
    contract = _upload(client, admin_token, contract_docx(repeat=2, last_line=MARKER), "借款合同.docx")
    assert _rendition(app, contract["id"]) is None
    text = client.get(f"/contracts/{contract['id']}", headers=bearer(admin_token)).get_data(as_text=True)
    assert "No preview for this file type" in text
    environment = {
        "LANG": "C.UTF-8",
        "PACTUM_QUEUE_IMMEDIATE": "true",
        **{f"PACTUM_{name.upper()}": str(app_config[name]) for name in ("data_dir", "database_url", "storage_url")},
    }
    result = CliRunner().invoke(main, ["renditions"], env=environment)
    assert result.exit_code == 0, result.output
    assert "Queued 1 versions for their PDF preview." in result.output
    row = _rendition(app, contract["id"])
    assert row is not None and row.status == "ready" and row.page_count >= 2
    hits = client.get("/api/v1/search?q=琥珀", headers=bearer(admin_token)).json["hits"]
    assert hits[0]["page"] == row.page_count  # the marker is on the rendition's last page
    again = CliRunner().invoke(main, ["renditions"], env=environment)
    assert "Queued 0 versions" in again.output


def test_reprocessing_replaces_the_rendition_and_purging_removes_it(
    app: Flask, client: FlaskClient, admin_token: str
) -> None:
    contract = _upload(client, admin_token, contract_docx(last_line="采购清单另附。"), "采购合同.docx")
    first = _rendition(app, contract["id"])
    assert first is not None and first.sha256 in stored_blobs(app)
    again = client.post(f"/api/v1/contracts/{contract['id']}/versions/1/reprocess", headers=bearer(admin_token))
    assert again.status_code == 202
    row = _rendition(app, contract["id"])
    assert row is not None and row.status == "ready" and row.sha256 in stored_blobs(app)
    assert row.sha256 != first.sha256  # LibreOffice stamps the time of conversion into the PDF
    assert first.sha256 not in stored_blobs(app), "the replaced rendition's blob was left behind"
    client.delete(f"/api/v1/contracts/{contract['id']}", headers=bearer(admin_token))
    purged = client.post(f"/api/v1/contracts/{contract['id']}/purge", headers=bearer(admin_token))
    assert purged.status_code == 200 and purged.json["blobs_removed"] == 2
    assert row.sha256 not in stored_blobs(app)
    with app.app_context():
        assert db.session.get(VersionRendition, row.version_id) is None

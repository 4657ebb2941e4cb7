"""A Word version (a drafted contract, an uploaded DOCX) is signed through its PDF rendition:
the signed PDF becomes the next version, named .pdf; the Word original stays as it was."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import VersionRendition
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer
from tests.signing.conftest import version_bytes
from tests.word_contracts import contract_docx, require_soffice


def _upload_docx(client: FlaskClient, token: str) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(contract_docx()), "借款合同.docx"), "metadata": json.dumps({"title": "借款合同"})},
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _sign(client: FlaskClient, token: str, contract_id: int) -> Any:
    body = {"level": "B-B", "reason": "同意", "password": PASSWORD}
    return client.post(f"/api/v1/contracts/{contract_id}/sign", headers=bearer(token), json=body)


@pytest.fixture
def converting(app_config: dict[str, Any]) -> dict[str, Any]:
    require_soffice()
    app_config["preview_converter"] = "libreoffice"
    return app_config


def test_a_word_version_is_signed_through_its_rendition(
    converting: dict[str, Any], app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    token = token_for("manager")
    contract_id = _upload_docx(client, token)
    word = version_bytes(app, contract_id, 1)
    signed = _sign(client, token, contract_id)
    assert signed.status_code == 201, signed.json
    assert signed.json["number"] == 2 and signed.json["filename"].endswith(".pdf")
    assert signed.json["signatures"]["signatures"][0]["indication"] == "TOTAL_PASSED"
    assert version_bytes(app, contract_id, 2).startswith(_rendition_bytes(app, contract_id))  # what the preview showed
    assert version_bytes(app, contract_id, 1) == word  # the Word original is untouched


def _rendition_bytes(app: Flask, contract_id: int) -> bytes:
    from repo_app.contracts.models import Contract
    from repo_app.core.extensions import blob_store

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract is not None
        first = next(v for v in contract.versions if v.number == 1)
        rendition = db.session.get(VersionRendition, first.id)
        assert rendition is not None and rendition.blob_key
        with blob_store().open(rendition.blob_key) as stream:
            return stream.read()


def test_a_word_version_without_its_pdf_is_refused_with_the_reason(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    token = token_for("manager")  # the test settings make no renditions
    contract_id = _upload_docx(client, token)
    refused = _sign(client, token, contract_id)
    assert refused.status_code == 422
    assert "PDF" in refused.json["error"]["message"] and "ready" in refused.json["error"]["message"]

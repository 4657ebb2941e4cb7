"""`POST /api/v1/validate` answers every PDF with a report or a 422, never a 500."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from signer import sign_pdf
from tests.conftest import bearer
from tests.signer.malformed import without_signer_certificate
from tests.signer.pki import TestPKI
from tests.signer.support import make_contract_pdf


def _validate(client: FlaskClient, token: str, data: bytes, name: str) -> TestResponse:
    return client.post("/api/v1/validate", headers=bearer(token), data={"file": (io.BytesIO(data), name)})


def test_signature_without_the_signers_certificate_is_reported(
    client: FlaskClient, token_for: Callable[..., str], pki: TestPKI
) -> None:
    data = without_signer_certificate(sign_pdf(make_contract_pdf(), pki.key("alice")))
    response = _validate(client, token_for("viewer"), data, "no-signer-cert.pdf")
    assert response.status_code == 200, response.json
    (signature,) = response.json["signatures"]
    assert (signature["indication"], signature["sub_indication"]) == ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND")
    assert signature["signer"] is None
    assert signature["warnings"][0].startswith("The signature does not contain the signer's certificate")


def test_a_pdf_that_cannot_be_read_is_a_422(client: FlaskClient, token_for: Callable[..., str], pki: TestPKI) -> None:
    signed = sign_pdf(make_contract_pdf(), pki.key("alice"))
    response = _validate(client, token_for("viewer"), signed[:200], "truncated.pdf")
    assert response.status_code == 422, response.json
    assert "cannot be validated" in response.json["error"]["message"]


def test_an_outside_pdf_over_the_limit_is_refused_before_validation(
    client: FlaskClient, token_for: Callable[..., str], pki: TestPKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repo_app.signing import services

    signed = sign_pdf(make_contract_pdf(), pki.key("alice"))
    monkeypatch.setattr(services, "VALIDATE_MAX_MB", 0)  # every file is too large
    response = _validate(client, token_for("auditor"), signed, "big.pdf")
    assert response.status_code == 413, response.json
    monkeypatch.setattr(services, "VALIDATE_MAX_MB", 1)
    assert _validate(client, token_for("auditor"), signed + b"\0" * (1024 * 1024), "big.pdf").status_code == 413
    assert _validate(client, token_for("auditor"), signed, "small.pdf").status_code == 200


def test_the_report_explains_the_outcome_in_both_languages(
    client: FlaskClient, token_for: Callable[..., str], pki: TestPKI
) -> None:
    """alice's certificate names an OCSP service; offline, hard-fail cannot confirm it."""
    signed = sign_pdf(make_contract_pdf(), pki.key("alice"))
    (signature,) = _validate(client, token_for("auditor"), signed, "alice.pdf").json["signatures"]
    assert signature["indication"] != "TOTAL_PASSED"
    assert signature["explanation"]["zh"].startswith("根据现有信息") or signature["explanation"]["zh"].startswith(
        "签名无效"
    )
    assert signature["explanation"]["en"]

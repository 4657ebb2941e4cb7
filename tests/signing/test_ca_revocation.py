"""Pactum's own CA publishes revocation: certificates name /pki/ca.crl, B-LT embeds the CA's
CRL from the database, revoking or deactivating publishes a new CRL at once (audited)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer, ensure_department
from tests.signer.support import make_contract_pdf

DEPARTMENT = "法务部"
BASE_URL = "https://pactum.example.com"
SIGNER = "signer@example.com"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "base_url": BASE_URL + "/"}


@pytest.fixture
def setup(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> dict[str, Any]:
    with app.app_context():
        ensure_department(DEPARTMENT)
        db.session.commit()
    tokens = {role: token_for(role, department=DEPARTMENT) for role in ("manager", "signer", "admin")}
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(tokens["manager"]),
        data={"file": (io.BytesIO(make_contract_pdf()), "采购合同.pdf"), "metadata": json.dumps({"title": "吊销测试"})},
    )
    assert response.status_code == 201, response.json
    contract_id = response.json["id"]
    client.put(
        f"/api/v1/contracts/{contract_id}/access", headers=bearer(tokens["manager"]), json={"department_level": "sign"}
    )
    return {"tokens": tokens, "contract": contract_id}


def _sign(client: FlaskClient, setup: dict[str, Any], level: str) -> Any:
    response = client.post(
        f"/api/v1/contracts/{setup['contract']}/sign",
        headers=bearer(setup["tokens"]["signer"]),
        json={"level": level, "password": PASSWORD},
    )
    assert response.status_code == 201, response.json
    return response.json


def _served_crl(client: FlaskClient) -> x509.CertificateRevocationList:
    response = client.get("/pki/ca.crl")  # no log-in: relying parties anywhere fetch it
    assert response.status_code == 200
    assert response.mimetype == "application/pkix-crl"
    assert response.cache_control.public and response.cache_control.max_age
    return x509.load_der_x509_crl(response.data)


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def _signer_certificate(app: Flask) -> x509.Certificate:
    from repo_app.signing.keys import internal_ca

    with app.app_context():
        cert = internal_ca().user_certificate(SIGNER)
    assert cert is not None
    return cert


def _revoke(client: FlaskClient, token: str, email: str, reason: str = "key_compromise") -> Any:
    return client.post("/api/v1/pki/revocations", headers=bearer(token), json={"email": email, "reason": reason})


def _audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_b_lt_embeds_the_cas_crl_and_the_report_says_good(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    version = _sign(client, setup, "B-LT")
    (signature,) = version["signatures"]["signatures"]
    assert (signature["indication"], signature["pades_level"]) == ("TOTAL_PASSED", "B-LT"), signature
    assert signature["revocation"]["status"] == "good" and signature["revocation"]["embedded"] is True
    page = client.get(f"/contracts/{setup['contract']}", headers=bearer(setup["tokens"]["signer"]))
    assert 'data-revocation="good"' in page.get_data(
        as_text=True
    ) and "The proof is embedded in the document." in page.get_data(as_text=True)
    points = _signer_certificate(app).extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [name.value for point in points for name in point.full_name or []] == [BASE_URL + "/pki/ca.crl"]


def test_revoking_publishes_a_new_crl_at_the_url_and_old_b_b_signatures_lose_their_verdict(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    _sign(client, setup, "B-B")
    before = _served_crl(client)
    cert = _signer_certificate(app)
    assert before.get_revoked_certificate_by_serial_number(cert.serial_number) is None
    refused = _revoke(client, setup["tokens"]["manager"], SIGNER)
    assert refused.status_code == 403
    response = _revoke(client, setup["tokens"]["admin"], SIGNER)
    assert response.status_code == 201, response.json
    assert response.json["serial"] == format(cert.serial_number, "x")

    after = _served_crl(client)
    assert _crl_number(after) == _crl_number(before) + 1
    entry = after.get_revoked_certificate_by_serial_number(cert.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    assert {"ca.certificate_revoke", "ca.crl_publish"} <= set(_audit_actions(app))
    assert _revoke(client, setup["tokens"]["admin"], SIGNER).status_code == 409

    # A B-B signature has no proof of when it was made: after the revocation it cannot be confirmed.
    report = client.get(
        f"/api/v1/contracts/{setup['contract']}/versions/2/signatures?refresh=1",
        headers=bearer(setup["tokens"]["signer"]),
    ).json
    (signature,) = report["signatures"]
    assert (signature["indication"], signature["sub_indication"]) == ("INDETERMINATE", "REVOKED_NO_POE")
    assert signature["revocation"]["status"] == "revoked"
    page = client.get(f"/contracts/{setup['contract']}", headers=bearer(setup["tokens"]["signer"]))
    assert 'data-revocation="revoked"' in page.get_data(
        as_text=True
    ) and "The certificate is revoked." in page.get_data(as_text=True)
    # The next signature gets a new certificate, which is good.
    version = _sign(client, setup, "B-LT")
    assert version["signatures"]["signatures"][-1]["indication"] == "TOTAL_PASSED"
    assert _signer_certificate(app).serial_number != cert.serial_number


def test_a_signature_made_with_the_revoked_key_is_reported_revoked(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    from repo_app.signing.keys import internal_ca
    from signer import sign_pdf

    _sign(client, setup, "B-B")
    with app.app_context():
        revoked_key = internal_ca().load_user_key(SIGNER)
    assert _revoke(client, setup["tokens"]["admin"], SIGNER).status_code == 201
    signed_after = sign_pdf(make_contract_pdf(), revoked_key)
    response = client.post(
        "/api/v1/validate",
        headers=bearer(setup["tokens"]["signer"]),
        data={"file": (io.BytesIO(signed_after), "after-revocation.pdf")},
    )
    (signature,) = response.json["signatures"]
    assert signature["indication"] != "TOTAL_PASSED"
    assert signature["sub_indication"] == "REVOKED_NO_POE" and signature["revocation"]["status"] == "revoked"


def test_deactivating_a_user_revokes_their_certificate_at_once(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    from repo_app.admin.services import set_active
    from repo_app.auth.models import User

    _sign(client, setup, "B-B")
    cert = _signer_certificate(app)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
        signer = db.session.scalar(select(User).where(User.email == SIGNER))
        set_active(admin, signer, False)
        db.session.commit()
    entry = _served_crl(client).get_revoked_certificate_by_serial_number(cert.serial_number)
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.cessation_of_operation
    assert "ca.certificate_revoke" in _audit_actions(app)


def test_bad_revocation_requests_are_4xx(client: FlaskClient, setup: dict[str, Any]) -> None:
    token = setup["tokens"]["admin"]
    assert _revoke(client, token, "nobody@example.com").status_code == 404
    assert _revoke(client, token, SIGNER, reason="bored").status_code == 422
    missing = client.post("/api/v1/pki/revocations", headers=bearer(token), json={"reason": "superseded"})
    assert missing.status_code == 422 and missing.json["error"]["message"]


def test_the_crl_is_cacheable_and_conditional(client: FlaskClient, setup: dict[str, Any]) -> None:
    first = client.get("/pki/ca.crl")
    again = client.get("/pki/ca.crl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304

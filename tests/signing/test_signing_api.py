"""Signing through the app: levels, visible seal, sequence, reports, re-authentication, audit."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer, ensure_department
from tests.samples import png_bytes
from tests.signer.support import (
    flip_signed_byte,
    make_contract_pdf,
    make_nss_db,
    pdfsig,
    qpdf_check,
    tools_available,
)
from tests.signing.conftest import version_bytes, write

DEPARTMENT = "法务部"


@pytest.fixture
def setup(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> dict[str, Any]:
    with app.app_context():
        ensure_department(DEPARTMENT)
        db.session.commit()
    tokens = {role: token_for(role, department=DEPARTMENT) for role in ("manager", "signer", "viewer")}
    pdf = make_contract_pdf()
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(tokens["manager"]),
        data={"file": (io.BytesIO(pdf), "采购合同.pdf"), "metadata": json.dumps({"title": "签署测试合同"})},
    )
    assert response.status_code == 201, response.json
    contract_id = response.json["id"]
    # everyone in the department may sign it
    client.put(
        f"/api/v1/contracts/{contract_id}/access", headers=bearer(tokens["manager"]), json={"department_level": "sign"}
    )
    return {"tokens": tokens, "contract": contract_id, "pdf": pdf}


def sign(client: FlaskClient, token: str, contract_id: int, **options: Any) -> Any:
    body = {"level": "B-B", "reason": "同意", "location": "上海", "password": PASSWORD, **options}
    return client.post(f"/api/v1/contracts/{contract_id}/sign", headers=bearer(token), json=body)


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LTA"])
def test_sign_at_each_level_creates_a_new_version(
    app: Flask, client: FlaskClient, setup: dict[str, Any], level: str
) -> None:
    response = sign(client, setup["tokens"]["signer"], setup["contract"], level=level)
    assert response.status_code == 201, response.json
    version = response.json
    assert version["number"] == 2 and version["origin"] == "signed"
    signed = version_bytes(app, setup["contract"], 2)
    assert signed.startswith(setup["pdf"])  # an incremental update: the original bytes stay
    assert version_bytes(app, setup["contract"], 1) == setup["pdf"]
    report = version["signatures"]
    assert len(report["signatures"]) == 1
    signature = report["signatures"][0]
    assert signature["indication"] == "TOTAL_PASSED", signature
    assert signature["signer"]["email"] == "signer@example.com"
    assert (signature["timestamp"] is not None) == (level != "B-B")


def test_visible_signature_with_a_chinese_name_and_a_seal(
    app: Flask, client: FlaskClient, setup: dict[str, Any], tmp_path: Path
) -> None:
    token = setup["tokens"]["signer"]
    seal = client.post(
        "/api/v1/seals",
        headers=bearer(token),
        data={"file": (io.BytesIO(png_bytes(64, 64)), "seal.png"), "name": "合同专用章"},
    )
    assert seal.status_code == 201
    response = sign(
        client,
        token,
        setup["contract"],
        appearance={"page": 1, "box": [350, 80, 550, 160], "image_id": seal.json["id"]},
    )
    assert response.status_code == 201, response.json
    signed = write(tmp_path, "signed.pdf", version_bytes(app, setup["contract"], 2))
    text = subprocess.run(["pdftotext", str(signed), "-"], capture_output=True, text=True, check=True).stdout
    assert "Signer User" in text.replace("\n", " ") or "Signer" in text


def test_two_signers_in_sequence_both_stay_valid(app: Flask, client: FlaskClient, setup: dict[str, Any]) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    request = client.post(
        f"/api/v1/contracts/{contract}/signing-requests",
        headers=bearer(tokens["manager"]),
        json={"signers": ["signer@example.com", "manager@example.com"], "level": "B-B"},
    )
    assert request.status_code == 201, request.json
    assert [s["current"] for s in request.json["signers"]] == [True, False]
    assert sign(client, tokens["signer"], contract).status_code == 201
    assert sign(client, tokens["manager"], contract).status_code == 201
    report = client.get(f"/api/v1/contracts/{contract}/versions/3/signatures", headers=bearer(tokens["viewer"])).json
    assert [s["indication"] for s in report["signatures"]] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert report["signatures"][0]["coverage"]["whole_document"] is False
    state = client.get(f"/api/v1/contracts/{contract}/signing-requests", headers=bearer(tokens["viewer"])).json
    assert state["items"][0]["status"] == "completed"


@pytest.mark.skipif(not tools_available(), reason="poppler-utils / libnss3-tools / qpdf not installed")
def test_poppler_and_qpdf_accept_what_the_app_signs(
    app: Flask, client: FlaskClient, setup: dict[str, Any], tmp_path: Path
) -> None:
    """An independent validator: pdfsig, trusting only the app's internal CA root."""
    tokens, contract = setup["tokens"], setup["contract"]
    assert sign(client, tokens["signer"], contract, level="B-T", certify="form_filling").status_code == 201
    assert (
        sign(
            client, tokens["manager"], contract, level="B-LTA", appearance={"page": 1, "box": [350, 80, 550, 160]}
        ).status_code
        == 201
    )
    from repo_app.signing.keys import ca_folder

    with app.app_context():
        nssdir = make_nss_db(tmp_path / "nss", ca_folder() / "root.cert.pem")
    signed = write(tmp_path, "signed.pdf", version_bytes(app, contract, 3))
    # pdfsig also lists B-LTA's document timestamp, which it cannot judge ("not yet verified").
    signatures = [s for s in pdfsig(signed, nssdir) if "not yet been verified" not in s.validation]
    assert [s.validation for s in signatures] == ["Signature is Valid."] * 2, signatures
    assert all(s.certificate == "Certificate is Trusted." for s in signatures), signatures
    assert signatures[0].total_document_signed is False  # the second signature came after it
    assert qpdf_check(signed)[0]
    tampered = write(tmp_path, "tampered.pdf", flip_signed_byte(signed.read_bytes()))
    assert "Signature is Valid." not in [s.validation for s in pdfsig(tampered, nssdir)]


def test_signing_needs_the_password_and_the_right(client: FlaskClient, setup: dict[str, Any]) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    wrong = sign(client, tokens["signer"], contract, password="not my password")
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "reauthentication_failed"
    assert sign(client, tokens["viewer"], contract).status_code == 403
    no_tsa_level = sign(client, tokens["signer"], contract, level="B-X")
    assert no_tsa_level.status_code == 422


def test_b_t_without_a_timestamp_authority_is_refused(
    app_config: dict[str, Any], setup: dict[str, Any], client: FlaskClient, app: Flask
) -> None:
    app.extensions["pactum.settings"] = app.extensions["pactum.settings"].__class__(
        **{**app.extensions["pactum.settings"].__dict__, "tsa_url": ""}
    )
    response = sign(client, setup["tokens"]["signer"], setup["contract"], level="B-T")
    assert response.status_code == 422
    assert "PACTUM_TSA_URL" in response.json["error"]["message"]


def test_report_pdf_is_signed_and_retrieval_is_audited(
    app: Flask, client: FlaskClient, setup: dict[str, Any], tmp_path: Path
) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    url = f"/api/v1/contracts/{contract}/versions/2/signatures?format=pdf&lang=zh"
    assert client.get(url, headers=bearer(tokens["viewer"])).status_code == 202  # made by a job (run at once here)
    pdf = client.get(url, headers=bearer(tokens["viewer"]))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the report itself carries a valid signature by the organisation key
    check = client.post(
        "/api/v1/validate", headers=bearer(tokens["viewer"]), data={"file": (io.BytesIO(pdf.data), "report.pdf")}
    )
    assert check.json["signatures"][0]["indication"] == "TOTAL_PASSED"
    text = subprocess.run(
        ["pdftotext", str(write(tmp_path, "r.pdf", pdf.data)), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "签名" in text or "签署" in text
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.seq)]
    assert "contract.sign" in actions and actions.count("signature.report") >= 1


def test_tampered_upload_is_reported_as_failed(client: FlaskClient, setup: dict[str, Any], app: Flask) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    signed = bytearray(version_bytes(app, contract, 2))
    position = signed.index(b"Pactum") if b"Pactum" in signed else len(signed) // 3
    signed[position] ^= 0x01
    response = client.post(
        "/api/v1/validate", headers=bearer(tokens["viewer"]), data={"file": (io.BytesIO(bytes(signed)), "tampered.pdf")}
    )
    signature = response.json["signatures"][0]
    assert signature["indication"] == "TOTAL_FAILED" and signature["sub_indication"] == "HASH_FAILURE"


def test_upload_of_a_pdf_signed_elsewhere_gets_a_report(client: FlaskClient, setup: dict[str, Any], app: Flask) -> None:
    tokens, contract = setup["tokens"], setup["contract"]
    sign(client, tokens["signer"], contract)
    signed = version_bytes(app, contract, 2)
    other = client.post(
        "/api/v1/contracts",
        headers=bearer(tokens["manager"]),
        data={"file": (io.BytesIO(signed + b"\n"), "外部签署.pdf")},
    )
    assert other.status_code == 201
    report = client.get(
        f"/api/v1/contracts/{other.json['id']}/versions/1/signatures", headers=bearer(tokens["manager"])
    ).json
    assert len(report["signatures"]) == 1


def test_a_code_from_the_authenticator_app_confirms_a_signature_once(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    from repo_app.auth import authenticator, totp
    from repo_app.auth.services import user_for_token

    token, contract = setup["tokens"]["signer"], setup["contract"]
    with app.test_request_context():
        user = user_for_token(token)
        assert user is not None
        secret = authenticator.start_setup(user)
        db.session.commit()
        authenticator.confirm_setup(user, totp.code_at(secret, totp.current_step() - 1))
        db.session.commit()
    code = totp.code_at(secret, totp.current_step())
    assert sign(client, token, contract, password="", otp="000000" if code != "000000" else "111111").status_code == 403
    signed = sign(client, token, contract, password="", otp=code)
    assert signed.status_code == 201, signed.json
    replayed = sign(client, token, contract, password="", otp=code)
    assert replayed.status_code == 403 and replayed.json["error"]["code"] == "reauthentication_failed"
    assert sign(client, token, contract).status_code == 201  # the password still works


def test_wrong_passwords_or_codes_stop_being_tried_after_five(client: FlaskClient, setup: dict[str, Any]) -> None:
    token, contract = setup["tokens"]["signer"], setup["contract"]
    for guess in range(5):
        assert sign(client, token, contract, password="", otp=f"{guess:06d}").status_code == 403
    throttled = sign(client, token, contract)  # even the right password, for the rest of the window
    assert throttled.status_code == 429 and "Wait 15 minutes" in throttled.json["error"]["message"]
    assert sign(client, setup["tokens"]["manager"], contract).status_code == 201  # others are not held up

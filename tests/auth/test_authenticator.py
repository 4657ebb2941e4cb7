"""Authenticator apps (TOTP): the algorithm against RFC 6238, and setting one up in the web UI."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth import totp
from repo_app.auth.models import Authenticator
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, csrf_token_from

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (20000000000, "65353130")],
)
def test_codes_match_the_rfc_6238_test_vectors(unix_time: int, code: str) -> None:
    assert totp.code_at(RFC_SECRET, totp.current_step(unix_time), digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_only_once() -> None:
    secret, now = totp.new_secret(), 1_700_000_000.0
    step = totp.current_step(now)
    assert totp.matching_step(secret, totp.code_at(secret, step), now=now) == step
    assert totp.matching_step(secret, totp.code_at(secret, step - 1), now=now) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, step - 2), now=now) is None  # too old
    assert totp.matching_step(secret, totp.code_at(secret, step), now=now, after=step) is None  # used
    assert totp.matching_step(secret, "12 34", now=now) is None and totp.matching_step(secret, "abcdef") is None
    uri = totp.provisioning_uri(secret, "li.lei@example.com", "Pactum 合同")
    assert uri.startswith("otpauth://totp/Pactum%20%E5%90%88%E5%90%8C:li.lei%40example.com?secret=" + secret)


def _post(browser: FlaskClient, path: str, **data: str) -> str:
    page = browser.get("/account/authenticator").get_data(as_text=True)
    response = browser.post(path, data={"csrf_token": csrf_token_from(page), **data}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_set_up_confirm_and_remove_an_authenticator_app(app: Flask, login: Callable[..., FlaskClient]) -> None:
    browser = login("signer", email="app.user@example.com")
    assert 'data-authenticator-state="off"' in browser.get("/account/authenticator").get_data(as_text=True)
    page = _post(browser, "/account/authenticator/start")
    assert "<svg" in page  # the QR code, drawn on the server
    key = re.search(r"data-authenticator-key>([A-Z2-7]+)<", page)
    assert key is not None
    secret = key.group(1)
    wrong = _post(
        browser,
        "/account/authenticator/confirm",
        code="000000" if totp.code_at(secret, totp.current_step()) != "000000" else "111111",
    )
    assert "That code is not right" in wrong
    done = _post(browser, "/account/authenticator/confirm", code=totp.code_at(secret, totp.current_step()))
    assert 'data-authenticator-state="on"' in done
    with app.app_context():
        entry = db.session.query(Authenticator).one()
        assert secret not in entry.secret_encrypted  # stored encrypted
        assert db.session.query(AuditEvent).filter_by(action="auth.authenticator_added").count() == 1
    refused = _post(browser, "/account/authenticator/remove", password="not my password")
    assert "Enter your password to remove" in refused and 'data-authenticator-state="on"' in refused
    removed = _post(browser, "/account/authenticator/remove", password=PASSWORD)
    assert 'data-authenticator-state="off"' in removed
    with app.app_context():
        assert db.session.query(Authenticator).count() == 0
        assert db.session.query(AuditEvent).filter_by(action="auth.authenticator_removed").count() == 1

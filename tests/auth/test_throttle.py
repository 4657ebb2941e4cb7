"""Log-in throttling: per account with exponential backoff, a higher per-address limit, and the
client address taken from X-Forwarded-For only behind as many proxies as configured."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.core import clock
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, log_in

WRONG = "wrong password!"


def client_at(app: Flask, **environ: str) -> FlaskClient:
    """A test client whose requests carry these WSGI environ entries (REMOTE_ADDR, headers)."""
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _fail(client: FlaskClient, email: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, email, WRONG).status_code == 401


def test_a_locked_account_does_not_lock_others_from_the_same_address(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    make_user("admin")
    _fail(client, "viewer@example.com", app.extensions["pactum.settings"].login_max_failures)
    assert log_in(client, "viewer@example.com").status_code == 429  # the right password, still locked
    assert log_in(client, "admin@example.com").status_code == 302  # same address, other account
    with app.app_context():
        throttled = db.session.query(AuditEvent).filter_by(action="auth.login_throttled").one()
        assert throttled.details["scope"] == "account" and throttled.actor_email == "viewer@example.com"


def test_each_lock_after_the_first_doubles(app: Flask, client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user("viewer")
    settings = app.extensions["pactum.settings"]
    window = timedelta(minutes=settings.login_window_minutes)
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    _fail(client, "viewer@example.com", settings.login_max_failures)
    clock.advance(app, window - timedelta(minutes=1))
    assert log_in(client, "viewer@example.com").status_code == 429
    clock.advance(app, timedelta(minutes=2))  # the first lock is over: one more wrong password …
    _fail(client, "viewer@example.com", 1)
    clock.advance(app, window + timedelta(minutes=1))  # … locks for twice as long
    refused = log_in(client, "viewer@example.com")
    assert refused.status_code == 429
    assert f"Wait {settings.login_window_minutes - 1} minutes" in refused.get_data(as_text=True)
    clock.advance(app, window)
    assert log_in(client, "viewer@example.com").status_code == 302


def test_the_lock_never_exceeds_its_maximum(app_config: dict[str, Any], make_user: Callable[..., User]) -> None:
    from repo_app import create_app

    app_config.update(login_max_failures=2, login_window_minutes=10, login_lockout_max_minutes=25)
    app = create_app(app_config)
    client = app.test_client()
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    with app.app_context():
        from repo_app.auth.services import create_user

        create_user("many@example.com", PASSWORD, "viewer")
        db.session.commit()
    _fail(client, "many@example.com", 2)  # locked 10 minutes
    for _ in range(3):  # each later failure would double: 20, 40, 80 minutes
        clock.advance(app, timedelta(minutes=30))
        _fail(client, "many@example.com", 1)
    clock.advance(app, timedelta(minutes=26))
    assert log_in(client, "many@example.com").status_code == 302
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def strict_address_limit(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(login_max_failures_per_address=6)
    return app_config


def test_one_address_may_fail_only_so_often_over_all_accounts(
    strict_address_limit: dict[str, Any], app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    for number in range(3):
        _fail(client, f"guess{number}@example.com", 2)
    blocked = log_in(client, "viewer@example.com")
    assert blocked.status_code == 429 and "from your network" in blocked.get_data(as_text=True)
    elsewhere = client_at(app, REMOTE_ADDR="192.0.2.77")
    assert log_in(elsewhere, "viewer@example.com").status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(
    strict_address_limit: dict[str, Any], app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """A client cannot dodge the address limit by naming another address itself."""
    make_user("viewer")
    for number in range(6):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{number}"
        _fail(client, f"guess{number}@example.com", 1)
    assert log_in(client, "viewer@example.com").status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_apart(
    strict_address_limit: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """Behind the recommended TLS proxy every connection comes from the proxy: with
    PACTUM_TRUSTED_PROXIES=1 the limit applies to the address the proxy forwarded."""
    from repo_app import create_app

    strict_address_limit["trusted_proxies"] = 1
    app = create_app(strict_address_limit)
    attacker = client_at(app, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    colleague = client_at(app, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    with app.app_context():
        from repo_app.auth.services import create_user

        create_user("colleague@example.com", PASSWORD, "viewer")
        db.session.commit()
    for number in range(6):
        _fail(attacker, f"guess{number}@example.com", 1)
    assert log_in(attacker, "colleague@example.com").status_code == 429
    assert log_in(colleague, "colleague@example.com").status_code == 302
    # Only the last hop counts: an address the client prepends itself is not believed.
    spoofing = client_at(app, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10, 203.0.113.9")
    assert log_in(spoofing, "colleague@example.com").status_code == 429
    with app.app_context():
        login = db.session.query(AuditEvent).filter_by(action="auth.login").one()
        assert login.ip == "203.0.113.10"
        db.session.remove()
        db.engine.dispose()

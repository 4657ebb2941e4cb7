"""Webhooks reach public addresses only (request forgery): checked when saved and again at
each delivery, against the address actually connected to; the delivery log says no more than
"not allowed"; an administrator may allow listed networks."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app.core.errors import ValidationFailed
from repo_app.core.extensions import db
from repo_app.lifecycle import services, states
from repo_app.notifications import webhooks
from repo_app.notifications.models import Delivery, WebhookEndpoint
from tests.conftest import csrf_token_from, log_in
from tests.lifecycle.conftest import Receiver, contract, make_contract, user
from tests.lifecycle.sqlite_only import sqlite_database_url  # noqa: F401  (engine-independent: SQLite only)

PUBLIC = "93.184.216.34"  # a public address, written as one: no DNS needed

REFUSED = [
    "http://127.0.0.1:{port}/hook",
    "http://localhost:{port}/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0x7f000001:{port}/hook",
    "http://2130706433:{port}/hook",
    "http://0177.0.0.1:{port}/hook",
    "http://127.1:{port}/hook",
    "http://[::1]:{port}/hook",
    "http://[::ffff:127.0.0.1]:{port}/hook",
    "http://0.0.0.0:{port}/hook",
    "http://10.1.2.3/hook",
    "http://192.168.1.10/hook",
    "http://172.16.0.1/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
    "http://224.0.0.1/hook",
    "http://100.64.0.1/hook",
]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The embedded default: no inside network allowed."""
    return {**app_config, "webhook_allowed_networks": ""}


@pytest.fixture
def admin(ctx: Flask, make_user: Callable[..., Any]) -> Any:
    make_user("admin")
    return user("admin@example.com")


def _save(admin: Any, url: str) -> WebhookEndpoint:
    return webhooks.save_endpoint(admin, None, name="hook", url=url, events="*", active=True, secret="s")


@pytest.mark.parametrize("template", REFUSED)
def test_inside_addresses_are_refused_when_saved(admin: Any, webhook_receiver: Receiver, template: str) -> None:
    port = webhook_receiver.url.split(":")[2].split("/")[0]
    with pytest.raises(ValidationFailed, match="public internet address"):
        _save(admin, template.format(port=port))
    assert db.session.scalar(sa.select(sa.func.count(WebhookEndpoint.id))) == 0


def test_a_public_address_is_accepted(admin: Any) -> None:
    assert _save(admin, f"https://{PUBLIC}/hook").id


def test_the_admin_page_explains_the_refusal(app: Flask, admin: Any) -> None:
    browser = app.test_client()
    log_in(browser, "admin@example.com")
    token = csrf_token_from(browser.get("/admin/webhooks").get_data(as_text=True))
    answer = browser.post(
        "/admin/webhooks",
        data={"csrf_token": token, "name": "metadata", "url": "http://169.254.169.254/latest", "events": "*"},
        follow_redirects=True,
    )
    assert "public internet address" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(WebhookEndpoint.id))) == 0


def _resolving_to(monkeypatch: pytest.MonkeyPatch, name: str, address: str) -> None:
    """Make ``name`` resolve to ``address`` from now on (a DNS answer that changes)."""
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real(address if host == name else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_that_moves_inside_after_saving_is_refused_at_delivery(
    admin: Any, webhook_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = webhook_receiver.url.split(":")[2].split("/")[0]
    _resolving_to(monkeypatch, "hooks.example.test", PUBLIC)
    _save(admin, f"http://hooks.example.test:{port}/hook")
    db.session.commit()
    _resolving_to(monkeypatch, "hooks.example.test", "127.0.0.1")  # DNS rebinding
    cid = make_contract("admin@example.com", status=states.APPROVED)
    services.transition(admin, contract(cid), states.SIGNING)
    db.session.commit()
    item = db.session.scalars(sa.select(Delivery)).one()
    assert item.status == "failed" and item.last_error == webhooks.REFUSED_TARGET
    assert "127.0.0.1" not in (item.last_error or "")
    assert webhook_receiver.calls == []


def test_an_allowed_network_is_reached_at_the_checked_address(
    app: Flask, admin: Any, webhook_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    app.extensions["pactum.settings"] = replace(
        app.extensions["pactum.settings"], webhook_allowed_networks="127.0.0.0/8"
    )
    port = webhook_receiver.url.split(":")[2].split("/")[0]
    _resolving_to(monkeypatch, "hooks.example.test", "127.0.0.1")
    _save(admin, f"http://hooks.example.test:{port}/hook")
    db.session.commit()
    cid = make_contract("admin@example.com", status=states.APPROVED)
    services.transition(admin, contract(cid), states.SIGNING)
    db.session.commit()
    assert db.session.scalars(sa.select(Delivery)).one().status == "sent"
    assert webhook_receiver.calls and webhook_receiver.calls[0]["headers"]["Host"] == f"hooks.example.test:{port}"

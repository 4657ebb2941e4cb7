"""E-mail through a real SMTP server (HTML and text, in the recipient's language), the daily
digest, and webhooks to a local receiver: HMAC signature, retries with backoff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.lifecycle import reminders, services, states
from repo_app.notifications import sending, webhooks
from repo_app.notifications.digest import send_digests
from repo_app.notifications.models import Delivery
from repo_app.notifications.services import save_preferences
from tests.lifecycle.conftest import Mailbox, Receiver, contract, make_contract, user
from tests.lifecycle.sqlite_only import sqlite_database_url  # noqa: F401  (engine-independent: SQLite only)


@pytest.fixture
def mail(app: Flask, smtp_server: Mailbox) -> Mailbox:
    app.extensions["pactum.settings"] = replace(
        app.extensions["pactum.settings"],
        smtp_url=smtp_server.url,
        base_url="https://pactum.example.com",
        mail_from="Pactum <noreply@example.com>",
    )
    return smtp_server


@pytest.fixture
def people(ctx: Flask, make_user: Callable[..., Any]) -> None:
    make_user("editor", email="zh@example.com", department="采购部")
    make_user("viewer", email="en@example.com", department="采购部")
    user("zh@example.com").language = "zh_CN"
    user("en@example.com").language = "en"
    db.session.commit()


def parts(message: Any) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    }


def test_reminder_e_mails_in_each_recipients_language(mail: Mailbox, people: None, at: Callable[..., None]) -> None:
    cid = make_contract("zh@example.com", title="设备采购合同", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    services.watch(user("en@example.com"), contract(cid))
    db.session.commit()
    at(datetime(2026, 5, 31, 9, 0))
    assert reminders.send_due_reminders() == 1
    assert len(mail.messages) == 2
    by_recipient = {message["To"].addresses[0].addr_spec: message for message in mail.messages}
    chinese, english = by_recipient["zh@example.com"], by_recipient["en@example.com"]
    assert chinese["Subject"] == "30 天后到期：设备采购合同"
    assert english["Subject"] == "Expires in 30 days: 设备采购合同"
    assert chinese["From"] == "Pactum <noreply@example.com>" and chinese["Content-Language"] == "zh-CN"
    for message, words in ((chinese, "2026-06-30 到期"), (english, "expires on 2026-06-30")):
        body = parts(message)
        assert set(body) == {"text/plain", "text/html"}
        link = f"https://pactum.example.com/contracts/{cid}"
        assert words in body["text/plain"] and link in body["text/plain"]
        assert words in body["text/html"]
        assert f'href="{link}"' in body["text/html"] and "<html lang=" in body["text/html"]
    assert 'lang="zh-CN"' in parts(chinese)["text/html"] and "在 Pactum 中打开" in parts(chinese)["text/plain"]
    statuses = db.session.scalars(sa.select(Delivery.status).where(Delivery.channel == "email")).all()
    assert statuses == ["sent", "sent"]


def test_preferences_and_the_daily_digest(mail: Mailbox, people: None, at: Callable[..., None]) -> None:
    save_preferences(
        user("en@example.com"), email_approvals=True, email_reminders=True, email_status=True, daily_digest=True
    )
    save_preferences(
        user("zh@example.com"), email_approvals=True, email_reminders=False, email_status=True, daily_digest=False
    )
    cid = make_contract("zh@example.com", title="物业合同", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    services.watch(user("en@example.com"), contract(cid))
    db.session.commit()
    at(datetime(2026, 5, 31, 9, 0))
    reminders.send_due_reminders()
    assert mail.messages == []  # one opted out, the other gets a digest
    at(datetime(2026, 6, 1, 7, 0))
    assert send_digests() == 0  # before the reminder hour
    at(datetime(2026, 6, 1, 8, 30))
    assert send_digests() == 1
    assert send_digests() == 0  # once a day
    (digest,) = mail.messages
    assert digest["To"].addresses[0].addr_spec == "en@example.com"
    assert digest["Subject"] == "Pactum daily digest for 2026-06-01: 1 items"
    assert "Expires in 30 days: 物业合同" in parts(digest)["text/plain"]
    assert "Expires in 30 days: 物业合同" in parts(digest)["text/html"]
    at(datetime(2026, 6, 2, 8, 30))
    assert send_digests() == 0  # nothing new: no e-mail


@pytest.fixture
def hook(ctx: Flask, webhook_receiver: Receiver, make_user: Callable[..., Any]) -> Any:
    make_user("admin")
    endpoint = webhooks.save_endpoint(
        user("admin@example.com"),
        None,
        name="钉钉网关",
        url=webhook_receiver.url,
        events="contract.status,reminder.*",
        active=True,
        secret="s3cr3t",
    )
    db.session.commit()
    return endpoint


def test_webhook_signed_and_retried_with_backoff(
    app: Flask, hook: Any, webhook_receiver: Receiver, at: Callable[..., None]
) -> None:
    webhook_receiver.fail_first = 2
    at(datetime(2026, 3, 1, 10, 0))
    cid = make_contract("admin@example.com", title="采购合同", status=states.APPROVED)
    services.transition(user("admin@example.com"), contract(cid), states.SIGNING)
    db.session.commit()
    (item,) = db.session.scalars(sa.select(Delivery).where(Delivery.channel == "webhook")).all()
    assert (item.status, item.attempts, item.response_status) == ("pending", 1, 503)
    assert item.next_attempt_at == clock.now() + timedelta(seconds=60)
    assert sending.deliver_due() == 0  # not yet
    clock.advance(app, timedelta(seconds=61))
    assert sending.deliver_due() == 1
    db.session.refresh(item)
    assert (item.status, item.attempts) == ("pending", 2)
    assert item.next_attempt_at == clock.now() + timedelta(seconds=300)
    clock.advance(app, timedelta(minutes=5, seconds=1))
    sending.deliver_due()
    db.session.refresh(item)
    assert (item.status, item.attempts, item.response_status) == ("sent", 3, 200)
    assert len(webhook_receiver.calls) == 3
    bodies = {call["body"] for call in webhook_receiver.calls}
    assert len(bodies) == 1  # every retry sends the same bytes
    for call in webhook_receiver.calls:
        headers = call["headers"]
        assert headers["X-Pactum-Event"] == "contract.status" and headers["X-Pactum-Delivery"] == str(item.id)
        assert webhooks.verify("s3cr3t", headers["X-Pactum-Timestamp"], call["body"], headers["X-Pactum-Signature"])
        assert not webhooks.verify("wrong", headers["X-Pactum-Timestamp"], call["body"], headers["X-Pactum-Signature"])
    payload = webhook_receiver.calls[-1]["json"]
    assert payload["event"] == "contract.status" and payload["contract"]["id"] == cid
    assert payload["data"]["new"] == "signing"
    assert payload["message"]["zh_CN"]["subject"] == "采购合同：签署中"
    assert payload["message"]["en"]["subject"] == "采购合同: Signing"


def test_webhook_refusals_unreachable_receivers_and_event_filters(hook: Any, webhook_receiver: Receiver) -> None:
    from repo_app.notifications.models import WebhookEndpoint

    cid = make_contract("admin@example.com", status=states.APPROVED)
    # A receiver that refuses the body (4xx) will never take it: given up at once.
    webhook_receiver.refuse_with = 410
    services.transition(user("admin@example.com"), contract(cid), states.SIGNING)
    db.session.commit()
    refused = db.session.scalars(sa.select(Delivery)).one()
    assert (refused.status, refused.attempts, refused.response_status) == ("failed", 1, 410)
    # An unreachable receiver is tried again later.
    endpoint = db.session.get(WebhookEndpoint, hook.id)
    endpoint.url = "http://127.0.0.1:9/unreachable"
    db.session.commit()
    services.transition(user("admin@example.com"), contract(cid), states.APPROVED)
    db.session.commit()
    unreachable = db.session.scalars(sa.select(Delivery).order_by(Delivery.id.desc())).first()
    assert unreachable.status == "pending" and unreachable.attempts == 1 and unreachable.last_error
    # Events the endpoint did not subscribe to are not sent.
    endpoint.events = "approval.*"
    db.session.commit()
    services.transition(user("admin@example.com"), contract(cid), states.SIGNING)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Delivery.id))) == 2
    # An admin can send a failed delivery again (to the endpoint's current address).
    webhook_receiver.refuse_with = None
    endpoint.url = webhook_receiver.url
    db.session.commit()
    webhooks.retry(user("admin@example.com"), refused)
    db.session.commit()
    db.session.refresh(refused)
    assert refused.status == "sent" and refused.attempts == 2


def test_webhook_administration_is_for_admins(hook: Any, make_user: Callable[..., Any]) -> None:
    from repo_app.core.errors import Forbidden, ValidationFailed

    make_user("manager", email="mgr@example.com")
    with pytest.raises(Forbidden):
        webhooks.list_endpoints(user("mgr@example.com"))
    with pytest.raises(ValidationFailed):
        webhooks.save_endpoint(
            user("admin@example.com"), None, name="x", url="ftp://example.com", events="*", active=True
        )

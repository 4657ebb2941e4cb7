"""Fixtures for lifecycle, workflow and notification tests: contracts made directly in the
database (no file needed), a controllable clock, a real SMTP server and a webhook receiver."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from repo_app.auth.models import User
from repo_app.contracts.models import Contract, ContractParty, Counterparty, Tag
from repo_app.core import clock
from repo_app.core.extensions import db
from tests.conftest import ensure_department


def user(email: str) -> User:
    """A user by e-mail (needs an app context)."""
    return db.session.scalar(sa.select(User).where(User.email == email))


def make_contract(
    owner_email: str,
    *,
    title: str = "测试合同",
    status: str = "draft",
    amount: str | None = None,
    currency: str = "CNY",
    department: str | None = None,
    contract_type: str | None = None,
    counterparties: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    effective: date | None = None,
    expiry: date | None = None,
    signed: date | None = None,
    confidential: bool = False,
) -> int:
    """A contract without a file, straight into the database (needs an app context)."""
    owner = user(owner_email)
    contract = Contract(
        title=title,
        owner_id=owner.id,
        status=status,
        currency=currency,
        amount=Decimal(amount) if amount is not None else None,
        department_id=ensure_department(department).id if department else owner.department_id,
        contract_type_code=contract_type,
        effective_date=effective,
        expiry_date=expiry,
        signed_date=signed,
        confidential=confidential,
    )
    db.session.add(contract)
    for position, name in enumerate(counterparties):
        party = db.session.scalar(sa.select(Counterparty).where(Counterparty.name == name)) or Counterparty(name=name)
        contract.parties.append(ContractParty(counterparty=party, position=position))
    for name in tags:
        contract.tags.append(db.session.scalar(sa.select(Tag).where(Tag.name == name)) or Tag(name=name))
    db.session.commit()
    return contract.id


def contract(contract_id: int) -> Contract:
    db.session.expire_all()
    found = db.session.get(Contract, contract_id)
    assert found is not None
    return found


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The webhook receivers of these tests listen on 127.0.0.1, which webhooks may only reach
    when an administrator allows it."""
    return {**app_config, "webhook_allowed_networks": "127.0.0.0/8"}


@pytest.fixture(autouse=True)
def search_refreshes(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Index refreshes queued after each commit (recorded instead of run: these tests are not
    about search); other jobs are queued as usual."""
    from repo_app.search import events

    calls: list[list[int]] = []
    queue = events._enqueue

    def record(name: str, *args: object) -> None:
        if name == events.REFRESH_CONTRACTS:
            calls.append(list(args[0]))  # type: ignore[call-overload]
        else:
            queue(name, *args)

    monkeypatch.setattr(events, "_enqueue", record)
    return calls


@pytest.fixture
def at(app: Flask) -> Callable[[datetime], None]:
    """Set the app's clock to a wall-clock time in Asia/Shanghai."""

    def set_time(value: datetime) -> None:
        clock.set_local(app, value)

    return set_time


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


# --- SMTP --------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""
    pytest.importorskip("aiosmtpd", reason="aiosmtpd is needed for the SMTP tests (pip install aiosmtpd)")
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", 0)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
            box.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd needs a concrete port: take a free one
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


# --- webhooks ----------------------------------------------------------------------------------


@dataclass
class Receiver:
    url: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: Answer 503 this many times before answering 200.
    fail_first: int = 0
    #: Answer every call with this status instead (e.g. 410).
    refuse_with: int | None = None


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 (werkzeug, in a thread) that records each call."""
    receiver = Receiver(url="")
    lock = threading.Lock()

    @Request.application  # type: ignore[arg-type]
    def receive(request: Request) -> Response:
        with lock:
            receiver.calls.append(
                {
                    "headers": dict(request.headers),
                    "body": request.get_data(),
                    "json": json.loads(request.get_data() or b"null"),
                }
            )
            failing = receiver.fail_first > 0
            if failing:
                receiver.fail_first -= 1
        if receiver.refuse_with:
            return Response("no", status=receiver.refuse_with)
        return Response("busy", status=503) if failing else Response("ok")

    server = make_server("127.0.0.1", 0, receive, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)

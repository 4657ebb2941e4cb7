"""Each instalment keeps what was paid towards it (the dashboard's open amounts read it): it
follows payments and reversals, and the migration that added it filled it in from the payments
already recorded."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from repo_app.migrations_runner import alembic_config
from repo_app.money.models import Instalment
from tests.conftest import bearer
from tests.lifecycle.conftest import make_contract

API = "/api/v1"


def _kept(app: Flask, instalment_id: int) -> Decimal:
    with app.app_context():
        return Decimal(db.session.scalar(sa.select(Instalment.paid_amount).where(Instalment.id == instalment_id)))


def _migrate(app: Flask, action: Callable[..., None], revision: str) -> None:
    config = alembic_config()
    with app.app_context(), db.engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)
        db.session.remove()


def test_paid_amount_follows_payments_and_reversals_and_the_migration_fills_it(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    editor, finance = (token_for(role, department="财务部") for role in ("editor", "finance"))
    with app.app_context():
        contract = make_contract("editor@example.com", department="财务部", amount="1000.00")
    body = {
        "direction": "receivable",
        "instalments": [{"amount": "600", "due_date": "2026-02-01"}, {"percent": "40", "due_date": "2026-04-01"}],
    }
    plan = client.put(f"{API}/contracts/{contract}/money/plan", json=body, headers=bearer(editor))
    assert plan.status_code == 200, plan.json
    first, second = (row["id"] for row in plan.json["instalments"])
    assert _kept(app, first) == 0

    payments = []
    for instalment, amount in ((first, "250.00"), (first, "100.00"), (second, "400.00")):
        body = {"instalment_id": instalment, "amount": amount, "paid_on": "2026-03-01"}
        answer = client.post(f"{API}/contracts/{contract}/money/payments", json=body, headers=bearer(finance))
        assert answer.status_code == 201, answer.json
        payments.append(answer.json["id"])
    assert (_kept(app, first), _kept(app, second)) == (Decimal("350.00"), Decimal("400.00"))

    reverse = f"{API}/contracts/{contract}/money/payments/{payments[1]}/reverse"
    assert client.post(reverse, json={"reason": "重复"}, headers=bearer(finance)).status_code == 200
    assert _kept(app, first) == Decimal("250.00")

    _migrate(app, command.downgrade, "0025")
    _migrate(app, command.upgrade, "head")
    assert (_kept(app, first), _kept(app, second)) == (Decimal("250.00"), Decimal("400.00"))

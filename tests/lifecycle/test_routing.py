"""Routing rules: amount thresholds at their boundaries, currencies, selecting rules in order,
and the explanation of which rule matched and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from repo_app.core.extensions import db
from repo_app.workflows import definitions, routing
from tests.lifecycle.conftest import contract, make_contract, user
from tests.lifecycle.helpers import organisation
from tests.lifecycle.sqlite_only import sqlite_database_url  # noqa: F401  (engine-independent: SQLite only)


@pytest.fixture
def org(ctx: Flask, make_user: Callable[..., Any]) -> None:
    organisation(make_user)


#: (amount, currency, expected route); USD is converted at 7.00, EUR has no rate.
THRESHOLDS: list[tuple[str | None, str, list[str]]] = [
    (None, "CNY", ["Standard"]),
    ("999999.99", "CNY", ["Standard"]),
    ("1000000.00", "CNY", ["Standard", "CFO"]),  # exactly at the threshold: ≥
    ("1000000.01", "CNY", ["Standard", "CFO"]),
    ("9999999.99", "CNY", ["Standard", "CFO"]),
    ("10000000", "CNY", ["Standard", "CFO", "CEO"]),
    ("142857.15", "USD", ["Standard", "CFO"]),  # × 7.00 = 1,000,000.05
    ("142857.14", "USD", ["Standard"]),  # × 7.00 = 999,999.98
    ("5000000", "EUR", ["Standard"]),  # no rate for EUR: the rule cannot hold
]


def test_amount_thresholds_at_their_boundaries(app: Flask, org: None) -> None:
    app.extensions["pactum.settings"] = _with(app, fx_rates="USD=7.00")
    for amount, currency, route in THRESHOLDS:
        cid = make_contract("owner@example.com", amount=amount, currency=currency)
        result = routing.evaluate(contract(cid))
        assert [flow.name for flow in result.workflows] == route, (amount, currency)
        assert result.default_used
        cfo_rule = result.results[0]
        assert cfo_rule.matched == ("CFO" in route)
        if currency == "EUR":
            assert cfo_rule.checks[0].note == "no_rate"
        if amount is None:
            assert cfo_rule.checks[0].note == "no_amount"


def _with(app: Flask, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(app.extensions["pactum.settings"], **changes)


def test_first_selecting_rule_wins_and_the_explanation_says_why(org: None) -> None:
    admin = user("admin@example.com")
    legal_only = definitions.save_workflow(
        admin, None, name="Legal only", description=None, is_default=False, active=True
    )
    db.session.commit()
    definitions.save_level(
        admin,
        legal_only,
        None,
        name="Legal",
        mode="any",
        sla_hours=None,
        escalate_to=None,
        approvers=definitions.parse_approvers("legal1@example.com", None, False),
    )
    db.session.commit()
    definitions.save_rule(
        admin, None, {"name": "NDAs", "action": "select", "workflow_id": legal_only.id, "contract_type": "nda"}
    )
    db.session.commit()
    definitions.save_rule(
        admin, None, {"name": "East China", "action": "select", "workflow_id": legal_only.id, "department": "华东区"}
    )
    db.session.commit()
    definitions.save_rule(
        admin,
        None,
        {"name": "Acme", "action": "select", "workflow_id": legal_only.id, "counterparty": "acme", "tag": "框架"},
    )
    db.session.commit()
    cid = make_contract(
        "owner@example.com", contract_type="nda", amount="2000000", counterparties=("ACME Trading Ltd",), tags=("框架",)
    )
    result = routing.evaluate(contract(cid))
    assert [flow.name for flow in result.workflows] == ["Legal only", "CFO"]
    assert not result.default_used
    by_name = {item.name: item for item in result.results}
    assert by_name["NDAs"].used and by_name["NDAs"].matched
    # 上海分公司 is below 华东区, so the rule matches, but the NDA rule chose the route already.
    assert by_name["East China"].matched and not by_name["East China"].used
    assert by_name["Acme"].matched and {check.field for check in by_name["Acme"].checks} == {"counterparty", "tag"}
    assert not by_name["≥ ¥10,000,000 adds the CEO"].matched
    amount_check = by_name["≥ ¥1,000,000 adds the CFO"].checks[0]
    assert amount_check.expected == "≥ CNY 1,000,000.00" and amount_check.actual == "CNY 2,000,000.00"
    explained = result.to_dict()
    assert explained["workflows"] == ["Legal only", "CFO"] and len(explained["rules"]) == 5


def test_rule_order_can_be_changed(org: None) -> None:
    admin = user("admin@example.com")
    rules = routing.ordered_rules()
    definitions.move_rule(admin, rules[1], -1)
    db.session.commit()
    assert [rule.name for rule in routing.ordered_rules()] == [rules[1].name, rules[0].name]


def test_bad_rules_are_refused(org: None) -> None:
    from repo_app.core.errors import ValidationFailed

    admin = user("admin@example.com")
    flow = routing.default_workflow()
    for values in (
        {"name": "x", "workflow_id": flow.id, "min_amount": "abc"},
        {"name": "x", "workflow_id": flow.id, "min_amount": "10", "max_amount": "5"},
        {"name": "x", "workflow_id": flow.id, "department": "Nowhere"},
        {"name": "", "workflow_id": flow.id},
        {"name": "x", "workflow_id": 999},
    ):
        with pytest.raises(ValidationFailed):
            definitions.save_rule(admin, None, values)

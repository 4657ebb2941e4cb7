"""The dashboard's money charts: receivables aging in CNY, planned vs received (and paid) per
month, overdue by counterparty — over the contracts the viewer may read, reversed payments
left out — and each bar's link lists exactly the instalments it counted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core import clock
from tests.conftest import bearer, log_in
from tests.lifecycle.conftest import make_contract

API = "/api/v1"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "fx_rates": "USD=7.10"}


def _plan(
    client: FlaskClient, token: str, contract_id: int, *items: dict[str, Any], direction: str = "receivable"
) -> list[int]:
    body = {"direction": direction, "instalments": list(items)}
    answer = client.put(f"{API}/contracts/{contract_id}/money/plan", json=body, headers=bearer(token))
    assert answer.status_code == 200, answer.json
    return [row["id"] for row in answer.json["instalments"]]


def _pay(client: FlaskClient, token: str, contract_id: int, instalment_id: int, amount: str, paid_on: str) -> int:
    body = {"instalment_id": instalment_id, "amount": amount, "paid_on": paid_on}
    answer = client.post(f"{API}/contracts/{contract_id}/money/payments", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.json
    return int(answer.json["id"])


@pytest.fixture
def books(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> dict[str, str]:
    """Today is 2026-06-15. Receivables of 财务部: 甲公司 owes CNY 300 (not yet due), 150 open of
    200 (14 days overdue; a reversed payment of 100 does not count) and 50 % of 1000 (106 days);
    乙公司 owes USD 100 (56 days). A payable of 400 was paid in May. A confidential receivable
    of another department (CNY 1000, 45 days) only the admin sees."""
    clock.set_local(app, datetime(2026, 6, 15, 10, 0))
    people = {role: token_for(role, department="财务部") for role in ("editor", "finance", "viewer")}
    people["admin"] = token_for("admin")
    with app.app_context():
        first = make_contract(
            "editor@example.com", amount="1000.00", counterparties=("甲公司",), effective=date(2026, 3, 1)
        )
        second = make_contract("editor@example.com", amount="100.00", currency="USD", counterparties=("乙公司",))
        payable = make_contract("editor@example.com", amount="400.00", counterparties=("丙公司",))
        hidden = make_contract(
            "admin@example.com", amount="1000.00", counterparties=("丁公司",), confidential=True, department="法务部"
        )
    editor, finance = people["editor"], people["finance"]
    ids = _plan(
        client,
        editor,
        first,
        {"amount": "300", "due_date": "2026-06-30"},
        {"amount": "200", "due_date": "2026-06-01"},
        {"percent": "50", "due_rule": "effective", "offset_days": 0},
    )
    _pay(client, finance, first, ids[1], "50.00", "2026-06-02")
    mistake = _pay(client, finance, first, ids[1], "100.00", "2026-06-03")
    reversed_ = client.post(
        f"{API}/contracts/{first}/money/payments/{mistake}/reverse", json={"reason": "重复"}, headers=bearer(finance)
    )
    assert reversed_.status_code == 200
    _plan(client, editor, second, {"amount": "100", "due_date": "2026-04-20", "currency": "USD"})
    (paid,) = _plan(client, editor, payable, {"amount": "400", "due_date": "2026-05-10"}, direction="payable")
    _pay(client, finance, payable, paid, "400.00", "2026-05-12")
    (secret,) = _plan(client, people["admin"], hidden, {"amount": "1000", "due_date": "2026-05-01"})
    assert secret
    return people


def _charts(client: FlaskClient, token: str) -> dict[str, dict[str, dict[str, Any]]]:
    body = client.get(f"{API}/reports/dashboard", headers=bearer(token)).json
    return {chart["key"]: {bar["key"]: bar for bar in chart["bars"]} for chart in body["charts"]}


def _figures(chart: dict[str, dict[str, Any]]) -> dict[str, tuple[int, str | None]]:
    return {key: (bar["count"], bar["value_cny"]) for key, bar in chart.items()}


def test_aging_months_and_counterparties_of_what_the_viewer_may_read(
    client: FlaskClient, books: dict[str, str]
) -> None:
    charts = _charts(client, books["viewer"])
    assert _figures(charts["aging"]) == {
        "not_due": (1, "300.00"),
        "1-30": (1, "150.00"),  # 200 planned, 50 paid; the reversed 100 is not counted
        "31-60": (1, "710.00"),  # USD 100 at 7.10
        "61-90": (0, "0.00"),
        "90+": (1, "500.00"),  # 50 % of the contract amount, due on the effective date
    }
    assert charts["aging"]["31-60"]["amounts"] == {"USD": "100.00"}
    received = charts["received_planned"]
    assert (received["2026-06:planned"]["count"], received["2026-06:planned"]["value_cny"]) == (2, "500.00")
    assert (received["2026-06:settled"]["count"], received["2026-06:settled"]["value_cny"]) == (1, "50.00")
    assert received["2026-03:planned"]["value_cny"] == "500.00"
    assert received["2026-05:settled"]["count"] == 0  # the payable's payment is in the other chart
    assert len(received) == 24  # twelve months, planned and received
    paid = charts["paid_planned"]
    assert (paid["2026-05:planned"]["value_cny"], paid["2026-05:settled"]["value_cny"]) == ("400.00", "400.00")
    ranked = [(bar["label"], bar["value_cny"]) for bar in charts["overdue_counterparty"].values()]
    assert ranked == [("乙公司", "710.00"), ("甲公司", "650.00")]

    everything = _charts(client, books["admin"])
    assert _figures(everything["aging"])["31-60"] == (2, "1710.00")  # the confidential contract too
    assert "丁公司" in [bar["label"] for bar in everything["overdue_counterparty"].values()]


def _listed(page: str) -> tuple[int, dict[str, str]]:
    count = re.search(r'data-totals data-count="(\d+)"', page)
    assert count is not None, page
    totals = dict(re.findall(r'data-total="([A-Z]{3})" data-amount="([0-9.]+)"', page))
    rows = len(re.findall(r"<tr data-instalment=", page))
    assert rows == int(count.group(1))
    return rows, totals


def test_each_money_bar_links_to_the_instalments_it_counted(app: Flask, books: dict[str, str]) -> None:
    for email in ("viewer@example.com", "admin@example.com"):
        browser = app.test_client()
        assert log_in(browser, email).status_code == 302
        board = browser.get(f"{API}/reports/dashboard").json
        checked = 0
        for chart in board["charts"]:
            if chart["unit"] != "money":
                continue
            for bar in chart["bars"]:
                assert bar["search_url"].startswith("/money/instalments?")
                if not bar["count"] and chart["key"] != "aging":
                    continue  # empty months: one request each would only slow the test
                page = browser.get(bar["search_url"])
                assert page.status_code == 200
                count, totals = _listed(page.get_data(as_text=True))
                assert count == bar["count"], (chart["key"], bar)
                assert totals == bar["amounts"], (chart["key"], bar)
                checked += 1
        assert checked >= 12


def test_the_list_leaves_out_what_the_reader_may_not_read(app: Flask, books: dict[str, str]) -> None:
    browser = app.test_client()
    assert log_in(browser, "viewer@example.com").status_code == 302
    page = browser.get("/money/instalments?open=1&due_to=2026-06-14").get_data(as_text=True)
    assert "丁公司" not in page and "乙公司" in page
    assert _listed(page) == (3, {"CNY": "650.00", "USD": "100.00"})
    assert Decimal("650.00") + Decimal("710.00") == Decimal(re.search(r'data-cny="([0-9.]+)"', page).group(1))  # type: ignore[union-attr]

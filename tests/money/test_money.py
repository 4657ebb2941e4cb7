"""Counterparty directory, payment plans, payments and balances through the API (and one page)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import ContractParty, Counterparty
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from repo_app.money.models import Payment
from repo_app.notifications.models import Notification
from tests.conftest import bearer
from tests.lifecycle.conftest import make_contract
from tests.samples import pdf_bytes

API = "/api/v1"
TENCENT = "91440300708461136T"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "fx_rates": "USD=7.10,EUR=7.70"}


@pytest.fixture
def people(token_for: Callable[..., str]) -> dict[str, str]:
    """Tokens of an owner (editor), a finance user, a viewer and a manager, all in 财务部."""
    return {role: token_for(role, department="财务部") for role in ("editor", "finance", "viewer", "manager")}


def _contract(app: Flask, **kwargs: Any) -> int:
    with app.app_context():
        return make_contract("editor@example.com", department="财务部", **kwargs)


def _plan(
    client: FlaskClient, token: str, contract_id: int, *items: dict[str, Any], direction: str = "receivable"
) -> Any:
    body = {"direction": direction, "instalments": list(items)}
    return client.put(f"{API}/contracts/{contract_id}/money/plan", json=body, headers=bearer(token))


def _pay(client: FlaskClient, token: str, contract_id: int, instalment_id: int, amount: str, **extra: Any) -> Any:
    body = {"instalment_id": instalment_id, "amount": amount, "paid_on": "2026-03-01", **extra}
    return client.post(f"{API}/contracts/{contract_id}/money/payments", json=body, headers=bearer(token))


def test_plan_reports_by_how_much_it_misses_the_contract_amount(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    contract_id = _contract(app, amount="1000000.00", effective=date(2026, 1, 10))
    editor = people["editor"]
    answer = _plan(
        client,
        editor,
        contract_id,
        {"percent": "30", "due_rule": "effective", "offset_days": 15, "condition": "预付款"},
        {"amount": "600000", "due_rule": "fixed", "due_date": "2026-06-30"},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["plan_total"] == "900000.00"
    assert answer.json["plan_difference"] == "100000.00"  # 10 % not planned yet
    first = answer.json["instalments"][0]
    assert (first["planned"], first["due_date"]) == ("300000.00", "2026-01-25")

    ids = [row["id"] for row in answer.json["instalments"]]
    over = _plan(
        client,
        editor,
        contract_id,
        {"id": ids[0], "percent": "30", "due_rule": "effective", "offset_days": 15},
        {"id": ids[1], "amount": "800000", "due_rule": "fixed", "due_date": "2026-06-30"},
    )
    assert over.json["plan_difference"] == "-100000.00"
    assert [row["id"] for row in over.json["instalments"]] == ids  # changed in place

    page = _web(app, "editor@example.com").get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert 'data-plan-check="over"' in page and "100,000.00" in page


def _web(app: Flask, email: str) -> FlaskClient:
    from tests.conftest import log_in

    browser = app.test_client()
    assert log_in(browser, email).status_code == 302
    return browser


def test_partial_payments_overpayment_and_reversal(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="100.00")
    plan = _plan(client, people["editor"], contract_id, {"amount": "100", "due_date": "2026-02-01"}).json
    instalment = plan["instalments"][0]["id"]

    first = _pay(client, people["finance"], contract_id, instalment, "40.10", reference="CMB-001")
    assert first.status_code == 201, first.json
    assert first.json["overpaid"] is None
    second = _pay(client, people["finance"], contract_id, instalment, "70.00")
    assert second.json["overpaid"] == "10.10"  # flagged, not refused

    money = client.get(f"{API}/contracts/{contract_id}/money", headers=bearer(people["viewer"])).json
    assert money["balance"]["settled"] == "110.10"
    assert money["balance"]["outstanding"] == "0"  # nothing left open

    reversed_ = client.post(
        f"{API}/contracts/{contract_id}/money/payments/{second.json['id']}/reverse",
        json={"reason": "重复录入"},
        headers=bearer(people["finance"]),
    )
    assert reversed_.status_code == 200
    again = client.post(
        f"{API}/contracts/{contract_id}/money/payments/{second.json['id']}/reverse",
        json={"reason": "again"},
        headers=bearer(people["finance"]),
    )
    assert again.status_code == 409
    money = client.get(f"{API}/contracts/{contract_id}/money", headers=bearer(people["viewer"])).json
    assert (money["balance"]["settled"], money["balance"]["outstanding"]) == ("40.10", "59.90")
    assert len(money["payments"]) == 2  # the reversed one stays, marked
    assert money["payments"][1]["reversal_reason"] == "重复录入"
    # the instalment has payments: it cannot be planned away
    assert _plan(client, people["editor"], contract_id).status_code == 409
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.contract_id == contract_id).order_by(AuditEvent.id)
        ).all()
        assert actions.count("payment.record") == 2 and "payment.reverse" in actions
        # the owner hears of each payment recorded (and webhooks get "payment.recorded")
        kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.contract_id == contract_id)).all()
        assert kinds.count("payment.recorded") == 2


def test_overdue_follows_the_clock(
    app: Flask, client: FlaskClient, people: dict[str, str], at: Callable[[datetime], None]
) -> None:
    contract_id = _contract(app, amount="300.00")
    plan = _plan(
        client,
        people["editor"],
        contract_id,
        {"amount": "100", "due_date": "2026-01-31"},
        {"amount": "200", "due_date": "2026-12-31"},
    ).json
    at(datetime(2026, 3, 1, 9, 0))
    _pay(client, people["finance"], contract_id, plan["instalments"][0]["id"], "30")
    balance = client.get(f"{API}/contracts/{contract_id}/money", headers=bearer(people["viewer"])).json["balance"]
    assert (balance["outstanding"], balance["overdue"]) == ("270.00", "70.00")


def test_currency_conversion_with_configured_rates(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    usd = _contract(app, amount="1000.00", currency="USD", counterparties=("Acme Ltd",))
    eur = _contract(app, amount="10.00", currency="EUR", counterparties=("Acme Ltd",))
    plan = _plan(client, people["editor"], usd, {"amount": "1000", "due_date": "2026-02-01"}).json
    _plan(client, people["editor"], eur, {"amount": "10", "due_date": "2026-02-01"})
    _pay(client, people["finance"], usd, plan["instalments"][0]["id"], "333.33")
    with app.app_context():
        acme = db.session.scalar(sa.select(Counterparty.id).where(Counterparty.name == "Acme Ltd"))
    summary = client.get(f"{API}/counterparties/{acme}", headers=bearer(people["viewer"])).json["summary"]
    receivable = summary["receivable"]
    assert receivable["contracted"] == {"EUR": "10.00", "USD": "1000.00"}
    assert receivable["contracted_cny"] == "7177.00"  # 1000 × 7.10 + 10 × 7.70
    # 333.33 USD × 7.10 = 2366.643 → 2366.64 (rounded half-up to the cent, once)
    assert receivable["total_cny"]["settled"] == "2366.64"
    assert receivable["invoiced"] == {} and receivable["invoiced_cny"] == "0"


def test_an_amount_in_a_currency_without_rate_is_not_counted(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    contract_id = _contract(app, amount="100.00")
    answer = _plan(
        client, people["editor"], contract_id, {"amount": "100", "currency": "JPY", "due_date": "2026-02-01"}
    )
    assert answer.status_code == 200
    assert answer.json["balance"]["uncounted"] == 1
    assert answer.json["plan_difference"] == "100.00"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"amount": "-5", "due_date": "2026-02-01"}, "amount"),
        ({"amount": "5", "percent": "5", "due_date": "2026-02-01"}, "amount"),
        ({"amount": "abc", "due_date": "2026-02-01"}, "amount"),
        ({"amount": "5"}, "due_date"),
        ({"percent": "120", "due_date": "2026-02-01"}, "percent"),
        ({"amount": "5", "due_rule": "milestone"}, "milestone_id"),
        ({"amount": "5", "currency": "RMB1", "due_date": "2026-02-01"}, "currency"),
    ],
)
def test_bad_instalments_are_refused_naming_the_field(
    app: Flask, client: FlaskClient, people: dict[str, str], item: dict[str, Any], field: str
) -> None:
    contract_id = _contract(app, amount="100.00")
    answer = _plan(client, people["editor"], contract_id, item)
    assert answer.status_code == 422
    assert answer.json["error"]["field"] == field
    with app.app_context():
        assert (
            client.get(f"{API}/contracts/{contract_id}/money", headers=bearer(people["editor"])).json["instalments"]
            == []
        )


def test_who_may_plan_and_record(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="100.00")
    assert _plan(client, people["viewer"], contract_id, {"amount": "1", "due_date": "2026-02-01"}).status_code == 403
    plan = _plan(client, people["editor"], contract_id, {"amount": "100", "due_date": "2026-02-01"}).json
    instalment = plan["instalments"][0]["id"]
    assert _pay(client, people["editor"], contract_id, instalment, "1").status_code == 403  # editors don't record
    assert _pay(client, people["viewer"], contract_id, instalment, "1").status_code == 403
    assert _pay(client, people["manager"], contract_id, instalment, "1").status_code == 403
    assert _pay(client, people["finance"], contract_id, instalment, "1").status_code == 201
    # finance staff may plan too, but not edit the contract itself
    assert (
        _plan(
            client, people["finance"], contract_id, {"id": instalment, "amount": "100", "due_date": "2026-03-01"}
        ).status_code
        == 200
    )
    assert (
        client.patch(
            f"{API}/contracts/{contract_id}", json={"tags": ["x"]}, headers=bearer(people["finance"])
        ).status_code
        == 403
    )
    future = _pay(client, people["finance"], contract_id, instalment, "1", paid_on="2999-01-01")
    assert future.status_code == 422 and future.json["error"]["field"] == "paid_on"


def test_a_confidential_contract_stays_hidden(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="100.00", confidential=True, counterparties=("保密方有限公司",))
    assert client.get(f"{API}/contracts/{contract_id}/money", headers=bearer(people["finance"])).status_code == 404
    with app.app_context():
        party = db.session.scalar(sa.select(Counterparty.id).where(Counterparty.name == "保密方有限公司"))
    seen = client.get(f"{API}/counterparties/{party}", headers=bearer(people["finance"])).json
    assert seen["contract_ids"] == []
    assert seen["summary"]["receivable"]["contracts"] == 0


def test_receipt_is_stored_and_served(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="100.00")
    plan = _plan(client, people["editor"], contract_id, {"amount": "100", "due_date": "2026-02-01"}).json
    receipt = pdf_bytes("银行回单 receipt")
    answer = client.post(
        f"{API}/contracts/{contract_id}/money/payments",
        data={
            "instalment_id": str(plan["instalments"][0]["id"]),
            "amount": "100",
            "receipt": (io.BytesIO(receipt), "回单.pdf"),
        },
        headers=bearer(people["finance"]),
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["receipt"] == "回单.pdf"
    served = client.get(
        f"{API}/contracts/{contract_id}/money/payments/{answer.json['id']}/receipt", headers=bearer(people["viewer"])
    )
    assert served.status_code == 200 and served.data == receipt
    bad = client.post(
        f"{API}/contracts/{contract_id}/money/payments",
        data={
            "instalment_id": str(plan["instalments"][0]["id"]),
            "amount": "1",
            "receipt": (io.BytesIO(b"MZ\x00"), "x.exe"),
        },
        headers=bearer(people["finance"]),
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "receipt"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 1  # nothing half-stored


def test_directory_duplicates_and_merge(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    editor, manager = people["editor"], people["manager"]
    first = _contract(app, title="采购一", counterparties=("腾讯科技(深圳)有限公司",))
    second = _contract(app, title="采购二", counterparties=("腾讯科技（深圳） 有限公司", "Acme Ltd"))
    created = client.post(
        f"{API}/counterparties",
        json={
            "name": "深圳市腾讯计算机系统",
            "credit_code": "91440300708461136t",
            "contacts": [{"name": "王经理", "phone": "0755-1"}],
        },
        headers=bearer(editor),
    )
    assert created.status_code == 201, created.json
    assert created.json["credit_code"] == TENCENT
    same_code = client.post(
        f"{API}/counterparties", json={"name": "别名", "credit_code": TENCENT}, headers=bearer(editor)
    )
    assert same_code.status_code == 409 and same_code.json["error"]["field"] == "credit_code"
    typo = client.post(
        f"{API}/counterparties", json={"name": "某公司", "credit_code": "91440300708461136A"}, headers=bearer(editor)
    )
    assert typo.status_code == 422 and "check character" in typo.json["error"]["message"]
    same_name = client.post(
        f"{API}/counterparties", json={"name": "腾讯科技（深圳）股份有限公司"}, headers=bearer(editor)
    )
    assert same_name.status_code == 409 and same_name.json["error"]["field"] == "name"
    assert (
        client.post(
            f"{API}/counterparties",
            json={"name": "腾讯科技（深圳）股份有限公司", "force": True},
            headers=bearer(editor),
        ).status_code
        == 201
    )

    with app.app_context():
        ids = dict(db.session.execute(sa.select(Counterparty.name, Counterparty.id)).all())
    keep, gone = ids["腾讯科技(深圳)有限公司"], ids["腾讯科技（深圳） 有限公司"]
    listed = client.get(f"{API}/counterparties/{keep}", headers=bearer(editor)).json
    assert {hint["id"] for hint in listed["possible_duplicates"]} >= {gone}
    assert (
        client.post(f"{API}/counterparties/{keep}/merge", json={"other_id": gone}, headers=bearer(editor)).status_code
        == 403
    )
    merged = client.post(f"{API}/counterparties/{keep}/merge", json={"other_id": gone}, headers=bearer(manager))
    assert merged.status_code == 200
    with app.app_context():
        parties = db.session.execute(
            sa.select(ContractParty.contract_id, ContractParty.counterparty_id, ContractParty.position)
        ).all()
        assert (first, keep, 0) in parties and (second, keep, 0) in parties
        assert db.session.get(Counterparty, gone) is None
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "counterparty.merge"))
        assert event.details["contracts"] == [second]  # the contracts that named the merged entry
    found = client.get(f"{API}/contracts?per_page=100", headers=bearer(editor)).json["items"]
    assert {item["id"]: item["counterparties"] for item in found}[second] == ["腾讯科技(深圳)有限公司", "Acme Ltd"]


def test_counterparty_pages(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    _contract(app, title="供货合同", amount="5000.00", counterparties=("华东精密机械有限公司",))
    browser = _web(app, "viewer@example.com")
    listing = browser.get("/counterparties?q=精密").get_data(as_text=True)
    assert "华东精密机械有限公司" in listing and "1 contracts" in listing
    with app.app_context():
        party = db.session.scalar(sa.select(Counterparty.id).where(Counterparty.name == "华东精密机械有限公司"))
    page = browser.get(f"/counterparties/{party}").get_data(as_text=True)
    assert "供货合同" in page
    assert browser.get("/counterparties/new").status_code == 403  # viewers do not edit the directory
    assert browser.get("/money/balances").status_code == 200


def test_a_purged_contract_takes_its_plan_and_payments_along(
    app: Flask, client: FlaskClient, people: dict[str, str], admin_token: str
) -> None:
    contract_id = _contract(app, amount="100.00")
    plan = _plan(client, people["editor"], contract_id, {"amount": "100", "due_date": "2026-02-01"}).json
    _pay(client, people["finance"], contract_id, plan["instalments"][0]["id"], "50")
    assert client.delete(f"{API}/contracts/{contract_id}", headers=bearer(admin_token)).status_code == 204
    purged = client.post(f"{API}/contracts/{contract_id}/purge", headers=bearer(admin_token))
    assert purged.status_code == 200, purged.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0


def test_the_directory_form_checks_the_credit_code_and_keeps_contacts(app: Flask, people: dict[str, str]) -> None:
    browser = _web(app, "finance@example.com")
    token = (
        browser.get("/counterparties/new").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    )
    form = {
        "csrf_token": token,
        "name": "北京百度网讯科技有限公司",
        "credit_code": "91110000802100433C",  # last character mistyped
        "contact_name": ["张敏", ""],
        "contact_role": ["商务经理", ""],
        "contact_email": ["zhang.min@example.com", ""],
        "contact_phone": ["010-5992 8888", ""],
        "tags": "供应商，互联网",
    }
    refused = browser.post("/counterparties/new", data=form).get_data(as_text=True)
    assert "check character" in refused and "张敏" in refused  # the form keeps what was typed
    saved = browser.post("/counterparties/new", data={**form, "credit_code": "91110000802100433B"})
    assert saved.status_code == 302
    page = browser.get(saved.headers["Location"]).get_data(as_text=True)
    assert "91110000802100433B" in page and "zhang.min@example.com" in page and "互联网" in page

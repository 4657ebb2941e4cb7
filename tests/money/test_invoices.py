"""Invoices of a contract through the API: number formats, sums, status moves, duplicates,
permissions, the "invoice before payment" rule, files and purging, invoiced figures."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import Counterparty
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import blob_store, db
from repo_app.money.invoice_models import Invoice
from repo_app.money.models import Payment
from repo_app.notifications.models import Notification
from tests.conftest import bearer
from tests.lifecycle.conftest import make_contract
from tests.samples import pdf_bytes

API = "/api/v1"
DIGITAL = "24442000000123456789"


@pytest.fixture
def people(token_for: Callable[..., str]) -> dict[str, str]:
    return {role: token_for(role, department="财务部") for role in ("editor", "finance", "viewer")}


def _contract(app: Flask, **kwargs: Any) -> int:
    with app.app_context():
        return make_contract("editor@example.com", department="财务部", **kwargs)


def _plan(client: FlaskClient, token: str, contract_id: int, direction: str = "receivable", *amounts: str) -> list[int]:
    items = [{"amount": amount, "due_date": "2026-02-01"} for amount in amounts or ("113000",)]
    answer = client.put(
        f"{API}/contracts/{contract_id}/money/plan",
        json={"direction": direction, "instalments": items},
        headers=bearer(token),
    )
    assert answer.status_code == 200, answer.json
    return [row["id"] for row in answer.json["instalments"]]


def _invoice(client: FlaskClient, token: str, contract_id: int, **fields: Any) -> Any:
    body = {"type": "electronic", "number": DIGITAL, "amount": "100000.00", "tax_rate": "13", **fields}
    return client.post(f"{API}/contracts/{contract_id}/money/invoices", json=body, headers=bearer(token))


def _move(client: FlaskClient, token: str, contract_id: int, invoice_id: int, status: str, reason: str = "") -> Any:
    body = {"status": status, **({"reason": reason} if reason else {})}
    return client.post(
        f"{API}/contracts/{contract_id}/money/invoices/{invoice_id}/status", json=body, headers=bearer(token)
    )


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"type": "electronic", "number": "2444200000012345678"}, "number", "20 digits"),
        ({"type": "electronic", "code": "044031900111"}, "code", "no invoice code"),
        ({"type": "vat_special", "code": "04403190", "number": "12345678"}, "code", "10 or 12 digits"),
        ({"type": "vat_special", "code": "4400231130", "number": "1234567"}, "number", "8 digits"),
        ({"type": "vat_normal", "number": "12345678"}, "code", "10 or 12 digits"),
        ({"type": "foreign", "number": "X" * 41, "currency": "USD", "tax_rate": None}, "number", "1 to 40"),
        ({"tax_rate": "7"}, "tax_rate", "0, 1, 3, 5, 6, 9 or 13"),
        ({"currency": "USD"}, "currency", "CNY"),
    ],
)
def test_numbers_codes_and_rates_are_checked_by_type(
    app: Flask, client: FlaskClient, people: dict[str, str], fields: dict[str, Any], field: str, words: str
) -> None:
    contract_id = _contract(app, amount="113000.00")
    answer = _invoice(client, people["finance"], contract_id, **fields)
    assert answer.status_code == 422
    assert answer.json["error"]["field"] == field
    assert words in answer.json["error"]["message"]


def test_each_type_accepts_its_own_format(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="113000.00")
    finance = people["finance"]
    paper = _invoice(client, finance, contract_id, type="vat_special", code="4400 2311 30", number="01234567")
    assert paper.status_code == 201, paper.json
    assert (paper.json["code"], paper.json["number"]) == ("4400231130", "01234567")  # spaces dropped
    foreign = _invoice(
        client, finance, contract_id, type="foreign", number="INV-2026/07", currency="USD", tax_rate="20"
    )
    assert foreign.status_code == 201, foreign.json  # any rate, any currency abroad
    digital = _invoice(client, finance, contract_id)
    assert digital.status_code == 201
    assert (digital.json["tax"], digital.json["total"], digital.json["kind"]) == ("13000.00", "113000.00", "issued")


def test_sums_must_agree(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    contract_id = _contract(app, amount="113000.00")
    finance = people["finance"]
    wrong_total = _invoice(client, finance, contract_id, tax="13000.00", total="113000.01")
    assert wrong_total.status_code == 422 and wrong_total.json["error"]["field"] == "total"
    assert "100,000.00 + 13,000.00 = 113,000.00" in wrong_total.json["error"]["message"]
    wrong_tax = _invoice(client, finance, contract_id, tax="12000.00")
    assert wrong_tax.status_code == 422 and wrong_tax.json["error"]["field"] == "tax"
    assert "would be 13,000.00" in wrong_tax.json["error"]["message"]
    # a cent of rounding (line by line on the invoice) is accepted
    rounded = _invoice(client, finance, contract_id, amount="33.33", tax_rate="6", tax="2.01", total="35.34")
    assert rounded.status_code == 201, rounded.json


def test_status_moves_are_audited_and_announced(
    app: Flask, client: FlaskClient, people: dict[str, str], admin_token: str
) -> None:
    contract_id = _contract(app, amount="113000.00")
    finance = people["finance"]
    requested = _invoice(client, finance, contract_id, number=None, status="requested")
    assert requested.status_code == 201, requested.json
    invoice_id = requested.json["id"]
    no_number = _move(client, finance, contract_id, invoice_id, "issued")
    assert no_number.status_code == 409 and "number" in no_number.json["error"]["message"]
    patched = client.patch(
        f"{API}/contracts/{contract_id}/money/invoices/{invoice_id}", json={"number": DIGITAL}, headers=bearer(finance)
    )
    assert patched.status_code == 200 and patched.json["number"] == DIGITAL
    for status in ("issued", "sent", "received"):
        moved = _move(client, finance, contract_id, invoice_id, status)
        assert moved.status_code == 200 and moved.json["status"] == status
    backwards = _move(client, finance, contract_id, invoice_id, "sent")
    assert backwards.status_code == 409
    assert "cannot become Sent" in backwards.json["error"]["message"]
    assert "Reversed (red-letter), Void" in backwards.json["error"]["message"]
    assert _move(client, finance, contract_id, invoice_id, "reversed").status_code == 422  # a reason is needed
    red = _move(client, finance, contract_id, invoice_id, "reversed", "开票信息有误，已红冲")
    assert red.status_code == 200 and red.json["status_reason"] == "开票信息有误，已红冲"
    assert _move(client, finance, contract_id, invoice_id, "void", "x").status_code == 409  # final
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.contract_id == contract_id).order_by(AuditEvent.id)
        ).all()
        assert [a for a in actions if a.startswith("invoice.")] == [
            "invoice.create",
            "invoice.update",
            "invoice.status",
            "invoice.status",
            "invoice.status",
            "invoice.status",
        ]
        kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.contract_id == contract_id)).all()
        assert kinds.count("invoice.status_changed") == 5  # recorded, then four moves
    trail = client.get(
        f"{API}/audit", query_string={"contract_id": contract_id, "action": "invoice."}, headers=bearer(admin_token)
    )
    assert trail.status_code == 200, trail.json
    sentences = [item["sentence"] for item in trail.json["items"]]
    assert any("from Received / confirmed to Reversed (red-letter)" in text for text in sentences), sentences
    assert any(text.endswith("(Requested)") for text in sentences), sentences  # the status in words, not its code


def test_the_same_invoice_is_recorded_once(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    first, second = _contract(app, amount="100.00"), _contract(app, amount="100.00")
    assert _invoice(client, people["finance"], first).status_code == 201
    again = _invoice(client, people["finance"], second, number=f" {DIGITAL} ")
    assert again.status_code == 409 and "recorded already" in again.json["error"]["message"]
    other_type = _invoice(client, people["finance"], second, type="vat_normal", code="044031900111", number="12345678")
    assert other_type.status_code == 201


def test_finance_records_readers_read(
    app: Flask, client: FlaskClient, people: dict[str, str], token_for: Callable[..., str]
) -> None:
    contract_id = _contract(app, amount="113000.00")
    assert _invoice(client, people["editor"], contract_id).status_code == 403
    assert _invoice(client, people["viewer"], contract_id).status_code == 403
    assert _invoice(client, people["finance"], contract_id).status_code == 201
    listed = client.get(f"{API}/contracts/{contract_id}/money/invoices", headers=bearer(people["viewer"]))
    assert listed.status_code == 200 and listed.json["invoiced"] == {"CNY": "113000.00"}
    outsider = token_for("finance", email="fin2@example.com", department="销售部")
    assert client.get(f"{API}/contracts/{contract_id}/money/invoices", headers=bearer(outsider)).status_code == 404


def _rule(app: Flask, on: bool) -> None:
    current = app.extensions["pactum.settings"]
    app.extensions["pactum.settings"] = dataclasses.replace(current, invoice_before_payment=on)


def test_invoice_before_payment_rule(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    finance = people["finance"]
    payable = _contract(app, amount="113000.00")
    (instalment,) = _plan(client, people["editor"], payable, "payable")
    pay = {"instalment_id": instalment, "amount": "1000", "paid_on": "2026-03-01"}
    url = f"{API}/contracts/{payable}/money/payments"

    _rule(app, False)
    assert client.post(url, json=pay, headers=bearer(finance)).status_code == 201  # off: no invoice needed

    _rule(app, True)
    refused = client.post(url, json=pay, headers=bearer(finance))
    assert refused.status_code == 409 and "invoice" in refused.json["error"]["message"]
    sent = _invoice(client, finance, payable, status="sent", instalment_ids=[instalment])
    assert sent.json["kind"] == "received"  # a payable contract's invoices come from the supplier
    assert client.post(url, json=pay, headers=bearer(finance)).status_code == 409  # not received yet
    assert _move(client, finance, payable, sent.json["id"], "received").status_code == 200
    assert client.post(url, json=pay, headers=bearer(finance)).status_code == 201
    assert _move(client, finance, payable, sent.json["id"], "void", "作废重开").status_code == 200
    assert client.post(url, json=pay, headers=bearer(finance)).status_code == 409  # void counts for nothing

    receivable = _contract(app, amount="100.00")
    (other,) = _plan(client, people["editor"], receivable, "receivable", "100")
    body = {"instalment_id": other, "amount": "10", "paid_on": "2026-03-01"}
    answer = client.post(f"{API}/contracts/{receivable}/money/payments", json=body, headers=bearer(finance))
    assert answer.status_code == 201  # the rule is about payables only


def test_files_are_served_and_purged_with_the_contract(
    app: Flask, client: FlaskClient, people: dict[str, str], admin_token: str
) -> None:
    finance = people["finance"]
    contract_id = _contract(app, amount="113000.00")
    (instalment,) = _plan(client, people["editor"], contract_id)
    invoice_pdf = pdf_bytes("电子发票 invoice file")
    created = client.post(
        f"{API}/contracts/{contract_id}/money/invoices",
        data={
            "type": "electronic",
            "number": DIGITAL,
            "amount": "100000",
            "tax_rate": "13",
            "instalment_ids": str(instalment),
            "file": (io.BytesIO(invoice_pdf), "发票.pdf"),
        },
        headers=bearer(finance),
    )
    assert created.status_code == 201, created.json
    assert created.json["file"] == "发票.pdf" and created.json["instalment_ids"] == [instalment]
    served = client.get(
        f"{API}/contracts/{contract_id}/money/invoices/{created.json['id']}/file", headers=bearer(people["viewer"])
    )
    assert served.status_code == 200 and served.data == invoice_pdf
    bad = client.post(
        f"{API}/contracts/{contract_id}/money/invoices",
        data={"number": "24442000000123456780", "amount": "1", "file": (io.BytesIO(b"MZ\x00"), "x.exe")},
        headers=bearer(finance),
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "file"
    receipt = pdf_bytes("银行回单 receipt")
    paid = client.post(
        f"{API}/contracts/{contract_id}/money/payments",
        data={"instalment_id": str(instalment), "amount": "50", "receipt": (io.BytesIO(receipt), "回单.pdf")},
        headers=bearer(finance),
    )
    assert paid.status_code == 201
    # another contract's payment has the same receipt bytes: that blob must stay
    other = _contract(app, amount="10.00")
    (other_instalment,) = _plan(client, people["editor"], other, "receivable", "10")
    client.post(
        f"{API}/contracts/{other}/money/payments",
        data={"instalment_id": str(other_instalment), "amount": "5", "receipt": (io.BytesIO(receipt), "r.pdf")},
        headers=bearer(finance),
    )
    with app.app_context():
        invoice_key = db.session.scalar(sa.select(Invoice.file_key))
        receipt_key = db.session.scalar(sa.select(Payment.receipt_key).where(Payment.contract_id == other))
        assert invoice_key and blob_store().exists(invoice_key)
    assert client.delete(f"{API}/contracts/{contract_id}", headers=bearer(admin_token)).status_code == 204
    assert client.post(f"{API}/contracts/{contract_id}/purge", headers=bearer(admin_token)).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invoice.id))) == 0
        assert not blob_store().exists(invoice_key)
        assert blob_store().exists(receipt_key)  # still the other contract's receipt


def test_invoiced_figures_leave_void_and_reversed_out(app: Flask, client: FlaskClient, people: dict[str, str]) -> None:
    finance = people["finance"]
    contract_id = _contract(app, amount="113000.00", counterparties=("深圳前海微众银行股份有限公司",))
    _plan(client, people["editor"], contract_id)
    kept = _invoice(client, finance, contract_id, amount="50000", tax_rate="13")
    voided = _invoice(client, finance, contract_id, number="24442000000123456780", amount="10000", tax_rate="6")
    _invoice(client, finance, contract_id, number="24442000000123456781", amount="20000", status="requested")
    assert _move(client, finance, contract_id, voided.json["id"], "void", "金额有误").status_code == 200
    assert kept.json["total"] == "56500.00"
    with app.app_context():
        party = db.session.scalar(sa.select(Counterparty.id).where(Counterparty.name == "深圳前海微众银行股份有限公司"))
    summary = client.get(f"{API}/counterparties/{party}", headers=bearer(people["viewer"])).json["summary"]
    assert summary["receivable"]["invoiced"] == {"CNY": "56500.00"}
    assert summary["receivable"]["invoiced_cny"] == "56500.00"
    departments = client.get(f"{API}/balances", headers=bearer(people["viewer"])).json["departments"]
    assert departments[0]["receivable"]["invoiced"] == {"CNY": "56500.00"}

    from tests.conftest import log_in

    browser = app.test_client()
    log_in(browser, "viewer@example.com")
    page = browser.get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert "56,500.00" in page and "data-invoice-balance" in page
    assert "data-record-invoice" not in page  # viewers read invoices, they do not record them
    counterparty_page = browser.get(f"/counterparties/{party}").get_data(as_text=True)
    assert "56,500.00" in counterparty_page


def test_an_id_beyond_the_largest_is_not_found_whatever_the_method(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    contract_id = _contract(app, amount="100.00")
    url = f"{API}/contracts/{contract_id}/money/invoices/2147483648"  # one more than an id can be
    answer = client.patch(url, json={"number": DIGITAL}, headers=bearer(people["finance"]))
    assert answer.status_code == 404
    assert client.delete(f"{API}/openapi.json", headers=bearer(people["finance"])).status_code == 405  # a real one

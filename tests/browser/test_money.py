"""Recording a payment on a phone: the finance user opens the contract's money panel, records a
partial payment with its bank receipt, and sees it listed and the balance move."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser


def test_finance_records_a_payment_with_its_receipt(
    phone_page: Any, live_server: str, client: FlaskClient, token_for: Callable[..., str], tmp_path: Path
) -> None:
    editor = token_for("editor", department="财务部")
    token_for("finance", department="财务部")
    metadata = {"title": "设备采购合同", "amount": "100000", "counterparties": ["上海浦江机电有限公司"]}
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(editor),
        data={"file": (io.BytesIO(pdf_bytes("设备采购合同")), "c.pdf"), "metadata": json.dumps(metadata)},
    )
    contract_id = created.json["id"]
    plan = {"instalments": [{"amount": "100000", "due_date": "2026-01-31", "condition": "验收合格后"}]}
    assert (
        client.put(f"/api/v1/contracts/{contract_id}/money/plan", json=plan, headers=bearer(editor)).status_code == 200
    )
    receipt = tmp_path / "回单.pdf"
    receipt.write_bytes(pdf_bytes("招商银行 电子回单"))

    tab = phone_page
    log_in(tab, live_server, "finance@example.com")
    tab.goto(f"{live_server}/contracts/{contract_id}#money")
    tab.click("[data-record-payment] summary")
    tab.fill("#pay-amount", "40000")
    tab.fill("#pay-reference", "CMB-20260301-01")
    tab.set_input_files("#pay-receipt", str(receipt))
    tab.click("[data-record-payment-button]")
    tab.wait_for_selector("[data-payment]")
    payment = tab.locator("[data-payment]").first
    assert "40,000.00" in payment.inner_text() and "CMB-20260301-01" in payment.inner_text()
    assert tab.locator("[data-payment] a", has_text="回单.pdf").count() == 1
    balance = tab.locator("[data-money-panel] [data-balance]")
    assert "60,000.00" in balance.locator("[data-outstanding]").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"


def test_finance_records_an_invoice_prefilled_from_its_pdf(
    phone_page: Any, live_server: str, client: FlaskClient, token_for: Callable[..., str], tmp_path: Path
) -> None:
    from tests.money.invoice_pdf import invoice_pdf

    editor = token_for("editor", department="财务部")
    token_for("finance", department="财务部")
    metadata = {"title": "数控机床采购合同", "amount": "113000", "counterparties": ["深圳市腾讯计算机系统有限公司"]}
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(editor),
        data={"file": (io.BytesIO(pdf_bytes("数控机床采购合同")), "c.pdf"), "metadata": json.dumps(metadata)},
    )
    contract_id = created.json["id"]
    plan = {"instalments": [{"amount": "113000", "due_date": "2026-04-30"}]}
    assert (
        client.put(f"/api/v1/contracts/{contract_id}/money/plan", json=plan, headers=bearer(editor)).status_code == 200
    )
    invoice = tmp_path / "数电票.pdf"
    invoice.write_bytes(invoice_pdf())

    tab = phone_page
    log_in(tab, live_server, "finance@example.com")
    tab.goto(f"{live_server}/contracts/{contract_id}#invoices")
    tab.click("[data-record-invoice] summary")
    tab.set_input_files("#inv-file", str(invoice))
    # the number read from the PDF appears in the form, for the user to check
    tab.wait_for_selector("#inv-number.is-valid")  # marked as filled in from the file
    assert tab.input_value("#inv-number") == "24442000000123456789"
    assert tab.input_value("#inv-total") == "113000.00"
    assert tab.input_value("#inv-seller") == "上海浦江机电有限公司"
    tab.check("[data-record-invoice] input[name=instalment_ids]")
    tab.click("[data-record-invoice-button]")
    tab.wait_for_selector("[data-invoice]")
    row = tab.locator("[data-invoice]").first.inner_text()
    assert "113,000.00" in row and "24442000000123456789" in row
    assert "113,000.00" in tab.locator("[data-invoice-balance] [data-invoiced]").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"


def test_finance_imports_a_bank_statement_and_records_the_matched_lines(
    phone_page: Any, live_server: str, client: FlaskClient, token_for: Callable[..., str], tmp_path: Path
) -> None:
    editor = token_for("editor", department="财务部")
    token_for("finance", department="财务部")
    metadata = {"title": "设备采购合同", "amount": "100000", "counterparties": ["上海浦江机电有限公司"]}
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(editor),
        data={"file": (io.BytesIO(pdf_bytes("设备采购合同")), "c.pdf"), "metadata": json.dumps(metadata)},
    )
    contract_id = created.json["id"]
    plan = {
        "instalments": [{"amount": "40000", "due_date": "2026-01-31"}, {"amount": "60000", "due_date": "2026-06-30"}]
    }
    assert (
        client.put(f"/api/v1/contracts/{contract_id}/money/plan", json=plan, headers=bearer(editor)).status_code == 200
    )
    statement = tmp_path / "流水.csv"
    statement.write_bytes(
        '交易日期,对方户名,收入,支出,摘要\n2026-03-01,上海浦江机电有限公司,"40,000.00",,首付款\n2026-03-02,银行,,12.00,手续费\n'.encode(
            "gbk"
        )
    )

    tab = phone_page
    log_in(tab, live_server, "finance@example.com")
    tab.goto(f"{live_server}/money/statements")
    tab.set_input_files("#statement-file", str(statement))
    tab.click("[data-statement-upload] button")
    tab.wait_for_selector("[data-row-id]")
    assert tab.locator('[data-state="matched"]').count() == 1
    assert "设备采购合同" in tab.locator('[data-state="matched"] [data-proposal]').inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390, "the review scrolls sideways"
    tab.click("[data-confirm-matched]")
    tab.wait_for_selector('[data-state="recorded"]')
    money = client.get(f"/api/v1/contracts/{contract_id}/money", headers=bearer(editor)).json
    assert [payment["amount"] for payment in money["payments"]] == ["40000.00"]
    assert tab.locator('[data-state="unmatched"]').count() == 1  # the bank fee: left for the user

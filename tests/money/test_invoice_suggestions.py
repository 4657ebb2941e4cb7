"""Invoice fields read from an invoice's text: the pure parser on texts, then on a PDF laid out
like a 数电票 (its text extracted by the indexer), then the suggestion endpoint."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from indexer.extract import extract
from repo_app.contracts.models import Counterparty
from repo_app.core.extensions import db
from repo_app.money.invoice_models import Invoice
from repo_app.money.invoice_text import find_sums, find_tax_rate, read_invoice
from tests.conftest import bearer
from tests.lifecycle.conftest import make_contract
from tests.money.invoice_pdf import BUYER_ID, SELLER_ID, InvoiceSample, invoice_pdf

PAPER_TEXT = """北京增值税专用发票
发票代码： 1100231130      发票号码： 01234567
开票日期： 2025 年 11 月 03 日
购 名    称： 北京字节跳动科技有限公司
买 纳税人识别号： 91110108MA01XXXX1Q
销 名    称： 华东精密机械有限公司
售 纳税人识别号： 913205001234567890
合    计                ￥１０，０００．００       ￥６００．００
价税合计（大写） 壹万零陆佰圆整   （小写）￥10,600.00
"""


def test_a_paper_vat_invoice_text() -> None:
    fields = read_invoice(PAPER_TEXT)
    assert (fields.type, fields.code, fields.number) == ("vat_special", "1100231130", "01234567")
    assert fields.issued_on == date(2025, 11, 3)
    # full-width digits and the ￥ sign are read like plain ones
    assert (fields.amount, fields.tax, fields.total) == (Decimal("10000.00"), Decimal("600.00"), Decimal("10600.00"))
    assert (fields.buyer_name, fields.seller_name) == ("北京字节跳动科技有限公司", "华东精密机械有限公司")
    assert fields.seller_tax_id == "913205001234567890"
    assert fields.tax_rate is None  # the text states no rate


def test_the_sums_line_is_not_the_total_line() -> None:
    assert find_sums("价税合计（大写）壹佰圆整（小写）¥100.00") is None
    assert find_tax_rate("13% … 6%") is None  # two rates: no single suggestion
    assert read_invoice("no invoice here").to_dict() == {}


def test_fields_of_a_digital_invoice_pdf(tmp_path: Path) -> None:
    path = tmp_path / "数电票.pdf"
    path.write_bytes(invoice_pdf())
    fields = read_invoice(extract(path, "application/pdf").text)
    assert fields.to_dict() == {
        "type": "electronic",
        "number": "24442000000123456789",
        "issued_on": "2026-03-05",
        "amount": "100000.00",
        "tax_rate": "13",
        "tax": "13000.00",
        "total": "113000.00",
        "buyer_name": "深圳市腾讯计算机系统有限公司",
        "buyer_tax_id": BUYER_ID,
        "seller_name": "上海浦江机电有限公司",
        "seller_tax_id": SELLER_ID,
    }


def test_the_suggestion_endpoint_names_the_counterparty_and_saves_nothing(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    finance = token_for("finance", department="财务部")
    viewer = token_for("viewer", department="财务部")
    with app.app_context():
        contract_id = make_contract(
            "finance@example.com", department="财务部", counterparties=("深圳市腾讯计算机系统有限公司",)
        )
        party = db.session.scalar(sa.select(Counterparty).where(Counterparty.name == "深圳市腾讯计算机系统有限公司"))
        assert party is not None
        party.credit_code = BUYER_ID
        party_id = party.id
        db.session.commit()
    pdf = invoice_pdf(InvoiceSample(number="24442000000987654321"))
    url = f"/api/v1/contracts/{contract_id}/money/invoices/suggest"
    answer = client.post(url, data={"file": (io.BytesIO(pdf), "发票.pdf")}, headers=bearer(finance))
    assert answer.status_code == 200, answer.json
    assert answer.json["fields"]["number"] == "24442000000987654321"
    assert answer.json["counterparties"] == {"buyer": {"id": party_id, "name": "深圳市腾讯计算机系统有限公司"}}
    assert "seller" not in answer.json["counterparties"]
    forbidden = client.post(url, data={"file": (io.BytesIO(pdf), "发票.pdf")}, headers=bearer(viewer))
    assert forbidden.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invoice.id))) == 0

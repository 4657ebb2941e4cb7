"""The contract ledger (合同台账) export: typed XLSX cells, CSV that Excel opens, a PDF with
the Chinese as text, only the contracts the user may read, the search's filters, audited."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import datetime

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from repo_app.reports import writers
from tests.conftest import bearer

from .conftest import LEASE_TITLE, PURCHASE_TITLE, SALES_TITLE, fetch_result


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_xlsx_has_typed_cells_a_frozen_header_and_a_filter(
    app: Flask, login: Callable[[str], FlaskClient], archive: dict[str, int]
) -> None:
    response = fetch_result(login("admin"), "/reports/ledger.xlsx")
    assert response.status_code == 200
    assert response.mimetype == writers.MEDIA_TYPES["xlsx"]
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["ID", "Contract number", "Title", "Type"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    rows = {row[2]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {PURCHASE_TITLE, SALES_TITLE, LEASE_TITLE}
    purchase = rows[PURCHASE_TITLE]
    assert purchase["Amount"] == pytest.approx(12345.67) and isinstance(purchase["Amount"], float)
    assert isinstance(purchase["ID"], int)
    assert isinstance(purchase["Signed on"], datetime) and isinstance(purchase["Created (UTC)"], datetime)
    assert purchase["Type"] == "Purchase"  # the type's name in the reader's language, not its code
    assert purchase["Status"] == "In force"
    assert purchase["Counterparties"] == "北京华为科技有限公司; Acme Ltd."
    assert purchase["Latest version"] == 1 and purchase["Signature"] == "Not signed"
    amount_column = header.index("Amount") + 1
    assert sheet.cell(row=2, column=amount_column).number_format == "#,##0.00"
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "report.export")).all()
        assert events and all(event.details == {"format": "xlsx", "filters": {}, "rows": 3} for event in events)


def test_csv_has_a_bom_and_follows_the_search_filters(
    login: Callable[[str], FlaskClient], archive: dict[str, int]
) -> None:
    admin = login("admin")
    data = fetch_result(admin, "/reports/ledger.csv?contract_type=purchase&contract_type=lease&sort=amount").get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data)
    assert [row[2] for row in rows[1:]] == [PURCHASE_TITLE, LEASE_TITLE]  # amount ascending
    assert rows[1][rows[0].index("Amount")] == "12345.67"
    words = _csv_rows(fetch_result(admin, "/reports/ledger.csv?q=lease").get_data())
    assert [row[2] for row in words[1:]] == [LEASE_TITLE]


def test_an_export_lists_only_what_the_user_may_read(sales_clerk: FlaskClient, archive: dict[str, int]) -> None:
    rows = _csv_rows(fetch_result(sales_clerk, "/reports/ledger.csv").get_data())
    assert [row[2] for row in rows[1:]] == [PURCHASE_TITLE]  # not the confidential one, not the lease


def test_pdf_holds_the_chinese_and_the_filter(
    login: Callable[[str], FlaskClient], archive: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writers, "PDF_MAX_ROWS", 1)
    response = fetch_result(login("admin"), "/reports/ledger.pdf?department=销售部")
    assert response.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.get_data(), capture_output=True, check=True
    ).stdout.decode()
    assert "Contract ledger" in text and "Department: 销售部" in text
    assert "2 contracts." in text and "Only the first 1 are included" in text
    assert (PURCHASE_TITLE in text) != (SALES_TITLE in text)  # one of the two, capped


def test_api_export_is_polled_then_downloaded(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    first = client.get("/api/v1/reports/ledger?format=csv&status=in_force", headers=bearer(admin_token))
    assert first.status_code == 202 and first.json["status_url"].startswith("/api/v1/results/")
    state = client.get(first.json["status_url"], headers=bearer(admin_token))
    assert state.json["status"] == "done"
    data = client.get(state.json["result_url"], headers=bearer(admin_token)).get_data()
    assert [row[2] for row in _csv_rows(data)[1:]] == [PURCHASE_TITLE]
    again = client.get("/api/v1/reports/ledger?format=csv&status=in_force", headers=bearer(admin_token))
    assert again.status_code == 200 and again.get_data() == data  # kept


@pytest.mark.parametrize(
    ("query", "field"), [("format=docx", "format"), ("signed_from=yesterday", "signed_from"), ("sort=size", "sort")]
)
def test_bad_export_requests_name_the_parameter(client: FlaskClient, admin_token: str, query: str, field: str) -> None:
    response = client.get(f"/api/v1/reports/ledger?{query}", headers=bearer(admin_token))
    assert response.status_code == 422 and field in response.json["error"]["message"]


def test_the_list_and_the_search_offer_the_export(login: Callable[[str], FlaskClient], archive: dict[str, int]) -> None:
    admin = login("admin")
    listing = admin.get("/contracts").get_data(as_text=True)
    assert 'href="/reports/ledger.xlsx"' in listing and 'href="/reports/ledger.pdf"' in listing
    found = admin.get("/search?status=in_force&page=1").get_data(as_text=True)
    assert 'href="/reports/ledger.csv?status=in_force"' in found


def test_added_columns_come_from_registered_providers(
    app: Flask, login: Callable[[str], FlaskClient], archive: dict[str, int]
) -> None:
    from repo_app.core import registry
    from repo_app.reports.ledger import EXTRA_COLUMNS, Column, extra_value

    class Priority:
        def columns(self) -> list[Column]:
            return [Column("cf_priority", lambda: "优先级", "integer", 6, extra_value("cf_priority"))]

        def values(self, contract_ids: list[int]) -> dict[int, dict[str, object]]:
            return {contract_id: {"cf_priority": contract_id * 10} for contract_id in contract_ids}

    registry.add(app, EXTRA_COLUMNS, Priority())
    sheet = openpyxl.load_workbook(io.BytesIO(fetch_result(login("admin"), "/reports/ledger.xlsx").get_data())).active
    assert sheet.cell(row=1, column=sheet.max_column).value == "优先级"
    assert {row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {v * 10 for v in archive.values()}

"""Bulk drafting: a CSV or XLSX file, one contract per row, checked first, all or none."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from ..conftest import bearer, csrf_token_from

HEADER = (
    "title,party_a,party_b,party_b.address,fee,fee.currency,scope,start_date,end_date,signed_date,contract_number\n"
)
GOOD = (
    "保洁一期,北京示例科技有限公司,上海保洁服务有限公司,上海市,120000,CNY,保洁,2026-02-01,2027-01-31,2026-01-05,FW-1\n"
)
BAD_FEE = "保洁二期,北京示例科技有限公司,上海清洁有限公司,,12.345,CNY,保洁,2026-02-01,2027-01-31,2026-01-05,FW-2\n"
BAD_DATE = "保洁三期,北京示例科技有限公司,杭州保洁有限公司,,1000,CNY,保洁,2026-02-30,2027-01-31,2026-01-05,FW-3\n"


def test_dry_run_lists_every_bad_row_and_drafting_is_all_or_none(
    client: FlaskClient,
    starter: dict[str, int],
    token_for: Callable[[str], str],
) -> None:
    token = token_for("editor")
    url = f"/api/v1/templates/{starter['service_zh']}/bulk-drafts"
    rows = [
        dict(zip(HEADER.strip().split(","), line.strip().split(","), strict=True)) for line in (GOOD, BAD_FEE, BAD_DATE)
    ]
    checked = client.post(url, json={"rows": rows, "dry_run": True}, headers=bearer(token)).get_json()
    assert checked["rows"] == 3
    assert [(e["row"], e["field"]) for e in checked["errors"]] == [(3, "variables.fee"), (4, "variables.start_date")]
    refused = client.post(url, json={"rows": rows}, headers=bearer(token))
    assert refused.status_code == 422 and len(refused.get_json()["error"]["errors"]) == 2
    assert client.get("/api/v1/contracts", headers=bearer(token)).get_json()["total"] == 0
    made = client.post(url, json={"rows": rows[:1] * 2}, headers=bearer(token))
    assert made.status_code == 201 and len(made.get_json()["contracts"]) == 2
    assert made.get_json()["contracts"][0]["title"] == "保洁一期"


def test_bulk_page_checks_a_csv_then_drafts_an_xlsx(
    app: Flask,
    starter: dict[str, int],
    login: Callable[..., FlaskClient],
) -> None:
    editor = login("editor")
    url = f"/templates/{starter['service_zh']}/bulk"
    token = csrf_token_from(editor.get(url).get_data(as_text=True))
    csv_file = (HEADER + GOOD + BAD_FEE).encode("gb18030")  # as Chinese Excel saves a CSV
    page = editor.post(url, data={"csrf_token": token, "action": "check", "file": (io.BytesIO(csv_file), "rows.csv")})
    html = page.get_data(as_text=True)
    assert "1 of 2 rows have problems; nothing was drafted." in html and "Row 3:" in html and "fee" in html
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "保洁一期",
            "北京示例科技有限公司",
            "上海保洁服务有限公司",
            "上海市",
            120000,
            "CNY",
            "保洁",
            date(2026, 2, 1),
            date(2027, 1, 31),
            date(2026, 1, 5),
            "FW-1",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    page = editor.post(
        url, data={"csrf_token": token, "action": "check", "file": (io.BytesIO(out.getvalue()), "rows.xlsx")}
    )
    html = page.get_data(as_text=True)
    assert "All 1 rows are valid." in html
    import html as html_lib
    import re

    rows = html_lib.unescape(re.search(r'name="rows" value="([^"]*)"', html).group(1))
    done = editor.post(url, data={"csrf_token": token, "action": "draft", "rows": rows}, follow_redirects=True)
    listing = done.get_data(as_text=True)
    assert "1 contract drafted." in listing and "保洁一期" in listing

"""The report builder: groups and measures counted by the database match a direct computation
over the archive, only what the viewer may read is counted, currencies are never added up,
files read back typed, bad definitions name their place, saved reports are seen by the right
people, and a scheduled report is e-mailed once per period in the recipient's language."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.contracts import custom_fields
from repo_app.contracts.models import Contract
from repo_app.core import clock
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer, csrf_token_from
from tests.lifecycle.conftest import Mailbox, smtp_server  # noqa: F401 (the SMTP server fixture)

RUN = "/api/v1/reports/run"


def run(client: FlaskClient, token: str, body: dict[str, Any], fmt: str = "json") -> Any:
    return client.post(RUN, json=body, headers=bearer(token), query_string={"format": fmt})


def figures(client: FlaskClient, token: str, body: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    answer = run(client, token, body)
    assert answer.status_code == 200, answer.get_json()
    return {tuple(row["keys"]): row for row in answer.json["rows"]}


@pytest.fixture
def fields(app: Flask) -> None:
    """Custom fields: region (choice), budget (decimal), deposit (money), renewal (yes/no), kickoff (date)."""
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        for key, kind, extra in (
            ("region", "select", {"options": ["华东", "华北"]}),
            ("budget", "decimal", {}),
            ("deposit", "money", {}),
            ("renewal", "boolean", {}),
            ("kickoff", "date", {}),
        ):
            custom_fields.save_field(
                admin, key, {"kind": kind, "label_zh": f"字段{key}", "label_en": f"Field {key}", **extra}
            )
        db.session.commit()


@pytest.fixture
def rich(client: FlaskClient, admin_token: str, fields: None, archive: dict[str, int]) -> dict[str, int]:
    """The archive with custom field values and a payment plan: the purchase contract plans
    10,000 + 2,345.67 CNY and has received 4,000."""
    values = {
        "purchase": {
            "region": "华东",
            "budget": "100.5",
            "deposit": {"amount": "300", "currency": "USD"},
            "renewal": True,
            "kickoff": "2025-02-14",
        },
        "sales": {"region": "华东", "budget": "200", "deposit": {"amount": "50", "currency": "CNY"}, "renewal": False},
        "lease": {"region": "华北", "budget": "7.25", "kickoff": "2025-11-30"},
    }
    for name, fields in values.items():
        changed = client.patch(
            f"/api/v1/contracts/{archive[name]}", json={"custom_fields": fields}, headers=bearer(admin_token)
        )
        assert changed.status_code == 200, changed.get_json()
    plan = client.put(
        f"/api/v1/contracts/{archive['purchase']}/money/plan",
        json={
            "direction": "receivable",
            "instalments": [
                {"amount": "10000", "due_date": "2026-01-31", "currency": "CNY"},
                {"amount": "2345.67", "due_date": "2026-03-31", "currency": "CNY"},
            ],
        },
        headers=bearer(admin_token),
    )
    assert plan.status_code == 200, plan.get_json()
    paid = client.post(
        f"/api/v1/contracts/{archive['purchase']}/money/payments",
        json={"instalment_id": plan.json["instalments"][0]["id"], "amount": "4000", "paid_on": "2026-01-20"},
        headers=bearer(admin_token),
    )
    assert paid.status_code == 201, paid.get_json()
    return archive


def _direct(app: Flask) -> list[Contract]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(Contract).where(Contract.deleted_at.is_(None))))
        db.session.expunge_all()
        return rows


def test_each_measure_matches_a_direct_computation(
    app: Flask, client: FlaskClient, admin_token: str, rich: dict[str, int]
) -> None:
    measures = ["count", "sum:amount", "avg:amount", "min:amount", "max:amount", "received", "outstanding"]
    found = figures(client, admin_token, {"group_by": ["contract_type"], "measures": measures})
    expected: dict[str, list[Contract]] = defaultdict(list)
    for contract in _direct(app):
        expected[contract.contract_type_code or ""].append(contract)
    assert {key[0]: row["count"] for key, row in found.items()} == {key: len(rows) for key, rows in expected.items()}
    for code, contracts in expected.items():
        values = found[(code,)]["values"]
        by_currency: dict[str, list[Decimal]] = defaultdict(list)
        for contract in contracts:
            by_currency[contract.currency or ""].append(Decimal(contract.amount))
        assert values["sum:amount"] == {c: f"{sum(v):.2f}" for c, v in by_currency.items()}
        assert values["min:amount"] == {c: f"{min(v):.2f}" for c, v in by_currency.items()}
        assert values["max:amount"] == {c: f"{max(v):.2f}" for c, v in by_currency.items()}
        assert values["avg:amount"] == {c: f"{sum(v) / len(v):.2f}" for c, v in by_currency.items()}
    assert found[("purchase",)]["values"]["received"] == {"CNY": "4000.00"}
    assert found[("purchase",)]["values"]["outstanding"] == {"CNY": "8345.67"}
    assert "received" not in found[("lease",)]["values"]  # no plan: nothing received, nothing open


def test_two_level_grouping_and_links_list_what_was_counted(
    client: FlaskClient, admin_token: str, rich: dict[str, int]
) -> None:
    found = figures(client, admin_token, {"group_by": ["department", "status"], "measures": ["count"]})
    assert {key: row["count"] for key, row in found.items()} == {
        ("销售部", "in_force"): 1,
        ("销售部", "draft"): 1,
        (None, "draft"): 1,
    }
    for row in found.values():
        if row["search"] is None:
            assert row["keys"][0] is None  # "no department" cannot be searched for
            continue
        listed = client.get("/api/v1/search", query_string=row["search"], headers=bearer(admin_token)).json
        assert listed["total"] == row["count"], row
        assert row["search_url"].startswith("/search?")


def test_custom_field_group_and_measures(client: FlaskClient, admin_token: str, rich: dict[str, int]) -> None:
    body = {"group_by": ["cf.region"], "measures": ["count", "sum:cf.budget", "max:cf.budget", "sum:cf.deposit"]}
    found = figures(client, admin_token, body)
    assert found[("华东",)]["count"] == 2 and found[("华北",)]["count"] == 1
    assert found[("华东",)]["values"]["sum:cf.budget"] == "300.5"
    assert found[("华北",)]["values"]["max:cf.budget"] == "7.25"
    # a money field: per its own currency, never added together
    assert found[("华东",)]["values"]["sum:cf.deposit"] == {"CNY": "50.00", "USD": "300.00"}
    listed = client.get("/api/v1/search", query_string=found[("华东",)]["search"], headers=bearer(admin_token)).json
    assert listed["total"] == 2
    yes_no = figures(client, admin_token, {"group_by": ["cf.renewal"]})
    assert {key: row["count"] for key, row in yes_no.items()} == {("true",): 1, ("false",): 1, (None,): 1}


def test_month_quarter_and_year_buckets(
    app: Flask, client: FlaskClient, admin_token: str, rich: dict[str, int]
) -> None:
    with app.app_context():
        signed = clock.today()
    quarter = f"{signed.year}-Q{(signed.month + 2) // 3}"
    for bucket, key in (("month", f"{signed:%Y-%m}"), ("quarter", quarter), ("year", f"{signed.year}")):
        found = figures(client, admin_token, {"group_by": [f"signed:{bucket}"]})
        assert {k: row["count"] for k, row in found.items()} == {(key,): 1, (None,): 2}, bucket
        listed = client.get("/api/v1/search", query_string=found[(key,)]["search"], headers=bearer(admin_token)).json
        assert listed["total"] == 1
    kickoff = figures(client, admin_token, {"group_by": ["cf.kickoff:quarter"], "sort": "group1"})
    assert [row_key for row_key in kickoff] == [("2025-Q1",), ("2025-Q4",), (None,)]
    by_year = figures(client, admin_token, {"group_by": ["cf.kickoff:year", "contract_type"]})
    assert {k: row["count"] for k, row in by_year.items()} == {
        ("2025", "purchase"): 1,
        ("2025", "lease"): 1,
        (None, "sales"): 1,
    }
    created = figures(client, admin_token, {"group_by": ["created:month"]})
    with app.app_context():
        months = {f"{c.created_at:%Y-%m}" for c in db.session.scalars(db.select(Contract))}
    assert {k[0] for k in created} == months


def test_a_confidential_contract_of_another_department_is_not_counted(
    client: FlaskClient, token_for: Callable[..., str], admin_token: str, rich: dict[str, int]
) -> None:
    body = {"group_by": ["contract_type"], "measures": ["count", "sum:amount"]}
    everything = figures(client, admin_token, body)
    assert sum(row["count"] for row in everything.values()) == 3
    clerk = token_for("editor", department="销售部")
    limited = figures(client, clerk, body)
    assert {key: row["count"] for key, row in limited.items()} == {("purchase",): 1}
    assert limited[("purchase",)]["values"]["sum:amount"] == {"CNY": "12345.67"}


def test_currencies_are_split_or_converted_never_mixed(
    app: Flask, client: FlaskClient, admin_token: str, rich: dict[str, int]
) -> None:
    body = {"group_by": ["cf.region"], "measures": ["sum:amount"]}
    split = figures(client, admin_token, body)
    assert split[("华东",)]["values"]["sum:amount"] == {"CNY": "512345.67"}
    assert split[("华北",)]["values"]["sum:amount"] == {"USD": "80000.00"}
    without_rate = run(client, admin_token, {**body, "currency": "CNY"}).json
    assert without_rate["uncounted"] == 1  # USD has no rate: left out and said so
    app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], fx_rates="USD=7.1")
    converted = figures(client, admin_token, {**body, "currency": "CNY"})
    assert converted[("华北",)]["values"]["sum:amount"] == "568000.00"
    assert converted[("华东",)]["values"]["sum:amount"] == "512345.67"


def test_xlsx_csv_and_pdf_files(app: Flask, client: FlaskClient, admin_token: str, rich: dict[str, int]) -> None:
    body = {"group_by": ["department", "cf.kickoff:month"], "measures": ["count", "sum:amount"], "sort": "group1"}
    xlsx = run(client, admin_token, body, "xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data())).active
    header = [cell.value for cell in sheet[1]]
    assert header == ["Department", "Field kickoff (month)", "Contracts", "Sum of Amount (CNY)", "Sum of Amount (USD)"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("销售部", "2025-02", 1, 12345.67, None) in rows
    purchase = next(row for row in rows if row[1] == "2025-02")
    assert isinstance(purchase[2], int) and isinstance(purchase[3], float)  # typed cells, not text
    assert sheet.cell(row=2, column=4).number_format == "#,##0.00"

    text = run(client, admin_token, body, "csv").get_data()
    assert text.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert table[0][0] == "Department" and ["销售部", "2025-02", "1", "12345.67", ""] in table

    pdf = run(client, admin_token, body, "pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    with app.app_context():
        formats = db.session.scalars(
            db.select(AuditEvent.details).where(AuditEvent.action == "report.builder_export")
        ).all()
    assert sorted(details["format"] for details in formats) == ["csv", "pdf", "xlsx"]


INVALID = [
    ({"group_by": []}, "group_by"),
    ({"group_by": ["status", "colour"]}, "group_by[1]"),
    ({"group_by": ["signed:week"]}, "group_by[0]"),
    ({"group_by": ["cf.budget"]}, "group_by[0]"),  # a number field is a measure, not a grouping
    ({"group_by": ["status"], "measures": ["count", "sum:title"]}, "measures[1]"),
    ({"group_by": ["status"], "measures": ["avg:cf.region"]}, "measures[0]"),
    ({"group_by": ["status"], "filters": {"colour": "red"}}, "filters.colour"),
    ({"group_by": ["status"], "filters": {"signed_from": "yesterday"}}, "filters"),
    ({"group_by": ["status"], "filters": {"cf.nothing": "x"}}, "filters.cf.nothing"),
    ({"group_by": ["status"], "currency": "EUR"}, "currency"),
    ({"group_by": ["status"], "sort": "amount"}, "sort"),
    ({"group_by": ["status"], "limit": 0}, "limit"),
    ({"group_by": ["status"], "colour": 1}, "colour"),
]


def test_invalid_definitions_name_the_field(client: FlaskClient, admin_token: str, fields: None) -> None:
    for body, field in INVALID:
        answer = run(client, admin_token, body)
        assert answer.status_code == 422, (body, answer.get_json())
        assert answer.json["error"]["field"] == field, body


def _save(client: FlaskClient, token: str, **extra: Any) -> Any:
    body = {"name": "By type", "definition": {"group_by": ["contract_type"]}, **extra}
    return client.post("/api/v1/reports/saved", json=body, headers=bearer(token))


def test_saved_reports_are_seen_by_their_owner_and_the_roles_they_are_shared_with(
    client: FlaskClient, token_for: Callable[..., str], admin_token: str, rich: dict[str, int]
) -> None:
    owner = token_for("editor", department="销售部")
    finance = token_for("finance")
    viewer = token_for("viewer")
    personal = _save(client, owner, name="Mine only")
    shared = _save(client, owner, name="For finance", shared_roles=["finance"])
    assert personal.status_code == 201 and shared.status_code == 201, shared.get_json()
    listed = client.get("/api/v1/reports/saved", headers=bearer(owner)).json
    assert [item["name"] for item in listed["mine"]] == ["For finance", "Mine only"] and listed["shared"] == []
    assert [item["name"] for item in client.get("/api/v1/reports/saved", headers=bearer(finance)).json["shared"]] == [
        "For finance"
    ]
    assert client.get("/api/v1/reports/saved", headers=bearer(viewer)).json == {"mine": [], "shared": []}
    assert client.get(f"/api/v1/reports/saved/{personal.json['id']}", headers=bearer(viewer)).status_code == 404

    # run with the runner's own permissions (what the contract list shows each of them)
    for token, expected in ((admin_token, 3), (owner, 1), (finance, None)):
        ran = client.get(f"/api/v1/reports/saved/{shared.json['id']}/run", headers=bearer(token)).json
        listed = client.get("/api/v1/contracts", headers=bearer(token)).json["total"]
        assert sum(row["count"] for row in ran["rows"]) == listed == (expected if expected is not None else listed)

    # only the owner edits; the owner or an admin deletes
    url = f"/api/v1/reports/saved/{shared.json['id']}"
    change = {"name": "Renamed", "definition": {"group_by": ["status"]}, "shared_roles": ["finance"]}
    assert client.put(url, json=change, headers=bearer(finance)).status_code == 404
    assert client.put(url, json=change, headers=bearer(owner)).json["name"] == "Renamed"
    assert client.delete(url, headers=bearer(finance)).status_code == 404
    assert client.delete(url, headers=bearer(admin_token)).status_code == 204
    assert client.delete(f"/api/v1/reports/saved/{personal.json['id']}", headers=bearer(owner)).status_code == 204
    bad = _save(client, owner, definition={"group_by": ["status"], "measures": ["nothing"]})
    assert bad.status_code == 422 and bad.json["error"]["field"] == "measures[0]"


def test_the_page_previews_saves_and_reopens(
    app: Flask, login: Callable[..., FlaskClient], rich: dict[str, int]
) -> None:
    browser = login("admin")
    query = {"group1": "contract_type", "group2": "status", "measure": ["count", "sum:amount"], "status": ""}
    page = browser.get("/reports", query_string=query)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "data-report-chart=" in text and "js/report-builder.js" in text and "vendor/chartjs" in text
    assert 'href="/search?contract_type=purchase&amp;status=in_force"' in text
    assert text.count("data-report-row") == 3
    saved = browser.post(
        "/reports/saved",
        data={
            "csrf_token": csrf_token_from(text),
            "name": "类型与状态",
            "definition": '{"group_by": ["contract_type", "status"], "measures": ["count"]}',
            "shared_roles": ["viewer"],
            "schedule": "weekly",
        },
    )
    assert saved.status_code == 302 and "report=" in saved.headers["Location"]
    reopened = browser.get(saved.headers["Location"]).get_data(as_text=True)
    assert "类型与状态" in reopened and reopened.count("data-report-row") == 3
    assert 'data-saved-reports="mine"' in reopened
    wrong = browser.get("/reports", query_string={"group1": "colour"})
    assert wrong.status_code == 422 and "group_by[0]" in wrong.get_data(as_text=True)


def reports(box: Mailbox) -> list[Any]:
    """The report e-mails (others, such as reminders, go out from the same tick)."""
    return [message for message in box.messages if "Weekly types" in str(message["Subject"])]


def test_a_scheduled_report_is_mailed_once_per_period_in_the_recipients_language(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    admin_token: str,
    rich: dict[str, int],
    smtp_server: Mailbox,  # noqa: F811
) -> None:
    from repo_app.core.jobs.periodic import tick

    app.extensions["pactum.settings"] = replace(
        app.extensions["pactum.settings"], smtp_url=smtp_server.url, base_url="https://pactum.example.com"
    )
    owner = make_user("editor", email="owner@example.com", department="销售部")
    reader = make_user("admin", email="reader@example.com")
    with app.app_context():
        db.session.get(User, owner.id).language = "zh_CN"
        db.session.get(User, reader.id).language = "en"
        db.session.commit()
    from repo_app.auth.services import create_token

    with app.app_context():
        token = create_token(db.session.get(User, owner.id), "t")[1]
        db.session.commit()
    made = _save(
        client,
        token,
        name="Weekly types",
        definition={"group_by": ["contract_type"], "measures": ["count"]},
        schedule="weekly",
        recipients=["reader@example.com"],
    )
    assert made.status_code == 201, made.get_json()

    monday = datetime(2026, 12, 7, 9, 0)
    clock.set_local(app, monday)
    with app.app_context():
        tick()
        tick()  # the same minute twice: nothing more
    assert sorted(message["To"].addresses[0].addr_spec for message in reports(smtp_server)) == [
        "owner@example.com",
        "reader@example.com",
    ]
    clock.set_local(app, monday + timedelta(days=3))
    with app.app_context():
        tick()
    assert len(reports(smtp_server)) == 2  # same week
    by_person = {message["To"].addresses[0].addr_spec: message for message in reports(smtp_server)}
    zh = by_person["owner@example.com"]
    assert "报表" in str(zh["Subject"])  # in the owner's language
    attachments = {email: next(part for part in message.iter_attachments()) for email, message in by_person.items()}
    sheets = {
        email: openpyxl.load_workbook(io.BytesIO(part.get_content())).active for email, part in attachments.items()
    }
    assert sheets["owner@example.com"].cell(row=1, column=1).value == "合同类型"
    assert sheets["reader@example.com"].cell(row=1, column=1).value == "Type"
    # each with their own permissions: the owner does not see the confidential contract
    assert sum(row[1] for row in sheets["owner@example.com"].iter_rows(min_row=2, values_only=True)) == 1
    assert sum(row[1] for row in sheets["reader@example.com"].iter_rows(min_row=2, values_only=True)) == 3

    clock.set_local(app, monday + timedelta(days=7))
    with app.app_context():
        tick()
    assert len(reports(smtp_server)) == 4  # the next week: once more each
    with app.app_context():
        sent = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "report.scheduled_sent")).all()
    assert len(sent) == 4

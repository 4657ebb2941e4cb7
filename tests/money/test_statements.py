"""Bank statement import: CSV (GBK, UTF-8 with BOM) and XLSX read, lines matched to open
instalments (by reference, by counterparty and amount, ambiguous, unmatched), confirmed through
the payment service, never recorded twice; the escalation of overdue instalments to department
managers exactly once; a percentage instalment settled again when the contract amount changes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from repo_app import create_app
from repo_app.auth.models import User
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from repo_app.core.settings import ConfigError
from repo_app.lifecycle import reminders
from repo_app.money import services
from repo_app.money.models import Instalment, Payment
from repo_app.money.statement_files import field_of, parse_amount, parse_currency, parse_date, parse_money
from repo_app.notifications.models import Notification
from tests.conftest import bearer
from tests.lifecycle.conftest import contract, make_contract, user

API = "/api/v1/money/statements"
TENCENT = "腾讯科技（深圳）有限公司"
BYTEDANCE = "北京字节跳动科技有限公司"
SUPPLIER = "上海供应商有限公司"
HIDDEN = "深圳保密客户有限公司"


def _contract(number: str, party: str, amounts: list[str], direction: str = "receivable", **kwargs: Any) -> int:
    """A contract in force with one party, a number and a plan of fixed instalments."""
    owner = kwargs.pop("owner", "editor@example.com")
    total = str(sum(int(float(amount)) for amount in amounts))
    cid = make_contract(owner, status="in_force", amount=total, counterparties=(party,), **kwargs)
    found = contract(cid)
    found.contract_number = number
    editor = user(owner)
    services.set_direction(editor, found, direction)
    for day, amount in enumerate(amounts, start=1):
        services.save_instalment(editor, found, None, {"amount": amount, "due_date": f"2026-02-{day:02d}"})
    db.session.commit()
    return cid


@pytest.fixture
def book(app: Flask, make_user: Callable[..., Any], token_for: Callable[..., str]) -> dict[str, Any]:
    """Four contracts: A (two instalments, named by number), B (two equal instalments), C
    (payable), and D in another department that the finance user of 财务部 may not read."""
    make_user("editor", department="财务部")
    make_user("editor", email="sales@example.com", department="销售部")
    tokens = {"finance": token_for("finance", department="财务部")}
    with app.app_context():
        ids = {
            "A": _contract("HT-2026-001", TENCENT, ["300000.00", "700000.00"], department="财务部"),
            "B": _contract("HT-2026-002", BYTEDANCE, ["50000.00", "50000.00"], department="财务部"),
            "C": _contract("CG-2026-009", SUPPLIER, ["20000.00"], direction="payable", department="财务部"),
            "D": _contract(
                "HT-2026-077", HIDDEN, ["8888.00"], department="销售部", owner="sales@example.com", confidential=True
            ),
        }
        plans = {key: [row.id for row in services.instalments(contract(cid))] for key, cid in ids.items()}
    return {"contracts": ids, "instalments": plans, "tokens": tokens}


GBK_STATEMENT = (
    "账号：6222 0000 1111 2222,,,,,\n"
    "交易日期,交易流水号,对方户名,贷方金额(元),借方金额(元),摘要\n"
    '2026-03-01,T001,腾讯科技(深圳)有限公司,"300,000.00",,HT-2026-001/1 首付款\n'
    "2026-03-02,T002,北京字节跳动科技有限公司,50000,,服务费\n"
    '2026/03/03,T003,腾讯科技深圳有限公司,"￥700,000.00",,尾款\n'
    '2026-03-04,T004,上海供应商有限公司,,"20,000.00",采购款\n'
    "2026-03-05,T005,深圳保密客户有限公司,8888.00,,\n"
    "2026-03-06,T006,某某小店,123.45,,利息\n"
    '合计,,,"1,058,011.45","20,000.00",\n'
)


def _upload(client: FlaskClient, token: str, data: bytes, name: str) -> Any:
    return client.post(
        API,
        data={"file": (io.BytesIO(data), name)},
        headers=bearer(token),
        content_type="multipart/form-data",
    )


def _rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Lines by transaction id (or memo)."""
    return {row["transaction_id"] or row["reference"]: row for row in body["rows"] if row["amount"]}


def _payments() -> list[tuple[int, str, str | None]]:
    rows = db.session.execute(sa.select(Payment.instalment_id, Payment.amount, Payment.reference).order_by(Payment.id))
    return [(instalment_id, str(amount), reference) for instalment_id, amount, reference in rows]


def test_amounts_and_dates_are_read_as_people_write_them() -> None:
    assert parse_amount("¥1,280,000.50") == parse_amount("1280000.5")
    assert str(parse_amount("(300.00)")) == "-300.00"
    assert str(parse_amount("-300")) == "-300"
    assert parse_amount("") is None and parse_amount("abc") is None
    assert parse_date("2026年3月1日") == parse_date("20260301") == parse_date("2026-03-01 10:22:33") == date(2026, 3, 1)
    assert parse_money("US$1,000.00") == (parse_amount("1000.00"), "USD")
    assert parse_money("JPY ¥1,000") == (parse_amount("1000"), "JPY") and parse_money("S$5")[1] == "SGD"
    assert parse_money("￥1,000") == (parse_amount("1000"), "CNY") and parse_money("-300") == (
        parse_amount("-300"),
        None,
    )
    assert [
        parse_currency(text) for text in ("人民币", "RMB", "CNH", "usd", "港币", "澳元", "新加坡元", "本币", "")
    ] == [
        "CNY",
        "CNY",
        "CNY",
        "USD",
        "HKD",
        "AUD",
        "SGD",
        None,
        None,
    ]
    assert parse_money("NIL") == (None, None)  # three letters that are no currency
    assert (field_of("币种"), field_of("Local currency amount")) == ("currency", "amount")


def test_gbk_statement_is_matched_confirmed_and_never_recorded_twice(
    app: Flask, client: FlaskClient, book: dict[str, Any]
) -> None:
    token = book["tokens"]["finance"]
    plans = book["instalments"]
    data = GBK_STATEMENT.encode("gbk")
    answer = _upload(client, token, data, "工行流水.csv")
    assert answer.status_code == 201, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["needs_mapping"] is False
    rows = _rows(body)
    assert set(rows) == {"T001", "T002", "T003", "T004", "T005", "T006"}  # the total line is no transaction
    assert rows["T001"]["state"] == "matched"
    assert rows["T001"]["reason"] == "instalment_reference"
    assert rows["T001"]["proposal"]["instalment_id"] == plans["A"][0]
    assert rows["T003"]["state"] == "matched"  # the name written another way, the exact open amount
    assert (rows["T003"]["reason"], rows["T003"]["proposal"]["instalment_id"]) == ("counterparty_amount", plans["A"][1])
    assert rows["T002"]["state"] == "ambiguous"
    assert sorted(item["instalment_id"] for item in rows["T002"]["candidates"]) == sorted(plans["B"])
    assert (rows["T004"]["direction"], rows["T004"]["state"]) == ("debit", "matched")  # money out: the payable one
    assert rows["T004"]["proposal"]["instalment_id"] == plans["C"][0]
    assert rows["T005"]["state"] == "unmatched"  # its contract is one the finance user may not read
    assert "HT-2026-077" not in answer.get_data(as_text=True)
    assert rows["T006"]["state"] == "unmatched"

    # Confirm the matched lines in bulk: three payments, through the payment service.
    done = client.post(f"{API}/{body['id']}/confirm", json={}, headers=bearer(token))
    assert done.status_code == 200 and done.get_json()["recorded"] == 3
    with app.app_context():
        assert _payments() == [
            (plans["A"][0], "300000.00", "T001"),
            (plans["A"][1], "700000.00", "T003"),
            (plans["C"][0], "20000.00", "T004"),
        ]
        settled = db.session.scalars(sa.select(Instalment.settled_on).where(Instalment.id.in_(plans["A"])))
        assert set(settled) == {date(2026, 3, 1), date(2026, 3, 3)}
        actions = list(db.session.scalars(sa.select(AuditEvent.action)))
        assert actions.count("payment.record") == 3
        assert {"statement.import", "statement.confirm"} <= set(actions)
        told = db.session.scalars(sa.select(Notification.kind).where(Notification.kind == "payment.recorded"))
        assert len(list(told)) == 3  # the contracts' owner hears of each payment

    # Pick a candidate for the ambiguous line; ignore the interest with a reason.
    ambiguous = rows["T002"]["id"]
    picked = client.post(
        f"{API}/{body['id']}/rows/{ambiguous}/assign", json={"instalment_id": plans["B"][1]}, headers=bearer(token)
    )
    assert picked.status_code == 200
    assert _rows(picked.get_json())["T002"]["state"] == "recorded"
    refused = client.post(f"{API}/{body['id']}/rows/{rows['T006']['id']}/ignore", json={}, headers=bearer(token))
    assert refused.status_code == 422
    ignored = client.post(
        f"{API}/{body['id']}/rows/{rows['T006']['id']}/ignore", json={"reason": "利息收入"}, headers=bearer(token)
    )
    assert _rows(ignored.get_json())["T006"]["state"] == "ignored"
    again = client.post(
        f"{API}/{body['id']}/rows/{ambiguous}/assign", json={"instalment_id": plans["B"][0]}, headers=bearer(token)
    )
    assert again.status_code == 409  # a line is recorded once

    # The same file again: the earlier import, nothing recorded.
    repeat = _upload(client, token, data, "copy.csv")
    assert repeat.status_code == 200
    assert repeat.get_json()["id"] == body["id"] and repeat.get_json()["already_imported"] is True
    client.post(f"{API}/{body['id']}/confirm", json={}, headers=bearer(token))
    with app.app_context():
        assert len(_payments()) == 4
        ignore_events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "statement.ignore"))
        assert [event.details["reason"] for event in ignore_events] == ["利息收入"]


def test_a_line_recorded_from_another_file_is_marked_already_recorded(
    app: Flask, client: FlaskClient, book: dict[str, Any]
) -> None:
    token = book["tokens"]["finance"]
    first = _upload(client, token, GBK_STATEMENT.encode("gbk"), "march.csv").get_json()
    client.post(f"{API}/{first['id']}/confirm", json={"row_ids": [_rows(first)["T001"]["id"]]}, headers=bearer(token))
    # An export of the same account over a longer period, UTF-8 with BOM and English headers.
    overlapping = (
        "\ufeffDate,Transaction ID,Payer,Amount,Memo\n"
        "2026-03-01,T001,腾讯科技(深圳)有限公司,300000.00,HT-2026-001/1 首付款\n"
        "2026-03-09,T009,腾讯科技（深圳）有限公司,700000.00,HT-2026-001 尾款\n"
    ).encode()
    second = _upload(client, token, overlapping, "export.csv")
    assert second.status_code == 201
    rows = _rows(second.get_json())
    assert rows["T001"]["state"] == "duplicate"
    assert rows["T001"]["duplicate_of"] == {"import_id": first["id"], "line": _rows(first)["T001"]["line"]}
    assert rows["T009"]["state"] == "matched" and rows["T009"]["reason"] == "contract_number"
    client.post(f"{API}/{second.get_json()['id']}/confirm", json={}, headers=bearer(token))
    with app.app_context():
        assert [reference for _id, _amount, reference in _payments()] == ["T001", "T009"]


def test_xlsx_debit_lines_pay_payable_instalments_only(app: Flask, client: FlaskClient, book: dict[str, Any]) -> None:
    sheet_book = Workbook()
    sheet = sheet_book.active
    assert sheet is not None
    sheet.append(["记账日期", "金额", "对方账户名称", "用途", "备注"])
    sheet.append([datetime(2026, 3, 10), -20000.0, "某供应商", "付 CG-2026-009 货款", None])
    sheet.append([datetime(2026, 3, 11), 20000.0, SUPPLIER, "退款", "CG-2026-009"])  # money in: no payable
    buffer = io.BytesIO()
    sheet_book.save(buffer)
    answer = _upload(client, book["tokens"]["finance"], buffer.getvalue(), "export.xlsx")
    assert answer.status_code == 201, answer.get_data(as_text=True)
    out, back = sorted((row for row in answer.get_json()["rows"]), key=lambda row: row["line"])
    assert (out["direction"], out["amount"], out["booked_on"]) == ("debit", "20000.00", "2026-03-10")
    assert (out["state"], out["reason"]) == ("matched", "contract_number")
    assert out["proposal"]["instalment_id"] == book["instalments"]["C"][0]
    assert (back["direction"], back["state"]) == ("credit", "unmatched")
    wrong_way = client.post(
        f"{API}/{answer.get_json()['id']}/rows/{back['id']}/assign",
        json={"instalment_id": book["instalments"]["C"][0]},
        headers=bearer(book["tokens"]["finance"]),
    )
    assert wrong_way.status_code == 422


def test_unknown_columns_are_chosen_by_the_user(app: Flask, client: FlaskClient, book: dict[str, Any]) -> None:
    token = book["tokens"]["finance"]
    data = "列1,列2,列3,列4\n2026-03-12,腾讯科技深圳有限公司,700000,第二期\n".encode()
    body = _upload(client, token, data, "odd.csv").get_json()
    assert body["needs_mapping"] is True and body["rows"][0]["state"] == "unmatched"
    mapped = client.post(
        f"{API}/{body['id']}/columns",
        json={"date": 0, "counterparty": 1, "amount": 2, "reference": [3]},
        headers=bearer(token),
    )
    assert mapped.status_code == 200
    row = mapped.get_json()["rows"][0]
    assert (row["state"], row["proposal"]["instalment_id"]) == ("matched", book["instalments"]["A"][1])
    incomplete = client.post(f"{API}/{body['id']}/columns", json={"counterparty": 1}, headers=bearer(token))
    assert incomplete.status_code == 422


def test_only_finance_staff_import_statements(
    app: Flask, client: FlaskClient, book: dict[str, Any], token_for: Callable[..., str]
) -> None:
    viewer = token_for("viewer", department="财务部")
    assert _upload(client, viewer, GBK_STATEMENT.encode("gbk"), "x.csv").status_code == 403
    assert client.get(API, headers=bearer(viewer)).status_code == 403


def test_the_finance_user_of_another_department_sees_only_its_contracts_proposed(
    app: Flask, client: FlaskClient, book: dict[str, Any], token_for: Callable[..., str]
) -> None:
    sales_finance = token_for("finance", department="销售部")
    body = _upload(client, book["tokens"]["finance"], GBK_STATEMENT.encode("gbk"), "finance.csv").get_json()
    assert {row["state"] for row in body["rows"] if row["amount"]} == {"matched", "ambiguous", "unmatched"}
    # The finance user of 销售部 reads none of 财务部's contracts: nothing is proposed to them,
    # and confirming everything records nothing.
    seen = client.get(f"{API}/{body['id']}", headers=bearer(sales_finance))
    assert {row["state"] for row in seen.get_json()["rows"] if row["amount"]} == {"unmatched"}
    assert "contract_title" not in seen.get_data(as_text=True)  # no proposal, no candidate
    done = client.post(f"{API}/{body['id']}/confirm", json={}, headers=bearer(sales_finance))
    assert done.status_code == 200 and done.get_json()["recorded"] == 0
    hidden = client.post(
        f"{API}/{body['id']}/rows/{_rows(body)['T001']['id']}/assign",
        json={"instalment_id": book["instalments"]["A"][0]},
        headers=bearer(sales_finance),
    )
    assert hidden.status_code == 404
    with app.app_context():
        assert _payments() == []


def test_finance_reviews_and_confirms_on_the_page(
    app: Flask, book: dict[str, Any], login: Callable[..., FlaskClient]
) -> None:
    browser = login("finance", department="财务部")
    page = browser.get("/money/statements")
    assert page.status_code == 200
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    sent = browser.post(
        "/money/statements",
        data={"csrf_token": token, "file": (io.BytesIO(GBK_STATEMENT.encode("gbk")), "流水.csv")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    review = browser.get(sent.headers["Location"]).get_data(as_text=True)
    assert review.count('data-state="matched"') == 3 and review.count('data-state="ambiguous"') == 1
    assert "HT-2026-001" in review and "HT-2026-077" not in review
    import_id = int(sent.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        from repo_app.money.statement_models import StatementRow

        matched = list(db.session.scalars(sa.select(StatementRow.id).where(StatementRow.state == "matched")))
    done = browser.post(
        f"/money/statements/{import_id}/confirm", data={"csrf_token": token, "row_id": [str(matched[0])]}
    )
    assert done.status_code == 302
    with app.app_context():
        assert len(_payments()) == 1


# --- escalation and reminder days ------------------------------------------------------------------


def _escalations() -> list[tuple[str, dict[str, Any]]]:
    rows = db.session.execute(
        sa.select(Notification.user_id, Notification.params)
        .where(Notification.kind == "reminder.payment")
        .order_by(Notification.id)
    ).all()
    return [(db.session.get(User, uid).email, params) for uid, params in rows]


def test_an_overdue_instalment_is_escalated_to_the_department_managers_once(
    app: Flask, make_user: Callable[..., Any], at: Callable[[datetime], None]
) -> None:
    make_user("editor", department="财务部")
    make_user("manager", department="财务部")
    make_user("manager", department="销售部")  # another department: not told
    with app.app_context():
        at(datetime(2026, 3, 1, 9, 0))
        cid = make_contract("editor@example.com", department="财务部", amount="100.00", status="in_force")
        services.save_instalment(
            user("editor@example.com"), contract(cid), None, {"amount": "100", "due_date": "2026-03-20"}
        )
        db.session.commit()
        reminders.send_due_reminders()
        at(datetime(2026, 4, 2, 9, 0))  # 13 days overdue
        reminders.send_due_reminders()
        assert [email for email, params in _escalations() if params.get("escalated")] == []
        at(datetime(2026, 4, 3, 9, 0))  # 14 days overdue (the default)
        reminders.send_due_reminders()
        at(datetime(2026, 4, 3, 10, 0))
        reminders.send_due_reminders()
        at(datetime(2026, 5, 30, 9, 0))  # much later: still only once
        reminders.send_due_reminders()
        escalated = [(email, params["days"]) for email, params in _escalations() if params.get("escalated")]
        assert escalated == [("manager@example.com", 14)]
        overdue = [(email, params["days"]) for email, params in _escalations() if not params.get("escalated")]
        assert ("editor@example.com", 7) in overdue and all(email == "editor@example.com" for email, _d in overdue)


def test_reminder_days_and_escalation_days_are_settings(
    app: Flask, app_config: dict[str, Any], make_user: Callable[..., Any], at: Callable[[datetime], None]
) -> None:
    with pytest.raises(ConfigError, match="PACTUM_PAYMENT_REMINDER_DAYS"):
        create_app({**app_config, "payment_reminder_days": "-7,soon"})
    with pytest.raises(ConfigError, match="PACTUM_PAYMENT_ESCALATION_DAYS"):
        create_app({**app_config, "payment_escalation_days": "0"})
    configured = replace(app.extensions["pactum.settings"], payment_reminder_days="-3,2", payment_escalation_days=5)
    app.extensions["pactum.settings"] = configured
    make_user("editor", department="财务部")
    make_user("manager", department="财务部")
    with app.app_context():
        at(datetime(2026, 3, 1, 9, 0))
        cid = make_contract("editor@example.com", department="财务部", amount="100.00", status="in_force")
        editor = user("editor@example.com")
        services.save_instalment(editor, contract(cid), None, {"amount": "100", "due_date": "2026-03-10"})
        db.session.commit()
        reminders.send_due_reminders()
        for day in (7, 12, 15):
            at(datetime(2026, 3, day, 9, 0))
            reminders.send_due_reminders()
        sent = [(email, params["days"], bool(params.get("escalated"))) for email, params in _escalations()]
        assert sent == [
            ("editor@example.com", 3, False),
            ("editor@example.com", 2, False),
            ("manager@example.com", 5, True),
        ]


def test_a_percentage_instalment_follows_the_contract_amount(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    editor = token_for("editor", department="财务部")
    finance = token_for("finance", department="财务部")
    with app.app_context():
        cid = make_contract("editor@example.com", department="财务部", amount="1000.00", status="in_force")
        instalment = services.save_instalment(
            user("editor@example.com"), contract(cid), None, {"percent": "50", "due_date": "2026-03-20"}
        )
        db.session.commit()
        instalment_id = instalment.id
    paid = client.post(
        f"/api/v1/contracts/{cid}/money/payments",
        json={"instalment_id": instalment_id, "amount": "500", "paid_on": "2026-03-01"},
        headers=bearer(finance),
    )
    assert paid.status_code == 201

    def settled() -> date | None:
        with app.app_context():
            return db.session.get(Instalment, instalment_id).settled_on  # type: ignore[union-attr]

    assert settled() is not None
    assert client.patch(f"/api/v1/contracts/{cid}", json={"amount": "2000"}, headers=bearer(editor)).status_code == 200
    assert settled() is None  # 50 % is 1000 now: 500 paid leaves it open
    assert client.patch(f"/api/v1/contracts/{cid}", json={"amount": "900"}, headers=bearer(editor)).status_code == 200
    assert settled() is not None


def test_a_line_dealt_with_by_someone_else_meanwhile_is_not_recorded_again(
    app: Flask, client: FlaskClient, book: dict[str, Any]
) -> None:
    """Two people confirm the same file at once: the request that read the lines as matched
    before the other recorded them records nothing more, and one that ignores a line taken
    meanwhile is refused."""
    from repo_app.money import statements
    from repo_app.money.statement_models import StatementImport, StatementRow

    token = book["tokens"]["finance"]
    body = _upload(client, token, GBK_STATEMENT.encode("gbk"), "march.csv").get_json()
    t001, t006 = _rows(body)["T001"]["id"], _rows(body)["T006"]["id"]
    with app.app_context():
        finance = db.session.scalar(sa.select(User).where(User.role == "finance"))
        statement = db.session.get(StatementImport, body["id"])
        lines = {row.id: row for row in statement.rows}  # read while T001 is still matched
        assert lines[t001].state == "matched"
        with db.engine.begin() as other:  # the other request, committed meanwhile
            other.execute(sa.update(StatementRow).where(StatementRow.id == t001).values(state="ignored"))
            other.execute(sa.update(StatementRow).where(StatementRow.id == t006).values(state="ignored"))
        assert statements.confirm(finance, statement, [t001]) == 0
        with pytest.raises(statements.Conflict):
            statements.ignore(finance, statement, lines[t006], "利息")
        db.session.rollback()
        assert _payments() == []
        assert db.session.get(StatementRow, t001).state == "ignored"


def test_a_line_in_another_currency_is_neither_proposed_nor_recorded(
    app: Flask, client: FlaskClient, book: dict[str, Any]
) -> None:
    """The file names each line's currency: a US-dollar line is not matched to an instalment in
    yuan (B's two open CNY 50,000 instalments would otherwise both fit), and picking one by hand
    is refused with both currencies named; the yuan line is matched as before."""
    token = book["tokens"]["finance"]
    plans = book["instalments"]
    statement = (
        "交易日期,交易流水号,对方户名,币种,贷方金额,摘要\n"
        "2026-03-01,U001,北京字节跳动科技有限公司,美元,50000.00,服务费\n"
        '2026-03-02,U002,腾讯科技(深圳)有限公司,人民币,"300,000.00",HT-2026-001/1\n'
        "2026-03-03,U003,北京字节跳动科技有限公司,卢比,50000.00,服务费\n"
    ).encode()
    body = _upload(client, token, statement, "usd.csv").get_json()
    rows = _rows(body)
    assert (rows["U001"]["currency"], rows["U001"]["state"]) == ("USD", "unmatched")
    assert (rows["U003"]["currency"], rows["U003"]["state"]) == ("XXX", "unmatched")  # not taken for yuan
    assert (rows["U002"]["currency"], rows["U002"]["state"]) == ("CNY", "matched")
    picked = client.post(
        f"{API}/{body['id']}/rows/{rows['U001']['id']}/assign",
        json={"instalment_id": plans["B"][0]},
        headers=bearer(token),
    )
    assert picked.status_code == 422
    assert "USD" in picked.json["error"]["message"] and "CNY" in picked.json["error"]["message"]
    assert client.post(f"{API}/{body['id']}/confirm", json={}, headers=bearer(token)).get_json()["recorded"] == 1
    with app.app_context():
        assert _payments() == [(plans["A"][0], "300000.00", "U002")]

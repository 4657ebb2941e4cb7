"""The trail in sentences: every recorded action has one (in Chinese too), titles only for
readers who may read the contract, the exports keep the raw codes, repeats of a visit collapse."""

from __future__ import annotations

import ast
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from repo_app.audit import sentences
from repo_app.audit.readable import readable
from repo_app.auth.models import User
from repo_app.core.audit import record
from repo_app.core.audit.chain import verify
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.samples import pdf_bytes

REPO_APP = Path(__file__).resolve().parents[2] / "repo_app"


def _recorded_codes() -> set[str]:
    """Every action code the application records (``record(...)`` / ``record_visit(...)``)."""
    codes: set[str] = set()
    for path in REPO_APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in ("record", "record_visit"):
                continue
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            codes.update(o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str))
    return codes


def test_every_recorded_action_has_a_sentence_and_a_chinese_one(app: Flask) -> None:
    codes = _recorded_codes()
    assert len(codes) > 80  # the scan found the calls
    assert codes <= set(sentences.ACTIONS), sorted(codes - set(sentences.ACTIONS))
    with app.test_request_context(), force_locale("zh_CN"):
        for code in codes:
            label, sentence = (str(part) for part in sentences.ACTIONS[code])
            english_label, english_sentence = (str(part) for part in sentences.ACTIONS[code])
            assert label and sentence
            with force_locale("en"):
                english_label, english_sentence = (str(part) for part in sentences.ACTIONS[code])
            assert sentence != english_sentence, f"{code}: no Chinese sentence"
            assert label != english_label or label.isascii() is False, f"{code}: no Chinese label"


@pytest.fixture
def two_contracts(client: FlaskClient, admin_token: str) -> tuple[int, int]:
    """One plain contract and one confidential contract an auditor may not read."""
    ids = []
    for n, (title, confidential) in enumerate((("公开的采购合同", False), ("保密的并购协议", True))):
        response = client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(pdf_bytes(f"sentences {n}")), f"{n}.pdf"),
                "metadata": json.dumps({"title": title}, ensure_ascii=False),
            },
        )
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
        if confidential:
            shared = client.put(
                f"/api/v1/contracts/{ids[-1]}/access", headers=bearer(admin_token), json={"confidential": True}
            )
            assert shared.status_code == 200, shared.json
    return ids[0], ids[1]


def _sentences_for(app: Flask, email: str, action: str, locale: str = "zh_CN") -> list[str]:
    with app.test_request_context(), force_locale(locale):
        reader = db.session.scalars(sa.select(User).where(User.email == email)).one()
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        return [item.text if locale == "en" else str(item.sentence) for item in readable(reader, events)]


def test_titles_only_for_readers_who_may_read_the_contract(
    app: Flask, two_contracts: tuple[int, int], make_user: Callable[..., Any]
) -> None:
    plain, secret = two_contracts
    make_user("auditor")
    with app.app_context():
        admin = db.session.scalars(sa.select(User).where(User.email == "admin@example.com")).one()
        record("contract.renew", actor=admin, contract_id=plain, renewal_id=secret)
        record("contract.mystery_action", actor=admin, contract_id=plain, colour="blue")
        db.session.commit()
    (auditor_sees,) = _sentences_for(app, "auditor@example.com", "contract.renew")
    assert "《公开的采购合同》" in auditor_sees and f'href="/contracts/{plain}"' in auditor_sees
    assert "保密的并购协议" not in auditor_sees and "一份您无权查看的合同" in auditor_sees
    (admin_sees,) = _sentences_for(app, "admin@example.com", "contract.renew")
    assert "《保密的并购协议》" in admin_sees
    (unknown,) = _sentences_for(app, "auditor@example.com", "contract.mystery_action", "en")
    assert unknown.startswith("Admin User: contract.mystery_action") and "“公开的采购合同”" in unknown
    # the confidential contract's own events stay out of the auditor's trail altogether
    with app.test_request_context():
        auditor = db.session.scalars(sa.select(User).where(User.email == "auditor@example.com")).one()
        from repo_app.audit.services import AuditFilter, events_query

        seen = db.session.scalars(events_query(auditor, AuditFilter(contract_id=secret))).all()
        assert seen == []


def test_exports_keep_the_codes_and_add_the_sentence(
    app: Flask, client: FlaskClient, login: Callable[[str], FlaskClient], two_contracts: tuple[int, int]
) -> None:
    plain, _secret = two_contracts
    browser = login("auditor")
    export = browser.get(f"/audit/export.csv?contract_id={plain}", headers={"Accept-Language": "zh-CN"})
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    created = next(row for row in rows if row["action"] == "contract.create")
    assert created["sentence"] == "Admin User 上传了《公开的采购合同》"
    assert json.loads(created["details"])["filename"] == "0.pdf"  # the raw details, for machines
    api = browser.get(f"/api/v1/audit?contract_id={plain}", headers={"Accept-Language": "en"}).json
    item = next(item for item in api["items"] if item["action"] == "contract.create")
    assert item["sentence"] == "Admin User uploaded “公开的采购合同”"


def test_the_action_filter_matches_a_known_code_exactly_and_a_prefix_otherwise(
    client: FlaskClient, admin_token: str, token_for: Callable[[str], str], two_contracts: tuple[int, int]
) -> None:
    auditor = token_for("auditor")
    exact = client.get("/api/v1/audit", headers=bearer(auditor), query_string={"action": "contract.legal_hold"}).json
    assert exact["total"] == 0
    prefix = client.get("/api/v1/audit", headers=bearer(auditor), query_string={"action": "contract."}).json
    assert {item["action"] for item in prefix["items"]} == {"contract.create"}


def test_a_second_look_in_one_visit_is_not_recorded_again_and_the_chain_holds(
    app: Flask, client: FlaskClient, login: Callable[[str], FlaskClient], two_contracts: tuple[int, int]
) -> None:
    plain, _secret = two_contracts
    browser = login("auditor")
    for _ in range(3):
        assert browser.get(f"/contracts/{plain}").status_code == 200
        assert browser.get(f"/api/v1/contracts/{plain}/versions/1/file?inline=1").status_code == 200
    assert browser.get(f"/api/v1/contracts/{plain}/versions/1/file").status_code == 200
    assert browser.get(f"/api/v1/contracts/{plain}/versions/1/file").status_code == 200
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.contract_id == plain, AuditEvent.actor_email == "auditor@example.com"
            )
        ).all()
        assert sorted(actions) == ["contract.view", "version.download", "version.download", "version.preview"]
        assert verify()[1] is None


def test_details_read_in_chinese_with_no_field_codes(app: Flask, two_contracts: tuple[int, int]) -> None:
    """An upload's metadata and a status move's trigger are labelled in words, not as keys."""
    plain, _secret = two_contracts
    with app.app_context():
        admin = db.session.scalars(sa.select(User).where(User.email == "admin@example.com")).one()
        metadata = {"contract_number": "HT-1", "expiry_date": "2027-03-31", "tags": ["保密"]}
        record("contract.create", actor=admin, contract_id=plain, filename="a.pdf", metadata=metadata)
        record("contract.status", actor=admin, contract_id=plain, old="draft", new="in_review", by="system")
        db.session.commit()
    with app.test_request_context(), force_locale("zh_CN"):
        reader = db.session.scalars(sa.select(User).where(User.email == "admin@example.com")).one()
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.contract_id == plain)).all()
        facts = [f"{label}: {value}" for item in readable(reader, events) for label, value in item.facts]
    shown = "\n".join(facts)
    assert "合同编号: HT-1" in shown and "到期日期: 2027-03-31" in shown and "标签: 保密" in shown
    assert "方式: 系统自动" in shown
    assert "contract_number" not in shown and "system" not in shown

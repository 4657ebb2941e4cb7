"""The organisation's own names: kept by administrators (audited), never suggested as a
counterparty; a suggestion equal to what the contract already has is not offered either."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from repo_app.auth.models import User
from repo_app.contracts.models import Contract
from repo_app.contracts.own_names import own_names, set_own_names
from repo_app.contracts.suggestions import suggestions_to_offer
from repo_app.core.audit.models import AuditEvent
from repo_app.core.errors import Forbidden
from repo_app.core.extensions import db
from tests.conftest import bearer, csrf_token_from

TEXT = (
    "采购合同\n合同编号：HT-2026-088\n甲方：上海澄衡科技股份有限公司\n乙方：华东精密机械制造有限公司\n"
    "合同金额：人民币120,000元\n签订日期：2026年3月6日\n"
)


def _upload(client: FlaskClient, token: str, metadata: dict[str, Any]) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(TEXT.encode()), "采购合同.txt"),
            "metadata": json.dumps(metadata, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _offered(app: Flask, contract_id: int) -> dict[str, str]:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract is not None
        return {item.field: item.value for item in suggestions_to_offer(contract)}


def test_own_names_are_never_offered_as_the_counterparty(
    app: Flask, client: FlaskClient, admin_token: str, make_user: Callable[..., User]
) -> None:
    contract_id = _upload(client, admin_token, {"title": "设备采购"})
    # Without own names the first party found (甲方 = us) is what would be offered.
    assert _offered(app, contract_id)["counterparties"] == "上海澄衡科技股份有限公司"
    admin = make_user("admin", email="names-admin@example.com")
    with app.app_context():
        names = ["上海澄衡科技股份有限公司 ", "", "Shanghai Chengheng Technology Co., Ltd."]
        set_own_names(db.session.merge(admin), names)
        db.session.commit()
    offered = _offered(app, contract_id)
    assert offered["counterparties"] == "华东精密机械制造有限公司"
    assert offered["contract_number"] == "HT-2026-088"


def test_a_suggestion_equal_to_the_value_set_is_not_offered(
    app: Flask, client: FlaskClient, admin_token: str, make_user: Callable[..., User]
) -> None:
    admin = make_user("admin", email="names-admin@example.com")
    with app.app_context():
        set_own_names(db.session.merge(admin), ["上海澄衡科技股份有限公司"])
        db.session.commit()
    contract_id = _upload(
        client,
        admin_token,
        {"title": "设备采购", "counterparties": ["华东精密机械制造有限公司"], "contract_number": "HT-2026-088"},
    )
    offered = _offered(app, contract_id)
    assert "counterparties" not in offered and "contract_number" not in offered
    assert offered["amount"] == "120000.00"


def test_spellings_that_differ_in_width_case_or_spaces_are_one_name(app: Flask, make_user: Callable[..., User]) -> None:
    admin = make_user("admin", email="names-admin@example.com")
    with app.app_context():
        kept = set_own_names(
            db.session.merge(admin), ["澄衡科技（上海）有限公司", "澄衡科技(上海)有限公司", "ACME  Ltd", "acme ltd"]
        )
        db.session.commit()
        assert kept == ["澄衡科技（上海）有限公司", "ACME Ltd"] == own_names()


def test_changes_are_audited_and_need_an_administrator(app: Flask, make_user: Callable[..., User]) -> None:
    admin = make_user("admin", email="names-admin@example.com")
    manager = make_user("manager", email="names-manager@example.com")
    with app.app_context():
        set_own_names(db.session.merge(admin), ["上海澄衡科技股份有限公司"])
        set_own_names(db.session.merge(admin), ["上海澄衡科技股份有限公司", "澄衡科技"])
        set_own_names(db.session.merge(admin), ["上海澄衡科技股份有限公司", "澄衡科技"])  # no change: no event
        db.session.commit()
        events = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation.own_names_change"))
        )
        assert [event.details["new"] for event in events] == [
            ["上海澄衡科技股份有限公司"],
            ["上海澄衡科技股份有限公司", "澄衡科技"],
        ]
        assert events[1].details["old"] == ["上海澄衡科技股份有限公司"]
        with pytest.raises(Forbidden):
            set_own_names(db.session.merge(manager), [])


def test_accepting_an_own_name_as_counterparty_is_refused(
    app: Flask, client: FlaskClient, admin_token: str, login: Callable[..., FlaskClient]
) -> None:
    contract_id = _upload(client, admin_token, {"title": "设备采购"})
    browser = login("admin", email="names-admin@example.com")
    token = csrf_token_from(browser.get("/admin/organisation").get_data(as_text=True))
    saved = browser.post("/admin/own-names", data={"names": "上海澄衡科技股份有限公司\nChengheng", "csrf_token": token})
    assert saved.status_code == 302
    assert "Chengheng" in browser.get("/admin/organisation").get_data(as_text=True)
    browser.post(
        f"/contracts/{contract_id}/suggestions",
        data={"field": "counterparties", "value": "上海澄衡科技股份有限公司", "csrf_token": token},
    )
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract is not None and contract.counterparty_names == []


def test_an_own_name_cut_where_a_pdf_line_wrapped_is_still_ours(
    app: Flask, client: FlaskClient, admin_token: str, make_user: Callable[..., User]
) -> None:
    """A PDF rendition wraps 甲方（盖章）：上海澄衡科技股份有限公 / 司 and the reader finds the cut
    name first (seen on a drafted contract's signed PDF): it is ours too, never offered."""
    from repo_app.contracts.models import VersionText

    admin = make_user("admin", email="names-admin@example.com")
    with app.app_context():
        set_own_names(db.session.merge(admin), ["上海澄衡科技股份有限公司"])
        db.session.commit()
    contract_id = _upload(client, admin_token, {"title": "设备采购"})
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract is not None and contract.latest_version is not None
        text = db.session.get(VersionText, contract.latest_version.id)
        assert text is not None
        found = dict(text.suggestions or {})
        cut = {"value": "上海澄衡科技股份有限公", "evidence": "甲方（盖章）：上海澄衡科技股份有限公"}
        found["counterparties"] = [cut, *found.get("counterparties", [])]
        text.suggestions = found
        db.session.commit()
    assert _offered(app, contract_id)["counterparties"] == "华东精密机械制造有限公司"

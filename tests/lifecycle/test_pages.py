"""The web pages: landing on "My tasks" after log-in, the navigation counts (one query each),
the decision page, the lifecycle panel, notifications and the admin pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.lifecycle import states
from repo_app.workflows import services
from repo_app.workflows.models import Approval
from tests.conftest import PASSWORD, csrf_token_from, log_in
from tests.lifecycle.conftest import contract, make_contract, user
from tests.lifecycle.helpers import organisation
from tests.lifecycle.sqlite_only import sqlite_database_url  # noqa: F401  (engine-independent: SQLite only)


@pytest.fixture
def org(app: Flask, make_user: Callable[..., Any]) -> None:
    with app.app_context():
        organisation(make_user)


def browser(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = log_in(client, email)
    assert response.status_code == 302
    return client


def submitted(app: Flask, **fields: Any) -> tuple[int, int]:
    with app.app_context():
        cid = make_contract("owner@example.com", title="网页审批合同", amount="50000", **fields)
        approval = services.submit(user("owner@example.com"), contract(cid), "请尽快")
        db.session.commit()
        return cid, approval.id


def test_log_in_lands_home_and_my_tasks_has_counts(app: Flask, org: None) -> None:
    submitted(app)
    client = app.test_client()
    response = log_in(client, "regional@example.com")
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/dashboard"  # a manager's home; "My tasks" one click away
    page = client.get("/tasks").get_data(as_text=True)
    assert "data-task-count>1<" in page and "data-unread-count>1<" in page
    assert "网页审批合同" in page and "data-quick-approve" in page
    # ?next= still wins when it is a local page.
    other = app.test_client()
    token = csrf_token_from(other.get("/login").get_data(as_text=True))
    landed = other.post(
        "/login?next=/contracts", data={"email": "owner@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert landed.headers["Location"] == "/contracts"


def test_navigation_counts_cost_one_query_each(app: Flask, org: None) -> None:
    from repo_app.notifications.services import unread_count
    from repo_app.tasks_inbox.providers import task_count

    submitted(app)
    with app.app_context():
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        approver = user("regional@example.com")
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert task_count(approver, clock.today()) == 1
            assert len(statements) == 1
            assert unread_count(approver) == 1
            assert len(statements) == 2
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)


def test_decide_from_the_web_and_quick_approve(app: Flask, org: None) -> None:
    cid, approval_id = submitted(app)
    regional = browser(app, "regional@example.com")
    page = regional.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "data-decision-form" in page and "请尽快" in page and "Department" in page
    token = csrf_token_from(page)
    refused = regional.post(
        f"/approvals/{approval_id}/decision", data={"csrf_token": token, "decision": "reject"}, follow_redirects=True
    )
    assert "opinion is required" in refused.get_data(as_text=True)
    done = regional.post(
        f"/approvals/{approval_id}/decision",
        data={"csrf_token": token, "decision": "approve", "comment": "同意", "version": ""},
    )
    assert done.headers["Location"] == "/tasks"
    legal = browser(app, "legal1@example.com")
    tasks = legal.get("/tasks").get_data(as_text=True)
    assert f'data-approval="{approval_id}"' in tasks
    quick = legal.post(
        f"/approvals/{approval_id}/decision", data={"csrf_token": csrf_token_from(tasks), "decision": "approve"}
    )
    assert quick.status_code == 302
    with app.app_context():
        assert db.session.get(Approval, approval_id).status == "approved"
        assert contract(cid).status == states.APPROVED
    # Someone who is not an approver may not decide (and cannot even see the contract).
    outsider = browser(app, "ceo@example.com")
    assert outsider.get(f"/approvals/{approval_id}").status_code == 404
    # The notification links straight to the decision page.
    owner = browser(app, "owner@example.com")
    bell = owner.get("/notifications").get_data(as_text=True)
    assert "Approved: 网页审批合同" in bell


def test_the_lifecycle_panel_and_its_forms(app: Flask, org: None) -> None:
    with app.app_context():
        cid = make_contract("owner@example.com", title="面板合同", status=states.IN_FORCE, expiry=date(2027, 12, 31))
    owner = browser(app, "owner@example.com")
    page = owner.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "data-lifecycle-panel" in page and 'data-lifecycle-status="in_force"' in page
    token = csrf_token_from(page)
    owner.post(
        f"/contracts/{cid}/terms",
        data={"csrf_token": token, "auto_renew": "1", "renewal_months": "12", "notice_days": "30"},
    )
    owner.post(
        f"/contracts/{cid}/milestones",
        data={
            "csrf_token": token,
            "title": "二期付款",
            "kind": "payment",
            "due_date": "2027-06-30",
            "amount": "10,000",
            "remind_days": "7,0",
        },
    )
    owner.post(f"/contracts/{cid}/watch", data={"csrf_token": token, "on": "1"})
    page = owner.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "data-auto-renew" in page and "2027-12-01" in page  # the notice deadline
    assert "二期付款" in page and "CNY 10,000.00" in page and 'aria-pressed="true"' in page
    bad = owner.post(f"/contracts/{cid}/terminate", data={"csrf_token": token, "reason": ""}, follow_redirects=True)
    assert "reason for the termination" in bad.get_data(as_text=True)
    # Renewing leads to the new draft's edit page.
    renewed = owner.post(f"/contracts/{cid}/renew", data={"csrf_token": token})
    assert renewed.status_code == 302 and renewed.headers["Location"].endswith("/edit")
    # A viewer sees the panel but no forms that change anything.
    reader = browser(app, "ceo@example.com")
    with app.app_context():
        item = contract(cid)
        from repo_app.contracts.models import ContractGrant

        item.grants.append(ContractGrant(grantee_type="user", grantee_id=user("ceo@example.com").id, level="read"))
        db.session.commit()
    page = reader.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "data-lifecycle-panel" in page and "data-status-form" not in page and "Add a milestone" not in page
    assert reader.post(f"/contracts/{cid}/terms", data={"csrf_token": csrf_token_from(page)}).status_code == 403


def test_submit_from_the_contract_page(app: Flask, org: None) -> None:
    with app.app_context():
        cid = make_contract("owner@example.com", title="草稿合同")
    owner = browser(app, "owner@example.com")
    page = owner.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "data-submit-approval" in page
    response = owner.post(f"/contracts/{cid}/approval", data={"csrf_token": csrf_token_from(page), "comment": "急"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/approvals/")
    decision_page = owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-decision-form" not in decision_page and "Why this route" in decision_page


def test_notifications_page_and_preferences(app: Flask, org: None) -> None:
    submitted(app)
    regional = browser(app, "regional@example.com")
    page = regional.get("/notifications").get_data(as_text=True)
    assert 'data-read="no"' in page and "Approval requested: 网页审批合同" in page
    with app.app_context():
        from repo_app.notifications.models import Notification

        note_id = db.session.scalar(sa.select(Notification.id))
    opened = regional.get(f"/notifications/{note_id}")
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/approvals/")
    assert 'data-read="yes"' in regional.get("/notifications").get_data(as_text=True)
    prefs = regional.get("/account/notifications").get_data(as_text=True)
    regional.post(
        "/account/notifications",
        data={"csrf_token": csrf_token_from(prefs), "email_approvals": "1", "daily_digest": "1"},
    )
    with app.app_context():
        from repo_app.notifications.services import preferences

        saved = preferences(user("regional@example.com").id)
        assert (saved.email_approvals, saved.email_reminders, saved.daily_digest) == (True, False, True)
    # Someone else's notification is not found.
    owner = browser(app, "owner@example.com")
    assert owner.get(f"/notifications/{note_id}").status_code == 404


def test_admin_pages(app: Flask, org: None) -> None:
    cid, _approval_id = submitted(app)
    admin = browser(app, "admin@example.com")
    listing = admin.get("/admin/workflows").get_data(as_text=True)
    assert "Standard" in listing and "CFO" in listing
    token = csrf_token_from(listing)
    created = admin.post("/admin/workflows", data={"csrf_token": token, "name": "框架协议"})
    workflow_url = created.headers["Location"]
    admin.post(
        workflow_url + "/levels",
        data={
            "csrf_token": token,
            "name": "法务",
            "mode": "any",
            "users": "legal1@example.com, legal2@example.com",
            "sla_hours": "24",
        },
    )
    page = admin.get(workflow_url).get_data(as_text=True)
    assert "法务" in page and "legal2@example.com" in page
    admin.post(
        "/admin/routing",
        data={
            "csrf_token": token,
            "name": "框架标签",
            "action": "select",
            "workflow_id": workflow_url.rsplit("/", 1)[1],
            "tag": "框架",
            "currency": "CNY",
        },
    )
    rules = admin.get(f"/admin/routing?contract_id={cid}").get_data(as_text=True)
    assert "框架标签" in rules and "data-trial" in rules and 'data-matched="no"' in rules
    hooks = admin.get("/admin/webhooks").get_data(as_text=True)
    made = admin.post(
        "/admin/webhooks", data={"csrf_token": token, "name": "企业微信", "url": "http://127.0.0.1:9/x", "events": "*"}
    )
    assert "data-secret" in admin.get(made.headers["Location"]).get_data(as_text=True)
    assert "企业微信" in admin.get("/admin/webhooks").get_data(as_text=True) and hooks
    assert admin.get("/admin/deliveries").status_code == 200
    for role_email in ("owner@example.com", "regional@example.com"):
        other = browser(app, role_email)
        for path in ("/admin/workflows", "/admin/routing", "/admin/webhooks", "/admin/deliveries", workflow_url):
            assert other.get(path).status_code == 403, path


def test_pages_in_chinese(app: Flask, org: None) -> None:
    _cid, approval_id = submitted(app)
    regional = browser(app, "regional@example.com")
    regional.get("/language/zh_CN")
    page = regional.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "您的审批" in page and "同意" in page and "驳回" in page
    assert "我的待办" in regional.get("/tasks").get_data(as_text=True)

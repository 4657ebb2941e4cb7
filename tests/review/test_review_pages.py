"""The review parts of the pages: periodic review as a task and its outcome, the comment form
shown only to those who may comment, the checklist administration, and the finding count as a
routing condition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.review import checklist, periodic
from repo_app.review.models import ReviewInterval, ReviewSchedule
from repo_app.workflows import routing
from repo_app.workflows.models import RoutingRule, Workflow
from repo_app.workflows.panel import decision_notes
from tests.conftest import bearer, csrf_token_from
from tests.lifecycle.conftest import contract, make_contract
from tests.review.test_comments import TEXT, _share, _upload


def test_periodic_review_is_a_task_and_its_outcome_sets_the_next_date(
    app: Flask, login: Callable[..., FlaskClient]
) -> None:
    browser = login("editor")
    with app.app_context():
        today = clock.today()
        db.session.add(ReviewInterval(contract_type_code="purchase", months=12))
        cid = make_contract(
            "editor@example.com", status="in_force", contract_type="purchase", effective=today - timedelta(days=400)
        )
        assert periodic.schedule_new() == 1
        db.session.commit()
        assert db.session.get(ReviewSchedule, cid).due_on == today  # a year after it took effect has passed

    tasks = browser.get("/api/v1/tasks").json
    due = [task for task in tasks["items"] if task["provider"] == "periodic_review"]
    assert [task["contract_id"] for task in due] == [cid]

    page = browser.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "data-review-outcome" in page
    answer = browser.post(
        f"/contracts/{cid}/periodic-review",
        data={"csrf_token": csrf_token_from(page), "outcome": "needs_amendment", "note": "价格条款需按新标准调整"},
    )
    assert answer.status_code == 302
    with app.app_context():
        next_on = db.session.get(ReviewSchedule, cid).due_on
        assert next_on is not None and date(today.year + 1, today.month, 1) <= next_on
    tasks = browser.get("/api/v1/tasks").json
    assert not [task for task in tasks["items"] if task["provider"] == "periodic_review"]
    page = browser.get(f"/contracts/{cid}").get_data(as_text=True)
    assert 'data-review-done="needs_amendment"' in page and "价格条款需按新标准调整" in page

    refused = browser.post(
        f"/contracts/{cid}/periodic-review", data={"csrf_token": csrf_token_from(page), "outcome": "maybe"}
    )
    assert "outcome: choose an outcome." in browser.get(refused.location).get_data(as_text=True)


def test_comment_form_only_for_those_who_may_comment(
    client: FlaskClient, token_for: Callable[..., str], login: Callable[..., FlaskClient]
) -> None:
    owner = token_for("editor")
    reader = login("viewer", email="reader@example.com")
    cid = _upload(client, owner, TEXT)
    _share(client, owner, cid, [{"grantee_type": "user", "grantee": "reader@example.com", "level": "read"}])
    client.post(f"/api/v1/contracts/{cid}/comments", headers=bearer(owner), json={"body": "看这里", "quote": "保密"})
    page = reader.get(f"/contracts/{cid}").get_data(as_text=True)
    assert "看这里" in page and "data-comment-form" not in page and "data-commenting" not in page

    # Confidential now, without the reader on the list: neither contract nor comments show.
    _share(client, owner, cid, [], confidential=True)
    assert reader.get(f"/contracts/{cid}").status_code == 404
    assert reader.get(f"/api/v1/contracts/{cid}/comments").status_code == 404


def test_admin_edits_the_checklist_and_findings_route_to_legal(
    app: Flask, client: FlaskClient, token_for: Callable[..., str], login: Callable[..., FlaskClient]
) -> None:
    admin = login("admin")
    page = admin.get("/admin/review-checklist").get_data(as_text=True)
    added = admin.post(
        "/admin/review-checklist",
        data={
            "csrf_token": csrf_token_from(page),
            "name_zh": "知识产权",
            "name_en": "Intellectual property",
            "patterns": "知识产权\n/intellectual\\s+property/",
            "active": "1",
        },
    )
    assert added.status_code == 302
    bad = admin.post(
        "/admin/review-checklist",
        data={"csrf_token": csrf_token_from(page), "name_zh": "坏", "patterns": "/([/", "active": "1"},
    )
    assert "not a valid regular expression" in admin.get(bad.location).get_data(as_text=True)

    owner = token_for("editor")
    cid = _upload(client, owner, TEXT)
    assert "知识产权" in client.get(f"/api/v1/contracts/{cid}/review-findings", headers=bearer(owner)).get_data(
        as_text=True
    )
    with app.app_context():
        legal = Workflow(name="Legal")
        db.session.add(legal)
        db.session.flush()
        db.session.add(
            RoutingRule(name="缺条款送法务", action="select", workflow=legal, fact="review_findings", fact_min=1)
        )
        db.session.commit()
        route = routing.evaluate(contract(cid))
        assert [flow.name for flow in route.workflows] == ["Legal"]
        check: Any = route.results[0].checks[0]
        assert (check.field, check.ok, check.actual) == ("review_findings", True, "1")
        assert checklist.finding_count(contract(cid)) == 1
    with app.test_request_context():
        # The approver's decision page says what is missing.
        assert decision_notes(contract(cid)) == [
            "Clause checklist: 1 required clauses not found (Intellectual property)."
        ]

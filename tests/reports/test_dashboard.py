"""The dashboard counts only what the viewer may read, and every bar links to the search that
lists exactly the contracts it counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import bearer


def _charts(body: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    return {chart["key"]: {bar["key"]: bar for bar in chart["bars"]} for chart in body["charts"]}


def test_counts_differ_by_what_the_viewer_may_read(
    client: FlaskClient, token_for: Callable[..., str], admin_token: str, archive: dict[str, int]
) -> None:
    everything = _charts(client.get("/api/v1/reports/dashboard", headers=bearer(admin_token)).json)
    clerk_token = token_for("editor", department="销售部")
    limited = _charts(client.get("/api/v1/reports/dashboard", headers=bearer(clerk_token)).json)
    assert {key: bar["count"] for key, bar in everything["type"].items()} == {"purchase": 1, "sales": 1, "lease": 1}
    assert {key: bar["count"] for key, bar in limited["type"].items()} == {"purchase": 1}
    by_name = {bar["label"]: bar["count"] for bar in everything["department"].values()}
    assert by_name == {"销售部": 2, "No department": 1}
    assert [(bar["label"], bar["count"]) for bar in limited["department"].values()] == [("销售部", 1)]
    assert everything["type"]["sales"]["amounts"] == {"CNY": "500000.00"}
    assert everything["expiring"]["30"]["count"] == 1 and everything["expiring"]["90"]["count"] == 1
    assert everything["signed"]["this"]["count"] == 1


def test_each_link_lists_the_contracts_the_bar_counted(
    client: FlaskClient, token_for: Callable[..., str], archive: dict[str, int]
) -> None:
    for token in (token_for("admin"), token_for("editor", department="销售部")):
        body = client.get("/api/v1/reports/dashboard", headers=bearer(token)).json
        checked = 0
        for chart in body["charts"]:
            for bar in chart["bars"]:
                if bar["search"] is None or chart["key"] == "approvals":
                    continue
                found = client.get("/api/v1/search", query_string=bar["search"], headers=bearer(token)).json
                assert found["total"] == bar["count"], (chart["key"], bar)
                assert bar["search_url"].startswith("/search?")
                checked += 1
        assert checked >= 5


def test_the_page_draws_charts_and_tables(
    app: Flask, login: Callable[..., FlaskClient], archive: dict[str, int]
) -> None:
    page = login("admin").get("/dashboard")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "vendor/chartjs/chart.umd.min.js" in text and "js/dashboard.js" in text
    assert "data-chart=" in text and 'href="/search?contract_type=purchase"' in text
    assert "<table" in text  # the numbers also as a table


def test_waiting_approvals_by_age_and_cycle_times(
    app: Flask, client: FlaskClient, admin_token: str, archive: dict[str, int]
) -> None:
    from datetime import timedelta

    from repo_app.auth.models import User
    from repo_app.core import clock
    from repo_app.core.extensions import db
    from repo_app.signing.models import SigningRequest
    from repo_app.workflows.models import Approval

    with app.app_context():
        now = clock.now()
        admin_id = db.session.scalar(db.select(User.id).where(User.role == "admin"))
        for contract, status, submitted, completed in (
            ("purchase", "pending", now - timedelta(days=2), None),
            ("lease", "pending", now - timedelta(days=10), None),
            ("sales", "approved", now - timedelta(hours=30), now - timedelta(hours=6)),  # 24 hours
        ):
            db.session.add(
                Approval(
                    contract_id=archive[contract],
                    status=status,
                    workflow_names="default",
                    submitted_by_id=admin_id,
                    submitted_at=submitted,
                    completed_at=completed,
                )
            )
        db.session.add(
            SigningRequest(
                contract_id=archive["lease"],
                created_by_id=admin_id,
                status="completed",
                created_at=now - timedelta(hours=5),
                completed_at=now - timedelta(hours=2),
            )
        )
        db.session.commit()
    body = client.get("/api/v1/reports/dashboard", headers=bearer(admin_token)).json
    assert body["approvals_waiting"] == 2 and body["oldest_approval_days"] == 10.0
    assert body["approval_cycle_hours"] == 24.0 and body["signing_cycle_hours"] == 3.0
    ages = {bar["label"]: bar["count"] for bar in _charts(body)["approvals"].values()}
    assert ages == {"Under 1 day": 0, "1–3 days": 1, "3–7 days": 0, "Over 7 days": 1}

"""A counted dashboard is shown again while nothing it counts has changed, and counted afresh
after any audited change, after ``dashboard_keep_seconds`` or for another viewer."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import bearer, log_in
from tests.samples import pdf_bytes

DASHBOARD = "/api/v1/reports/dashboard"


def _view(client: FlaskClient, token: str) -> dict[str, Any]:
    response = client.get(DASHBOARD, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return dict(response.json)


def _type_counts(body: dict[str, Any]) -> dict[str, int]:
    chart = next(chart for chart in body["charts"] if chart["key"] == "type")
    return {bar["key"]: bar["count"] for bar in chart["bars"]}


def _retype_unaudited(app: Flask, contract_id: int, code: str) -> None:
    """A change no audit event reports (as only a bug or a hand edit of the database would
    make): a view that counts afresh sees it, a kept one does not."""
    from repo_app.contracts.models import Contract
    from repo_app.core.extensions import db

    with app.app_context():
        db.session.get(Contract, contract_id).contract_type_code = code
        db.session.commit()


def test_a_second_view_is_the_kept_one_until_an_audited_change(
    app: Flask,
    client: FlaskClient,
    admin_token: str,
    archive: dict[str, int],
    make_user: Callable[..., Any],
) -> None:
    viewer = make_user("viewer")
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "sales": 1, "lease": 1}
    _retype_unaudited(app, archive["sales"], "lease")
    assert log_in(app.test_client(), viewer.email).status_code == 302  # audited, but changes nothing counted
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "sales": 1, "lease": 1}  # kept

    uploaded = client.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={
            "file": (io.BytesIO(pdf_bytes("another lease")), "c.pdf"),
            "metadata": json.dumps({"title": "仓库租赁合同", "contract_type": "lease"}, ensure_ascii=False),
        },
    )
    assert uploaded.status_code == 201
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "lease": 3}  # counted afresh


def test_a_payment_is_counted_at_the_next_view(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    contract = archive["purchase"]
    plan = client.put(
        f"/api/v1/contracts/{contract}/money/plan",
        headers=bearer(admin_token),
        json={"direction": "receivable", "instalments": [{"due_date": "2020-01-31", "amount": "1000.00"}]},
    )
    assert plan.status_code == 200, plan.get_data(as_text=True)
    overdue = _aging(_view(client, admin_token))
    assert overdue["90+"] == {"count": 1, "amounts": {"CNY": "1000.00"}}

    instalment = plan.json["instalments"][0]["id"]
    paid = client.post(
        f"/api/v1/contracts/{contract}/money/payments",
        headers=bearer(admin_token),
        json={"instalment_id": instalment, "amount": "400.00", "paid_on": "2020-02-01"},
    )
    assert paid.status_code == 201, paid.get_data(as_text=True)
    assert _aging(_view(client, admin_token))["90+"] == {"count": 1, "amounts": {"CNY": "600.00"}}


def _aging(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    chart = next(chart for chart in body["charts"] if chart["key"] == "aging")
    return {bar["key"]: {"count": bar["count"], "amounts": bar["amounts"]} for bar in chart["bars"]}


def test_a_kept_view_is_counted_again_once_too_old(
    app: Flask, client: FlaskClient, admin_token: str, archive: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import repo_app.reports.kept_dashboard as kept

    _view(client, admin_token)
    _retype_unaudited(app, archive["sales"], "lease")
    assert _type_counts(_view(client, admin_token))["lease"] == 1
    later = kept.time.monotonic() + app.extensions["pactum.settings"].dashboard_keep_seconds + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "lease": 2}


def test_each_viewer_gets_their_own_counts(
    client: FlaskClient, token_for: Callable[..., str], admin_token: str, archive: dict[str, int]
) -> None:
    clerk = token_for("editor", department="销售部")  # made first: no audited change between the views
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "sales": 1, "lease": 1}
    assert _type_counts(_view(client, clerk)) == {"purchase": 1}  # the confidential one is not counted
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "sales": 1, "lease": 1}


def test_with_keeping_off_every_view_counts(
    app: Flask, client: FlaskClient, admin_token: str, archive: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = app.extensions["pactum.settings"]
    monkeypatch.setitem(app.extensions, "pactum.settings", dataclasses.replace(settings, dashboard_keep_seconds=0))
    assert _type_counts(_view(client, admin_token))["lease"] == 1
    _retype_unaudited(app, archive["sales"], "lease")
    assert _type_counts(_view(client, admin_token)) == {"purchase": 1, "lease": 2}

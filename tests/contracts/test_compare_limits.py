"""Comparisons are bounded: a time limit per request, a size limit, and large versions
compared once in the background (202, polled) with the result kept for the next request."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from indexer.compare import segmented_tokens
from repo_app.contracts import comparisons
from repo_app.core.extensions import db
from repo_app.core.results import CachedResult
from tests.conftest import bearer
from tests.contracts.test_versions_and_retention import new_version, upload
from tests.samples import docx_bytes

OLD = "\n\n".join(f"第{n}条 约定事项\n\n甲方应于收到发票后{n}日内支付第{n}期货款。" for n in range(1, 31))
NEW = OLD.replace("后7日内", "后10个工作日内").replace("第30期货款。", "第30期货款及利息。")


def _slow_tokens(pause: float) -> Callable[[str], Sequence[str]]:
    """The real segmenter, slowed down: a comparison that takes longer than its limit."""

    def tokens(text: str) -> Sequence[str]:
        time.sleep(pause)
        return segmented_tokens(text)

    return tokens


@pytest.fixture
def contract(client: FlaskClient, admin_token: str) -> int:
    contract_id = upload(client, admin_token, docx_bytes(OLD), "v1.docx")
    new_version(client, admin_token, contract_id, docx_bytes(NEW), "v2.docx")
    return contract_id


@pytest.fixture
def limits(app: Flask) -> Callable[..., None]:
    """Changes the running app's settings (requests and jobs read them as they go)."""

    def change(**values: Any) -> None:
        app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], **values)

    return change


def _results(app: Flask) -> list[CachedResult]:
    with app.app_context():
        return list(db.session.scalars(select(CachedResult)))


def test_a_comparison_over_the_request_time_limit_is_stopped_and_answered(
    limits: Callable[..., None], client: FlaskClient, admin_token: str, contract: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(request_timeout_seconds=1)
    monkeypatch.setattr(comparisons, "segmented_tokens", _slow_tokens(0.05))  # ~120 paragraphs: 6 s
    started = time.monotonic()
    answer = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token))
    elapsed = time.monotonic() - started
    assert answer.status_code == 503
    assert answer.json["error"]["code"] == "timeout"
    assert "1 seconds" in answer.json["error"]["message"]
    assert elapsed < 4  # stopped near its limit, not run to the end
    page = client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token) | {"Accept": "text/html"})
    assert page.status_code == 503 and "time limit" in page.get_data(as_text=True)


def test_versions_above_the_size_limit_are_refused_with_a_reason(
    limits: Callable[..., None], client: FlaskClient, admin_token: str, contract: int
) -> None:
    limits(compare_max_chars=500)
    answer = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token))
    assert answer.status_code == 413
    assert "above 500 characters are not compared" in answer.json["error"]["message"]


def test_large_versions_are_compared_in_the_background_and_the_result_is_kept(
    limits: Callable[..., None],
    app: Flask,
    client: FlaskClient,
    admin_token: str,
    contract: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits(compare_job_chars=1000)
    url = f"/api/v1/contracts/{contract}/versions/1/compare/2"
    first = client.get(url, headers=bearer(admin_token))
    assert first.status_code == 202
    assert first.json["status"] == "queued"
    status_url = first.json["status_url"]
    assert first.headers["Location"] == status_url == f"{url}/status"
    # The test queue runs the job as soon as the request commits.
    status = client.get(status_url, headers=bearer(admin_token)).json
    assert status["status"] == "done" and status["result_url"] == url
    done = client.get(url, headers=bearer(admin_token))
    assert done.status_code == 200
    assert done.json["summary"]["changed_clauses"] == ["第7条", "第30条"]
    assert [(row.kind, row.status, row.contract_id) for row in _results(app)] == [("comparison", "done", contract)]

    def must_not_run(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("compared again although the result is kept")

    monkeypatch.setattr(comparisons, "compare_texts", must_not_run)
    again = client.get(url, headers=bearer(admin_token))
    assert again.status_code == 200 and again.json == done.json
    page = client.get(f"/contracts/{contract}/compare?a=1&b=2&view=side", headers=bearer(admin_token))
    assert page.status_code == 200 and "10个工作日内" in page.get_data(as_text=True)
    pdf = client.get(f"/contracts/{contract}/compare.pdf?a=1&b=2", headers=bearer(admin_token))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_page_waits_for_a_background_comparison(
    limits: Callable[..., None], client: FlaskClient, admin_token: str, contract: int
) -> None:
    limits(compare_job_chars=1000)
    page = client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token))
    assert page.status_code == 202
    html = page.get_data(as_text=True)
    assert f'data-status-url="/contracts/{contract}/compare/status?a=1&amp;b=2"' in html
    assert "js/result-poll.js" in html and "<script>" not in html
    status = client.get(f"/contracts/{contract}/compare/status?a=1&b=2", headers=bearer(admin_token)).json
    assert status["status"] == "done"
    assert client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token)).status_code == 200


def test_a_background_comparison_over_the_job_time_limit_fails_with_the_reason_and_can_be_retried(
    limits: Callable[..., None],
    app: Flask,
    client: FlaskClient,
    admin_token: str,
    contract: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits(compare_job_chars=1000, job_timeout_seconds=1)
    monkeypatch.setattr(comparisons, "segmented_tokens", _slow_tokens(0.05))
    url = f"/api/v1/contracts/{contract}/versions/1/compare/2"
    assert client.get(url, headers=bearer(admin_token)).status_code == 202
    status = client.get(f"{url}/status", headers=bearer(admin_token)).json
    assert status["status"] == "failed"
    assert "1 seconds" in status["error"] and status["message"].startswith("The comparison failed")
    monkeypatch.setattr(comparisons, "segmented_tokens", segmented_tokens)
    assert client.get(url, headers=bearer(admin_token)).status_code == 202  # asked again: queued again
    assert client.get(url, headers=bearer(admin_token)).status_code == 200
    assert [row.status for row in _results(app)] == ["done"]


def test_purging_a_contract_forgets_its_kept_comparisons(
    limits: Callable[..., None], app: Flask, client: FlaskClient, admin_token: str, contract: int
) -> None:
    limits(compare_job_chars=1000)
    client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token))
    assert len(_results(app)) == 1
    assert client.delete(f"/api/v1/contracts/{contract}", headers=bearer(admin_token)).status_code == 204
    assert client.post(f"/api/v1/contracts/{contract}/purge", headers=bearer(admin_token)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CachedResult)) == 0


def test_building_a_comparison_pdf_stops_at_the_time_limit(app: Flask) -> None:
    from indexer.compare import compare_texts
    from repo_app.contracts.compare_pdf import render_comparison_pdf
    from repo_app.core.deadline import DeadlineExceeded, limited

    comparison = compare_texts(OLD, NEW, segmented_tokens)
    with app.test_request_context(), limited(1):
        assert render_comparison_pdf("付款", 1, 2, comparison).startswith(b"%PDF")  # in time
        time.sleep(1.1)
        with pytest.raises(DeadlineExceeded):
            render_comparison_pdf("付款", 1, 2, comparison)


def test_a_background_comparison_whose_worker_died_is_queued_again(
    limits: Callable[..., None], app: Flask, client: FlaskClient, admin_token: str, contract: int
) -> None:
    from datetime import timedelta

    from repo_app.core import clock

    limits(compare_job_chars=1000, job_timeout_seconds=60)
    url = f"/api/v1/contracts/{contract}/versions/1/compare/2"
    client.get(url, headers=bearer(admin_token))
    with app.app_context():  # as a worker killed while running leaves it
        row = db.session.scalars(select(CachedResult)).one()
        row.status, row.payload, row.started_at = "running", None, clock.now() - timedelta(minutes=2)
        db.session.commit()
    assert client.get(url, headers=bearer(admin_token)).status_code == 202  # still within the limit
    with app.app_context():
        row = db.session.scalars(select(CachedResult)).one()
        row.status, row.started_at = "running", clock.now() - timedelta(minutes=10)
        db.session.commit()
    assert client.get(url, headers=bearer(admin_token)).status_code == 202  # abandoned: queued again
    assert client.get(url, headers=bearer(admin_token)).status_code == 200

"""Anchoring the audit chain with RFC 3161 timestamps from a real (test) timestamp authority:
``pactum audit anchor``, the checks ``pactum audit verify`` adds, and the daily periodic step."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from repo_app.audit.anchors import anchor_daily, anchor_head, verify_anchors
from repo_app.cli import main
from repo_app.core import clock
from repo_app.core.audit.chain import link_hash, verify
from repo_app.core.audit.models import AuditAnchor, AuditEvent, AuditHead
from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.samples import pdf_bytes
from tests.signer.pki import TestPKI, start_test_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPKI]:
    test_pki = start_test_pki(tmp_path_factory.mktemp("anchor-pki"))
    yield test_pki
    test_pki.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], pki: TestPKI) -> dict[str, Any]:
    return {**app_config, "tsa_url": pki.tsa_url, "trust_store_dir": str(pki.root_pem.parent)}


@pytest.fixture
def env(app_config: dict[str, Any]) -> dict[str, str]:
    """The command line's view of the test app (same database, same TSA, same trust store)."""
    return {
        "LANG": "C.UTF-8",
        "PACTUM_DATA_DIR": str(app_config["data_dir"]),
        "PACTUM_DATABASE_URL": app_config["database_url"],
        "PACTUM_STORAGE_URL": app_config["storage_url"],
        "PACTUM_TSA_URL": app_config["tsa_url"],
        "PACTUM_TRUST_STORE_DIR": app_config["trust_store_dir"],
    }


@pytest.fixture
def trail(client: FlaskClient, admin_token: str) -> None:
    for n in range(2):
        client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={"file": (io.BytesIO(pdf_bytes(f"anchor {n}")), f"{n}.pdf")},
        )


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def _head(app: Flask) -> tuple[int, str]:
    with app.app_context():
        head = db.session.get(AuditHead, 1)
        return head.seq, head.hash


def _anchors(app: Flask) -> list[AuditAnchor]:
    with app.app_context():
        anchors = list(db.session.scalars(sa.select(AuditAnchor).order_by(AuditAnchor.id)))
        db.session.expunge_all()
        return anchors


def _rewrite_chain_from(app: Flask, seq: int, actor_email: str) -> None:
    """What an attacker with database access does: change an event and rebuild every hash after it,
    so that the chain on its own still verifies."""
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)))
        prev = db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == seq - 1))
        events[0].actor_email = actor_email
        for event in events:
            event.prev_hash = prev
            event.hash = link_hash(event)
            prev = event.hash
        db.session.get(AuditHead, 1).hash = prev
        db.session.commit()


def test_anchor_without_a_tsa_says_what_to_set(env: dict[str, str], trail: None) -> None:
    result = run({**env, "PACTUM_TSA_URL": ""}, "audit", "anchor")
    assert result.exit_code == 1
    assert "PACTUM_TSA_URL" in result.output and "timestamp authority" in result.output


def test_anchor_stores_the_token_and_audits_it(app: Flask, env: dict[str, str], trail: None) -> None:
    seq, head_hash = _head(app)
    result = run(env, "audit", "anchor")
    assert result.exit_code == 0, result.output
    assert f"Anchored event #{seq}" in result.output
    [anchor] = _anchors(app)
    assert (anchor.seq, anchor.hash) == (seq, head_hash)
    assert anchor.token[:1] == b"\x30" and anchor.scheduled_day is None
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.anchor")).one()
        assert event.seq == seq + 1  # the anchoring itself is the next link
        assert event.details["seq"] == seq and event.details["hash"] == head_hash
        assert event.details["authority"] == "Pactum Test TSA"
    verified = run(env, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "chain intact" in verified.output and "OK: 1 anchor," in verified.output
    assert "Note:" not in verified.output


def test_a_rebuilt_chain_no_longer_matches_its_anchor(app: Flask, env: dict[str, str], trail: None) -> None:
    assert run(env, "audit", "anchor").exit_code == 0
    _rewrite_chain_from(app, 2, "someone@else.example")
    with app.app_context():
        assert verify()[1] is None  # the chain alone cannot tell
        report = verify_anchors()
    assert len(report.problems) == 1 and "no longer contains" in report.problems[0].message
    result = run(env, "audit", "verify")
    assert result.exit_code == 1
    assert "chain intact" in result.output and "BROKEN anchor" in result.output


def test_an_anchor_over_events_cut_off_the_end_is_broken(app: Flask, env: dict[str, str], trail: None) -> None:
    assert run(env, "audit", "anchor").exit_code == 0
    [anchor] = _anchors(app)
    with app.app_context():
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.seq >= anchor.seq))
        db.session.execute(
            sa.update(AuditHead).values(
                seq=anchor.seq - 1,
                hash=db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq - 1)),
            )
        )
        db.session.commit()
        assert verify()[1] is None
        assert "no longer contains" in verify_anchors().problems[0].message


def test_a_forged_or_swapped_token_is_broken(app: Flask, env: dict[str, str], trail: None) -> None:
    assert run(env, "audit", "anchor").exit_code == 0
    assert run(env, "audit", "anchor").exit_code == 0
    first, second = _anchors(app)
    with app.app_context():
        db.session.get(AuditAnchor, first.id).token = second.token  # a real token, over another hash
        forged = bytearray(second.token)
        forged[-10] ^= 0xFF  # inside the TSA's signature
        db.session.get(AuditAnchor, second.id).token = bytes(forged)
        db.session.commit()
        problems = {problem.anchor_id: problem.message for problem in verify_anchors().problems}
    assert "different digest" in problems[first.id]
    assert "does not verify" in problems[second.id]
    assert run(env, "audit", "verify").exit_code == 1


def test_an_untrusted_authority_is_noted_but_not_broken(env: dict[str, str], trail: None) -> None:
    assert run(env, "audit", "anchor").exit_code == 0
    result = run({**env, "PACTUM_TRUST_STORE_DIR": ""}, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "not in the trust store" in result.output and "OK: 1 anchor," in result.output


def test_unreachable_authority_is_an_error(env: dict[str, str], trail: None) -> None:
    result = run({**env, "PACTUM_TSA_URL": "http://127.0.0.1:9/tsa"}, "audit", "anchor")
    assert result.exit_code == 1 and "timestamp" in result.output


def test_daily_step_anchors_once_a_day(app: Flask, trail: None) -> None:
    clock.set_local(app, datetime(2026, 3, 2, 9, 0))
    with app.app_context():
        first = anchor_daily()
        assert first is not None
        assert anchor_daily() is None  # today's anchor exists
    clock.advance(app, timedelta(hours=20))  # the next morning
    with app.app_context():
        second = anchor_daily()
        assert second is not None and second != first
        days = [anchor.scheduled_day.isoformat() for anchor in db.session.scalars(sa.select(AuditAnchor))]
        assert days == ["2026-03-02", "2026-03-03"]
        assert verify_anchors().problems == ()


def test_daily_step_counts_an_anchor_made_by_hand(app: Flask, trail: None) -> None:
    clock.set_local(app, datetime(2026, 3, 2, 9, 0))
    with app.app_context():
        anchor_head()
        assert anchor_daily() is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditAnchor)) == 1


def test_daily_step_is_a_no_op_without_a_tsa_or_events(app: Flask, trail: None) -> None:
    app.extensions["pactum.settings"] = dataclasses.replace(app.extensions["pactum.settings"], tsa_url="")
    with app.app_context():
        assert anchor_daily() is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditAnchor)) == 0


def test_daily_step_waits_for_the_first_event(app: Flask) -> None:
    with app.app_context():
        db.session.execute(sa.delete(AuditEvent))
        db.session.execute(sa.update(AuditHead).values(seq=0, hash="0" * 64))
        db.session.commit()
        assert anchor_daily() is None


def test_the_periodic_tick_runs_the_anchor_step(app: Flask, trail: None) -> None:
    from repo_app.core.jobs.periodic import tick

    with app.app_context():
        results = tick()
    assert isinstance(results["audit_anchor"], int)
    assert len(_anchors(app)) == 1


def test_anchor_refuses_an_empty_trail(tmp_path: Path) -> None:
    """On a freshly migrated database (the new table included) there is nothing to anchor yet."""
    env = {"LANG": "C.UTF-8", "PACTUM_DATA_DIR": str(tmp_path / "fresh")}
    assert run(env, "db", "upgrade").exit_code == 0
    empty = run({**env, "PACTUM_TSA_URL": "http://127.0.0.1:9/tsa"}, "audit", "anchor")
    assert empty.exit_code == 1 and "nothing to anchor" in empty.output


def test_the_verify_page_checks_the_anchors_too(
    app: Flask, env: dict[str, str], trail: None, login: Callable[..., FlaskClient]
) -> None:
    auditor = login("auditor")
    assert 'data-anchors="' not in auditor.get("/audit/verify").get_data(as_text=True)  # none yet
    assert run(env, "audit", "anchor").exit_code == 0
    assert 'data-anchors="intact"' in auditor.get("/audit/verify").get_data(as_text=True)
    _rewrite_chain_from(app, 2, "someone@else.example")
    page = auditor.get("/audit/verify").get_data(as_text=True)
    assert 'data-anchors="broken"' in page

"""Reminders: exactly once per (contract, rule, occurrence), at the reminder hour, catching up
after downtime, and no duplicates when two workers race (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app import create_app
from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.lifecycle import reminders, services, states
from repo_app.lifecycle.models import ContractTerms
from repo_app.notifications.models import Notification, SentReminder
from tests.lifecycle.conftest import contract, make_contract, user


@pytest.fixture
def people(ctx: Flask, make_user: Callable[..., Any]) -> None:
    make_user("editor", email="owner@example.com", department="采购部")
    make_user("viewer", email="watcher@example.com", department="采购部")
    make_user("manager", email="boss@example.com", department="采购部")
    make_user("viewer", email="stranger@example.com", department="别的部门")


def sent() -> list[tuple[str, str, str, str]]:
    rows = db.session.execute(
        sa.select(SentReminder.rule, SentReminder.occurrence, SentReminder.due_on, SentReminder.status).order_by(
            SentReminder.id
        )
    ).all()
    return [(rule, occurrence, due.isoformat(), status) for rule, occurrence, due, status in rows]


def notes(kind: str = "reminder.expiry") -> list[tuple[int, dict[str, Any]]]:
    rows = db.session.execute(
        sa.select(Notification.user_id, Notification.params).where(Notification.kind == kind).order_by(Notification.id)
    ).all()
    return [(user_id, params) for user_id, params in rows]


def test_expiry_reminders_go_out_once_at_the_reminder_hour(app: Flask, people: None, at: Callable[..., None]) -> None:
    cid = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    services.watch(user("watcher@example.com"), contract(cid))
    db.session.commit()
    at(datetime(2026, 3, 31, 7, 0))  # the first run ever: nothing is due yet
    assert reminders.send_due_reminders() == 0
    at(datetime(2026, 4, 1, 7, 59))  # 90 days before, before 08:00
    assert reminders.send_due_reminders() == 0
    at(datetime(2026, 4, 1, 8, 0))
    assert reminders.send_due_reminders() == 1
    for _again in range(3):  # every minute after: nothing more
        clock.advance(app, timedelta(minutes=1))
        assert reminders.send_due_reminders() == 0
    assert sent() == [("expiry:90", "2026-06-30", "2026-04-01", "sent")]
    recipients = {user_id for user_id, _params in notes()}
    assert recipients == {user("owner@example.com").id, user("watcher@example.com").id}
    assert notes()[0][1]["days"] == 90 and notes()[0][1]["date"] == "2026-06-30"
    at(datetime(2026, 5, 31, 9, 0))
    assert reminders.send_due_reminders() == 1
    at(datetime(2026, 6, 23, 9, 0))
    assert reminders.send_due_reminders() == 1
    assert [row[0] for row in sent()] == ["expiry:90", "expiry:30", "expiry:7"]


def test_catch_up_after_downtime(people: None, at: Callable[..., None]) -> None:
    """Down from 20 May to 25 June: the 30-day and 7-day reminders both fell due meanwhile;
    the run after the restart sends the latest and records the older as superseded."""
    one = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    two = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 7, 20))
    at(datetime(2026, 5, 20, 9, 0))
    reminders.send_due_reminders()
    assert sent() == []
    at(datetime(2026, 6, 25, 10, 30))
    assert reminders.send_due_reminders() == 2
    rows = db.session.execute(
        sa.select(SentReminder.contract_id, SentReminder.rule, SentReminder.status).order_by(
            SentReminder.contract_id, SentReminder.rule
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        (one, "expiry:30", "superseded"),
        (one, "expiry:7", "sent"),
        (two, "expiry:30", "sent"),
    ]
    assert sorted(params["days"] for _user, params in notes()) == [7, 30]
    at(datetime(2026, 6, 25, 10, 31))
    assert reminders.send_due_reminders() == 0


def test_ledger_survives_a_lost_watermark(people: None, at: Callable[..., None]) -> None:
    """Even if the record of the last run is lost (restored backup), nothing goes out twice."""
    from repo_app.lifecycle.models import SchedulerState

    make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    at(datetime(2026, 5, 31, 9, 0))
    assert reminders.send_due_reminders() == 1
    db.session.execute(sa.delete(SchedulerState))
    db.session.commit()
    assert reminders.send_due_reminders() == 0
    assert len(notes()) == 1


def test_a_changed_expiry_date_makes_new_reminders(people: None, at: Callable[..., None]) -> None:
    cid = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    at(datetime(2026, 5, 31, 9, 0))
    assert reminders.send_due_reminders() == 1
    contract(cid).expiry_date = date(2026, 7, 1)
    db.session.commit()
    at(datetime(2026, 6, 1, 9, 0))
    assert reminders.send_due_reminders() == 1
    assert [row[:2] for row in sent()] == [("expiry:30", "2026-06-30"), ("expiry:30", "2026-07-01")]


def test_reminder_role_and_confidential_contracts(app: Flask, people: None, at: Callable[..., None]) -> None:
    app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], reminder_role="manager")
    make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30), confidential=True)
    at(datetime(2026, 5, 31, 9, 0))
    reminders.send_due_reminders()
    got = sorted((note_user, params["days"]) for note_user, params in notes())
    owner, boss = user("owner@example.com").id, user("boss@example.com").id
    # The department's manager hears of the open contract only; strangers of no contract.
    assert got == sorted([(owner, 30), (owner, 30), (boss, 30)])


def test_notice_deadline_and_milestone_reminders(people: None, at: Callable[..., None]) -> None:
    owner = user("owner@example.com")
    cid = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 12, 31))
    services.set_terms(owner, contract(cid), auto_renew=True, renewal_months=12, notice_days=90)
    db.session.commit()
    services.add_milestone(
        owner,
        contract(cid),
        title="验收",
        kind="acceptance",
        due_date=date(2026, 9, 10),
        owner_email="watcher@example.com",
        remind_days="3,0",
    )
    db.session.commit()
    deadline = services.notice_deadline(contract(cid), db.session.get(ContractTerms, cid))
    assert deadline == date(2026, 10, 2)
    at(datetime(2026, 9, 1, 9, 0))
    assert reminders.send_due_reminders() == 0  # the first run
    at(datetime(2026, 9, 2, 9, 0))  # 30 days before the notice deadline
    assert reminders.send_due_reminders() == 1
    assert notes("reminder.notice")[0][1] == {"date": "2026-10-02", "days": 30, "months": 12, "title": "测试合同"}
    at(datetime(2026, 9, 7, 9, 0))
    assert reminders.send_due_reminders() == 1
    # The milestone's owner is told as well as the contract's owner.
    assert {u for u, _p in notes("reminder.milestone")} == {owner.id, user("watcher@example.com").id}
    at(datetime(2026, 9, 10, 9, 0))
    assert reminders.send_due_reminders() == 1  # on the day
    # Expiry reminders are not sent for a contract that renews by itself …
    at(datetime(2026, 10, 2, 9, 0))
    assert reminders.send_due_reminders() == 1  # notice:1 (notice:7 superseded: it fell due meanwhile)
    assert notes("reminder.expiry") == []
    # … until notice is given: then the expiry reminders come.
    services.give_notice(owner, contract(cid))
    db.session.commit()
    at(datetime(2026, 12, 1, 9, 0))
    assert reminders.send_due_reminders() == 1
    assert notes("reminder.expiry")[0][1]["days"] == 30


@pytest.mark.skipif(
    not __import__("os").environ.get("PACTUM_TEST_DATABASE_URL"),
    reason="needs PostgreSQL: set PACTUM_TEST_DATABASE_URL",
)
def test_two_workers_racing_send_once(
    app: Flask, app_config: dict[str, Any], people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not app_config["database_url"].startswith("postgresql"):
        pytest.skip("the race is run on the PostgreSQL leg")
    cid = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    services.watch(user("watcher@example.com"), contract(cid))
    db.session.commit()
    workers = [create_app(app_config) for _ in range(2)]
    for worker in workers:
        clock.set_local(worker, datetime(2026, 5, 31, 9, 0))
    barrier = threading.Barrier(2, timeout=20)
    original = reminders.claim

    def racing_claim(item: reminders.Occurrence, status: str = "sent") -> bool:
        barrier.wait()  # both workers reach the insert together
        return original(item, status)

    monkeypatch.setattr(reminders, "claim", racing_claim)
    results: list[int] = []
    errors: list[BaseException] = []

    def run(worker: Flask) -> None:
        try:
            with worker.app_context():
                results.append(reminders.send_due_reminders())
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()
    assert not errors, errors
    assert sorted(results) == [0, 1]
    db.session.expire_all()
    assert len(sent()) == 1
    assert sorted(user_id for user_id, _params in notes()) == sorted(
        [user("owner@example.com").id, user("watcher@example.com").id]
    )

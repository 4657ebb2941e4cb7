"""Payment follow-up: reminders before the due date and after it is missed, each exactly once
with the controlled clock, and the overdue list in "My tasks" of finance staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from repo_app.auth.models import User
from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.lifecycle import reminders
from repo_app.money import services
from repo_app.money.models import Instalment
from repo_app.money.reminders import OverduePayments
from repo_app.notifications.models import Notification
from tests.lifecycle.conftest import contract, make_contract, user


def _reminded() -> list[tuple[str, bool, int]]:
    rows = db.session.execute(
        sa.select(Notification.user_id, Notification.params)
        .where(Notification.kind == "reminder.payment")
        .order_by(Notification.id)
    ).all()
    return [(db.session.get(User, uid).email, params["overdue"], params["days"]) for uid, params in rows]


def test_reminders_before_and_after_the_due_date_go_out_once(
    app: Flask, make_user: Callable[..., Any], at: Callable[[datetime], None]
) -> None:
    make_user("editor", department="财务部")
    make_user("finance", department="财务部")
    make_user("finance", department="销售部")  # may not read the contract: not reminded
    make_user("viewer", department="财务部")
    with app.app_context():
        cid = make_contract("editor@example.com", department="财务部", amount="100.00", status="in_force")
        at(datetime(2026, 3, 1, 9, 0))
        instalment = services.save_instalment(
            user("editor@example.com"), contract(cid), None, {"amount": "100", "due_date": "2026-03-20"}
        )
        db.session.commit()
        assert reminders.send_due_reminders() == 0  # the first run looks back one day only
        at(datetime(2026, 3, 13, 8, 0))  # 7 days before
        assert reminders.send_due_reminders() == 1
        clock.advance(app, timedelta(minutes=1))
        assert reminders.send_due_reminders() == 0  # once
        at(datetime(2026, 3, 22, 9, 0))  # the due-day reminder and the first overdue one, caught up
        assert reminders.send_due_reminders() == 2
        assert _reminded() == [
            ("editor@example.com", False, 7),
            ("finance@example.com", False, 7),
            ("editor@example.com", False, 0),
            ("finance@example.com", False, 0),
            ("editor@example.com", True, 1),
            ("finance@example.com", True, 1),
        ]
        finance, viewer = user("finance@example.com"), user("viewer@example.com")
        provider = OverduePayments()
        today = clock.today()
        assert [task.kind for task in provider.tasks(finance, today)] == ["payment_overdue"]
        assert db.session.scalar(sa.select(provider.count_query(finance, today))) == 1
        assert provider.tasks(viewer, today) == []  # only those who record payments follow up
        assert db.session.scalar(sa.select(provider.count_query(viewer, today))) == 0

        services.record_payment(finance, contract(cid), instalment, {"amount": "100", "paid_on": "2026-03-22"})
        db.session.commit()
        assert provider.tasks(finance, today) == []
        at(datetime(2026, 3, 28, 9, 0))  # 7 days overdue — but paid: nothing more
        assert reminders.send_due_reminders() == 0
        assert db.session.scalar(sa.select(Instalment.settled_on)) == date(2026, 3, 22)

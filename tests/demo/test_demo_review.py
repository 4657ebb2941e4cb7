"""`pactum demo` seeds the clause checklist and a yearly review, and checks every demo contract."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from demo.loader import load_demo
from repo_app.contracts.models import Contract
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from repo_app.review.models import ChecklistItem, ReviewInterval, ReviewSchedule
from repo_app.review.periodic import schedule_new


def test_demo_has_a_checklist_and_every_contract_is_checked(app: Flask) -> None:
    with app.app_context():
        load_demo("admin@example.com", "Violet-Kestrel-Quay-8341")
        names = set(db.session.scalars(select(ChecklistItem.name_zh)))
        assert names == {"违约责任", "争议解决", "保密", "不可抗力"}
        assert db.session.scalar(select(func.count()).select_from(ReviewInterval)) >= 1
        checked = db.session.scalars(select(AuditEvent.contract_id).where(AuditEvent.action == "review.checklist"))
        assert set(checked) == set(db.session.scalars(select(Contract.id)))
        schedule_new()
        assert db.session.scalar(select(func.count()).select_from(ReviewSchedule)) >= 1  # in-force ones

"""`pactum demo` gives the demo a finance user and payment plans with payments, so the money
panel is not empty; a second run adds nothing."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from demo.loader import load_demo
from repo_app.auth.models import User
from repo_app.core.extensions import db
from repo_app.money.balances import contract_balance
from repo_app.money.models import Instalment, Payment
from tests.lifecycle.conftest import contract


def test_the_demo_has_a_finance_user_and_payments(app: Flask) -> None:
    with app.app_context():
        report = load_demo("admin@example.com", "Violet-Kestrel-Quay-8341")
        finance = db.session.scalar(select(User).where(User.email == "finance@example.com"))
        assert finance is not None and finance.role == "finance"
        assert report.finance_email == "finance@example.com" and report.finance_password
        assert report.planned == 3
        payments = list(db.session.scalars(select(Payment)))
        assert len(payments) == 3 and {payment.recorded_by_id for payment in payments} == {finance.id}
        balances = [contract_balance(contract(cid)) for cid in {payment.contract_id for payment in payments}]
        assert all(balance.settled > 0 and balance.outstanding > 0 for balance in balances)
        again = load_demo("admin@example.com")
        assert again.planned == 0 and again.finance_password == report.finance_password  # shown again
        assert db.session.scalar(select(func.count()).select_from(Instalment)) == 9
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 3

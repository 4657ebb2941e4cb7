"""The demo's money: a finance user, and payment plans with a few payments on some demo
contracts, so the money panel, the balances and the statement import have something to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from repo_app.auth.models import User
from repo_app.contracts.models import Contract, Department
from repo_app.contracts.sharing import AccessSpec, GrantSpec, set_access
from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.lifecycle import states
from repo_app.money import services
from repo_app.money.models import Direction, Instalment

#: The demo finance user's department; the planned contracts are shared with it to read.
FINANCE_DEPARTMENT = "财务部"
#: How many in-force demo contracts with an amount get a plan.
PLANNED_CONTRACTS = 3
#: Share of the contract amount, and the due day counted from today (negative: in the past).
PLAN = (("30", -60), ("40", 30), ("30", 120))


def add_payment_plans(admin: User, finance: User, numbers: list[str]) -> int:
    """Plans on the first in-force demo contracts with an amount that have none yet; the first
    instalment of each is paid (the last contract only in part). Returns how many got one."""
    query = (
        select(Contract)
        .where(
            Contract.contract_number.in_(numbers),
            Contract.amount.is_not(None),
            Contract.status.in_(states.ACTIVE),
            Contract.deleted_at.is_(None),
        )
        .order_by(Contract.contract_number)
    )
    planned = 0
    for index, contract in enumerate(db.session.scalars(query).all()[:PLANNED_CONTRACTS]):
        if db.session.scalar(select(Instalment.id).where(Instalment.contract_id == contract.id).limit(1)):
            continue
        _share_with_finance(admin, contract, finance)
        payable = contract.contract_type_code == "purchase"
        services.set_direction(admin, contract, Direction.PAYABLE if payable else Direction.RECEIVABLE)
        today = clock.today()
        rows = [
            services.save_instalment(
                admin, contract, None, {"percent": share, "due_date": (today + timedelta(days=days)).isoformat()}
            )
            for share, days in PLAN
        ]
        first = services.planned_amount(rows[0], contract)
        if first is not None:
            amount = first if index < PLANNED_CONTRACTS - 1 else services.cents(first / 2)
            services.record_payment(
                finance,
                contract,
                rows[0],
                {
                    "amount": str(amount),
                    "paid_on": (today - timedelta(days=55)).isoformat(),
                    "reference": f"DEMO-{contract.contract_number}-1",
                },
            )
        planned += 1
    db.session.commit()
    return planned


def place_in_finance(finance: User) -> None:
    """The finance user works in 财务部 (made when missing)."""
    department = db.session.scalar(select(Department).where(Department.name == FINANCE_DEPARTMENT))
    if department is None:
        department = Department(name=FINANCE_DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    if finance.department_id is None:
        finance.department_id = department.id
    db.session.commit()


def _share_with_finance(admin: User, contract: Contract, finance: User) -> None:
    """Finance staff read the contracts of their department; 财务部 is given read on this one."""
    if finance.department_id is None:
        return
    grants = [GrantSpec(grant.grantee_type, grant.grantee_id, grant.level) for grant in contract.grants]
    grants = [
        grant for grant in grants if (grant.grantee_type, grant.grantee_id) != ("department", finance.department_id)
    ]
    grants.append(GrantSpec("department", finance.department_id, "read"))
    set_access(admin, contract, AccessSpec(contract.confidential, contract.department_level, grants))

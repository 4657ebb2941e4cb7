"""Date-driven status moves, run by the periodic job every minute.

Idempotent: a contract is touched only when its dates say its status should differ, so running
twice (or on two workers) changes nothing the second time. A run after downtime catches up,
since the target is computed from the dates, not from "what happened today". Every move is
audited with no actor and ``{"by": "schedule"}``.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import and_, or_, select

from ..contracts.models import Contract
from ..contracts.status import ContractStatus
from ..core import clock, uow
from ..core.audit import record
from ..core.extensions import db, settings
from ..notifications.links import path_for
from ..notifications.services import notify
from . import services, states
from .models import ContractTerms
from .states import Trigger

log = logging.getLogger(__name__)


def target_status(contract: Contract, today: date, soon_days: int) -> ContractStatus:
    """Where a contract in force (or around it) belongs on ``today`` by its expiry date."""
    if contract.expiry_date is None:
        return ContractStatus.IN_FORCE
    if contract.expiry_date < today:
        return ContractStatus.EXPIRED
    if contract.expiry_date - timedelta(days=soon_days) <= today:
        return ContractStatus.EXPIRING_SOON
    return ContractStatus.IN_FORCE


def _candidates(today: date, soon: date) -> list[int]:
    """Ids of contracts whose dates call for a move (an index-friendly query)."""
    starts = Contract.effective_date.is_(None) | (Contract.effective_date <= today)
    query = (
        select(Contract.id)
        .where(
            Contract.deleted_at.is_(None),
            or_(
                and_(
                    Contract.status == ContractStatus.SIGNING,
                    Contract.signed_date.is_not(None),
                    Contract.signed_date <= today,
                    starts,
                ),
                and_(Contract.status == ContractStatus.IN_FORCE, Contract.expiry_date <= soon),
                and_(
                    Contract.status == ContractStatus.EXPIRING_SOON,
                    or_(Contract.expiry_date.is_(None), Contract.expiry_date < today, Contract.expiry_date > soon),
                ),
                and_(Contract.status == ContractStatus.EXPIRED, Contract.expiry_date >= today),
            ),
        )
        .order_by(Contract.id)
    )
    return list(db.session.scalars(query))


def apply_dates() -> int:
    """Make every contract's status agree with its dates; returns how many moved."""
    today = clock.today()
    soon_days = settings().expiring_soon_days
    moved = 0
    with uow.batch():  # one search refresh per few hundred moved contracts, not one per contract
        for contract_id in _candidates(today, today + timedelta(days=soon_days)):
            try:
                moved += _apply_one(contract_id, today, soon_days)
            except Exception:  # noqa: BLE001 - one bad contract must not stop the others
                uow.rollback()
                log.exception("date-driven status move of contract %s failed", contract_id)
    return moved


def _apply_one(contract_id: int, today: date, soon_days: int) -> int:
    # Lock the row on PostgreSQL, so two workers do not move the same contract at once.
    contract = db.session.scalar(
        select(Contract)
        .where(Contract.id == contract_id)
        .with_for_update(of=Contract)
        .execution_options(populate_existing=True)
    )
    if contract is None:
        return 0
    moves = 0
    if contract.status == ContractStatus.SIGNING:
        services.transition(None, contract, ContractStatus.IN_FORCE, via=Trigger.SCHEDULE)
        moves += 1
    if contract.status in states.DATED:
        renewed = _auto_renew(contract, today)
        target = target_status(contract, today, soon_days)
        if target != contract.status:
            services.transition(None, contract, target, via=Trigger.SCHEDULE)
            moves += 1
        if renewed and not moves:
            moves = 1  # the expiry date changed, the status did not
    if moves:
        uow.commit()  # each contract is a unit of work of its own (its row was locked)
    else:
        uow.rollback()
    return moves


def _auto_renew(contract: Contract, today: date) -> bool:
    """Past expiry with automatic renewal and no notice: extend by whole periods."""
    terms = db.session.get(ContractTerms, contract.id)
    if (
        terms is None
        or not terms.auto_renew
        or terms.notice_given_on is not None
        or not terms.renewal_months
        or contract.expiry_date is None
        or contract.expiry_date >= today
    ):
        return False
    old_expiry = contract.expiry_date
    new_expiry, periods = old_expiry, 0
    while new_expiry < today:
        new_expiry = services.add_months(new_expiry, terms.renewal_months)
        periods += 1
    contract.expiry_date = new_expiry
    terms.renewals += periods
    record(
        "contract.auto_renew",
        actor=None,
        contract_id=contract.id,
        by="schedule",
        old_expiry=old_expiry.isoformat(),
        new_expiry=new_expiry.isoformat(),
        periods=periods,
        renewal_months=terms.renewal_months,
    )
    notify(
        "contract.auto_renewed",
        services.interested(contract),
        contract=contract,
        url=path_for("contracts.detail", contract_id=contract.id),
        params={"expiry_date": new_expiry.isoformat(), "old_expiry": old_expiry.isoformat()},
    )
    return True

"""Date-driven moves (idempotent, audited as the schedule, catching up), automatic renewal,
renewal contracts, termination, notice and milestones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app.core.audit.models import AuditEvent
from repo_app.core.errors import Conflict, Forbidden, ValidationFailed
from repo_app.core.extensions import db
from repo_app.lifecycle import schedule, services, states
from repo_app.lifecycle.models import ContractTerms
from tests.lifecycle.conftest import contract, make_contract, user


@pytest.fixture
def people(ctx: Flask, make_user: Callable[..., Any]) -> None:
    make_user("manager", email="owner@example.com", department="销售部")
    make_user("viewer", email="reader@example.com", department="销售部")


def schedule_events(cid: int) -> list[tuple[str, str]]:
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.contract_id == cid, AuditEvent.action == "contract.status")
        .order_by(AuditEvent.seq)
    ).all()
    assert all(event.actor_id is None and event.details["by"] == "schedule" for event in events)
    return [(event.details["old"], event.details["new"]) for event in events]


def test_signed_contract_comes_into_force_expires_soon_and_expires(people: None, at: Callable[..., None]) -> None:
    cid = make_contract(
        "owner@example.com",
        status=states.SIGNING,
        signed=date(2026, 1, 5),
        effective=date(2026, 2, 1),
        expiry=date(2026, 6, 30),
    )
    at(datetime(2026, 1, 31, 23, 59))
    assert schedule.apply_dates() == 0
    at(datetime(2026, 2, 1, 0, 1))
    assert schedule.apply_dates() == 1 and contract(cid).status == states.IN_FORCE
    assert schedule.apply_dates() == 0  # idempotent
    at(datetime(2026, 5, 31, 12, 0))  # 30 days before 30 June
    assert schedule.apply_dates() == 1 and contract(cid).status == states.EXPIRING_SOON
    at(datetime(2026, 6, 30, 23, 0))  # the expiry date is the last day in force
    assert schedule.apply_dates() == 0
    at(datetime(2026, 7, 1, 0, 0))
    assert schedule.apply_dates() == 1 and contract(cid).status == states.EXPIRED
    assert schedule_events(cid) == [
        ("signing", "in_force"),
        ("in_force", "expiring_soon"),
        ("expiring_soon", "expired"),
    ]


def test_a_missed_run_catches_up(people: None, at: Callable[..., None]) -> None:
    """Down for months: the contract goes straight to where its dates say."""
    cid = make_contract(
        "owner@example.com",
        status=states.SIGNING,
        signed=date(2026, 1, 5),
        effective=date(2026, 1, 6),
        expiry=date(2026, 3, 31),
    )
    at(datetime(2026, 9, 1, 9, 0))
    schedule.apply_dates()
    assert contract(cid).status == states.EXPIRED
    assert schedule_events(cid) == [("signing", "in_force"), ("in_force", "expired")]


def test_expiring_soon_days_is_configurable(app: Flask, people: None, at: Callable[..., None]) -> None:
    from dataclasses import replace

    app.extensions["pactum.settings"] = replace(app.extensions["pactum.settings"], expiring_soon_days=60)
    cid = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 6, 30))
    at(datetime(2026, 5, 1, 9, 0))
    schedule.apply_dates()
    assert contract(cid).status == states.EXPIRING_SOON
    # The expiry moved later (a metadata edit): back in force.
    contract(cid).expiry_date = date(2027, 6, 30)
    db.session.commit()
    schedule.apply_dates()
    assert contract(cid).status == states.IN_FORCE


def test_automatic_renewal_unless_notice(people: None, at: Callable[..., None]) -> None:
    owner = user("owner@example.com")
    renewing = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 3, 31))
    ending = make_contract("owner@example.com", status=states.IN_FORCE, expiry=date(2026, 3, 31))
    for cid in (renewing, ending):
        services.set_terms(owner, contract(cid), auto_renew=True, renewal_months=12, notice_days=60)
        db.session.commit()
    assert services.notice_deadline(contract(renewing), db.session.get(ContractTerms, renewing)) == date(2026, 1, 30)
    at(datetime(2026, 1, 20, 10, 0))
    services.give_notice(owner, contract(ending), "不再续约")
    db.session.commit()
    with pytest.raises(Conflict):
        services.give_notice(owner, contract(ending))
    db.session.rollback()
    at(datetime(2026, 4, 1, 0, 5))
    schedule.apply_dates()
    assert contract(renewing).expiry_date == date(2027, 3, 31) and contract(renewing).status == states.IN_FORCE
    assert db.session.get(ContractTerms, renewing).renewals == 1
    assert contract(ending).status == states.EXPIRED
    renewal = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "contract.auto_renew")).one()
    assert renewal.details["old_expiry"] == "2026-03-31" and renewal.details["new_expiry"] == "2027-03-31"
    assert renewal.actor_id is None and renewal.details["by"] == "schedule"
    # Years of downtime: whole periods are added until the contract runs again.
    at(datetime(2029, 5, 1, 0, 5))
    schedule.apply_dates()
    assert contract(renewing).expiry_date == date(2030, 3, 31)
    assert db.session.get(ContractTerms, renewing).renewals == 4


def test_terms_validation(people: None) -> None:
    owner = user("owner@example.com")
    cid = make_contract("owner@example.com", status=states.IN_FORCE)
    with pytest.raises(ValidationFailed):
        services.set_terms(owner, contract(cid), auto_renew=True, renewal_months=12, notice_days=30)  # no expiry
    with pytest.raises(Forbidden):
        services.set_terms(
            user("reader@example.com"), contract(cid), auto_renew=False, renewal_months=None, notice_days=None
        )


def test_renewal_contract_and_the_old_one_becoming_renewed(people: None, at: Callable[..., None]) -> None:
    owner = user("owner@example.com")
    old = make_contract(
        "owner@example.com",
        title="物业服务合同",
        status=states.EXPIRING_SOON,
        amount="120000",
        effective=date(2025, 7, 1),
        expiry=date(2026, 6, 30),
        counterparties=("上海物业公司",),
        tags=("物业",),
    )
    with pytest.raises(Forbidden):
        services.renew(user("reader@example.com"), contract(old))
    db.session.rollback()
    new = services.renew(owner, contract(old))
    db.session.commit()
    assert new.status == states.DRAFT and new.parent_id == old and new.relation == "renewal"
    assert new.effective_date == date(2026, 7, 1) and new.expiry_date == date(2027, 6, 30)
    assert new.counterparty_names == ["上海物业公司"] and [tag.name for tag in new.tags] == ["物业"]
    assert new.amount == contract(old).amount and new.versions == []
    assert contract(old).status == states.EXPIRING_SOON  # still in force until the renewal takes effect
    services.transition(owner, contract(new.id), states.IN_FORCE, "已签署")
    db.session.commit()
    assert contract(old).status == states.RENEWED
    with pytest.raises(Conflict):
        services.renew(owner, contract(old))


def test_termination(people: None, make_user: Callable[..., Any]) -> None:
    owner = user("owner@example.com")
    cid = make_contract("owner@example.com", status=states.IN_FORCE)
    agreement = make_contract("owner@example.com", title="终止协议")
    with pytest.raises(ValidationFailed):
        services.terminate(owner, contract(cid), on=date(2026, 5, 1), reason=" ")
    with pytest.raises(Forbidden):
        services.terminate(user("reader@example.com"), contract(cid), on=date(2026, 5, 1), reason="x")
    db.session.rollback()
    services.terminate(owner, contract(cid), on=date(2026, 5, 1), reason="双方协商一致", agreement_id=agreement)
    db.session.commit()
    terms = db.session.get(ContractTerms, cid)
    assert contract(cid).status == states.TERMINATED
    assert (terms.terminated_on, terms.termination_reason, terms.termination_agreement_id) == (
        date(2026, 5, 1),
        "双方协商一致",
        agreement,
    )
    assert contract(agreement).parent_id == cid and contract(agreement).relation == "termination"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "contract.terminate")).one()
    assert event.details["reason"] == "双方协商一致"
    with pytest.raises(Conflict):
        services.terminate(owner, contract(cid), on=date(2026, 5, 2), reason="again")


def test_milestones_and_watchers(people: None) -> None:
    owner = user("owner@example.com")
    cid = make_contract("owner@example.com", status=states.IN_FORCE)
    milestone = services.add_milestone(
        owner,
        contract(cid),
        title="首付款",
        kind="payment",
        due_date=date(2026, 4, 1),
        owner_email="reader@example.com",
        remind_days="7,1,0",
    )
    db.session.commit()
    assert milestone.offsets == [7, 1, 0] and milestone.owner.email == "reader@example.com"
    for bad in ({"kind": "party"}, {"remind_days": "seven"}, {"owner_email": "ghost@example.com"}):
        values: dict[str, Any] = {"title": "x", "kind": "other", "due_date": date(2026, 4, 1), **bad}
        with pytest.raises(ValidationFailed):
            services.add_milestone(owner, contract(cid), **values)
    # The milestone's owner may tick it off even without edit rights.
    services.complete_milestone(user("reader@example.com"), contract(cid), milestone)
    db.session.commit()
    assert services.milestones(contract(cid))[0].done_at is not None
    services.watch(user("reader@example.com"), contract(cid))
    db.session.commit()
    assert services.is_watching(user("reader@example.com"), contract(cid))
    assert {person.email for person in services.interested(contract(cid))} == {
        "owner@example.com",
        "reader@example.com",
    }
    services.watch(user("reader@example.com"), contract(cid), False)
    db.session.commit()
    assert not services.is_watching(user("reader@example.com"), contract(cid))

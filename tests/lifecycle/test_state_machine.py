"""The transition table: every allowed and every forbidden move, who may make each, the audit
event and the search refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from repo_app.contracts.models import ContractGrant
from repo_app.core.audit.models import AuditEvent
from repo_app.core.errors import Conflict, Forbidden
from repo_app.core.extensions import db
from repo_app.lifecycle import services, states
from tests.lifecycle.conftest import contract, make_contract, user

PAIRS = [(source, target) for source in states.STATUSES for target in states.STATUSES if source != target]
ROLES = ["admin", "manager", "editor", "signer", "viewer", "auditor"]


def test_the_table_is_consistent() -> None:
    for row in states.TRANSITIONS:
        assert row.source in states.STATUSES and row.target in states.STATUSES
        assert row.trigger in (states.MANUAL, states.ACTION, states.SYSTEM, states.SCHEDULE)
        if row.trigger in (states.MANUAL, states.ACTION):
            assert row.level and row.roles, row
    # Ends lead nowhere but to the archive.
    for row in states.TRANSITIONS:
        if row.source in states.FINAL:
            assert row.target == states.ARCHIVED
    assert not [row for row in states.TRANSITIONS if row.source == states.ARCHIVED]


def test_every_pair_of_statuses(ctx: Flask, make_user: Callable[..., Any]) -> None:
    make_user("admin")
    admin = user("admin@example.com")
    cid = make_contract("admin@example.com")
    for via in (states.MANUAL, states.SYSTEM, states.SCHEDULE):
        _try_every_pair(admin, cid, via)


def _try_every_pair(admin: Any, cid: int, via: str) -> None:
    moved = refused = 0
    for source, target in PAIRS:
        item = contract(cid)
        item.status = source
        db.session.commit()
        actor = admin if via == states.MANUAL else None
        if states.find(source, target, via) is None:
            with pytest.raises(Conflict):
                services.transition(actor, item, target, "test", via=via)
            db.session.rollback()
            refused += 1
            continue
        services.transition(actor, item, target, "test", via=via)
        db.session.commit()
        assert contract(cid).status == target
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "contract.status").order_by(AuditEvent.seq.desc())
        ).first()
        assert event.details["old"] == source and event.details["new"] == target and event.details["by"] == via
        assert event.actor_id == (admin.id if actor else None)
        moved += 1
    assert moved == len([row for row in states.TRANSITIONS if row.trigger == via])
    assert moved + refused == len(PAIRS)


def test_who_may_make_each_manual_move(ctx: Flask, make_user: Callable[..., Any]) -> None:
    """With a manage grant on the contract, the role alone decides."""
    make_user("admin")
    for role in ROLES:
        make_user(role, email=f"m-{role}@example.com")
    cid = make_contract("admin@example.com")
    item = contract(cid)
    for role in ROLES:
        item.grants.append(
            ContractGrant(grantee_type="user", grantee_id=user(f"m-{role}@example.com").id, level="manage")
        )
    db.session.commit()
    for row in [row for row in states.TRANSITIONS if row.trigger == states.MANUAL]:
        for role in ROLES:
            item = contract(cid)
            item.status = row.source
            db.session.commit()
            actor = user(f"m-{role}@example.com")
            if role in row.roles:
                services.transition(actor, item, row.target, via=states.MANUAL)
                db.session.commit()
                assert contract(cid).status == row.target, (row, role)
            else:
                with pytest.raises(Forbidden):
                    services.transition(actor, item, row.target, via=states.MANUAL)
                db.session.rollback()


def test_the_access_level_matters_too(ctx: Flask, make_user: Callable[..., Any]) -> None:
    """A colleague who may only read the contract cannot reopen it, even as an editor."""
    make_user("editor", email="owner@example.com", department="法务部")
    make_user("editor", email="colleague@example.com", department="法务部")
    cid = make_contract("owner@example.com", status=states.APPROVED)
    with pytest.raises(Forbidden):
        services.transition(user("colleague@example.com"), contract(cid), states.DRAFT)
    db.session.rollback()
    services.transition(user("owner@example.com"), contract(cid), states.DRAFT, "needs a clause")
    db.session.commit()
    assert contract(cid).status == states.DRAFT


def test_manual_moves_offered(ctx: Flask, make_user: Callable[..., Any]) -> None:
    make_user("editor", email="owner@example.com")
    make_user("viewer", email="reader@example.com")
    cid = make_contract("owner@example.com", status=states.APPROVED)
    item = contract(cid)
    assert {row.target for row in services.manual_moves(user("owner@example.com"), item)} == {
        states.DRAFT,
        states.SIGNING,
    }
    assert services.manual_moves(user("reader@example.com"), item) == []


def test_transition_refreshes_search_and_notifies_watchers(
    ctx: Flask, make_user: Callable[..., Any], search_refreshes: list[list[int]]
) -> None:
    from repo_app.notifications.models import Notification

    make_user("manager", email="owner@example.com")
    make_user("viewer", email="watcher@example.com")
    cid = make_contract("owner@example.com", status=states.APPROVED, confidential=False)
    item = contract(cid)
    item.grants.append(ContractGrant(grantee_type="user", grantee_id=user("watcher@example.com").id, level="read"))
    db.session.commit()
    services.watch(user("watcher@example.com"), contract(cid))
    db.session.commit()
    services.transition(user("owner@example.com"), contract(cid), states.SIGNING)
    db.session.commit()
    assert [cid] in search_refreshes
    notes = db.session.scalars(sa.select(Notification).where(Notification.kind == "contract.status")).all()
    # The watcher is told; the owner made the change and is not told about it.
    assert [note.user_id for note in notes] == [user("watcher@example.com").id]
    assert notes[0].params["new"] == states.SIGNING


def test_trash_and_unknown_status(ctx: Flask, make_user: Callable[..., Any]) -> None:
    from repo_app.core.clock import utcnow
    from repo_app.core.errors import ValidationFailed

    make_user("admin")
    cid = make_contract("admin@example.com")
    with pytest.raises(ValidationFailed):
        services.transition(user("admin@example.com"), contract(cid), "frozen")
    item = contract(cid)
    item.deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict):
        services.transition(user("admin@example.com"), contract(cid), states.ARCHIVED)

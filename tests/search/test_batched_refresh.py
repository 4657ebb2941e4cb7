"""A bulk change refreshes the index in jobs of many contracts, not one job per contract."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from indexer.search import SearchFilters, SearchQuery
from repo_app.core import clock, uow
from repo_app.core.extensions import db
from repo_app.lifecycle import schedule
from repo_app.search import events
from repo_app.search.indexing import backend
from tests.lifecycle.conftest import make_contract

BATCH = 4


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def refresh_jobs(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The refresh jobs queued (and still run: the test queue runs them at once)."""
    monkeypatch.setattr(events, "REFRESH_BATCH", BATCH)
    jobs: list[list[int]] = []
    queue = events._enqueue

    def record(name: str, *args: Any) -> None:
        if name == events.REFRESH_CONTRACTS:
            jobs.append(list(args[0]))
        queue(name, *args)

    monkeypatch.setattr(events, "_enqueue", record)
    return jobs


def expired_in_index() -> set[int]:
    query = SearchQuery("", ("role:admin",), filters=SearchFilters(status=("expired",)), per_page=100)
    return {hit.id for hit in backend().search(query).hits}


@pytest.mark.parametrize("count", [1, BATCH, 2 * BATCH + 3])
def test_a_schedule_pass_queues_one_refresh_per_batch(
    ctx: Flask, make_user: Callable[..., Any], refresh_jobs: list[list[int]], count: int
) -> None:
    make_user("manager", email="owner@example.com", department="销售部")
    ids = [make_contract("owner@example.com", status="in_force", expiry=date(2026, 6, 30)) for _ in range(count)]
    assert refresh_jobs == [] and expired_in_index() == set()  # made without signals: not indexed yet
    clock.set_local(ctx, datetime(2026, 7, 2, 9, 0))

    assert schedule.apply_dates() == count

    assert len(refresh_jobs) == -(-count // BATCH)
    assert all(len(job) <= BATCH for job in refresh_jobs)
    assert sorted(cid for job in refresh_jobs for cid in job) == sorted(ids)  # each once
    assert expired_in_index() == set(ids)


def test_one_big_change_is_split_into_batches(ctx: Flask, refresh_jobs: list[list[int]]) -> None:
    events.refresh_after_commit(range(1, 11))
    events.refresh_after_commit([3, 4, 11])  # the same unit of work again: deduplicated
    db.session.commit()
    assert refresh_jobs == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11]]


def test_nothing_is_queued_for_a_change_rolled_back_inside_a_batch(ctx: Flask, refresh_jobs: list[list[int]]) -> None:
    def change(ids: list[int]) -> None:
        db.session.execute(sa.text("SELECT 1"))  # a unit of work that did something
        events.refresh_after_commit(ids)

    with uow.batch():
        change([1, 2])
        db.session.commit()
        change([3])
        db.session.rollback()
        change([2, 5])
        db.session.commit()
        assert refresh_jobs == []  # held until the batch ends (fewer than a batch)
    assert refresh_jobs == [[1, 2, 5]]


def test_an_escalation_pass_makes_the_new_approvers_find_the_contracts_in_batches(
    ctx: Flask, make_user: Callable[..., Any], refresh_jobs: list[list[int]]
) -> None:
    """An escalation grants read access to an approver who had none (the deputy has no
    department): search must show them the contracts, and a pass over many approvals refreshes
    the index in jobs of a batch, not one per contract."""
    from repo_app.auth.models import User
    from repo_app.contracts.access import user_principals
    from repo_app.contracts.models import Contract
    from repo_app.workflows import services as workflows
    from tests.lifecycle.helpers import organisation

    organisation(make_user)

    def person(email: str) -> User:
        return db.session.scalars(sa.select(User).where(User.email == email)).one()

    count = BATCH + 2
    clock.set_local(ctx, datetime(2026, 3, 2, 9, 0))
    ids = [make_contract("owner@example.com") for _ in range(count)]
    for cid in ids:
        item = workflows.submit(person("owner@example.com"), db.session.get_one(Contract, cid))
        db.session.commit()
        workflows.decide(person("regional@example.com"), item, "approve", None)  # Legal (48 h) is next
        db.session.commit()

    def deputy_finds() -> set[int]:
        query = SearchQuery("", user_principals(person("deputy@example.com")), per_page=100)
        return {hit.id for hit in backend().search(query).hits}

    assert deputy_finds() == set()
    refresh_jobs.clear()
    clock.set_local(ctx, datetime(2026, 3, 4, 9, 1))

    assert workflows.escalate_overdue() == count

    assert len(refresh_jobs) == -(-count // BATCH)
    assert sorted(cid for job in refresh_jobs for cid in job) == sorted(ids)
    assert deputy_finds() == set(ids)

"""Reminders before expiry, before the notice deadline of auto-renewing contracts, and on
milestone dates — each sent exactly once.

Exactly once: before notifying, the job inserts a row into ``sent_reminders`` whose unique
key is (contract, rule, occurrence). Whichever worker's insert wins sends; the other's fails
on the constraint and skips — across restarts and with any number of workers.

Catching up: a reminder for day D is due at ``PACTUM_REMINDER_HOUR`` local time on D. Each run
handles every reminder that fell due since the previous completed run (kept in
``scheduler_state``), not only today's. When several reminders of one kind for one date fell
due in the same run (after long downtime), only the latest goes out; the older ones are
recorded as superseded so they never go out later.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from ..auth.models import User
from ..contracts.models import Contract
from ..core import clock, registry, uow
from ..core.extensions import db, rows_updated, settings
from ..notifications.links import path_for
from ..notifications.models import ReminderStatus, SentReminder
from ..notifications.once import insert_once
from ..notifications.services import notify
from . import states
from .config import parse_offsets
from .models import ContractTerms, Milestone, SchedulerState
from .services import interested

log = logging.getLogger(__name__)

JOB_NAME = "reminders"
#: On the very first run there is no previous run: look back this far.
FIRST_RUN_LOOKBACK = timedelta(days=1)


@dataclass
class Occurrence:
    contract_id: int
    rule: str
    occurrence: str
    due_on: date
    kind: str
    #: Reminders in one chain replace each other (the same date of the same thing).
    chain: tuple[Any, ...]
    params: dict[str, Any] = field(default_factory=dict)
    extra_recipients: list[int] = field(default_factory=list)
    #: False: only ``extra_recipients`` hear of it (an escalation to managers), not the
    #: contract's owner and watchers.
    to_interested: bool = True


#: Reminders of features above lifecycle (payment instalments): each a function giving the
#: occurrences falling due on a day in (after, until]. They share this pass: the ledger that
#: sends each exactly once, the catch-up after downtime, the recipients of the contract.
SOURCES: registry.Key[Callable[[date, date], Iterable[Occurrence]]] = registry.Key("lifecycle.reminder_sources")


def due_window(last_run: datetime | None, now: datetime) -> tuple[date, date]:
    """Occurrence dates D with last_run < (D at the reminder hour) ≤ now, as the range
    (after, until]; both times naive UTC, the hour counted in the organisation's time zone."""
    shift = timedelta(hours=settings().reminder_hour)
    until = (clock.to_local(now) - shift).date()
    if last_run is None:
        return until - FIRST_RUN_LOOKBACK, until
    return (clock.to_local(last_run) - shift).date(), until


def _last_run() -> datetime | None:
    state = db.session.get(SchedulerState, JOB_NAME)
    return state.last_run_at if state is not None else None


def _mark_run(at: datetime) -> None:
    """Move the watermark forward (never back, whatever order workers finish in)."""
    changed = rows_updated(
        update(SchedulerState)
        .where(
            SchedulerState.name == JOB_NAME, (SchedulerState.last_run_at.is_(None)) | (SchedulerState.last_run_at < at)
        )
        .values(last_run_at=at)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        insert_once(SchedulerState, name=JOB_NAME, last_run_at=at)  # the first run ever


def occurrences(after: date, until: date) -> Iterator[Occurrence]:
    """Every reminder falling due on a day in (after, until]."""
    if until <= after:
        return
    yield from _expiry(after, until)
    yield from _notice(after, until)
    yield from _milestones(after, until)
    for source in registry.items(SOURCES):
        yield from source(after, until)


def _expiry(after: date, until: date) -> Iterator[Occurrence]:
    for offset in parse_offsets(settings().reminder_offsets):
        query = (
            select(Contract, ContractTerms)
            .outerjoin(ContractTerms, ContractTerms.contract_id == Contract.id)
            .where(
                Contract.deleted_at.is_(None),
                Contract.status.in_(states.ACTIVE),
                Contract.expiry_date > after + timedelta(days=offset),
                Contract.expiry_date <= until + timedelta(days=offset),
            )
        )
        for contract, terms in db.session.execute(query):
            if terms is not None and terms.auto_renew and terms.notice_given_on is None:
                continue  # it renews by itself; the notice reminders speak for it
            expiry = contract.expiry_date
            yield Occurrence(
                contract.id,
                f"expiry:{offset}",
                expiry.isoformat(),
                expiry - timedelta(days=offset),
                "reminder.expiry",
                ("expiry", contract.id, expiry),
                {"date": expiry.isoformat(), "days": offset},
            )


def _notice(after: date, until: date) -> Iterator[Occurrence]:
    offsets = parse_offsets(settings().notice_reminder_offsets, allow_zero=True)
    if not offsets:
        return
    query = (
        select(Contract, ContractTerms)
        .join(ContractTerms, ContractTerms.contract_id == Contract.id)
        .where(
            Contract.deleted_at.is_(None),
            Contract.status.in_(states.ACTIVE),
            ContractTerms.auto_renew.is_(True),
            ContractTerms.notice_given_on.is_(None),
            Contract.expiry_date.is_not(None),
            Contract.expiry_date > after,
        )
    )
    for contract, terms in db.session.execute(query):
        deadline = contract.expiry_date - timedelta(days=terms.notice_days or 0)
        for offset in offsets:
            due_on = deadline - timedelta(days=offset)
            if after < due_on <= until:
                yield Occurrence(
                    contract.id,
                    f"notice:{offset}",
                    deadline.isoformat(),
                    due_on,
                    "reminder.notice",
                    ("notice", contract.id, deadline),
                    {"date": deadline.isoformat(), "days": offset, "months": terms.renewal_months},
                )


def _milestones(after: date, until: date) -> Iterator[Occurrence]:
    query = (
        select(Milestone, Contract)
        .join(Contract, Contract.id == Milestone.contract_id)
        .where(
            Contract.deleted_at.is_(None),
            Contract.status.not_in(states.FINAL),
            Milestone.done_at.is_(None),
            Milestone.due_date > after,
        )
    )
    for milestone, contract in db.session.execute(query):
        for offset in milestone.offsets:
            due_on = milestone.due_date - timedelta(days=offset)
            if after < due_on <= until:
                yield Occurrence(
                    contract.id,
                    f"milestone:{milestone.id}:{offset}",
                    milestone.due_date.isoformat(),
                    due_on,
                    "reminder.milestone",
                    ("milestone", milestone.id, milestone.due_date),
                    {
                        "date": milestone.due_date.isoformat(),
                        "days": offset,
                        "milestone": milestone.title,
                        "milestone_kind": milestone.kind,
                    },
                    [milestone.owner_id] if milestone.owner_id else [],
                )


def claim(item: Occurrence, status: ReminderStatus = ReminderStatus.SENT) -> bool:
    """Insert the ledger row; False when another run (or worker) has it already."""
    return insert_once(
        SentReminder,
        contract_id=item.contract_id,
        rule=item.rule,
        occurrence=item.occurrence,
        due_on=item.due_on,
        status=status,
        sent_at=clock.now(),
    )


def _send(item: Occurrence) -> None:
    contract = db.session.get(Contract, item.contract_id)
    assert contract is not None
    people = interested(contract) if item.to_interested else []
    people.extend(db.session.scalars(select(User).where(User.id.in_(item.extra_recipients))))
    notify(
        item.kind,
        people,
        contract=contract,
        url=path_for("contracts.detail", contract_id=contract.id),
        params=item.params,
    )


def send_due_reminders() -> int:
    """Send every reminder due since the last run; returns how many went out."""
    now = clock.now()
    after, until = due_window(_last_run(), now)
    chains: dict[tuple[Any, ...], list[Occurrence]] = defaultdict(list)
    for item in occurrences(after, until):
        chains[item.chain].append(item)
    db.session.rollback()  # end the read transaction before the claims
    sent = 0
    for chain in chains.values():
        chain.sort(key=lambda item: (item.due_on, item.rule))
        latest = chain[-1]
        try:
            for older in chain[:-1]:
                claim(older, ReminderStatus.SUPERSEDED)
            if claim(latest):
                _send(latest)
                sent += 1
            uow.commit()  # each contract's reminders are a unit of work of their own
        except Exception:  # noqa: BLE001 - one contract's failure must not block the others
            uow.rollback()
            log.exception("reminder %s of contract %s failed", latest.rule, latest.contract_id)
    _mark_run(now)
    uow.commit()  # the window is done: the next run starts after it
    return sent

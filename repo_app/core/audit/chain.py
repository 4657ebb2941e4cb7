"""The hash chain over audit events: how a link is computed and how the chain is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from ..extensions import db
from .models import GENESIS_HASH, AuditEvent, AuditHead

HEAD_ID = 1


def canonical(value: Any) -> Any:
    """JSON-safe, so that what is hashed is exactly what the database gives back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def link_hash(event: AuditEvent) -> str:
    content = {
        "seq": event.seq,
        "at": _timestamp(event.at),
        "actor_id": event.actor_id,
        "actor_email": event.actor_email,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "action": event.action,
        "contract_id": event.contract_id,
        "version_id": event.version_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def lock() -> None:
    """Take the chain's write lock (the head row) for the rest of the transaction, changing nothing."""
    db.session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq))


def append(event: AuditEvent) -> None:
    """Give ``event`` its place in the chain, inside the caller's transaction."""
    db.session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq + 1))
    head = db.session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)).one()
    event.seq = head.seq
    event.prev_hash = head.hash
    event.details = canonical(event.details or {})
    event.hash = link_hash(event)
    db.session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(hash=event.hash))
    db.session.add(event)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: int | None
    message: str


def _events(batch_size: int = 1000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch_size)
            )
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
        db.session.expunge_all()


def verify() -> tuple[int, ChainProblem | None]:
    """Walk the whole chain; returns how many events are intact and the first broken link."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in _events():
        if event.seq != expected_seq:
            return checked, ChainProblem(
                expected_seq, None, f"event #{expected_seq} is missing (deleted?); the next one is #{event.seq}"
            )
        if event.prev_hash != expected_prev:
            return checked, ChainProblem(
                event.seq,
                event.id,
                f"event #{event.seq} does not follow #{event.seq - 1} (events deleted, inserted or reordered)",
            )
        if link_hash(event) != event.hash:
            return checked, ChainProblem(
                event.seq, event.id, f"event #{event.seq} ({event.action}) was changed after it was written"
            )
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = db.session.get(AuditHead, HEAD_ID)
    if head is not None and (head.seq, head.hash) != (checked, expected_prev):
        return checked, ChainProblem(
            checked + 1,
            None,
            f"the chain ends at #{checked} but {head.seq} events were written (events removed from the end)",
        )
    return checked, None

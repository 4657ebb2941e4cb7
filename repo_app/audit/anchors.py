"""Anchoring the audit chain: an RFC 3161 timestamp of its head, stored, and checked later.

The hash chain shows that events were not changed *relative to each other*; someone able to
rewrite the whole table could rebuild a consistent chain. An anchor is a timestamp authority's
signed statement that the chain's head had a given hash at a given time, so a rebuilt chain no
longer contains the anchored link and ``pactum audit verify`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from signer.errors import SignerError
from signer.timestamp import check_timestamp, request_timestamp
from signer.validate import TrustSettings

from ..core import clock, uow
from ..core.audit import record
from ..core.audit.chain import HEAD_ID
from ..core.audit.models import AuditAnchor, AuditEvent, AuditHead
from ..core.errors import ServiceUnavailable, ValidationFailed
from ..core.extensions import db, settings
from ..notifications.once import insert_once


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


@dataclass(frozen=True)
class AnchorProblem:
    anchor_id: int
    seq: int
    message: str


@dataclass(frozen=True)
class AnchorReport:
    """The result of checking every anchor: how many, the broken ones, and notes that do not
    make an anchor broken (e.g. a timestamp authority that is not in the trust store)."""

    checked: int
    problems: tuple[AnchorProblem, ...]
    notes: tuple[str, ...]


def current_head() -> Head:
    """The chain's newest link, read from the database (not from the session's identity map)."""
    row = db.session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)).one_or_none()
    return Head(0, "") if row is None else Head(row.seq, row.hash)


def _tsa_url() -> str:
    url: str = settings().tsa_url
    if not url:
        raise ServiceUnavailable(
            _(
                "No timestamp authority is configured: set PACTUM_TSA_URL to the address "
                "of an RFC 3161 timestamp authority."
            )
        )
    return url


@dataclass(frozen=True)
class _Token:
    der: bytes
    time: datetime  # naive UTC, like every timestamp column
    authority: str | None


def _timestamp(head: Head, tsa_url: str) -> _Token:
    digest = bytes.fromhex(head.hash)
    try:
        token = request_timestamp(digest, tsa_url)
    except SignerError as error:
        raise ServiceUnavailable(_("The timestamp could not be obtained: %(reason)s", reason=str(error))) from None
    check = check_timestamp(token, digest)
    if not check.ok or check.time is None:
        raise ServiceUnavailable(
            _("The timestamp authority answered with an unusable token: %(reason)s", reason=check.problem or "no time")
        )
    return _Token(token, check.time.astimezone(UTC).replace(tzinfo=None), check.authority)


def anchor_head(*, actor: object = None) -> AuditAnchor:
    """Timestamp the chain's current head, store the token and audit it (committed)."""
    anchor = _anchor(actor, scheduled_day=None)
    assert anchor is not None  # only a daily anchor can lose a race
    return anchor


def _anchor(actor: object, scheduled_day: date | None) -> AuditAnchor | None:
    """With ``scheduled_day`` (the daily job) at most one anchor is stored per day: ``None``
    when another worker stored that day's anchor first."""
    tsa_url = _tsa_url()
    head = current_head()
    if head.seq == 0:
        raise ValidationFailed(_("The audit trail is empty: there is nothing to anchor yet."))
    token = _timestamp(head, tsa_url)
    values = {
        "seq": head.seq,
        "hash": head.hash,
        "token": token.der,
        "tsa_url": tsa_url,
        "timestamped_at": token.time,
        "created_at": clock.now(),
    }
    anchor = _store(values, scheduled_day)
    if anchor is None:
        return None
    record(
        "audit.anchor",
        actor=actor,
        anchor_id=anchor.id,
        seq=head.seq,
        hash=head.hash,
        tsa=tsa_url,
        timestamped_at=f"{token.time:%Y-%m-%dT%H:%M:%S}Z",
        authority=token.authority,
        daily=scheduled_day is not None,
    )
    return anchor


def _store(values: dict[str, object], scheduled_day: date | None) -> AuditAnchor | None:
    if scheduled_day is None:
        anchor = AuditAnchor(**values)
        db.session.add(anchor)
        db.session.flush()
        return anchor
    if not insert_once(AuditAnchor, scheduled_day=scheduled_day, **values):
        db.session.rollback()
        return None
    return db.session.scalars(select(AuditAnchor).where(AuditAnchor.scheduled_day == scheduled_day)).one()


def anchored_on(day: date) -> bool:
    """Whether an anchor was made on ``day`` (the organisation's calendar), daily or by hand."""
    start = clock.local_to_utc(datetime.combine(day, time.min))
    end = clock.local_to_utc(datetime.combine(day + timedelta(days=1), time.min))
    made_that_day = and_(AuditAnchor.created_at >= start, AuditAnchor.created_at < end)
    query = select(AuditAnchor.id).where(or_(AuditAnchor.scheduled_day == day, made_that_day)).limit(1)
    return db.session.scalar(query) is not None


def anchor_daily() -> int | None:
    """The periodic step: today's anchor when a TSA is configured; a no-op otherwise, when
    today's anchor exists already or when the trail is still empty. Returns the new anchor's id."""
    if not settings().tsa_url:
        return None
    today = clock.today()
    if anchored_on(today) or current_head().seq == 0:
        return None
    anchor = _anchor(None, scheduled_day=today)
    uow.commit()  # a periodic step: today's anchor is its own unit of work
    return None if anchor is None else anchor.id


# --- checking ----------------------------------------------------------------------------------


def _trust() -> tuple[TrustSettings | None, tuple[str, ...]]:
    from ..signing.keys import trust_settings

    trust = trust_settings()
    try:
        trust.anchors()
    except SignerError as error:
        return None, (
            _(
                "The trust store cannot be read (%(reason)s); timestamp authorities are not checked against it.",
                reason=str(error),
            ),
        )
    return trust, ()


def check_anchor(anchor: AuditAnchor, trust: TrustSettings | None) -> tuple[AnchorProblem | None, str | None]:
    """One anchor: is its link still in the chain, and does its token prove that link's hash?"""
    event_hash = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq))
    if event_hash != anchor.hash:
        return AnchorProblem(
            anchor.id,
            anchor.seq,
            _(
                "anchor %(id)d timestamps event #%(seq)d with hash %(hash)s…, which the chain no longer contains "
                "(the chain was rewritten)",
                id=anchor.id,
                seq=anchor.seq,
                hash=anchor.hash[:16],
            ),
        ), None
    try:
        digest = bytes.fromhex(anchor.hash)
        check = check_timestamp(anchor.token, digest, trust)
    except (ValueError, SignerError) as error:
        return AnchorProblem(
            anchor.id, anchor.seq, _("anchor %(id)d cannot be read: %(reason)s", id=anchor.id, reason=str(error))
        ), None
    if not check.ok:
        return AnchorProblem(
            anchor.id,
            anchor.seq,
            _(
                "anchor %(id)d over event #%(seq)d is not valid: %(reason)s",
                id=anchor.id,
                seq=anchor.seq,
                reason=check.problem,
            ),
        ), None
    if not check.trusted:
        return None, _(
            "anchor %(id)d: the timestamp authority %(authority)s is not in the trust store (PACTUM_TRUST_STORE_DIR)",
            id=anchor.id,
            authority=check.authority or anchor.tsa_url,
        )
    return None, None


def verify_anchors() -> AnchorReport:
    """Check every stored anchor (oldest first)."""
    trust, notes = _trust()
    problems: list[AnchorProblem] = []
    all_notes = list(notes)
    anchors = list(db.session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)))
    for anchor in anchors:
        problem, note = check_anchor(anchor, trust)
        if problem is not None:
            problems.append(problem)
        if note is not None:
            all_notes.append(note)
    return AnchorReport(checked=len(anchors), problems=tuple(problems), notes=tuple(all_notes))

"""Recording audit events, inside the same transaction as the change they describe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts.access import readable_contract_rows, require
from ..core import clock, results
from ..core.audit import record
from ..core.audit.models import AuditEvent
from ..core.clock import isoformat_utc
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from ..core.fonts import register_pdf_font
from . import sentences
from .readable import readable


@dataclass(frozen=True)
class AuditFilter:
    contract_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def parse_filter(args: Mapping[str, str]) -> AuditFilter:
    """Filters from query parameters: contract_id, actor (e-mail), action (a known code exactly,
    anything else as a prefix such as ``contract.``), from, to."""

    def when(name: str) -> datetime | None:
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed(
                _("%(name)s must be a date or date-time like 2025-03-01T08:00:00Z.", name=name)
            ) from None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed

    contract_raw = (args.get("contract_id") or "").strip()
    if contract_raw and not contract_raw.isdigit():
        raise ValidationFailed(_("contract_id must be a number."))
    until = when("to")
    if until is not None and len((args.get("to") or "").strip()) == 10:
        until += timedelta(days=1)  # a plain date means "up to the end of that day"
    return AuditFilter(
        contract_id=int(contract_raw) if contract_raw else None,
        actor=(args.get("actor") or "").strip().lower() or None,
        action=(args.get("action") or "").strip() or None,
        since=when("from"),
        until=until,
    )


def events_query(user: Any, criteria: AuditFilter) -> Select[tuple[AuditEvent]]:
    """The events ``user`` may see, newest first; events about contracts they may not read are
    left out, so filtering by such a contract finds nothing, as for an id that does not exist."""
    require(user, Permission.AUDIT_READ)
    query = select(AuditEvent).where(readable_contract_rows(user, AuditEvent.contract_id))
    if criteria.contract_id is not None:
        query = query.where(AuditEvent.contract_id == criteria.contract_id)
    if criteria.actor:
        query = query.where(AuditEvent.actor_email == criteria.actor)
    if criteria.action in sentences.ACTIONS:
        query = query.where(AuditEvent.action == criteria.action)
    elif criteria.action:
        query = query.where(AuditEvent.action.startswith(criteria.action))
    if criteria.since:
        query = query.where(AuditEvent.at >= criteria.since)
    if criteria.until:
        query = query.where(AuditEvent.at < criteria.until)
    return query.order_by(AuditEvent.seq.desc())


def event_to_dict(event: AuditEvent, sentence: str | None = None) -> dict[str, Any]:
    """The event as stored (the raw action code, for machines), with its sentence when given."""
    row = {
        "seq": event.seq,
        "at": isoformat_utc(event.at),
        "actor": event.actor_email,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "action": event.action,
        "contract_id": event.contract_id,
        "version_id": event.version_id,
        "details": event.details,
        "hash": event.hash,
    }
    if sentence is not None:
        row["sentence"] = sentence
    return row


def with_sentences(user: Any, events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    """Events as dictionaries with the sentence the reader would see (nothing collapsed)."""
    return [event_to_dict(item.event, item.text) for item in readable(user, events, collapse=False)]


def in_batches(query: Select[tuple[AuditEvent]], size: int = 500) -> Iterator[AuditEvent]:
    """The events of a newest-first query, fetched a batch at a time while a response streams."""
    last_seq: int | None = None
    while True:
        batch = query if last_seq is None else query.where(AuditEvent.seq < last_seq)
        events = list(db.session.scalars(batch.limit(size)))
        yield from events
        if len(events) < size:
            return
        last_seq = events[-1].seq


CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "ip",
    "user_agent",
    "action",
    "contract_id",
    "version_id",
    "details",
    "hash",
    "sentence",
)


def _in_chunks(events: Iterable[AuditEvent], size: int = 500) -> Iterator[list[AuditEvent]]:
    chunk: list[AuditEvent] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_rows(user_id: int, events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as CSV lines (with a BOM so that Excel opens the Chinese correctly): the raw
    codes and details for machines, and the sentence the reader would see last. The reader is
    loaded again: the response streams after the request's commit."""
    user = db.session.get(User, user_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(CSV_COLUMNS)
    for row in (row for chunk in _in_chunks(events) for row in with_sentences(user, chunk)):
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow([row[name] for name in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


#: The PDF holds at most this many events (the newest); the CSV export has no limit.
PDF_MAX_EVENTS = 5000


def describe_filter(criteria: AuditFilter) -> tuple[str, ...]:
    """The filter in words, one line per criterion, for the PDF's header."""
    lines = []
    if criteria.contract_id is not None:
        lines.append(_("Contract: %(id)d", id=criteria.contract_id))
    if criteria.actor:
        lines.append(_("Actor: %(email)s", email=criteria.actor))
    if criteria.action in sentences.ACTIONS:
        lines.append(_("Action: %(action)s", action=sentences.label(criteria.action)))
    elif criteria.action:
        lines.append(_("Action starts with: %(action)s", action=criteria.action))
    if criteria.since:
        lines.append(_("From: %(when)s UTC", when=f"{criteria.since:%Y-%m-%d %H:%M:%S}"))
    if criteria.until:
        lines.append(_("Before: %(when)s UTC", when=f"{criteria.until:%Y-%m-%d %H:%M:%S}"))
    if not lines:
        return (_("Filter: none (every event you may see)."),)
    return (_("Filter:"), *lines)


#: The job that writes an audit-trail PDF.
TRAIL_PDF_JOB = "audit.trail_pdf"
#: Changed whenever the trail PDF's content changes, so PDFs kept from before are not served.
TRAIL_PDF_FORMAT = "1"


def _may_read_trail(user: Any, row: results.CachedResult) -> bool:
    """A trail PDF shows what its requester may see: only they may fetch it, while they may
    still read the trail."""
    return row.owner_id is not None and row.owner_id == getattr(user, "id", None) and user.can(Permission.AUDIT_READ)


TRAIL_PDF_KIND = results.ResultKind(
    name="audit-trail",
    job=TRAIL_PDF_JOB,
    may_read=_may_read_trail,
    working=lambda: _("Writing the audit trail PDF"),
    ready=lambda: _("The audit trail PDF is ready."),
    failed=lambda: _("The audit trail PDF could not be made"),
    filename=lambda row: f"pactum-audit-{row.created_at:%Y%m%d-%H%M%S}.pdf",
)


def trail_bound() -> int:
    """The last event a trail PDF made now shows: the newest one that is not itself an export
    (exporting does not change what an export shows, so asking twice hits the kept PDF)."""
    query = select(func.max(AuditEvent.seq)).where(AuditEvent.action != "audit.export")
    return int(db.session.scalar(query) or 0)


def request_trail_pdf(
    user: Any, criteria: AuditFilter, filters: Mapping[str, str], language: str
) -> results.CachedResult:
    """The filtered trail as a PDF, as kept or the job making it; the export itself is audited
    (and committed) first, like the CSV. Kept by: the user (what they may see), the filter, the
    last event shown, the language and the font."""
    events_query(user, criteria)  # the permission check
    font = register_pdf_font()  # no usable font: say so now, not after queueing
    bound = trail_bound()
    record("audit.export", actor=user, format="pdf", filters=dict(filters))
    inputs = [TRAIL_PDF_FORMAT, str(user.id), repr(criteria), str(bound), language, font]
    key = results.result_key(TRAIL_PDF_KIND.name, inputs)
    return results.request(key, TRAIL_PDF_KIND, (user.id, dict(filters), bound, language), None, owner_id=user.id)


def make_trail_pdf(key: str, user_id: int, filters: dict[str, str], bound: int, language: str) -> None:
    """The job: write the trail PDF of ``user_id`` under ``key``, events up to ``bound``."""

    def make() -> tuple[bytes, str]:
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(_("The user is gone."))
        with force_locale(language):
            return _trail_pdf(user, parse_filter(filters), bound), "application/pdf"

    results.produce(key, make)


def _trail_pdf(user: Any, criteria: AuditFilter, bound: int) -> bytes:
    from .pdf import TrailHeader, render_trail_pdf

    query = events_query(user, criteria).where(AuditEvent.seq <= bound)
    events = list(db.session.scalars(query.limit(PDF_MAX_EVENTS + 1)))
    header = TrailHeader(
        filter_lines=(*describe_filter(criteria), _("Events up to no. %(seq)d.", seq=bound)),
        generated_by=getattr(user, "email", None),
        generated_at=f"{clock.now():%Y-%m-%d %H:%M} UTC",
        shown=min(len(events), PDF_MAX_EVENTS),
        truncated=len(events) > PDF_MAX_EVENTS,
    )
    shown = events[:PDF_MAX_EVENTS]
    return render_trail_pdf(shown, [item.text for item in readable(user, shown, collapse=False)], header)

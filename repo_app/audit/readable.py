"""Audit events made readable for the person looking at them.

The sentence names the actor, the contract by its title (a link when the reader may open
it; a contract the reader may not read is never named), the version, the account acted on,
and the details that matter, in the reader's language. Nothing stored is changed: this is
only how a page of events is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..contracts.access import readable_contract_rows
from ..contracts.models import Contract, ContractVersion
from ..contracts.status import status_label
from ..core.audit import VISIT_WINDOW
from ..core.audit.models import AuditEvent
from ..core.extensions import db
from ..money.labels import LABELS as MONEY_LABELS
from . import sentences

#: Details that are already in the sentence or only useful to machines.
_HIDDEN = frozenset({"contract_id", "version_id", "target_user", "renewal_id", "renewal_of", "sha256", "hash"})
#: Looking at something again right after counts once on the page (earlier records stay as they are).
_COLLAPSIBLE = frozenset({"contract.view", "version.preview", "signature.report"})


@dataclass(frozen=True)
class _Contract:
    title: str
    in_trash: bool


@dataclass
class _Lookups:
    """What a page of events refers to, fetched once: readable contracts, users, versions."""

    contracts: dict[int, _Contract] = field(default_factory=dict)
    existing: set[int] = field(default_factory=set)
    users: dict[int, User] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)


@dataclass
class ReadableEvent:
    event: AuditEvent
    label: str
    sentence: Markup
    facts: list[tuple[str, str]]
    repeats: int = 1
    earliest: datetime | None = None

    @property
    def text(self) -> str:
        return self.sentence.striptags()


def _ids(events: Sequence[AuditEvent], *keys: str) -> set[int]:
    found: set[int] = set()
    for event in events:
        for key in keys:
            value = event.contract_id if key == "contract_id" else (event.details or {}).get(key)
            if isinstance(value, int):
                found.add(value)
    return found


def _lookups(user: Any, events: Sequence[AuditEvent]) -> _Lookups:
    contract_ids = _ids(events, "contract_id", "renewal_id", "renewal_of")
    user_ids = {e.actor_id for e in events if e.actor_id} | _ids(events, "target_user")
    version_ids = {e.version_id for e in events if e.version_id}
    found = _Lookups()
    if contract_ids:
        other = aliased(Contract)  # the visibility subqueries name Contract themselves
        rows = db.session.execute(
            select(other.id, other.title, other.deleted_at).where(
                other.id.in_(contract_ids), readable_contract_rows(user, other.id)
            )
        )
        found.contracts = {row.id: _Contract(row.title, row.deleted_at is not None) for row in rows}
        found.existing = set(db.session.scalars(select(Contract.id).where(Contract.id.in_(contract_ids))))
    if user_ids:
        found.users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    if version_ids:
        rows = db.session.execute(
            select(ContractVersion.id, ContractVersion.number).where(ContractVersion.id.in_(version_ids))
        )
        found.versions = {row.id: row.number for row in rows}
    return found


def _contract(contract_id: int | None, details: Mapping[str, Any], found: _Lookups) -> Markup | str:
    """The contract by its title: a link when readable, its recorded title when deleted for good,
    and nothing that names it when the reader may not read it."""
    if contract_id is None:
        return "—"
    known = found.contracts.get(contract_id)
    if known is not None:
        name = _("“%(title)s”", title=known.title)
        if known.in_trash:
            return _("%(contract)s (in the trash)", contract=name)
        href = url_for("contracts.detail", contract_id=contract_id)
        return Markup('<a href="{}" data-contract-link="{}">{}</a>').format(href, contract_id, name)
    if contract_id in found.existing:
        return _("a contract you may not read")
    title = details.get("title") if isinstance(details.get("title"), str) else None
    if title:
        return _("%(contract)s (deleted)", contract=_("“%(title)s”", title=title))
    return _("contract no. %(id)s (deleted)", id=contract_id)


def _person(user_id: int | None, email: str | None, found: _Lookups) -> Markup | str:
    person = found.users.get(user_id) if user_id else None
    if person is not None:
        return Markup('<span title="{}">{}</span>').format(person.email, person.display_name or person.email)
    return email or _("The system")


def _decision(value: Any) -> str:
    words = {"approve": _("approved"), "reject": _("rejected"), "return": _("returned for changes")}
    return words.get(str(value), _("handed on (%(how)s)", how=value))


def _indication(value: Any) -> str:
    words = {
        "TOTAL_PASSED": _("all signatures valid"),
        "TOTAL_FAILED": _("invalid signatures"),
        "INDETERMINATE": _("signatures that cannot be confirmed"),
    }
    return words.get(str(value), _("no signatures"))


def value_text(value: Any) -> str:
    """A detail's value in words: yes/no, lists joined, changes as old → new."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) or "—"
    if isinstance(value, dict):
        if set(value) <= {"old", "new"}:
            return f"{value_text(value.get('old'))} → {value_text(value.get('new'))}"
        return "; ".join(f"{_fact_label(key)}: {value_text(item)}" for key, item in value.items())
    return str(value)


def _special(event: AuditEvent, details: Mapping[str, Any], found: _Lookups) -> dict[str, Any]:
    """Placeholders whose value needs more than the detail itself."""
    values: dict[str, Any] = {
        "actor": _person(event.actor_id, event.actor_email, found),
        "contract": _contract(event.contract_id, details, found),
        "target": _person(details.get("target_user"), details.get("email_created"), found),
        "version": found.versions.get(event.version_id or 0, details.get("number", "—")),
        "action": sentences.label(event.action),
    }
    if "renewal_id" in details:
        values["renewal"] = _contract(details["renewal_id"], {}, found)
    if event.action == "contract.status":
        values["old"], values["new"] = status_label(str(details.get("old"))), status_label(str(details.get("new")))
    if event.action in ("invoice.create", "invoice.status"):
        for key in ("status", "previous"):
            code = str(details.get(key))
            values[key] = str(MONEY_LABELS.get(f"invoice.{code}", code))
    if event.action == "approval.decide":
        values["decision"] = _decision(details.get("decision"))
    if event.action == "signature.validate_upload":
        values["overall"] = _indication(details.get("overall"))
    if event.action == "contract.access":
        granted = details.get("granted") or {}
        values["grantee"] = granted.get("user", "—") if isinstance(granted, dict) else "—"
    return values


class _Values(dict[str, Any]):
    """Placeholders: a missing one reads as a dash rather than breaking the page."""

    def __missing__(self, key: str) -> str:
        return "—"


_FACT_LABELS = {
    "via": _l("Via"),
    "reason": _l("Reason"),
    "comment": _l("Comment"),
    "changes": _l("Changes"),
    "filename": _l("File"),
    "level": _l("Level"),
    "format": _l("Format"),
    "language": _l("Language"),
    "refreshed": _l("Validated again"),
    "deadline": _l("Deadline"),
    "filters": _l("Filters"),
    "signers": _l("Signers"),
    "old": _l("Before"),
    "new": _l("After"),
    "by": _l("By"),
    "version": _l("Version"),
    "number": _l("Number"),
    "title": _l("Title"),
    "name": _l("Name"),
    "email": _l("E-mail"),
    "metadata": _l("Details"),
    "due_date": _l("Due"),
    "owner": _l("Owner"),
    "late": _l("Late"),
    "on": _l("Effective on"),
    "new_expiry": _l("New expiry"),
    "old_expiry": _l("Old expiry"),
    "sessions_ended": _l("Sessions ended"),
    "tokens_revoked": _l("Tokens revoked"),
    "signatures": _l("Signatures"),
    "overall": _l("Result"),
    "visible": _l("Visible stamp"),
    "certify": _l("Certification"),
    "target": _l("Handed to"),
    "role": _l("Role"),
    "url": _l("Address"),
    "active": _l("Active"),
    # contract metadata (in upload and change details)
    "contract_number": _l("Contract number"),
    "contract_type": _l("Contract type"),
    "counterparties": _l("Counterparties"),
    "amount": _l("Amount"),
    "currency": _l("Currency"),
    "signed_date": _l("Signed on"),
    "effective_date": _l("Effective date"),
    "expiry_date": _l("Expiry date"),
    "tags": _l("Tags"),
    "department": _l("Department"),
    "notes": _l("Notes"),
    "confidential": _l("Confidential"),
    # approvals
    "workflows": _l("Workflows"),
    "levels": _l("Approval levels"),
}
#: Values of a detail that are codes, in words (key → code → words).
_VALUE_WORDS = {
    "via": {"web": _l("the web page"), "api": _l("the API")},
    "by": {
        "manual": _l("by hand"),
        "action": _l("by an action"),
        "system": _l("automatically"),
        "schedule": _l("on schedule"),
    },
}


def _fact_label(key: str) -> str:
    known = _FACT_LABELS.get(key)
    return str(known) if known is not None else key.replace("_", " ")


def _fact_value(key: str, value: Any) -> str:
    words = _VALUE_WORDS.get(key, {})
    if isinstance(value, str) and value in words:
        return str(words[value])
    return value_text(value)


def _facts(template: str, details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The details the sentence does not already say, labelled."""
    return [
        (_fact_label(key), _fact_value(key, value))
        for key, value in details.items()
        if key not in _HIDDEN
        and not key.endswith("_id")
        and f"%({key})s" not in template
        and value not in (None, "", [], {})
    ]


def describe(event: AuditEvent, found: _Lookups) -> ReadableEvent:
    details = event.details or {}
    template = sentences.template(event.action, event.contract_id is not None)
    values = _Values({key: value_text(value) for key, value in details.items()})
    values.update(_special(event, details, found))
    sentence = Markup(escape(template)) % values
    return ReadableEvent(event, sentences.label(event.action), sentence, _facts(template, details))


def _same_visit(newer: ReadableEvent, older: AuditEvent) -> bool:
    first = newer.event
    return (
        first.action in _COLLAPSIBLE
        and (first.action, first.actor_id, first.contract_id, first.version_id)
        == (older.action, older.actor_id, older.contract_id, older.version_id)
        and (newer.earliest or first.at) - older.at <= VISIT_WINDOW
    )


def readable(user: Any, events: Iterable[AuditEvent], *, collapse: bool = True) -> list[ReadableEvent]:
    """A page of events (newest first) as sentences; looking at the same thing again right
    after is shown once with a count when ``collapse``."""
    events = list(events)
    found = _lookups(user, events)
    out: list[ReadableEvent] = []
    for event in events:
        if collapse and out and _same_visit(out[-1], event):
            out[-1].repeats += 1
            out[-1].earliest = event.at
            continue
        out.append(describe(event, found))
    return out

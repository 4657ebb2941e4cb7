"""The counterparty directory: entries, duplicate checks, merging.

A counterparty's contracts stay linked through ``contract_parties``; the directory adds the
details a finance or legal team keeps (credit code, address, contacts, bank account …).
Duplicates are found on the credit code and on the folded name (:mod:`..contracts.party_names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract, ContractParty, Counterparty
from ..contracts.party_names import name_key
from ..core import signals
from ..core.audit import record
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db
from ..core.pagination import Page, paginate
from . import credit_code

#: Fields a client may set (the JSON names and the form names are the same).
TEXT_FIELDS = ("name", "name_en", "registration_no", "address", "bank_account", "notes", "external_id")
CONTACT_FIELDS = ("name", "role", "email", "phone")
_LIMITS = {"name": 255, "name_en": 255, "registration_no": 64, "external_id": 100}


@dataclass(frozen=True)
class DuplicateHint:
    """Another entry that looks like the same party, and why."""

    counterparty: Counterparty
    reason: str  # "credit_code" or "name"


def get(counterparty_id: int) -> Counterparty:
    found = db.session.get(Counterparty, counterparty_id)
    if found is None:
        raise NotFound(_("No such counterparty."))
    return found


def search(text: str | None, tag: str | None, page: int, per_page: int) -> Page[Counterparty]:
    """Entries whose name, English name, credit code or registration number contains ``text``."""
    query = select(Counterparty).order_by(Counterparty.name)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(
            or_(
                Counterparty.name.ilike(like),
                Counterparty.name_en.ilike(like),
                Counterparty.credit_code.ilike(like),
                Counterparty.registration_no.ilike(like),
                Counterparty.name_key.like(f"%{name_key(text)}%"),
            )
        )
    rows = paginate(query, page, per_page) if not tag else None
    if rows is not None:
        return rows
    # Tags are a JSON list: filtered in Python (directories hold thousands, not millions).
    matching = [row for row in db.session.scalars(query) if tag in (row.tags or [])]
    start = (page - 1) * per_page
    return Page(items=matching[start : start + per_page], page=page, per_page=per_page, total=len(matching))


def all_tags() -> list[str]:
    tags: set[str] = set()
    for row in db.session.scalars(select(Counterparty.tags)):
        tags.update(row or [])
    return sorted(tags)


def duplicates_of(name: str, code: str | None, exclude_id: int | None = None) -> list[DuplicateHint]:
    """Entries with the same credit code or the same folded name."""
    hints: list[DuplicateHint] = []
    seen: set[int] = set()
    clauses = [Counterparty.name_key == name_key(name)]
    if code:
        clauses.append(Counterparty.credit_code == code)
    for row in db.session.scalars(select(Counterparty).where(or_(*clauses)).order_by(Counterparty.id)):
        if row.id == exclude_id or row.id in seen:
            continue
        seen.add(row.id)
        hints.append(DuplicateHint(row, "credit_code" if code and row.credit_code == code else "name"))
    return hints


def save(
    user: User, counterparty: Counterparty | None, values: Mapping[str, Any], *, force: bool = False
) -> Counterparty:
    """Create (``counterparty`` None) or change an entry.

    A same credit code is always refused; a same folded name is refused unless ``force`` (two
    companies may really share a name in different cities). Audited with the changed fields.
    """
    access.require(user, Permission.COUNTERPARTY_EDIT)
    cleaned = _clean(values, counterparty)
    hints = duplicates_of(cleaned["name"], cleaned.get("credit_code"), counterparty.id if counterparty else None)
    for hint in hints:
        if hint.reason == "credit_code":
            raise Conflict(
                _("%(name)s already has this credit code.", name=hint.counterparty.name),
                field="credit_code",
                duplicate_id=hint.counterparty.id,
            )
    if hints and not force and (counterparty is None or name_key(counterparty.name) != name_key(cleaned["name"])):
        raise Conflict(
            _(
                "%(name)s looks like the same party (same name once spaces, brackets and company form are ignored).",
                name=hints[0].counterparty.name,
            ),
            field="name",
            duplicate_id=hints[0].counterparty.id,
        )
    creating = counterparty is None
    target = counterparty or Counterparty(name=cleaned["name"])
    changed = sorted(key for key, value in cleaned.items() if getattr(target, key, None) != value or creating)
    for key, value in cleaned.items():
        setattr(target, key, value)
    if creating:
        db.session.add(target)
    db.session.flush()
    if creating or changed:
        record(
            "counterparty.create" if creating else "counterparty.update",
            name=target.name,
            counterparty_id=target.id,
            fields=changed,
        )
    if not creating and "name" in changed:
        for contract in _contracts_of(target.id):
            signals.send(signals.metadata_changed, contract=contract, user=user, changes={"counterparties": True})
    return target


def _clean(values: Mapping[str, Any], current: Counterparty | None) -> dict[str, Any]:
    """The fields sent (all of them for a new entry), checked and trimmed."""
    cleaned = _texts(values, current)
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationFailed(_("name is required."), field="name")
    if current is not None and "name" not in cleaned:
        cleaned["name"] = current.name
    if "credit_code" in values or current is None:
        cleaned["credit_code"] = _credit_code(values.get("credit_code"))
    if "contacts" in values or current is None:
        cleaned["contacts"] = _contacts(values.get("contacts", []))
    if "tags" in values or current is None:
        cleaned["tags"] = _tags(values.get("tags", []))
    return cleaned


def _texts(values: Mapping[str, Any], current: Counterparty | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if key not in values and current is not None:
            continue
        raw = values.get(key)
        if raw is not None and not isinstance(raw, str):
            raise ValidationFailed(_("%(name)s must be text.", name=key), field=key)
        text = (raw or "").strip() or None
        limit = _LIMITS.get(key)
        if text and limit and len(text) > limit:
            raise ValidationFailed(_("%(name)s is longer than %(n)d characters.", name=key, n=limit), field=key)
        cleaned[key] = text
    return cleaned


def _credit_code(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise ValidationFailed(_("credit_code must be text."), field="credit_code")
    code = credit_code.normalise(raw)
    problem = credit_code.problem(code)
    messages = {
        "length": _("A unified social credit code has 18 characters; this one has %(n)d.", n=len(code)),
        "character": _("A unified social credit code uses digits and capital letters except I, O, S, V and Z."),
        "check": _("The check character of this credit code is wrong: please check it for a typing mistake."),
    }
    if problem is not None:
        raise ValidationFailed(messages[problem], field="credit_code")
    return code


def _contacts(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise ValidationFailed(_("contacts must be a list."), field="contacts")
    contacts = []
    for item in raw[:50]:
        if not isinstance(item, dict) or not all(isinstance(item.get(key, ""), str) for key in CONTACT_FIELDS):
            raise ValidationFailed(_("Each contact has name, role, email and phone as text."), field="contacts")
        contact = {key: str(item.get(key, "")).strip()[:200] for key in CONTACT_FIELDS}
        if any(contact.values()):
            contacts.append(contact)
    return contacts


def _tags(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace("，", ",").split(",")
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValidationFailed(_("tags must be a list of text."), field="tags")
    return sorted({item.strip()[:80] for item in raw if item.strip()})


def _contracts_of(counterparty_id: int) -> list[Contract]:
    query = select(Contract).join(ContractParty).where(ContractParty.counterparty_id == counterparty_id)
    return list(db.session.scalars(query.order_by(Contract.id)))


def contracts_of(user: User, counterparty: Counterparty) -> list[Contract]:
    """The counterparty's contracts ``user`` may read (not those in the trash)."""
    query = (
        access.visible_contracts(user)
        .join(ContractParty, ContractParty.contract_id == Contract.id)
        .where(ContractParty.counterparty_id == counterparty.id)
        .order_by(Contract.created_at.desc())
    )
    return list(db.session.scalars(query))


def visible_counts(user: User, counterparty_ids: list[int]) -> dict[int, int]:
    """How many contracts ``user`` may read name each of ``counterparty_ids``."""
    if not counterparty_ids:
        return {}
    visible = access.visible_contracts(user).with_only_columns(Contract.id)
    rows = db.session.execute(
        select(ContractParty.counterparty_id, func.count(ContractParty.contract_id))
        .where(ContractParty.counterparty_id.in_(counterparty_ids), ContractParty.contract_id.in_(visible))
        .group_by(ContractParty.counterparty_id)
    )
    return {counterparty_id: count for counterparty_id, count in rows}


def merge(user: User, keep: Counterparty, gone: Counterparty) -> Counterparty:
    """Move ``gone``'s contracts to ``keep`` and delete ``gone``; details ``keep`` lacks are taken
    over. Audited with both names and the contracts moved."""
    access.require(user, Permission.COUNTERPARTY_MERGE)
    if keep.id == gone.id:
        raise ValidationFailed(_("Choose two different counterparties to merge."), field="other_id")
    moved = _contracts_of(gone.id)
    for contract in moved:
        positions = {party.counterparty_id: party for party in contract.parties}
        old = positions[gone.id]
        if keep.id in positions:
            contract.parties.remove(old)
        else:
            contract.parties[contract.parties.index(old)] = ContractParty(
                counterparty_id=keep.id, position=old.position
            )
    db.session.flush()
    for key in ("name_en", "registration_no", "address", "bank_account", "notes", "external_id"):
        if not getattr(keep, key) and getattr(gone, key):
            setattr(keep, key, getattr(gone, key))
    keep.contacts = list(keep.contacts or []) + [c for c in gone.contacts or [] if c not in (keep.contacts or [])]
    keep.tags = sorted(set(keep.tags or []) | set(gone.tags or []))
    code = gone.credit_code
    gone_name, gone_id = gone.name, gone.id
    db.session.execute(delete(ContractParty).where(ContractParty.counterparty_id == gone_id))
    db.session.delete(gone)
    db.session.flush()
    if code and not keep.credit_code:
        keep.credit_code = code
    record(
        "counterparty.merge",
        name=keep.name,
        other=gone_name,
        counterparty_id=keep.id,
        merged_id=gone_id,
        contracts=[contract.id for contract in moved],
    )
    for contract in moved:
        signals.send(signals.metadata_changed, contract=contract, user=user, changes={"counterparties": True})
    return keep


def to_dict(counterparty: Counterparty) -> dict[str, Any]:
    return {
        "id": counterparty.id,
        "name": counterparty.name,
        "name_en": counterparty.name_en,
        "credit_code": counterparty.credit_code,
        "registration_no": counterparty.registration_no,
        "address": counterparty.address,
        "contacts": list(counterparty.contacts or []),
        "bank_account": counterparty.bank_account,
        "tags": list(counterparty.tags or []),
        "notes": counterparty.notes,
        "external_id": counterparty.external_id,
    }

"""Lifecycle operations. Each validates, changes the database, records an audit event in the
same transaction and commits — or changes nothing — then refreshes search and notifies.

The one way a status changes is :func:`transition`, checked against ``states.TRANSITIONS``.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.lineage import set_parent
from ..contracts.models import Contract, ContractParty
from ..contracts.status import ContractStatus, status_label
from ..core import clock, signals
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..core.extensions import db, settings
from ..notifications.links import path_for
from ..notifications.services import notify
from . import states
from .models import MILESTONE_KINDS, ContractTerms, ContractWatcher, Milestone
from .states import Trigger

# --- terms ------------------------------------------------------------------------------------


def terms_of(contract: Contract) -> ContractTerms:
    """The contract's terms row, created (in the session) when missing."""
    terms = db.session.get(ContractTerms, contract.id)
    if terms is None:
        terms = ContractTerms(contract_id=contract.id, auto_renew=False, renewals=0)
        db.session.add(terms)
    return terms


def notice_deadline(contract: Contract, terms: ContractTerms | None) -> date | None:
    """The last day to give notice of non-renewal (auto-renewing contracts with an expiry)."""
    if terms is None or not terms.auto_renew or contract.expiry_date is None:
        return None
    return contract.expiry_date - timedelta(days=terms.notice_days or 0)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- recipients -------------------------------------------------------------------------------


def watchers(contract: Contract) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ContractWatcher, ContractWatcher.user_id == User.id)
            .where(ContractWatcher.contract_id == contract.id)
        )
    )


def interested(contract: Contract) -> list[User]:
    """Owner, watchers and users of ``PACTUM_REMINDER_ROLE`` — all of whom may read it."""
    people = [contract.owner, *watchers(contract)]
    role = settings().reminder_role
    if role:
        people.extend(db.session.scalars(select(User).where(User.role == role, User.active.is_(True))))
    return [
        person for person in people if person is not None and access.may(person, contract, Permission.CONTRACT_READ)
    ]


# --- transitions ------------------------------------------------------------------------------


def allowed(user: User, contract: Contract, row: states.Transition) -> bool:
    """Whether ``user`` may make the move of ``row`` (a manual or action row) on ``contract``:
    their role has the row's permission and their access level on the contract suffices."""
    return (
        row.permission is not None
        and user.can(row.permission)
        and (row.level or "manage") in access.contract_levels(user, contract)
    )


def manual_moves(user: User, contract: Contract) -> list[states.Transition]:
    """The moves ``user`` may make by hand now (for buttons)."""
    if contract.deleted_at is not None:
        return []
    return [row for row in states.manual_targets(contract.status) if allowed(user, contract, row)]


def transition(
    user: User | None,
    contract: Contract,
    to_status: str,
    reason: str | None = None,
    *,
    via: Trigger = Trigger.MANUAL,
) -> states.Transition:
    """Move ``contract`` to ``to_status`` if the table allows it for ``via`` (and ``user``).

    ``via`` is manual (a person, checked against the row's permission and level), action (a
    person through a dedicated operation), system (another operation) or schedule (the
    periodic job; ``user`` is None). Audited, notified and signalled (``status_changed``).
    """
    if to_status not in states.STATUSES:
        raise ValidationFailed(_("Unknown status %(status)s.", status=to_status))
    source = contract.status or ContractStatus.DRAFT
    if contract.deleted_at is not None:
        raise Conflict(_("The contract is in the trash."))
    row = states.find(source, to_status, via)
    if row is None:
        raise Conflict(
            _(
                "A contract cannot go from %(old)s to %(new)s this way.",
                old=status_label(source),
                new=status_label(to_status),
            ),
            old=source,
            new=to_status,
        )
    if via in (Trigger.MANUAL, Trigger.ACTION):
        if user is None or not allowed(user, contract, row):
            raise Forbidden(
                _(
                    "You may not move this contract from %(old)s to %(new)s.",
                    old=status_label(source),
                    new=status_label(to_status),
                )
            )
    reason = (reason or "").strip() or None
    contract.status = to_status
    contract.updated_at = clock.now()
    terms_of(contract).status_changed_at = clock.now()
    details: dict[str, Any] = {"old": source, "new": to_status, "by": via}
    if reason:
        details["reason"] = reason
    record("contract.status", actor=user, contract_id=contract.id, **details)
    notify(
        "contract.status",
        interested(contract),
        contract=contract,
        exclude=user,
        url=path_for("contracts.detail", contract_id=contract.id),
        params={"old": source, "new": to_status, "reason": reason or ""},
    )
    if to_status == ContractStatus.IN_FORCE and contract.relation == "renewal" and contract.parent is not None:
        parent = contract.parent
        if states.find(parent.status, ContractStatus.RENEWED, Trigger.SYSTEM) and parent.deleted_at is None:
            transition(
                user,
                parent,
                ContractStatus.RENEWED,
                _("Renewed by contract %(id)d.", id=contract.id),
                via=Trigger.SYSTEM,
            )
    signals.send(signals.status_changed, contract=contract, user=user, old=source, new=to_status, via=via)
    return row


def mark_signed(
    user: User | None, contract: Contract, signed_on: date | None = None, *, via: Trigger = Trigger.SYSTEM
) -> None:
    """Signing finished (the signing feature calls this): record the signing date and put the
    contract in force when its effective date has come (else the schedule does it then)."""
    if contract.signed_date is None:
        contract.signed_date = signed_on or clock.today()
    starts = contract.effective_date or contract.signed_date
    if contract.status == ContractStatus.APPROVED:
        transition(user, contract, ContractStatus.SIGNING, via=Trigger.SYSTEM)
    if contract.status == ContractStatus.SIGNING and starts <= clock.today():
        transition(user, contract, ContractStatus.IN_FORCE, via=via)


def record_signed(user: User, contract: Contract, signed_on: date, reason: str | None = None) -> None:
    """A person records a signature made outside Pactum (paper): signing → in force."""
    row = states.find(contract.status, ContractStatus.IN_FORCE, Trigger.MANUAL)
    if row is None or not allowed(user, contract, row):
        transition(user, contract, ContractStatus.IN_FORCE, reason)  # raises the right error
        return
    contract.signed_date = signed_on
    transition(user, contract, ContractStatus.IN_FORCE, reason)


# --- auto-renewal terms and notice ------------------------------------------------------------


def set_terms(
    user: User, contract: Contract, *, auto_renew: bool, renewal_months: int | None, notice_days: int | None
) -> ContractTerms:
    if not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("You may not do this to this contract."))
    if auto_renew and (not renewal_months or renewal_months < 1 or renewal_months > 120):
        raise ValidationFailed(_("An automatic renewal needs a period of 1 to 120 months."))
    if notice_days is not None and not 0 <= notice_days <= 3650:
        raise ValidationFailed(_("The notice period must be between 0 and 3650 days."))
    if auto_renew and contract.expiry_date is None:
        raise ValidationFailed(_("Set the expiry date first: automatic renewal counts from it."))
    terms = terms_of(contract)
    old = {"auto_renew": terms.auto_renew, "renewal_months": terms.renewal_months, "notice_days": terms.notice_days}
    terms.auto_renew = auto_renew
    terms.renewal_months = renewal_months if auto_renew else None
    terms.notice_days = (notice_days or 0) if auto_renew else None
    new = {"auto_renew": terms.auto_renew, "renewal_months": terms.renewal_months, "notice_days": terms.notice_days}
    record(
        "contract.terms",
        actor=user,
        contract_id=contract.id,
        old=old,
        new=new,
        notice_deadline=_iso(notice_deadline(contract, terms)),
    )
    return terms


def give_notice(user: User, contract: Contract, reason: str | None = None) -> ContractTerms:
    """Notice of non-renewal: the contract will expire at its expiry date instead of renewing."""
    if not access.may(user, contract, Permission.CONTRACT_SHARE):
        raise Forbidden(_("Only those who manage the contract may give notice."))
    terms = terms_of(contract)
    if not terms.auto_renew:
        raise Conflict(_("This contract does not renew automatically."))
    if terms.notice_given_on is not None:
        raise Conflict(_("Notice was given already on %(date)s.", date=terms.notice_given_on.isoformat()))
    deadline = notice_deadline(contract, terms)
    today = clock.today()
    terms.notice_given_on, terms.notice_given_by_id = today, user.id
    record(
        "contract.notice",
        actor=user,
        contract_id=contract.id,
        deadline=_iso(deadline),
        late=bool(deadline and today > deadline),
        reason=(reason or "").strip() or None,
    )
    return terms


# --- renewal and termination ------------------------------------------------------------------


def renew(user: User, contract: Contract, *, title: str | None = None) -> Contract:
    """A new draft contract that renews ``contract``, pre-filled with its metadata.

    The old contract stays as it is until the renewal comes into force; then it becomes
    "renewed". The new one starts with no file: upload the renewal agreement to it.
    """
    access.require(user, Permission.CONTRACT_CREATE)
    if contract.status not in states.DATED:
        raise Conflict(_("Only a contract in force, expiring soon or expired can be renewed."))
    old = contract
    span = (old.expiry_date - old.effective_date) if old.effective_date and old.expiry_date else None
    effective = old.expiry_date + timedelta(days=1) if old.expiry_date else None
    new = Contract(
        owner_id=user.id,
        title=(title or "").strip() or _("%(title)s (renewal)", title=old.title),
        contract_number=None,
        contract_type_code=old.contract_type_code,
        amount=old.amount,
        currency=old.currency,
        effective_date=effective,
        expiry_date=(effective + span) if effective and span else None,
        department_id=old.department_id or user.department_id,
        description=old.description,
        confidential=old.confidential,
        department_level=old.department_level,
        status=ContractStatus.DRAFT,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    db.session.add(new)
    new.tags = list(old.tags)
    new.parties = [
        ContractParty(counterparty_id=party.counterparty_id, position=party.position) for party in old.parties
    ]
    db.session.flush()
    set_parent(user, new, old.id, "renewal")
    old_terms = db.session.get(ContractTerms, old.id)
    if old_terms is not None and old_terms.auto_renew:
        new_terms = terms_of(new)
        new_terms.auto_renew, new_terms.renewal_months = True, old_terms.renewal_months
        new_terms.notice_days = old_terms.notice_days
    record("contract.create", actor=user, contract_id=new.id, renewal_of=old.id, title=new.title)
    record("contract.renew", actor=user, contract_id=old.id, renewal_id=new.id)
    signals.send(signals.contract_created, contract=new, version=None, user=user)
    signals.send(signals.metadata_changed, contract=old, user=user, changes={"renewal_id": new.id})
    return new


def terminate(
    user: User, contract: Contract, *, on: date, reason: str, agreement_id: int | None = None
) -> ContractTerms:
    """End the contract early: the date, the reason and, if any, the termination agreement."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the termination."))
    row = states.find(contract.status, ContractStatus.TERMINATED, Trigger.ACTION)
    if row is None:
        raise Conflict(
            _(
                "A contract cannot be terminated while it is %(status)s.",
                status=status_label(contract.status),
            )
        )
    if not allowed(user, contract, row):
        raise Forbidden(_("Only those who manage the contract may terminate it."))
    if agreement_id is not None:
        agreement = access.get_contract(user, agreement_id)
        if agreement.id == contract.id:
            raise ValidationFailed(_("The termination agreement must be another contract."))
        if agreement.parent_id is None:
            set_parent(user, agreement, contract.id, "termination")
    terms = terms_of(contract)
    terms.terminated_on, terms.termination_reason = on, reason.strip()
    terms.termination_agreement_id, terms.terminated_by_id = agreement_id, user.id
    transition(user, contract, ContractStatus.TERMINATED, reason, via=Trigger.ACTION)
    record(
        "contract.terminate",
        actor=user,
        contract_id=contract.id,
        on=on.isoformat(),
        reason=reason.strip(),
        agreement_id=agreement_id,
    )
    return terms


# --- milestones -------------------------------------------------------------------------------


def _milestone_owner(email: str | None, contract: Contract) -> User | None:
    if not email or not email.strip():
        return None
    owner = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if owner is None or not owner.active:
        raise ValidationFailed(_("Unknown user %(email)s.", email=email))
    if not access.may(owner, contract, Permission.CONTRACT_READ):
        raise ValidationFailed(_("%(email)s may not read this contract.", email=owner.email))
    return owner


def add_milestone(
    user: User,
    contract: Contract,
    *,
    title: str,
    kind: str,
    due_date: date,
    owner_email: str | None = None,
    amount: Decimal | None = None,
    remind_days: str = "7,0",
) -> Milestone:
    if not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("You may not do this to this contract."))
    if not (title or "").strip():
        raise ValidationFailed(_("Give the milestone a title."))
    if kind not in MILESTONE_KINDS:
        raise ValidationFailed(_("Unknown milestone kind %(kind)s.", kind=kind))
    from ..core.settings import ConfigError
    from .config import parse_offsets

    try:
        parse_offsets(remind_days, allow_zero=True)
    except ConfigError:
        raise ValidationFailed(_("Reminder days must be whole numbers separated by commas, e.g. 7,1,0.")) from None
    milestone = Milestone(
        contract_id=contract.id,
        kind=kind,
        title=title.strip()[:200],
        due_date=due_date,
        owner=_milestone_owner(owner_email, contract),
        amount=amount,
        remind_days=remind_days.strip(),
        created_by_id=user.id,
        created_at=clock.now(),
    )
    db.session.add(milestone)
    db.session.flush()
    record(
        "milestone.create",
        actor=user,
        contract_id=contract.id,
        milestone_id=milestone.id,
        title=milestone.title,
        kind=kind,
        due_date=due_date.isoformat(),
        owner=milestone.owner.email if milestone.owner else None,
    )
    return milestone


def get_milestone(contract: Contract, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.contract_id != contract.id:
        raise NotFound(_("No such milestone."))
    return milestone


def complete_milestone(user: User, contract: Contract, milestone: Milestone, done: bool = True) -> Milestone:
    if not (access.may(user, contract, Permission.CONTRACT_EDIT) or milestone.owner_id == user.id):
        raise Forbidden(_("You may not do this to this contract."))
    milestone.done_at = clock.now() if done else None
    milestone.done_by_id = user.id if done else None
    record(
        "milestone.done" if done else "milestone.reopen",
        actor=user,
        contract_id=contract.id,
        milestone_id=milestone.id,
        title=milestone.title,
    )
    return milestone


def delete_milestone(user: User, contract: Contract, milestone: Milestone) -> None:
    if not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("You may not do this to this contract."))
    record(
        "milestone.delete",
        actor=user,
        contract_id=contract.id,
        milestone_id=milestone.id,
        title=milestone.title,
        due_date=milestone.due_date.isoformat(),
    )
    db.session.delete(milestone)


def milestones(contract: Contract) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.due_date, Milestone.id)
        )
    )


# --- watchers ---------------------------------------------------------------------------------


def is_watching(user: User, contract: Contract) -> bool:
    return db.session.get(ContractWatcher, (contract.id, user.id)) is not None


def watch(user: User, contract: Contract, on: bool = True) -> None:
    """Follow (or stop following) a contract the user may read."""
    if not access.may(user, contract, Permission.CONTRACT_READ):
        raise NotFound(_("No such contract."))
    existing = db.session.get(ContractWatcher, (contract.id, user.id))
    if on and existing is None:
        db.session.add(ContractWatcher(contract_id=contract.id, user_id=user.id, created_at=clock.now()))
        record("contract.watch", actor=user, contract_id=contract.id)
    elif not on and existing is not None:
        db.session.delete(existing)
        record("contract.unwatch", actor=user, contract_id=contract.id)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

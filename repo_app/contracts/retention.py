"""Keeping contracts as long as the rules say: legal holds, retention periods, purging."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..auth.models import User
from ..auth.roles import Permission
from ..core import clock, results, signals, uow
from ..core.audit import record
from ..core.errors import Conflict, ValidationFailed
from ..core.extensions import blob_store, db
from . import access
from .blobs import blobs_in_use, blobs_of
from .models import Contract, ContractVersion, PurgedConfidentialContract, VersionRendition


def retained_until(contract: Contract) -> date | None:
    """The last day the retention rule of the contract's type keeps it, if any."""
    years = contract.contract_type.retention_years if contract.contract_type else None
    if not years:
        return None
    basis = contract.expiry_date or contract.created_at.date()
    try:
        return basis.replace(year=basis.year + years)
    except ValueError:  # 29 February
        return basis.replace(year=basis.year + years, day=28)


def refuse_if_held(contract: Contract) -> None:
    if contract.legal_hold:
        raise Conflict(
            _(
                "This contract is under legal hold: it cannot be deleted or purged. Reason: %(reason)s",
                reason=contract.legal_hold_reason or "—",
            ),
            reason="legal_hold",
        )


def set_legal_hold(user: User, contract: Contract, hold: bool, reason: str | None) -> None:
    access.require(user, Permission.TRASH_MANAGE)
    if hold and not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the legal hold (e.g. the case or request it serves)."))
    if contract.legal_hold == hold:
        return
    contract.legal_hold = hold
    contract.legal_hold_reason = reason.strip() if hold and reason else None
    record(
        "contract.legal_hold" if hold else "contract.legal_hold_release",
        actor=user,
        contract_id=contract.id,
        reason=contract.legal_hold_reason,
    )
    signals.send(signals.metadata_changed, contract=contract, user=user, changes={"legal_hold": hold})


def _detach(contract: Contract) -> None:
    """Undo the links that would stop the rows from being deleted: versions restored or signed
    from one another, other features' rows pointing at versions (they hear ``contract_removed``
    with action "purging"), relatives pointing at the contract."""
    db.session.execute(
        update(ContractVersion).where(ContractVersion.contract_id == contract.id).values(source_version_id=None)
    )
    signals.send(signals.contract_removed, contract=contract, user=None, action="purging")
    for child in contract.children:
        child.parent_id = None
    db.session.flush()
    db.session.expire(contract, ["versions"])


def purge(user: User, contract: Contract, *, today: date | None = None) -> int:
    """Delete a trashed contract for good; returns how many blobs were removed.

    Blobs still referenced by another version (the same file in another contract, a restored
    copy) are kept. Audit events about the contract stay: the trail is never shortened.
    """
    access.require(user, Permission.TRASH_MANAGE)
    if contract.deleted_at is None:
        raise Conflict(_("Only contracts in the trash can be purged."))
    refuse_if_held(contract)
    keep_until = retained_until(contract)
    if keep_until is not None and (today or clock.now().date()) <= keep_until:
        raise Conflict(_("The retention rule keeps this contract until %(day)s.", day=keep_until.isoformat()))
    keys = {version.blob_key for version in contract.versions} | _rendition_keys(contract) | blobs_of(contract)
    contract_id, title = contract.id, contract.title
    if contract.confidential:
        db.session.add(PurgedConfidentialContract(contract_id=contract_id))
    _detach(contract)
    results.forget(contract_id)  # kept comparisons hold the contract's text
    db.session.delete(contract)
    db.session.flush()
    removed = sorted(keys - blobs_in_use(keys))
    record("contract.purge", actor=user, contract_id=contract_id, title=title, blobs_removed=len(removed))
    uow.after_commit(lambda: _delete_blobs(removed), key=("purge", contract_id))
    signals.send(signals.contract_removed, contract=contract, user=user, action="purge")
    return len(removed)


def _rendition_keys(contract: Contract) -> set[str]:
    """The PDF renditions of the contract's versions (derived blobs, removed with them)."""
    version_ids = [version.id for version in contract.versions]
    query = select(VersionRendition.blob_key).where(VersionRendition.version_id.in_(version_ids))
    return {key for key in db.session.scalars(query) if key}


def _delete_blobs(keys: list[str]) -> None:
    store = blob_store()
    for key in keys:
        store.delete(key)

"""Where approvals meet the other features: the signing guard ("only the approved version may
be signed") and the restart of a running approval when a new version arrives."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from ..auth.models import User
from ..contracts.models import Contract, ContractVersion
from ..core.errors import Conflict
from ..core.extensions import db
from ..lifecycle import states
from . import routing
from .models import ApprovalStatus
from .services import latest_approval, restart_for_new_version, version_is_approved

log = logging.getLogger(__name__)


def _approval_candidates(version: ContractVersion) -> list[ContractVersion]:
    """``version`` and the versions it was signed from: a co-signature signs a version that
    signing produced, and the approval of the version under it still counts."""
    chain = [version]
    current = version
    while current.origin == "signed" and current.source_version_id is not None:
        source = db.session.get(ContractVersion, current.source_version_id)
        if source is None or source in chain:
            break
        chain.append(source)
        current = source
    return chain


def require_approval(contract: Contract, version: ContractVersion) -> None:
    """Refuse to sign a version the approval workflow has not approved.

    A contract no routing rule sends to a workflow (and that was never submitted) may be
    signed as it is; once a workflow applies, only the approved version (or a version signed
    from it) may be.
    """

    latest = latest_approval(contract)
    if latest is None:
        if contract.status in states.BEFORE_APPROVAL and routing.evaluate(contract).workflows:
            raise Conflict(_("This contract needs approval before it is signed: submit it for approval first."))
        return
    if latest.status == ApprovalStatus.PENDING:
        raise Conflict(_("The approval of this contract is still running; sign it once it is approved."))
    if not any(version_is_approved(contract, candidate) for candidate in _approval_candidates(version)):
        raise Conflict(
            _(
                "The approval workflow has not approved version %(number)s; submit it for approval before signing.",
                number=version.number,
            )
        )


def restart_on_new_version(
    sender: Flask, *, contract: Contract, version: ContractVersion, user: User, **_: Any
) -> None:
    """A new version arrived: restart a running approval. Never fails the upload: a failure
    rolls back to a savepoint, so the version is stored and the approval state logged."""
    try:
        with db.session.begin_nested():
            restart_for_new_version(user, contract, version)
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("restarting the approval of contract %s failed", contract.id)

"""What the lifecycle panel on the contract page shows (``{% set lc = lifecycle_panel(contract) %}``)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..core import clock
from ..core.extensions import db
from . import services, states
from .models import MILESTONE_KINDS, ContractTerms


def panel(contract: Contract) -> dict[str, Any]:
    from ..workflows import services as approvals

    user = current_user
    terms = db.session.get(ContractTerms, contract.id)
    latest = approvals.latest_approval(contract)
    can_edit = access.may(user, contract, Permission.CONTRACT_EDIT) and contract.deleted_at is None
    can_manage = access.may(user, contract, Permission.CONTRACT_SHARE) and contract.deleted_at is None
    terminate_row = states.find(contract.status, states.TERMINATED, states.ACTION)
    version = contract.latest_version
    return {
        "today": clock.today(),
        "status_label": states.STATUS_LABELS.get(contract.status, contract.status),
        "moves": [
            row
            for row in services.manual_moves(user, contract)
            if row.target != states.IN_FORCE or row.source != states.SIGNING
        ],
        "can_record_signed": any(
            row.source == states.SIGNING and row.target == states.IN_FORCE
            for row in services.manual_moves(user, contract)
        ),
        "terms": terms,
        "notice_deadline": services.notice_deadline(contract, terms),
        "milestones": services.milestones(contract),
        "milestone_kinds": MILESTONE_KINDS,
        "watching": services.is_watching(user, contract),
        "approval": latest,
        "my_assignment": approvals.my_assignment(user, latest) if latest is not None else None,
        "can_submit": can_edit and contract.status == states.DRAFT,
        "can_withdraw": latest is not None
        and latest.status == "pending"
        and (latest.submitted_by_id == user.id or can_edit),
        "latest_version_approved": approvals.version_is_approved(contract, version) if version else None,
        "can_edit": can_edit,
        "can_manage": can_manage,
        "can_renew": user.can(Permission.CONTRACT_CREATE)
        and contract.deleted_at is None
        and contract.status in (states.IN_FORCE, states.EXPIRING_SOON, states.EXPIRED),
        "can_terminate": terminate_row is not None
        and services.allowed(user, contract, terminate_row)
        and contract.deleted_at is None,
        "can_give_notice": can_manage and terms is not None and terms.auto_renew and terms.notice_given_on is None,
        "renewals": [
            child
            for child in contract.children
            if child.relation == "renewal"
            and child.deleted_at is None
            and access.may(user, child, Permission.CONTRACT_READ)
        ],
    }


def register_panel(app: Flask) -> None:
    # Globals, not a context processor: macros imported without context see them too.
    app.jinja_env.globals.update(lifecycle_panel=panel, status_labels=states.STATUS_LABELS)

"""What the lifecycle panel on the contract page shows (``{% set lc = lifecycle_panel(contract) %}``).

Features above lifecycle add their own values to the panel (the approval state, from the
workflows feature) through :data:`PANEL_PARTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.status import ContractStatus, status_label
from ..core import clock, registry
from ..core.extensions import db
from . import services, states
from .models import MILESTONE_KINDS, ContractTerms
from .states import Trigger

PanelPart = Callable[[Contract, bool], dict[str, Any]]
#: Each part takes the contract and whether the user may edit it.
PANEL_PARTS: registry.Key[PanelPart] = registry.Key("lifecycle.panel_parts")


def panel(contract: Contract) -> dict[str, Any]:
    user = current_user
    terms = db.session.get(ContractTerms, contract.id)
    can_edit = access.may(user, contract, Permission.CONTRACT_EDIT) and contract.deleted_at is None
    can_manage = access.may(user, contract, Permission.CONTRACT_SHARE) and contract.deleted_at is None
    terminate_row = states.find(contract.status, ContractStatus.TERMINATED, Trigger.ACTION)
    values = {
        "today": clock.today(),
        "status_label": status_label(contract.status),
        "moves": [
            row
            for row in services.manual_moves(user, contract)
            if row.target != ContractStatus.IN_FORCE or row.source != ContractStatus.SIGNING
        ],
        "can_record_signed": any(
            row.source == ContractStatus.SIGNING and row.target == ContractStatus.IN_FORCE
            for row in services.manual_moves(user, contract)
        ),
        "terms": terms,
        "notice_deadline": services.notice_deadline(contract, terms),
        "milestones": services.milestones(contract),
        "milestone_kinds": MILESTONE_KINDS,
        "watching": services.is_watching(user, contract),
        "can_submit": can_edit and contract.status == ContractStatus.DRAFT,
        "can_edit": can_edit,
        "can_manage": can_manage,
        "can_renew": user.can(Permission.CONTRACT_CREATE)
        and contract.deleted_at is None
        and contract.status in states.DATED,
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
    for part in registry.items(PANEL_PARTS):
        values.update(part(contract, can_edit))
    return values

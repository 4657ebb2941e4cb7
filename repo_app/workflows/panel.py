"""The approval state shown in the contract page's lifecycle panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from ..contracts.models import Contract
from ..core import registry
from . import services
from .models import ApprovalStatus

#: Notes other features give the approver about a contract (review: required clauses its latest
#: version lacks), shown on the decision page; each returns sentences in the reader's language.
DECISION_NOTES: registry.Key[Callable[[Contract], list[str]]] = registry.Key("workflows.decision_notes")


def decision_notes(contract: Contract) -> list[str]:
    return [note for source in registry.items(DECISION_NOTES) for note in source(contract)]


def approval_part(contract: Contract, can_edit: bool) -> dict[str, Any]:
    user = current_user
    latest = services.latest_approval(contract)
    version = contract.latest_version
    return {
        "approval": latest,
        "my_assignment": services.my_assignment(user, latest) if latest is not None else None,
        "can_withdraw": latest is not None
        and latest.status == ApprovalStatus.PENDING
        and (latest.submitted_by_id == user.id or can_edit),
        "latest_version_approved": services.version_is_approved(contract, version) if version else None,
    }

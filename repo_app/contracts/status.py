"""The statuses a contract can have (the lifecycle feature decides how it moves between them),
and those of a version's text extraction and indexing (the search feature's pipeline)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


class ContractStatus(StrEnum):
    DRAFT = "draft"
    IN_APPROVAL = "in_approval"
    APPROVED = "approved"
    SIGNING = "signing"
    IN_FORCE = "in_force"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    RENEWED = "renewed"
    TERMINATED = "terminated"
    ARCHIVED = "archived"


class VersionStatus(StrEnum):
    """Where a version's processing stands: processing → indexed | failed (with the reason)."""

    PROCESSING = "processing"
    INDEXED = "indexed"
    FAILED = "failed"


STATUS_LABELS: dict[ContractStatus, LazyString] = {
    ContractStatus.DRAFT: _l("Draft"),
    ContractStatus.IN_APPROVAL: _l("In approval"),
    ContractStatus.APPROVED: _l("Approved"),
    ContractStatus.SIGNING: _l("Signing"),
    ContractStatus.IN_FORCE: _l("In force"),
    ContractStatus.EXPIRING_SOON: _l("Expiring soon"),
    ContractStatus.EXPIRED: _l("Expired"),
    ContractStatus.RENEWED: _l("Renewed"),
    ContractStatus.TERMINATED: _l("Terminated"),
    ContractStatus.ARCHIVED: _l("Archived"),
}


def status_label(status: str) -> str:
    """The translated name of a contract status; a value that is not one is shown as it is."""
    try:
        return str(STATUS_LABELS[ContractStatus(status)])
    except ValueError:
        return status

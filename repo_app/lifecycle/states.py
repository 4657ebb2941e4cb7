"""Contract statuses and the one table of allowed transitions.

Each row says how a move may happen:

* ``manual``   a person asks for it (UI, API) and needs the access level on the contract and
               one of the roles listed;
* ``action``   a person, but only through a dedicated operation that records more than a
               status (terminate: date, reason, agreement);
* ``system``   another operation makes it (a submission, an approval decision, a renewal
               taking effect, the signing feature);
* ``schedule`` the periodic job makes it from the dates (effective, expiry, auto-renewal).

A pair may appear with several triggers. Anything not in the table is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..contracts.status import STATUS_LABELS, ContractStatus

__all__ = ["STATUS_LABELS", "ContractStatus", "STATUSES", "Transition", "Trigger", "find", "manual_targets"]

# Short names for the table below (code elsewhere says ContractStatus.DRAFT).
DRAFT = ContractStatus.DRAFT
IN_APPROVAL = ContractStatus.IN_APPROVAL
APPROVED = ContractStatus.APPROVED
SIGNING = ContractStatus.SIGNING
IN_FORCE = ContractStatus.IN_FORCE
EXPIRING_SOON = ContractStatus.EXPIRING_SOON
EXPIRED = ContractStatus.EXPIRED
RENEWED = ContractStatus.RENEWED
TERMINATED = ContractStatus.TERMINATED
ARCHIVED = ContractStatus.ARCHIVED

STATUSES = tuple(ContractStatus)
#: Statuses before an approval has passed: the contract may still change and be submitted.
BEFORE_APPROVAL = frozenset({DRAFT, IN_APPROVAL})
#: Statuses in which the contract binds the parties.
ACTIVE = frozenset({IN_FORCE, EXPIRING_SOON})
#: Statuses the expiry date decides between (the schedule moves a contract among them); a
#: contract in one of them can be renewed.
DATED = ACTIVE | {EXPIRED}
#: Ends: nothing but archiving follows.
FINAL = frozenset({RENEWED, TERMINATED, ARCHIVED})


class Trigger(StrEnum):
    """How a move happens (see the module's docstring)."""

    MANUAL = "manual"
    ACTION = "action"
    SYSTEM = "system"
    SCHEDULE = "schedule"


MANUAL, ACTION, SYSTEM, SCHEDULE = Trigger.MANUAL, Trigger.ACTION, Trigger.SYSTEM, Trigger.SCHEDULE

_WRITERS = frozenset({"admin", "manager", "editor"})
_SIGNERS = frozenset({"admin", "manager", "signer"})
_MANAGERS = frozenset({"admin", "manager"})


@dataclass(frozen=True)
class Transition:
    source: ContractStatus
    target: ContractStatus
    trigger: Trigger
    #: Access-list level needed on the contract (manual and action rows).
    level: str | None = None
    #: Roles that may (manual and action rows).
    roles: frozenset[str] = frozenset()
    #: What the move means, shown on buttons and in the docs.
    label: str = ""


def _rows() -> tuple[Transition, ...]:
    rows: list[Transition] = [
        Transition(DRAFT, IN_APPROVAL, SYSTEM, label="submitted for approval"),
        Transition(IN_APPROVAL, APPROVED, SYSTEM, label="every level approved"),
        Transition(IN_APPROVAL, DRAFT, SYSTEM, label="rejected, returned or withdrawn"),
        Transition(APPROVED, DRAFT, MANUAL, "edit", _WRITERS, "reopen for changes"),
        Transition(APPROVED, SIGNING, MANUAL, "edit", _WRITERS, "start signing"),
        Transition(APPROVED, SIGNING, SYSTEM, label="a signing request was sent"),
        Transition(SIGNING, APPROVED, MANUAL, "edit", _WRITERS, "cancel signing"),
        Transition(SIGNING, IN_FORCE, MANUAL, "sign", _SIGNERS, "record as signed and in force"),
        Transition(SIGNING, IN_FORCE, SYSTEM, label="signed by every party"),
        Transition(SIGNING, IN_FORCE, SCHEDULE, label="signed, and the effective date came"),
        Transition(DRAFT, IN_FORCE, MANUAL, "manage", _MANAGERS, "register a contract signed outside Pactum"),
        Transition(IN_FORCE, EXPIRING_SOON, SCHEDULE, label="expiry is near"),
        Transition(IN_FORCE, EXPIRED, SCHEDULE, label="the expiry date passed"),
        Transition(EXPIRING_SOON, EXPIRED, SCHEDULE, label="the expiry date passed"),
        Transition(EXPIRING_SOON, IN_FORCE, SCHEDULE, label="expiry moved later or auto-renewed"),
        Transition(EXPIRED, IN_FORCE, SCHEDULE, label="expiry moved later or auto-renewed"),
        Transition(EXPIRED, EXPIRING_SOON, SCHEDULE, label="expiry moved later"),
        Transition(DRAFT, ARCHIVED, MANUAL, "manage", _WRITERS, "abandon the draft"),
    ]
    for source in (IN_FORCE, EXPIRING_SOON, EXPIRED):
        rows.append(Transition(source, RENEWED, SYSTEM, label="the renewal contract took effect"))
    for source in (SIGNING, IN_FORCE, EXPIRING_SOON):
        rows.append(Transition(source, TERMINATED, ACTION, "manage", _WRITERS, "terminate"))
    for source in (EXPIRED, RENEWED, TERMINATED):
        rows.append(Transition(source, ARCHIVED, MANUAL, "manage", _WRITERS, "archive"))
    return tuple(rows)


TRANSITIONS: tuple[Transition, ...] = _rows()


def find(source: str, target: str, trigger: Trigger) -> Transition | None:
    for row in TRANSITIONS:
        if row.source == source and row.target == target and row.trigger == trigger:
            return row
    return None


def manual_targets(source: str) -> list[Transition]:
    """The moves a person may ask for from ``source`` (before checking who they are)."""
    return [row for row in TRANSITIONS if row.source == source and row.trigger == MANUAL]

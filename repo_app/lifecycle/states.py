"""Contract statuses and the one table of allowed transitions.

Each row says how a move may happen:

* ``manual``   a person asks for it (UI, API) and needs the access level on the contract and
               the row's permission (which roles have it: ``auth.roles.ROLE_PERMISSIONS``);
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

from ..auth.roles import Permission, Role, roles_with
from ..contracts.status import ContractStatus

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

# Short names of the permissions the table asks for.
_EDIT, _SIGN, _REGISTER = Permission.CONTRACT_EDIT, Permission.CONTRACT_SIGN, Permission.CONTRACT_REGISTER


@dataclass(frozen=True)
class Transition:
    source: ContractStatus
    target: ContractStatus
    trigger: Trigger
    #: Access-list level needed on the contract (manual and action rows).
    level: str | None = None
    #: The permission a person needs (manual and action rows).
    permission: Permission | None = None
    #: What the move means, shown on buttons and in the docs.
    label: str = ""

    @property
    def roles(self) -> frozenset[Role]:
        """The roles that have the row's permission (none for system and schedule rows)."""
        return roles_with(self.permission) if self.permission is not None else frozenset()


def _rows() -> tuple[Transition, ...]:
    rows: list[Transition] = [
        Transition(DRAFT, IN_APPROVAL, SYSTEM, label="submitted for approval"),
        Transition(IN_APPROVAL, APPROVED, SYSTEM, label="every level approved"),
        Transition(IN_APPROVAL, DRAFT, SYSTEM, label="rejected, returned or withdrawn"),
        Transition(APPROVED, DRAFT, MANUAL, "edit", _EDIT, "reopen for changes"),
        Transition(APPROVED, SIGNING, MANUAL, "edit", _EDIT, "start signing"),
        Transition(APPROVED, SIGNING, SYSTEM, label="a signing request was sent"),
        Transition(SIGNING, APPROVED, MANUAL, "edit", _EDIT, "cancel signing"),
        Transition(SIGNING, IN_FORCE, MANUAL, "sign", _SIGN, "record as signed and in force"),
        Transition(SIGNING, IN_FORCE, SYSTEM, label="signed by every party"),
        Transition(SIGNING, IN_FORCE, SCHEDULE, label="signed, and the effective date came"),
        Transition(DRAFT, IN_FORCE, MANUAL, "manage", _REGISTER, "register a contract signed outside Pactum"),
        Transition(IN_FORCE, EXPIRING_SOON, SCHEDULE, label="expiry is near"),
        Transition(IN_FORCE, EXPIRED, SCHEDULE, label="the expiry date passed"),
        Transition(EXPIRING_SOON, EXPIRED, SCHEDULE, label="the expiry date passed"),
        Transition(EXPIRING_SOON, IN_FORCE, SCHEDULE, label="expiry moved later or auto-renewed"),
        Transition(EXPIRED, IN_FORCE, SCHEDULE, label="expiry moved later or auto-renewed"),
        Transition(EXPIRED, EXPIRING_SOON, SCHEDULE, label="expiry moved later"),
        Transition(DRAFT, ARCHIVED, MANUAL, "manage", _EDIT, "abandon the draft"),
    ]
    for source in (IN_FORCE, EXPIRING_SOON, EXPIRED):
        rows.append(Transition(source, RENEWED, SYSTEM, label="the renewal contract took effect"))
    for source in (SIGNING, IN_FORCE, EXPIRING_SOON):
        rows.append(Transition(source, TERMINATED, ACTION, "manage", _EDIT, "terminate"))
    for source in (EXPIRED, RENEWED, TERMINATED):
        rows.append(Transition(source, ARCHIVED, MANUAL, "manage", _EDIT, "archive"))
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

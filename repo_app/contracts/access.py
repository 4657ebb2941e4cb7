"""The one place that decides which contracts a user may see and what they may do to them.

Two questions, both must say yes:

* the user's **role** allows the action in general (``auth.roles``), and
* the contract's **access list** gives the user a level that covers it: the owner manages;
  members of the contract's department get ``department_level`` (read by default) and
  managers of that department or a department above it manage; explicit grants to the user,
  to a department they belong to (or one above theirs), or to one of their groups add their
  level; auditors read everything that is not confidential; administrators see everything.
  Confidential contracts drop the department and auditor rules: owner, grants and admins only.

Every route, API call, download and search query goes through these functions, and so does the
audit trail (events about a contract one may not read are left out). A contract the user may
not see answers 404, never 403, so its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from ..auth.models import User
from ..auth.roles import Permission, Role
from ..core.errors import Forbidden, NotFound
from ..core.extensions import db
from ..core.results import CachedResult
from .models import Contract, ContractGrant, Department, PurgedConfidentialContract

LEVELS = ("read", "comment", "edit", "sign", "manage")
#: What holding a level lets one do (levels are not a single ladder: signing implies reading,
#: not editing).
LEVEL_INCLUDES: dict[str, frozenset[str]] = {
    "read": frozenset({"read"}),
    "comment": frozenset({"read", "comment"}),
    "edit": frozenset({"read", "comment", "edit"}),
    "sign": frozenset({"read", "sign"}),
    "manage": frozenset(LEVELS),
}
#: The access-list level each contract permission needs.
PERMISSION_LEVEL: dict[Permission, str] = {
    Permission.CONTRACT_READ: "read",
    Permission.CONTRACT_EDIT: "edit",
    Permission.CONTRACT_DELETE: "manage",
    Permission.CONTRACT_SIGN: "sign",
    Permission.CONTRACT_SHARE: "manage",
    Permission.TRASH_MANAGE: "manage",
    Permission.PROCESSING_RETRY: "read",
    Permission.AUDIT_READ: "read",
    Permission.PAYMENT_RECORD: "read",
    Permission.INVOICE_RECORD: "read",
}
ALL_LEVELS = frozenset(LEVELS)


# --- departments -----------------------------------------------------------------------


def ancestors_or_self(department: Department | None) -> list[int]:
    ids: list[int] = []
    while department is not None and department.id not in ids:
        ids.append(department.id)
        department = department.parent
    return ids


def descendants_or_self(department_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for dept_id, parent_id in db.session.execute(select(Department.id, Department.parent_id)):
        children.setdefault(parent_id, []).append(dept_id)
    found, pending = set(), [department_id]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, []))
    return found


def _is_manager(user: User) -> bool:
    return user.role == Role.MANAGER and user.department_id is not None


# --- levels on one contract ------------------------------------------------------------


def contract_levels(user: User, contract: Contract) -> frozenset[str]:
    """Everything the access list lets ``user`` do to ``contract`` (before role limits)."""
    if not user.active:
        return frozenset()
    if user.role == Role.ADMIN:
        return ALL_LEVELS
    levels: set[str] = set()
    if contract.owner_id == user.id:
        levels |= ALL_LEVELS
    if not contract.confidential:
        levels |= _membership_levels(user, contract)
    for grant in contract.grants:
        if _grant_applies(user, grant):
            levels |= LEVEL_INCLUDES.get(grant.level, frozenset())
    return frozenset(levels)


def _membership_levels(user: User, contract: Contract) -> set[str]:
    levels: set[str] = set()
    if user.role == Role.AUDITOR:
        levels |= LEVEL_INCLUDES["read"]
    if contract.department is None or user.department_id is None:
        return levels
    if user.department_id == contract.department_id and contract.department_level:
        levels |= LEVEL_INCLUDES.get(contract.department_level, frozenset())
    if _is_manager(user) and user.department_id in ancestors_or_self(contract.department):
        levels |= ALL_LEVELS
    return levels


def _grant_applies(user: User, grant: ContractGrant) -> bool:
    if grant.grantee_type == "user":
        return grant.grantee_id == user.id
    if grant.grantee_type == "department":
        return grant.grantee_id in ancestors_or_self(user.department)
    if grant.grantee_type == "group":
        return grant.grantee_id in {group.id for group in user.groups}
    return False


def may(user: User, contract: Contract, permission: Permission) -> bool:
    level = PERMISSION_LEVEL.get(permission, "manage")
    return user.can(permission) and level in contract_levels(user, contract)


# --- lists and lookups ---------------------------------------------------------------------


def _visibility_clause(user: User) -> ColumnElement[bool]:
    """SQL for "``user`` may read this contract", mirroring :func:`contract_levels`."""
    if user.role == Role.ADMIN:
        return true()
    open_to_membership: list[ColumnElement[bool]] = []
    if user.role == Role.AUDITOR:
        open_to_membership.append(true())
    if user.department_id is not None:
        open_to_membership.append(
            and_(Contract.department_id == user.department_id, Contract.department_level.is_not(None))
        )
        if _is_manager(user):
            open_to_membership.append(Contract.department_id.in_(descendants_or_self(user.department_id)))
    grantee = or_(
        and_(ContractGrant.grantee_type == "user", ContractGrant.grantee_id == user.id),
        and_(
            ContractGrant.grantee_type == "department",
            ContractGrant.grantee_id.in_(ancestors_or_self(user.department) or [-1]),
        ),
        and_(
            ContractGrant.grantee_type == "group",
            ContractGrant.grantee_id.in_([group.id for group in user.groups] or [-1]),
        ),
    )
    granted = select(ContractGrant.id).where(ContractGrant.contract_id == Contract.id, grantee).exists()
    membership = and_(Contract.confidential.is_(False), or_(*open_to_membership)) if open_to_membership else false()
    return or_(Contract.owner_id == user.id, membership, granted)


def visible_contracts(user: User, *, trash: bool = False) -> Select[tuple[Contract]]:
    """Contracts ``user`` may read; ``trash=True`` lists the trash instead (admins only)."""
    query = select(Contract)
    if not user.active or not user.can(Permission.CONTRACT_READ):
        return query.where(false())
    if trash:
        if not user.can(Permission.TRASH_MANAGE):
            return query.where(false())
        return query.where(Contract.deleted_at.is_not(None), _visibility_clause(user))
    return query.where(Contract.deleted_at.is_(None), _visibility_clause(user))


ContractIdColumn = ColumnElement[int | None] | InstrumentedAttribute[int | None]


def readable_contract_rows(user: User, contract_id: ContractIdColumn) -> ColumnElement[bool]:
    """SQL for "a row naming ``contract_id`` is about nothing ``user`` may not read".

    For records that point at contracts, such as audit events: rows about no contract or about a
    contract deleted for good stay visible (the trail of a purge must stay readable), except
    for a purged confidential contract, whose rows only admins keep seeing; rows about a
    contract the user may not read are left out.
    """
    if not user.active:
        return false()
    if user.role == Role.ADMIN:
        return true()
    exists = select(Contract.id).where(Contract.id == contract_id).exists()
    was_confidential = (
        select(PurgedConfidentialContract.contract_id)
        .where(PurgedConfidentialContract.contract_id == contract_id)
        .exists()
    )
    readable = select(Contract.id).where(Contract.id == contract_id, _visibility_clause(user)).exists()
    return or_(contract_id.is_(None), and_(~exists, ~was_confidential), readable)


def may_read_result(user: User, row: CachedResult) -> bool:
    """Whether ``user`` may read a result made from a contract (a comparison, a signature
    report): they may read the contract now (not in the trash), and the result is not another
    user's own."""
    if row.contract_id is None or row.owner_id not in (None, user.id):
        return False
    contract = db.session.get(Contract, row.contract_id)
    return contract is not None and contract.deleted_at is None and may(user, contract, Permission.CONTRACT_READ)


def get_contract(
    user: User, contract_id: int, permission: Permission = Permission.CONTRACT_READ, *, include_trash: bool = False
) -> Contract:
    """The contract if ``user`` may see it and do ``permission`` to it.

    Raises NotFound when the contract is missing or invisible to the user, Forbidden when the
    user can see it but may not do this.
    """
    contract = db.session.get(Contract, contract_id)
    if contract is None or not may(user, contract, Permission.CONTRACT_READ):
        raise NotFound(_("No such contract."))
    in_trash = contract.deleted_at is not None
    if in_trash and not (include_trash and user.can(Permission.TRASH_MANAGE)):
        raise NotFound(_("No such contract."))
    if not may(user, contract, permission):
        raise Forbidden(_("You may not do this to this contract."))
    return contract


def require(user: User, permission: Permission) -> None:
    if not user.can(permission):
        raise Forbidden(_("Your role does not allow this."))


# --- search principals -----------------------------------------------------------------


def user_principals(user: User) -> tuple[str, ...]:
    """The principals a search runs with; a hit must share one with the document."""
    if not user.active or not user.can(Permission.CONTRACT_READ):
        return ()
    principals = [f"user:{user.id}", f"role:{user.role}"]
    if user.department_id is not None:
        principals.append(f"dept:{user.department_id}")
        if _is_manager(user):
            principals.append(f"deptmgr:{user.department_id}")
        principals.extend(f"deptgrant:{dept_id}" for dept_id in ancestors_or_self(user.department))
    principals.extend(f"group:{group.id}" for group in user.groups)
    return tuple(principals)


def document_principals(contract: Contract) -> tuple[str, ...]:
    """Who may read ``contract``, as the search index stores it (mirrors ``contract_levels``)."""
    return readers_principals(
        owner_id=contract.owner_id,
        confidential=contract.confidential,
        department_level=contract.department_level,
        department_chain=ancestors_or_self(contract.department),
        grants=[(grant.grantee_type, grant.grantee_id) for grant in contract.grants],
    )


def readers_principals(
    *,
    owner_id: int,
    confidential: bool,
    department_level: str | None,
    department_chain: Sequence[int],
    grants: Iterable[tuple[str, int]],
) -> tuple[str, ...]:
    """:func:`document_principals` from plain values, for indexing many contracts without
    loading their objects. ``department_chain`` is the contract's department and those above it
    (nearest first), as :func:`ancestors_or_self` or :func:`department_chain` give it."""
    principals = {"role:admin", f"user:{owner_id}"}
    if not confidential:
        principals.add("role:auditor")
        if department_chain:
            if department_level:
                principals.add(f"dept:{department_chain[0]}")
            principals.update(f"deptmgr:{dept_id}" for dept_id in department_chain)
    principals.update(_grant_principals(grants))
    return tuple(sorted(principals))


def department_chain(department_id: int | None, parents: Mapping[int, int | None]) -> list[int]:
    """:func:`ancestors_or_self` from a map of department id → parent id (read once for many
    contracts)."""
    ids: list[int] = []
    current = department_id
    while current is not None and current not in ids:
        ids.append(current)
        current = parents.get(current)
    return ids


def _grant_principals(grants: Iterable[tuple[str, int]]) -> set[str]:
    prefix = {"user": "user", "department": "deptgrant", "group": "group"}
    return {f"{prefix[kind]}:{grantee_id}" for kind, grantee_id in grants if kind in prefix}

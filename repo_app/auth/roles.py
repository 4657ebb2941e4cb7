"""Roles and what each may do. The single table every permission check reads.

Per-contract access lists (owner, department, grants) narrow this further; see
``repo_app.contracts.access``.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    EDITOR = "editor"
    SIGNER = "signer"
    VIEWER = "viewer"
    AUDITOR = "auditor"
    #: Reads contracts and records payments (finance staff); edits nothing else.
    FINANCE = "finance"


_ROLE_NAMES = frozenset(role.value for role in Role)


def is_role(name: str) -> bool:
    """Whether ``name`` (from a form, the API, a setting or the database) names a role."""
    return name in _ROLE_NAMES


class Permission(enum.StrEnum):
    CONTRACT_READ = "contract.read"
    CONTRACT_CREATE = "contract.create"
    CONTRACT_EDIT = "contract.edit"
    CONTRACT_DELETE = "contract.delete"
    CONTRACT_SIGN = "contract.sign"
    #: Record a contract signed outside Pactum as in force straight from draft.
    CONTRACT_REGISTER = "contract.register"
    #: Change a contract's access list.
    CONTRACT_SHARE = "contract.share"
    TRASH_MANAGE = "trash.manage"
    AUDIT_READ = "audit.read"
    USER_ADMIN = "user.admin"
    #: Re-run text extraction and indexing of a version.
    PROCESSING_RETRY = "processing.retry"
    #: Record and reverse payments (and, later, invoices) on contracts one may read.
    PAYMENT_RECORD = "payment.record"
    #: Record invoices of contracts one may read and move them through their statuses.
    INVOICE_RECORD = "invoice.record"
    #: Add and edit entries of the counterparty directory.
    COUNTERPARTY_EDIT = "counterparty.edit"
    #: Merge two directory entries (their contracts move to the one kept).
    COUNTERPARTY_MERGE = "counterparty.merge"
    #: Upload, edit, publish and retire contract templates and the clause library.
    TEMPLATE_MANAGE = "template.manage"


_READ = {Permission.CONTRACT_READ}
_WRITE = _READ | {
    Permission.CONTRACT_CREATE,
    Permission.CONTRACT_EDIT,
    Permission.CONTRACT_SHARE,
    Permission.COUNTERPARTY_EDIT,
    Permission.TEMPLATE_MANAGE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        _WRITE
        | {
            Permission.CONTRACT_DELETE,
            Permission.CONTRACT_SIGN,
            Permission.CONTRACT_REGISTER,
            Permission.COUNTERPARTY_MERGE,
        }
    ),
    Role.EDITOR: frozenset(_WRITE),
    Role.SIGNER: frozenset(_READ | {Permission.CONTRACT_SIGN}),
    Role.VIEWER: frozenset(_READ),
    Role.AUDITOR: frozenset(_READ | {Permission.AUDIT_READ}),
    Role.FINANCE: frozenset(
        _READ | {Permission.PAYMENT_RECORD, Permission.INVOICE_RECORD, Permission.COUNTERPARTY_EDIT}
    ),
}


def roles_with(permission: Permission) -> frozenset[Role]:
    """The roles whose permissions include ``permission``."""
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


def role_allows(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False

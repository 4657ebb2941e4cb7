"""Changing who may see and work on a contract (its access list)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Group, User
from ..auth.roles import Permission
from ..core import signals
from ..core.audit import record
from ..core.bodies import optional_id
from ..core.errors import Forbidden, ValidationFailed
from ..core.extensions import db
from . import access
from .models import Contract, ContractGrant, Department

GRANTEE_MODELS: dict[str, Any] = {"user": User, "department": Department, "group": Group}


@dataclass(frozen=True)
class GrantSpec:
    grantee_type: str
    grantee_id: int
    level: str


@dataclass(frozen=True)
class AccessSpec:
    confidential: bool
    department_level: str | None
    grants: Sequence[GrantSpec]


def grantee_label(grant: ContractGrant) -> str:
    target = db.session.get(GRANTEE_MODELS[grant.grantee_type], grant.grantee_id)
    if target is None:
        return f"{grant.grantee_type} #{grant.grantee_id}"
    return str(getattr(target, "email", None) or target.name)


def access_to_dict(contract: Contract) -> dict[str, Any]:
    return {
        "owner": contract.owner.email,
        "department": contract.department.name if contract.department else None,
        "confidential": contract.confidential,
        "department_level": contract.department_level,
        "grants": [
            {"grantee_type": g.grantee_type, "grantee_id": g.grantee_id, "grantee": grantee_label(g), "level": g.level}
            for g in contract.grants
        ],
    }


def parse_access(body: Any) -> AccessSpec:
    """The JSON body of PUT …/access: {confidential, department_level, grants: [...]}."""
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send the access list as a JSON object."))
    department_level = body.get("department_level", "read")
    if department_level is not None and not _is_level(department_level):
        raise ValidationFailed(_("Unknown level %(level)s.", level=department_level))
    raw_grants = body.get("grants") or []
    if not isinstance(raw_grants, list):
        raise ValidationFailed(_("grants is a list of grant objects."))
    grants = []
    for raw in raw_grants:
        if not isinstance(raw, dict):
            raise ValidationFailed(_("Each grant is an object with grantee_type, grantee and level."))
        grants.append(_grant(raw))
    confidential = body.get("confidential", False)
    if not isinstance(confidential, bool):
        raise ValidationFailed(_("confidential must be true or false."))
    return AccessSpec(confidential=confidential, department_level=department_level, grants=grants)


def _is_level(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and value in access.LEVELS


def _grant(raw: dict[str, Any]) -> GrantSpec:
    kind, level = raw.get("grantee_type"), raw.get("level")
    if not isinstance(kind, str) or kind not in GRANTEE_MODELS:
        raise ValidationFailed(_("grantee_type must be user, department or group."))
    if not _is_level(level):
        raise ValidationFailed(_("Unknown level %(level)s.", level=level))
    return GrantSpec(kind, _grantee_id(kind, raw), level)


def _grantee_id(kind: str, raw: dict[str, Any]) -> int:
    """A grantee by id, or by e-mail (users) / name (departments, groups)."""
    model = GRANTEE_MODELS[kind]
    if raw.get("grantee_id") is not None:
        found = db.session.get(model, optional_id(raw, "grantee_id"))
    else:
        key = model.email if kind == "user" else model.name
        value = str(raw.get("grantee") or "").strip()
        found = db.session.scalar(select(model).where(key == (value.lower() if kind == "user" else value)))
    if found is None:
        raise ValidationFailed(
            _("No such %(kind)s: %(name)s", kind=kind, name=raw.get("grantee") or raw.get("grantee_id"))
        )
    return int(found.id)


def set_access(user: User, contract: Contract, spec: AccessSpec) -> Contract:
    """Replace the contract's access list; audited with the old and new lists."""
    if not access.may(user, contract, Permission.CONTRACT_SHARE):
        raise Forbidden(_("You may not change who can see this contract."))
    before = access_to_dict(contract)
    contract.confidential = spec.confidential
    contract.department_level = spec.department_level
    wanted = {(g.grantee_type, g.grantee_id): g.level for g in spec.grants}
    contract.grants = [grant for grant in contract.grants if (grant.grantee_type, grant.grantee_id) in wanted]
    for grant in contract.grants:
        grant.level = wanted.pop((grant.grantee_type, grant.grantee_id))
    for (kind, grantee_id), level in wanted.items():
        contract.grants.append(
            ContractGrant(grantee_type=kind, grantee_id=grantee_id, level=level, granted_by_id=user.id)
        )
    db.session.flush()
    after = access_to_dict(contract)
    if before != after:
        record("contract.share", actor=user, contract_id=contract.id, old=before, new=after)
        signals.send(signals.access_changed, contract=contract, user=user)
    return contract

"""How contracts and versions came to be: restores, related contracts (comparisons: comparisons.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ..auth.models import User
from ..auth.roles import Permission
from ..core import clock, signals
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, ValidationFailed
from ..core.extensions import db
from . import access
from .models import RELATIONS, Contract, ContractVersion
from .services import next_version_number
from .status import VersionStatus


def restore_version(user: User, contract: Contract, version: ContractVersion) -> ContractVersion:
    """A new version with the bytes of ``version``; the history stays complete."""
    if not access.may(user, contract, Permission.CONTRACT_EDIT):
        raise Forbidden(_("You may not do this to this contract."))
    latest = contract.latest_version
    if latest is not None and latest.sha256 == version.sha256:
        raise Conflict(_("Version %(n)d already has these contents.", n=latest.number))
    restored = ContractVersion(
        number=next_version_number(contract),
        blob_key=version.blob_key,
        sha256=version.sha256,
        size=version.size,
        media_type=version.media_type,
        original_filename=version.original_filename,
        uploaded_by_id=user.id,
        origin="restored",
        source_version_id=version.id,
        status=VersionStatus.PROCESSING,
    )
    contract.versions.append(restored)
    contract.updated_at = clock.now()
    db.session.flush()
    record(
        "version.restore",
        actor=user,
        contract_id=contract.id,
        version_id=restored.id,
        number=restored.number,
        restored_from=version.number,
    )
    signals.send(signals.version_added, contract=contract, version=restored, user=user)
    return restored


def set_parent(user: User, contract: Contract, parent_id: int | None, relation: str | None) -> None:
    """Link ``contract`` to the contract it amends, renews, terminates or belongs to."""
    if parent_id is None:
        contract.parent_id, contract.relation = None, None
        return
    if relation not in RELATIONS:
        raise ValidationFailed(_("relation must be one of: %(names)s", names=", ".join(RELATIONS)))
    parent = access.get_contract(user, parent_id)
    ancestor: Contract | None = parent
    while ancestor is not None:
        if ancestor.id == contract.id:
            raise ValidationFailed(_("A contract cannot be related to itself or to one of its own family."))
        ancestor = ancestor.parent
    contract.parent_id, contract.relation = parent.id, relation


def relate(user: User, contract: Contract, parent_id: int | None, relation: str | None) -> None:
    """Set or clear the parent link, audited with the old and new link."""
    old = {"parent_id": contract.parent_id, "relation": contract.relation}
    set_parent(user, contract, parent_id, relation)
    record(
        "contract.relate",
        actor=user,
        contract_id=contract.id,
        old=old,
        new={"parent_id": contract.parent_id, "relation": contract.relation},
    )


@dataclass(frozen=True)
class Family:
    ancestors: list[Contract]
    children: list[Contract]


def family(user: User, contract: Contract) -> Family:
    """The related contracts ``user`` may see: the chain of parents and the direct children."""
    ancestors: list[Contract] = []
    parent = contract.parent
    while parent is not None and len(ancestors) < 20:
        if access.may(user, parent, Permission.CONTRACT_READ) and parent.deleted_at is None:
            ancestors.append(parent)
        parent = parent.parent
    children = [
        child
        for child in contract.children
        if child.deleted_at is None and access.may(user, child, Permission.CONTRACT_READ)
    ]
    return Family(ancestors=list(reversed(ancestors)), children=children)


def lineage_graph(user: User, contract: Contract) -> dict[str, Any]:
    """Nodes and edges for the lineage view: versions (with where each came from) and relatives."""
    related = family(user, contract)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for relative in [*related.ancestors, contract, *related.children]:
        nodes.append(
            {
                "id": f"c{relative.id}",
                "kind": "contract",
                "label": relative.title,
                "contract_id": relative.id,
                "current": relative.id == contract.id,
            }
        )
        if relative.parent_id is not None:
            edges.append({"from": f"c{relative.parent_id}", "to": f"c{relative.id}", "label": relative.relation})
    for version in contract.versions:
        nodes.append(
            {
                "id": f"v{version.id}",
                "kind": "version",
                "label": f"v{version.number}",
                "number": version.number,
                "origin": version.origin,
                "status": version.status,
            }
        )
        source = f"v{version.source_version_id}" if version.source_version_id else f"c{contract.id}"
        edges.append({"from": source, "to": f"v{version.id}", "label": version.origin})
    known = {node["id"] for node in nodes}
    return {"nodes": nodes, "edges": [edge for edge in edges if edge["from"] in known]}

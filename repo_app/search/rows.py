"""Rows read for many contracts at once with plain column queries (no object graph per
contract): what search hits show and what the index is built from."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import literal, select, union_all

from ..contracts.models import ContractParty, Counterparty, Tag, contract_tags
from ..core.extensions import db


def names_by_contract(ids: Sequence[int]) -> dict[tuple[int, str], list[str]]:
    """Counterparty names in their order on the contract and tag names alphabetically (as the
    contract page lists them), keyed by (contract id, "party" or "tag"), in one query."""
    if not ids:
        return {}
    parties = (
        select(
            ContractParty.contract_id.label("contract_id"),
            literal("party").label("kind"),
            ContractParty.position.label("position"),
            Counterparty.name.label("name"),
        )
        .join(Counterparty, Counterparty.id == ContractParty.counterparty_id)
        .where(ContractParty.contract_id.in_(ids))
    )
    tags = (
        select(
            contract_tags.c.contract_id.label("contract_id"),
            literal("tag").label("kind"),
            literal(0).label("position"),
            Tag.name.label("name"),
        )
        .join(Tag, Tag.id == contract_tags.c.tag_id)
        .where(contract_tags.c.contract_id.in_(ids))
    )
    combined = union_all(parties, tags).subquery()
    ordered = select(combined).order_by(combined.c.contract_id, combined.c.kind, combined.c.position, combined.c.name)
    found: dict[tuple[int, str], list[str]] = {}
    for row in db.session.execute(ordered):
        found.setdefault((row.contract_id, row.kind), []).append(row.name)
    return found

"""Rows read for many contracts at once with plain column queries (no object graph per
contract): what search hits show and what the index is built from."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, text

from ..contracts.models import ContractParty, Counterparty, Tag, contract_tags
from ..core.extensions import db

# Plain SQL, written once: building the equivalent UNION of two ORM selects (and its cache
# key) on every search cost about 2 ms of CPU, five times what running it costs.
_NAMES = text(
    f"SELECT p.contract_id, 'party' AS kind, p.position, c.name"
    f" FROM {ContractParty.__tablename__} p JOIN {Counterparty.__tablename__} c ON c.id = p.counterparty_id"
    f" WHERE p.contract_id IN :ids"
    f" UNION ALL"
    f" SELECT t.contract_id, 'tag' AS kind, 0 AS position, g.name"
    f" FROM {contract_tags.name} t JOIN {Tag.__tablename__} g ON g.id = t.tag_id"
    f" WHERE t.contract_id IN :ids"
    f" ORDER BY 1, 2, 3, 4"
).bindparams(bindparam("ids", expanding=True))


def names_by_contract(ids: Sequence[int]) -> dict[tuple[int, str], list[str]]:
    """Counterparty names in their order on the contract and tag names alphabetically (as the
    contract page lists them), keyed by (contract id, "party" or "tag"), in one query."""
    if not ids:
        return {}
    found: dict[tuple[int, str], list[str]] = {}
    for contract_id, kind, _position, name in db.session.execute(_NAMES, {"ids": list(ids)}):
        found.setdefault((contract_id, kind), []).append(name)
    return found

"""Which metadata found in a contract's text is worth offering to the user.

A field already filled is not offered again (nor a counterparty the contract already has),
and the organisation's own names (:mod:`.own_names`) are never offered as a counterparty:
in most contracts 甲方 is "us".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..core.extensions import db
from .models import Contract, VersionText
from .own_names import comparable, own_name_keys

#: The fields a suggestion may fill, in the order they are shown.
FIELDS = ("counterparties", "contract_number", "amount", "signed_date", "effective_date", "expiry_date")


@dataclass(frozen=True)
class Suggestion:
    field: str
    value: str
    evidence: str
    currency: str | None = None


def _filled(contract: Contract, field: str) -> bool:
    if field == "amount":
        return contract.amount is not None
    return bool(getattr(contract, field))


def _first_new(candidates: list[dict[str, Any]], skip: frozenset[str]) -> dict[str, Any] | None:
    for candidate in candidates:
        if not _known(comparable(str(candidate.get("value", ""))), skip):
            return candidate
    return None


#: A name cut short where a PDF line wrapped (上海澄衡科技股份有限公 / 司) is still the known name
#: when it is the start of one and not shorter than this.
MIN_CUT_NAME = 4


def _known(key: str, skip: frozenset[str]) -> bool:
    return key in skip or (len(key) >= MIN_CUT_NAME and any(known.startswith(key) for known in skip))


def suggestions_to_offer(contract: Contract) -> list[Suggestion]:
    """At most one suggestion per field, from the latest version's extracted text."""
    latest = contract.latest_version
    if latest is None:
        return []
    stored = db.session.scalar(select(VersionText.suggestions).where(VersionText.version_id == latest.id))
    found: dict[str, list[dict[str, Any]]] = stored or {}
    offered: list[Suggestion] = []
    for field in FIELDS:
        if field == "counterparties":
            skip = own_name_keys() | {comparable(name) for name in contract.counterparty_names}
        elif _filled(contract, field):
            continue
        else:
            skip = frozenset()
        candidate = _first_new(found.get(field) or [], skip)
        if candidate is not None:
            offered.append(
                Suggestion(
                    field,
                    str(candidate["value"]),
                    str(candidate.get("evidence") or ""),
                    candidate.get("currency") or None,
                )
            )
    return offered

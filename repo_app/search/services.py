"""Searching on behalf of a user: their principals always go into the engine's query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from indexer.search import QuerySyntaxError, SearchFilters, SearchQuery, SearchResult

from ..auth.models import User
from ..contracts.access import user_principals, visible_contracts
from ..contracts.models import Contract, ContractType
from ..contracts.status import STATUS_LABELS
from ..core.errors import PactumError, ValidationFailed, library_error_answer
from ..core.extensions import db
from ..core.pagination import page_arguments
from .indexing import backend

SORTS = (
    "relevance",
    "expiry_date",
    "-expiry_date",
    "signed_date",
    "-signed_date",
    "amount",
    "-amount",
    "created",
    "-created",
)
LIST_FILTERS = ("contract_type", "status", "tag", "counterparty", "department", "owner")


class BadQuery(PactumError):
    status = 400
    code = "bad_query"


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    result: SearchResult
    contracts: dict[int, Contract]


def parse_search_args(args: MultiDict[str, str], principals: tuple[str, ...]) -> SearchQuery:
    page, per_page = page_arguments(args)
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise ValidationFailed(_("sort must be one of: %(sorts)s", sorts=", ".join(SORTS)))
    filters = SearchFilters(
        **{name: tuple(value for value in args.getlist(name) if value) for name in LIST_FILTERS},
        amount_min=_decimal(args, "amount_min"),
        amount_max=_decimal(args, "amount_max"),
        signed_from=_date(args, "signed_from"),
        signed_to=_date(args, "signed_to"),
        expiry_from=_date(args, "expiry_from"),
        expiry_to=_date(args, "expiry_to"),
    )
    return SearchQuery(
        text=args.get("q", "").strip(), principals=principals, filters=filters, sort=sort, page=page, per_page=per_page
    )


def _decimal(args: MultiDict[str, str], name: str) -> Decimal | None:
    raw = (args.get(name) or "").replace(",", "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed(_("%(name)s must be a number.", name=name)) from None


def _date(args: MultiDict[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(_("%(name)s must be a date like 2025-03-01.", name=name)) from None


def search(user: User, args: MultiDict[str, str]) -> SearchPage:
    query = parse_search_args(args, user_principals(user))
    try:
        result = backend().search(query)
    except QuerySyntaxError as error:
        raise BadQuery(library_error_answer(error).message(error)) from None
    return SearchPage(query=query, result=result, contracts=_load(user, [hit.id for hit in result.hits]))


def _load(user: User, ids: list[int]) -> dict[int, Contract]:
    """The hits' contracts from the database, checked again against the user's access."""
    if not ids:
        return {}
    rows = db.session.scalars(visible_contracts(user).where(Contract.id.in_(ids)))
    return {contract.id: contract for contract in rows}


def hit_to_dict(page: SearchPage, hit: Any) -> dict[str, Any] | None:
    contract = page.contracts.get(hit.id)
    if contract is None:
        return None
    return {
        "id": contract.id,
        "title": contract.title,
        "score": round(hit.score, 4),
        "highlights": list(hit.highlights),
        "page": hit.page,
        "contract_type": contract.contract_type_code,
        "status": contract.status,
        "counterparties": contract.counterparty_names,
        "amount": None if contract.amount is None else f"{contract.amount:.2f}",
        "currency": contract.currency,
        "expiry_date": contract.expiry_date.isoformat() if contract.expiry_date else None,
        "tags": [tag.name for tag in contract.tags],
    }


def page_to_dict(page: SearchPage) -> dict[str, Any]:
    hits = [item for hit in page.result.hits if (item := hit_to_dict(page, hit)) is not None]
    return {
        "total": page.result.total,
        "page": page.query.page,
        "per_page": page.query.per_page,
        "hits": hits,
        "facets": {
            name: [{"value": f.value, "count": f.count} for f in counts] for name, counts in page.result.facets.items()
        },
    }


def suggest(user: User, prefix: str) -> list[str]:
    prefix = prefix.strip()
    if not prefix:
        return []
    return list(backend().suggest(prefix, user_principals(user)))


def more_like_this(user: User, contract: Contract, limit: int = 5) -> list[Contract]:
    hits = backend().more_like_this(contract.id, user_principals(user), limit)
    loaded = _load(user, [hit.id for hit in hits])
    return [loaded[hit.id] for hit in hits if hit.id in loaded]


def facet_value_labels(language: str) -> dict[str, dict[str, str]]:
    """What the facet sidebar shows for stored codes: type names and status labels."""
    types = {row.code: row.label(language) for row in db.session.scalars(db.select(ContractType))}
    return {"contract_type": types, "status": {code: str(label) for code, label in STATUS_LABELS.items()}}


__all__ = ["BadQuery", "SearchPage", "facet_value_labels", "more_like_this", "page_to_dict", "search", "suggest"]

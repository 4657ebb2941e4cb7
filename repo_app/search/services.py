"""Searching on behalf of a user: their principals always go into the engine's query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from indexer.search import CustomFilter, QuerySyntaxError, SearchFilters, SearchQuery, SearchResult

from ..auth.models import User
from ..contracts.access import user_principals, visible_contracts
from ..contracts.custom_fields import all_fields
from ..contracts.field_models import EXACT_KINDS, FACET_KINDS, RANGE_KINDS, ContractFieldValue, CustomField
from ..contracts.models import Contract, ContractType
from ..contracts.status import STATUS_LABELS
from ..core.errors import PactumError, ValidationFailed, library_error_answer
from ..core.extensions import db
from ..core.pagination import page_arguments
from .indexing import backend
from .rows import names_by_contract

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
class HitRow:
    """What a search hit shows of its contract, read from the database (the source of truth)
    without loading the contract's object graph."""

    id: int
    title: str
    contract_number: str | None
    contract_type: str | None
    status: str
    amount: Decimal | None
    currency: str | None
    expiry_date: date | None
    counterparties: tuple[str, ...]
    tags: tuple[str, ...]
    #: The stored values of the fields marked "filter in search", in field order.
    custom: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    result: SearchResult
    contracts: dict[int, HitRow]


def parse_search_args(args: MultiDict[str, str], principals: tuple[str, ...]) -> SearchQuery:
    page, per_page = page_arguments(args)
    fields = {field.key: field for field in _definitions()}
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS and not _custom_sort(sort, fields):
        raise ValidationFailed(_("sort must be one of: %(sorts)s", sorts=", ".join(SORTS)))
    filters = SearchFilters(
        **{name: tuple(value for value in args.getlist(name) if value) for name in LIST_FILTERS},
        amount_min=_decimal(args, "amount_min"),
        amount_max=_decimal(args, "amount_max"),
        signed_from=_date(args, "signed_from"),
        signed_to=_date(args, "signed_to"),
        expiry_from=_date(args, "expiry_from"),
        expiry_to=_date(args, "expiry_to"),
        created_from=_date(args, "created_from"),
        created_to=_date(args, "created_to"),
        custom=custom_filters(args, fields),
    )
    return SearchQuery(
        text=args.get("q", "").strip(),
        principals=principals,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        custom_facets=tuple(field.key for field in facet_fields()),
    )


# -- custom fields: ``cf.<key>=value`` (exact, repeatable), ``cf.<key>.min`` / ``.max`` (ranges),
# ``sort=cf:<key>`` / ``-cf:<key>``; facets for the filterable choice-like fields.


_FIELDS = "pactum_search_custom_fields"


def _definitions() -> list[CustomField]:
    """The custom field definitions, read once per request (parsing, facets, the sidebar)."""
    if not has_request_context():
        return all_fields()
    cached: list[CustomField] | None = g.get(_FIELDS)
    if cached is None:
        cached = all_fields()
        setattr(g, _FIELDS, cached)
    return cached


def active_fields() -> list[CustomField]:
    return [field for field in _definitions() if field.retired_at is None]


def facet_fields() -> list[CustomField]:
    """The custom fields the sidebar counts: filterable, in use, of a choice-like kind."""
    return [field for field in active_fields() if field.filterable and field.kind in FACET_KINDS]


def filter_fields() -> list[CustomField]:
    """The custom fields the sidebar offers filters for."""
    return [field for field in active_fields() if field.filterable]


def _custom_sort(sort: str, fields: dict[str, CustomField]) -> bool:
    name = sort.removeprefix("-")
    field = fields.get(name[3:]) if name.startswith("cf:") else None
    return field is not None and field.kind in RANGE_KINDS


def custom_filters(args: MultiDict[str, str], fields: dict[str, CustomField]) -> tuple[CustomFilter, ...]:
    wanted: dict[str, dict[str, Any]] = {}
    for name in args:
        if not name.startswith("cf."):
            continue
        key, _dot, bound = name[3:].partition(".")
        field = fields.get(key)
        if field is None or bound not in ("", "min", "max") or (bound and field.kind not in RANGE_KINDS):
            raise ValidationFailed(_("%(name)s is not a custom field filter.", name=name), fields={name: "unknown"})
        if not bound and field.kind not in EXACT_KINDS:
            raise ValidationFailed(
                _("%(name)s takes a range: use %(name)s.min and %(name)s.max.", name=name), fields={name: "range"}
            )
        spec = wanted.setdefault(key, {})
        if bound:
            value = _bound(args, name, field)
            if value is not None:
                spec["lo" if bound == "min" else "hi"] = value
        else:
            values = tuple(_exact(field, v) for v in args.getlist(name) if v.strip())
            if values:
                spec["values"] = values
    return tuple(CustomFilter(key, **spec) for key, spec in wanted.items() if spec)


def _exact(field: CustomField, value: str) -> str:
    value = value.strip()
    if field.kind == "boolean":
        return "true" if value.lower() in ("true", "1", "yes", "on", "是") else "false"
    return value.lower() if field.kind == "user" else value


def _bound(args: MultiDict[str, str], name: str, field: CustomField) -> int | Decimal | date | None:
    if field.kind == "date":
        return _date(args, name)
    number = _decimal(args, name)
    if number is None or field.kind != "integer":
        return number
    if number != number.to_integral_value():
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), fields={name: "integer"})
    return int(number)


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


_PRINCIPALS = "pactum_search_principals"


def principals_for(user: User) -> tuple[str, ...]:
    """``user``'s search principals, computed once per request (every search, suggestion and
    "similar contracts" panel of one request reuses them); outside a request, afresh."""
    if not has_request_context():
        return user_principals(user)
    cached: tuple[int, tuple[str, ...]] | None = g.get(_PRINCIPALS)
    if cached is None or cached[0] != user.id:
        cached = (user.id, user_principals(user))
        setattr(g, _PRINCIPALS, cached)
    return cached[1]


def forget_principals() -> None:
    """Drop the cached principals and custom field definitions (at the start of each request: a
    test client may run many requests in one application context, and access can change between
    them)."""
    g.pop(_PRINCIPALS, None)
    g.pop(_FIELDS, None)


def search(user: User, args: MultiDict[str, str]) -> SearchPage:
    query = parse_search_args(args, principals_for(user))
    try:
        result = backend().search(query)
    except QuerySyntaxError as error:
        raise BadQuery(library_error_answer(error).message(error)) from None
    return SearchPage(query=query, result=result, contracts=_hit_rows(user, [hit.id for hit in result.hits]))


_HIT_COLUMNS = (
    Contract.id,
    Contract.title,
    Contract.contract_number,
    Contract.contract_type_code,
    Contract.status,
    Contract.amount,
    Contract.currency,
    Contract.expiry_date,
)


def _hit_rows(user: User, ids: list[int]) -> dict[int, HitRow]:
    """The hits' contracts as the database has them now, checked again against the user's
    access in the same query (the index may lag behind a change of access or a trashing).

    Three queries for the whole page instead of an object graph per hit: the columns, the tag
    and counterparty names, and the custom values shown on the hits, of the contracts that
    passed the check."""
    if not ids:
        return {}
    query = visible_contracts(user).with_only_columns(*_HIT_COLUMNS).where(Contract.id.in_(ids))
    rows = db.session.execute(query).all()
    names = names_by_contract([row.id for row in rows])
    custom = _shown_values([row.id for row in rows])
    return {
        row.id: HitRow(
            id=row.id,
            title=row.title,
            contract_number=row.contract_number,
            contract_type=row.contract_type_code,
            status=row.status,
            amount=row.amount,
            currency=row.currency,
            expiry_date=row.expiry_date,
            counterparties=tuple(names.get((row.id, "party"), ())),
            tags=tuple(names.get((row.id, "tag"), ())),
            custom=custom.get(row.id, ()),
        )
        for row in rows
    }


def _shown_values(ids: list[int]) -> dict[int, tuple[tuple[str, Any], ...]]:
    """``{contract id: ((key, stored value), …)}`` of the fields marked "filter in search", in
    one query for the page (the definitions are read once per request)."""
    fields = filter_fields()
    if not ids or not fields:
        return {}
    order = {field.id: (position, field.key) for position, field in enumerate(fields)}
    query = select(ContractFieldValue.contract_id, ContractFieldValue.field_id, ContractFieldValue.value).where(
        ContractFieldValue.contract_id.in_(ids), ContractFieldValue.field_id.in_(list(order))
    )
    found: dict[int, list[tuple[int, str, Any]]] = {}
    for contract_id, field_id, value in db.session.execute(query):
        position, key = order[field_id]
        found.setdefault(contract_id, []).append((position, key, value))
    return {cid: tuple((key, value) for _p, key, value in sorted(values)) for cid, values in found.items()}


def hit_to_dict(page: SearchPage, hit: Any) -> dict[str, Any] | None:
    row = page.contracts.get(hit.id)
    if row is None:
        return None
    return {
        "id": row.id,
        "title": row.title,
        "score": round(hit.score, 4),
        "highlights": list(hit.highlights),
        "page": hit.page,
        "contract_number": row.contract_number,
        "contract_type": row.contract_type,
        "status": row.status,
        "counterparties": list(row.counterparties),
        "amount": None if row.amount is None else f"{row.amount:.2f}",
        "currency": row.currency,
        "expiry_date": row.expiry_date.isoformat() if row.expiry_date else None,
        "tags": list(row.tags),
        "custom_fields": dict(row.custom),
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
    return list(backend().suggest(prefix, principals_for(user)))


def more_like_this(user: User, contract: Contract, limit: int = 5) -> list[Contract]:
    """Contracts like ``contract`` that ``user`` may read (as objects: the API serialises them
    in full and the contract page links them)."""
    hits = backend().more_like_this(contract.id, principals_for(user), limit)
    if not hits:
        return []
    query = visible_contracts(user).where(Contract.id.in_([hit.id for hit in hits]))
    loaded = {row.id: row for row in db.session.scalars(query)}
    return [loaded[hit.id] for hit in hits if hit.id in loaded]


def facet_value_labels(language: str) -> dict[str, dict[str, str]]:
    """What the facet sidebar shows for stored codes: type names, status labels, yes and no."""
    types = {row.code: row.label(language) for row in db.session.scalars(db.select(ContractType))}
    labels = {"contract_type": types, "status": {code: str(label) for code, label in STATUS_LABELS.items()}}
    yes_no = {"true": _("Yes"), "false": _("No")}
    for field in active_fields():
        if field.kind == "boolean":
            labels[f"cf:{field.key}"] = labels[f"cf.{field.key}"] = yes_no
    return labels


@dataclass(frozen=True)
class CustomSidebar:
    """The custom fields on the search page: facet titles, the filters offered (exact inputs
    for text-like fields, from/to for numbers and dates) and the extra sort orders."""

    titles: dict[str, str]
    exact: list[CustomField]
    ranges: list[CustomField]
    sorts: list[tuple[str, str]]


def custom_sidebar(language: str) -> CustomSidebar:
    fields = filter_fields()
    facets = {field.key for field in facet_fields()}
    sorts: list[tuple[str, str]] = []
    for field in active_fields():
        if field.kind in RANGE_KINDS:
            label = field.label(language)
            sorts += [(f"cf:{field.key}", f"{label} ↑"), (f"-cf:{field.key}", f"{label} ↓")]
    return CustomSidebar(
        titles={f"cf:{field.key}": field.label(language) for field in active_fields()},
        exact=[f for f in fields if f.kind in EXACT_KINDS and f.key not in facets],
        ranges=[f for f in fields if f.kind in RANGE_KINDS],
        sorts=sorts,
    )


__all__ = [
    "BadQuery",
    "HitRow",
    "SearchPage",
    "facet_value_labels",
    "more_like_this",
    "page_to_dict",
    "search",
    "suggest",
]

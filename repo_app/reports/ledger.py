"""The contract ledger (合同台账): which contracts an export lists and what each row holds.

The rows are chosen like the search page chooses them (the same query parameters), and always
among the contracts the user may read now (``contracts.access.visible_contracts``, the filter of
the contract list). Without search words the filters are applied in SQL; with words, the
search engine gives the matching ids (in its order) and SQL checks them again.

The columns are a list of :class:`Column` definitions. Other features add columns through
:data:`EXTRA_COLUMNS` (see :class:`ColumnProvider`): e.g. custom fields, one column per field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal, Protocol

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, exists, func, select
from werkzeug.datastructures import MultiDict

from indexer.search import SearchQuery

from ..auth.models import User
from ..contracts.access import visible_contracts
from ..contracts.models import (
    Contract,
    ContractParty,
    ContractType,
    ContractVersion,
    Counterparty,
    Department,
    Tag,
    contract_tags,
)
from ..contracts.status import ContractStatus, status_label
from ..core import deadline, registry
from ..core.extensions import db
from ..search.indexing import backend
from ..search.rows import names_by_contract
from ..search.services import LIST_FILTERS, SORTS, BadQuery, parse_search_args, principals_for
from ..signing.models import SigningRequest

#: The query parameters an export takes (those of the search page, without paging).
FILTER_PARAMETERS = (
    "q",
    "sort",
    *LIST_FILTERS,
    "amount_min",
    "amount_max",
    *(f"{name}_{end}" for name in ("signed", "expiry", "created") for end in ("from", "to")),
)
#: Contracts fetched per query while rows are written.
BATCH = 1000
#: The search engine answers at most this many hits per page.
_ENGINE_PAGE = 1000

Kind = Literal["text", "integer", "money", "date", "datetime"]


@dataclass(frozen=True)
class LedgerRow:
    """One contract as the ledger shows it; ``extra`` holds the values of added columns."""

    id: int
    contract_number: str | None
    title: str
    contract_type: str | None
    status: str
    department: str | None
    owner: str
    counterparties: tuple[str, ...]
    amount: Decimal | None
    currency: str | None
    signed_date: date | None
    effective_date: date | None
    expiry_date: date | None
    tags: tuple[str, ...]
    latest_version: int | None
    signature_state: str
    created_at: datetime
    updated_at: datetime
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """One column of the ledger: its key, heading (translated when called), the kind of cell it
    writes (typed cells in XLSX), its width in characters and how a row gives its value."""

    key: str
    heading: Callable[[], str]
    kind: Kind
    width: int
    value: Callable[[LedgerRow], object]


class ColumnProvider(Protocol):
    """Columns added by another feature (custom fields: one per field).

    ``columns()`` names them (called once per export); ``values(ids)`` gives each column's value
    for a batch of contracts (one query per batch, never per row): ``{contract id: {column key:
    value}}``. Register one in ``init_app`` with ``registry.add(app, EXTRA_COLUMNS, provider)``.
    """

    def columns(self) -> Sequence[Column]: ...

    def values(self, contract_ids: Sequence[int]) -> Mapping[int, Mapping[str, object]]: ...


#: The providers of added ledger columns (filled by other features' ``init_app``).
EXTRA_COLUMNS: registry.Key[ColumnProvider] = registry.Key("reports.extra_columns")

SIGNATURE_STATES = ("none", "requested", "signed", "cancelled")


def signature_label(state: str) -> str:
    labels = {
        "none": _("Not signed"),
        "requested": _("Signing requested"),
        "signed": _("Signed"),
        "cancelled": _("Signing cancelled"),
    }
    return labels.get(state, state)


def _joined(values: tuple[str, ...]) -> str:
    return "; ".join(values)


def base_columns() -> list[Column]:
    """The ledger's own columns (labels translated once per export, not once per row)."""
    statuses = {status.value: status_label(status) for status in ContractStatus}
    signatures = {state: signature_label(state) for state in SIGNATURE_STATES}
    return [
        Column("id", lambda: _("ID"), "integer", 8, lambda row: row.id),
        Column("contract_number", lambda: _("Contract number"), "text", 18, lambda row: row.contract_number),
        Column("title", lambda: _("Title"), "text", 40, lambda row: row.title),
        Column("contract_type", lambda: _("Type"), "text", 12, lambda row: row.contract_type),
        Column("status", lambda: _("Status"), "text", 12, lambda row: statuses.get(row.status, row.status)),
        Column("department", lambda: _("Department"), "text", 16, lambda row: row.department),
        Column("owner", lambda: _("Owner"), "text", 16, lambda row: row.owner),
        Column("counterparties", lambda: _("Counterparties"), "text", 36, lambda row: _joined(row.counterparties)),
        Column("amount", lambda: _("Amount"), "money", 16, lambda row: row.amount),
        Column("currency", lambda: _("Currency"), "text", 8, lambda row: row.currency),
        Column("signed_date", lambda: _("Signed on"), "date", 12, lambda row: row.signed_date),
        Column("effective_date", lambda: _("Effective from"), "date", 12, lambda row: row.effective_date),
        Column("expiry_date", lambda: _("Expires on"), "date", 12, lambda row: row.expiry_date),
        Column("tags", lambda: _("Tags"), "text", 20, lambda row: _joined(row.tags)),
        Column("latest_version", lambda: _("Latest version"), "integer", 8, lambda row: row.latest_version),
        Column("signature", lambda: _("Signature"), "text", 14, lambda row: signatures[row.signature_state]),
        Column("created_at", lambda: _("Created (UTC)"), "datetime", 18, lambda row: row.created_at),
        Column("updated_at", lambda: _("Updated (UTC)"), "datetime", 18, lambda row: row.updated_at),
    ]


def extra_value(key: str) -> Callable[[LedgerRow], object]:
    """The ``value`` of an added column: read from the row's ``extra`` values."""
    return lambda row: row.extra.get(key)


def all_columns() -> tuple[list[Column], list[ColumnProvider]]:
    providers = list(registry.items(EXTRA_COLUMNS))
    return base_columns() + [column for provider in providers for column in provider.columns()], providers


# --- choosing the contracts -------------------------------------------------------------------


def export_arguments(args: MultiDict[str, str]) -> dict[str, list[str]]:
    """The parameters an export keeps (sorted, empty values dropped): its filter, custom field
    filters (``cf.<key>``, ``cf.<key>.min`` / ``.max``) included."""
    names = [*FILTER_PARAMETERS, *sorted({name for name in args if name.startswith("cf.")})]
    kept = {name: sorted(value for value in args.getlist(name) if value) for name in names}
    return {name: values for name, values in kept.items() if values}


def parse_arguments(user: User, arguments: Mapping[str, list[str]]) -> SearchQuery:
    """The search page's query for a filter (its parsing: 422 naming a wrong parameter)."""
    return parse_search_args(MultiDict([(k, v) for k, vs in arguments.items() for v in vs]), principals_for(user))


def check_arguments(user: User, arguments: Mapping[str, list[str]]) -> None:
    """Refuse a bad filter (422 naming the parameter) before anything is queued."""
    parse_arguments(user, arguments)


def needs_engine(arguments: Mapping[str, list[str]]) -> bool:
    """Words and custom field filters are answered by the search engine (it indexes both);
    the other filters are plain SQL."""
    return bool(arguments.get("q")) or any(name.startswith("cf.") for name in arguments)


_SORT_ORDER: dict[str, tuple[Any, ...]] = {
    "expiry_date": (Contract.expiry_date.is_(None), Contract.expiry_date, Contract.id),
    "-expiry_date": (Contract.expiry_date.is_(None), Contract.expiry_date.desc(), Contract.id),
    "signed_date": (Contract.signed_date.is_(None), Contract.signed_date, Contract.id),
    "-signed_date": (Contract.signed_date.is_(None), Contract.signed_date.desc(), Contract.id),
    "amount": (Contract.amount.is_(None), Contract.amount, Contract.id),
    "-amount": (Contract.amount.is_(None), Contract.amount.desc(), Contract.id),
    "created": (Contract.created_at, Contract.id),
}
#: The contract list's order (newest first), also for "relevance" without words.
_NEWEST_FIRST = (Contract.created_at.desc(), Contract.id.desc())
assert set(_SORT_ORDER) | {"relevance", "-created"} == set(SORTS)


def filter_clauses(query: SearchQuery) -> list[ColumnElement[bool]]:
    """The search filters in SQL (the engine's semantics: OR within a field, AND across)."""
    return [*_list_clauses(query), *_range_clauses(query)]


def _list_clauses(query: SearchQuery) -> Iterator[ColumnElement[bool]]:
    filters = query.filters
    if filters.contract_type:
        yield Contract.contract_type_code.in_(filters.contract_type)
    if filters.status:
        yield Contract.status.in_(filters.status)
    if filters.department:
        yield Contract.department_id.in_(select(Department.id).where(Department.name.in_(filters.department)))
    if filters.owner:
        yield Contract.owner_id.in_(select(User.id).where(User.email.in_(filters.owner)))
    if filters.tag:
        yield exists(
            select(contract_tags.c.contract_id)
            .join(Tag, Tag.id == contract_tags.c.tag_id)
            .where(contract_tags.c.contract_id == Contract.id, Tag.name.in_(filters.tag))
        )
    if filters.counterparty:
        yield exists(
            select(ContractParty.contract_id)
            .join(Counterparty, Counterparty.id == ContractParty.counterparty_id)
            .where(ContractParty.contract_id == Contract.id, Counterparty.name.in_(filters.counterparty))
        )


def _range_clauses(query: SearchQuery) -> Iterator[ColumnElement[bool]]:
    filters = query.filters
    created_from = datetime.combine(filters.created_from, time.min) if filters.created_from else None
    created_before = datetime.combine(filters.created_to + timedelta(days=1), time.min) if filters.created_to else None
    for column, low, high in (
        (Contract.amount, filters.amount_min, filters.amount_max),
        (Contract.signed_date, filters.signed_from, filters.signed_to),
        (Contract.expiry_date, filters.expiry_from, filters.expiry_to),
    ):
        if low is not None:
            yield column >= low
        if high is not None:
            yield column <= high
    if created_from is not None:
        yield Contract.created_at >= created_from
    if created_before is not None:
        yield Contract.created_at < created_before  # the whole last day


def _engine_ids(query: SearchQuery) -> list[int]:
    """Every hit of a query with words, in the engine's order (pages of the largest size)."""
    from indexer.search import QuerySyntaxError

    from ..core.errors import library_error_answer

    ids: list[int] = []
    page = 1
    while True:
        deadline.check()
        paged = SearchQuery(
            text=query.text,
            principals=query.principals,
            filters=query.filters,
            sort=query.sort,
            page=page,
            per_page=_ENGINE_PAGE,
            facets=False,
            highlight=False,
        )
        try:
            result = backend().search(paged)
        except QuerySyntaxError as error:
            raise BadQuery(library_error_answer(error).message(error)) from None
        ids.extend(hit.id for hit in result.hits)
        if len(result.hits) < _ENGINE_PAGE or len(ids) >= result.total:
            return ids
        page += 1


def selected_ids(user: User, arguments: Mapping[str, list[str]]) -> list[int]:
    """The ids of the contracts the export lists, in the order it lists them."""
    query = parse_arguments(user, arguments)
    visible = visible_contracts(user).with_only_columns(Contract.id).where(*filter_clauses(query))
    if not query.text and not query.filters.custom:
        order = _NEWEST_FIRST if query.sort in ("relevance", "-created") else _SORT_ORDER[query.sort]
        return list(db.session.scalars(visible.order_by(*order)))
    ranked = _engine_ids(query)
    allowed: set[int] = set()
    for start in range(0, len(ranked), BATCH):
        chunk = ranked[start : start + BATCH]
        allowed.update(db.session.scalars(visible.where(Contract.id.in_(chunk))))
    return [contract_id for contract_id in ranked if contract_id in allowed]


# --- reading the rows -------------------------------------------------------------------------


def _signature_state() -> ColumnElement[str]:
    """ "signed" when a version came from signing or a signing request completed, else the
    state of the latest request, else "none" (one SQL expression per row, no Python loop)."""
    latest_request = (
        select(SigningRequest.status)
        .where(SigningRequest.contract_id == Contract.id)
        .order_by(SigningRequest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    signed_version = exists(
        select(ContractVersion.id).where(ContractVersion.contract_id == Contract.id, ContractVersion.origin == "signed")
    )
    return case(
        (signed_version, "signed"),
        (latest_request == "completed", "signed"),
        (latest_request == "open", "requested"),
        (latest_request == "cancelled", "cancelled"),
        else_="none",
    )


def _row_query(ids: Sequence[int], language: str) -> Select[Any]:
    latest_version = (
        select(func.max(ContractVersion.number)).where(ContractVersion.contract_id == Contract.id).scalar_subquery()
    )
    type_name = ContractType.name_zh if language.startswith("zh") else ContractType.name_en
    return (
        select(
            Contract.id,
            Contract.contract_number,
            Contract.title,
            func.coalesce(type_name, Contract.contract_type_code).label("contract_type"),
            Contract.status,
            Department.name.label("department"),
            func.coalesce(User.display_name, User.email).label("owner"),
            Contract.amount,
            Contract.currency,
            Contract.signed_date,
            Contract.effective_date,
            Contract.expiry_date,
            latest_version.label("latest_version"),
            _signature_state().label("signature_state"),
            Contract.created_at,
            Contract.updated_at,
        )
        .select_from(Contract)
        .outerjoin(ContractType, ContractType.code == Contract.contract_type_code)
        .outerjoin(Department, Department.id == Contract.department_id)
        .outerjoin(User, User.id == Contract.owner_id)
        .where(Contract.id.in_(ids))
    )


def rows(ids: Sequence[int], language: str, providers: Sequence[ColumnProvider] = ()) -> Iterator[LedgerRow]:
    """The ledger rows of ``ids`` in that order, read a batch at a time (bounded memory)."""
    for start in range(0, len(ids), BATCH):
        deadline.check()  # the job's time limit (PACTUM_JOB_TIMEOUT_SECONDS)
        chunk = ids[start : start + BATCH]
        found = {row.id: row for row in db.session.execute(_row_query(chunk, language))}
        names = names_by_contract(chunk)
        extras: dict[int, dict[str, object]] = {}
        for provider in providers:
            for contract_id, values in provider.values(chunk).items():
                extras.setdefault(contract_id, {}).update(values)
        for contract_id in chunk:
            row = found.get(contract_id)
            if row is None:  # purged meanwhile
                continue
            yield LedgerRow(
                **{key: getattr(row, key) for key in row._fields},
                counterparties=tuple(names.get((contract_id, "party"), ())),
                tags=tuple(names.get((contract_id, "tag"), ())),
                extra=extras.get(contract_id, {}),
            )


def describe(arguments: Mapping[str, list[str]]) -> list[str]:
    """The filter in words, one line per parameter, for the PDF's header."""
    names = {
        "q": _("Words"),
        "sort": _("Sort"),
        "contract_type": _("Type"),
        "status": _("Status"),
        "tag": _("Tags"),
        "counterparty": _("Counterparty"),
        "department": _("Department"),
        "owner": _("Owner"),
        "amount_min": _("Amount from"),
        "amount_max": _("Amount up to"),
        "signed_from": _("Signed from"),
        "signed_to": _("Signed until"),
        "expiry_from": _("Expires from"),
        "expiry_to": _("Expires until"),
        "created_from": _("Created from"),
        "created_to": _("Created until"),
    }
    lines = [f"{names.get(name, name)}: {', '.join(values)}" for name, values in arguments.items()]
    return lines or [_("Filter: none (every contract you may read).")]


__all__ = [
    "EXTRA_COLUMNS",
    "Column",
    "ColumnProvider",
    "LedgerRow",
    "all_columns",
    "base_columns",
    "check_arguments",
    "describe",
    "export_arguments",
    "extra_value",
    "filter_clauses",
    "needs_engine",
    "parse_arguments",
    "rows",
    "selected_ids",
]

"""The one interface every search engine implements, and its value types.

The web layer supplies :class:`IndexDocument` values and the caller's
principals; it never sees an engine's own query syntax or client objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .schema import PreparedDocument

__all__ = [
    "IndexDocument",
    "SearchFilters",
    "SearchQuery",
    "SearchHit",
    "FacetCount",
    "SearchResult",
    "SearchBackend",
    "Indexer",
    "SORTS",
    "FACET_KEYS",
    "CustomValue",
    "CustomFilter",
    "CUSTOM_KEY",
    "custom_facet_key",
    "custom_sort_key",
]

#: Accepted values of :attr:`SearchQuery.sort`.
SORTS: tuple[str, ...] = (
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
#: Keys of :attr:`SearchResult.facets`, always all present.
FACET_KEYS: tuple[str, ...] = ("contract_type", "status", "tags", "department", "counterparty", "year")

#: The key of a custom field (a slug): it names index fields, so it is kept to these characters.
CUSTOM_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: A custom field's value: text, a choice or a person/department/party name or id (``str``),
#: several choices (``tuple``), yes/no (``bool``), a whole number (``int``), a decimal or an
#: amount of money (``Decimal``) or a day (``date``). Text values match exactly; numbers and
#: days match ranges and sort.
CustomValue = str | int | Decimal | date | bool | tuple[str, ...]


def custom_facet_key(key: str) -> str:
    """The key of a custom field's facet in :attr:`SearchResult.facets`."""
    return f"cf:{key}"


def custom_sort_key(sort: str) -> str | None:
    """The custom field a sort such as ``cf:due`` or ``-cf:due`` names (else None)."""
    name = sort.removeprefix("-")
    if name.startswith("cf:") and CUSTOM_KEY.match(name[3:]):
        return name[3:]
    return None


@dataclass(frozen=True, slots=True)
class CustomFilter:
    """A filter on one custom field: any of ``values`` (exact), and/or an inclusive range.

    The bounds have the type of the field's values: ``int`` for whole numbers, ``Decimal``
    for decimals and money, ``date`` for days (the engines compare them as indexed)."""

    key: str
    values: tuple[str, ...] = ()
    lo: int | Decimal | date | None = None
    hi: int | Decimal | date | None = None

    def __post_init__(self) -> None:
        if not CUSTOM_KEY.match(self.key):
            raise ValueError(f"invalid custom field key {self.key!r}")


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """One contract (its latest version) as the search engines index it."""

    id: int
    title: str
    text: str
    page_offsets: tuple[int, ...] = ()
    contract_number: str | None = None
    contract_type: str | None = None
    status: str = "draft"
    counterparties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    department: str | None = None
    owner: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    signed_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    created: datetime = datetime(1970, 1, 1)
    principals: tuple[str, ...] = ()
    #: Custom field values as ``(key, value)`` pairs; a field without a value is left out.
    custom: tuple[tuple[str, CustomValue], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Structured filters: OR within a field, AND across fields, ranges inclusive."""

    contract_type: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    counterparty: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    signed_from: date | None = None
    signed_to: date | None = None
    expiry_from: date | None = None
    expiry_to: date | None = None
    #: Days (UTC) the contract was created on or after / on or before.
    created_from: date | None = None
    created_to: date | None = None
    custom: tuple[CustomFilter, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search request. ``principals`` is required: a document is visible iff it
    shares at least one principal with the caller (none → nothing visible)."""

    text: str
    principals: tuple[str, ...]
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    highlight: bool = True
    #: Custom fields whose values are counted too (``cf:<key>`` in the result's facets).
    custom_facets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.sort not in SORTS and custom_sort_key(self.sort) is None:
            raise ValueError(f"unknown sort {self.sort!r}; expected one of {', '.join(SORTS)} or cf:<key>")
        if any(not CUSTOM_KEY.match(key) for key in self.custom_facets):
            raise ValueError("custom_facets must hold custom field keys")
        if self.page < 1 or not 1 <= self.per_page <= 1000:
            raise ValueError("page must be >= 1 and per_page between 1 and 1000")
        if isinstance(self.principals, str):
            raise TypeError("principals must be a tuple of strings, not a string")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    score: float
    highlights: tuple[str, ...] = ()
    page: int | None = None


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[FacetCount, ...]]


@runtime_checkable
class Indexer(Protocol):
    """What :meth:`SearchBackend.rebuild` hands out: writes go to the new index."""

    def index(self, docs: Iterable[IndexDocument | PreparedDocument]) -> None: ...

    def delete(self, ids: Iterable[int]) -> None: ...


@runtime_checkable
class SearchBackend(Protocol):
    def index(self, docs: Iterable[IndexDocument | PreparedDocument]) -> None:
        """Insert or replace documents (or ones already analysed by
        :func:`~indexer.search.parallel.parallel_segment`); visible to searches when this returns."""

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by contract id (unknown ids are ignored)."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def more_like_this(self, doc_id: int, principals: tuple[str, ...], limit: int = 5) -> tuple[SearchHit, ...]: ...

    def suggest(self, prefix: str, principals: tuple[str, ...], limit: int = 8) -> tuple[str, ...]: ...

    def count(self) -> int: ...

    def clear(self) -> None: ...

    def check(self) -> None:
        """Raise :class:`~indexer.search.errors.SearchUnavailable` if unusable."""

    def rebuild(self) -> AbstractContextManager[Indexer]:
        """Build a fresh index on the side; swap it in on successful exit."""

    def close(self) -> None: ...

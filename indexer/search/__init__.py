"""Pactum's search layer: one interface, one query language, several engines.

    backend = open_search_backend("", data_dir=Path("var"))   # Tantivy by default
    backend.index(documents)
    result = backend.search(SearchQuery("保密协议 -草稿", principals=("all", "user:12")))

Plain Python: never imports Flask.
"""

from __future__ import annotations

from .base import BaseBackend
from .errors import IndexLocked, QuerySyntaxError, QueryTooComplex, SearchError, SearchUnavailable
from .factory import BACKENDS, open_search_backend
from .parallel import parallel_segment
from .plan import highlight_terms
from .protocols import (
    FACET_KEYS,
    SORTS,
    CustomFilter,
    CustomValue,
    FacetCount,
    IndexDocument,
    Indexer,
    SearchBackend,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from .query import parse_query
from .schema import PreparedDocument, prepare

__all__ = [
    "BACKENDS",
    "BaseBackend",
    "CustomFilter",
    "CustomValue",
    "FACET_KEYS",
    "FacetCount",
    "IndexDocument",
    "IndexLocked",
    "Indexer",
    "PreparedDocument",
    "QuerySyntaxError",
    "QueryTooComplex",
    "SORTS",
    "SearchBackend",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "SearchUnavailable",
    "highlight_terms",
    "open_search_backend",
    "parallel_segment",
    "parse_query",
    "prepare",
]

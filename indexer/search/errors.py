"""Errors raised by the search layer (the web layer maps them to HTTP answers)."""

from __future__ import annotations

__all__ = ["SearchError", "QuerySyntaxError", "QueryTooComplex", "SearchUnavailable", "IndexLocked"]


class SearchError(Exception):
    """Base class of every search-layer error."""


class QuerySyntaxError(SearchError):
    """The query text is not valid; the message says what is wrong and where
    (shown to the user as a 400 answer). ``code`` names the problem (a key of
    ``indexer.search.query.SYNTAX_ERRORS``) and ``params`` its details, so a caller can say
    it in its own language; ``position`` is 0-based."""

    def __init__(
        self, message: str, position: int | None = None, code: str = "", params: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.code = code
        self.params = dict(params or {})


class QueryTooComplex(QuerySyntaxError):
    """The query is longer or nested deeper than the parser accepts. ``limit`` names which
    (``"length"`` or ``"depth"``) and ``maximum`` its value, so a caller can say it in its
    own language."""

    def __init__(self, message: str, limit: str, maximum: int, position: int | None = None) -> None:
        super().__init__(message, position)
        self.limit = limit
        self.maximum = maximum


class SearchUnavailable(SearchError):
    """The engine cannot be reached or its index cannot be opened."""


class IndexLocked(SearchError):
    """Another writer (thread or process) holds the index's write lock."""

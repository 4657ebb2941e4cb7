"""Engine-independent behaviour: parsing, planning, phrase confirmation,
highlighting, facets formatting, more-like-this and suggestions.

An engine subclasses :class:`BaseBackend` and implements a handful of small
primitives (write, execute a plan, fetch stored documents, term statistics).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from indexer.text.analysis import analyze, is_cjk, normalize_for_match
from indexer.text.highlight import make_snippets, phrase_matcher

from . import schema as F
from .plan import (
    Ir,
    IrBool,
    IrConfirm,
    IrIds,
    IrNone,
    IrTerm,
    compile_filters,
    compile_query,
    highlight_specs,
)
from .protocols import (
    FACET_KEYS,
    FacetCount,
    IndexDocument,
    Indexer,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
    custom_facet_key,
    custom_sort_key,
)
from .query import Node, parse_query
from .schema import PreparedDocument, StoredDoc, prepare

__all__ = [
    "BaseBackend",
    "SortSpec",
    "RawPage",
    "format_facets",
    "shown_facets",
    "facet_fields",
    "Indexable",
    "as_prepared",
    "iter_prepared",
]

Indexable = IndexDocument | PreparedDocument
#: How many facet values are returned per facet (tags: top 20).
FACET_LIMITS = {"tags": 20}
DEFAULT_FACET_LIMIT = 100
MLT_TERMS = 25
F_EMPTY = SearchFilters()


@dataclass(frozen=True, slots=True)
class SortSpec:
    field: str
    descending: bool


@dataclass(frozen=True, slots=True)
class RawPage:
    total: int
    hits: list[tuple[int, float]]
    facets: dict[str, dict[str, int]]
    #: Engine-specific: where the hits' stored fields can be read without another lookup.
    located: object = None


def sort_spec(sort: str) -> SortSpec | None:
    if sort == "relevance":
        return None
    custom = custom_sort_key(sort)
    field = f"{F.CUSTOM_NUM}.{custom}" if custom else F.SORT_FIELDS[sort.lstrip("-")]
    return SortSpec(field, sort.startswith("-"))


def facet_fields(query: SearchQuery | None) -> dict[str, str]:
    """Facet key → index field: the fixed facets and the custom fields the query asks for
    (none when it asks for no facets)."""
    if query is None or not query.facets:
        return {}
    fields = dict(F.FACET_FIELDS)
    fields.update({custom_facet_key(key): f"{F.CUSTOM_KW}.{key}" for key in query.custom_facets})
    return fields


def format_facets(
    raw: Mapping[str, Mapping[str, int]], keys: Iterable[str] = FACET_KEYS
) -> dict[str, tuple[FacetCount, ...]]:
    """Sort by count desc then value, cut to the facet's limit; all keys present."""
    return {key: tuple(FacetCount(v, c) for v, c in _shown(key, raw.get(key, {}))) for key in keys}


def _shown(key: str, counts: Mapping[str, int]) -> list[tuple[str, int]]:
    ordered = sorted(((v, c) for v, c in counts.items() if c > 0), key=lambda vc: (-vc[1], vc[0]))
    return ordered[: FACET_LIMITS.get(key, DEFAULT_FACET_LIMIT)]


def shown_facets(raw: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """``raw`` cut to the values :func:`format_facets` shows (an engine keeps no more than that
    in a cache)."""
    return {key: dict(_shown(key, counts)) for key, counts in raw.items()}


def _empty_result(query: SearchQuery) -> SearchResult:
    return SearchResult(0, (), format_facets({}, facet_fields(query)) if query.facets else {})


def iter_prepared(docs: Iterable[Indexable]) -> Iterator[PreparedDocument]:
    """Prepared documents one at a time (a rebuild streams 100 000s of them)."""
    for d in docs:
        yield d if isinstance(d, PreparedDocument) else prepare(d)


def as_prepared(docs: Iterable[Indexable]) -> list[PreparedDocument]:
    return list(iter_prepared(docs))


class BaseBackend(ABC):
    """Template for engines; see the module docstring."""

    #: Confirmation reads stored text in batches of this many documents.
    confirm_batch = 500

    # -- primitives an engine implements ---------------------------------------------------------

    @abstractmethod
    def _write(self, docs: Sequence[PreparedDocument], delete_ids: Sequence[int]) -> None:
        """Upsert ``docs`` and delete ``delete_ids``; visible when it returns."""

    @abstractmethod
    def _execute(
        self, query: Ir, flt: Ir, sort: SortSpec | None, offset: int, limit: int, facets: Mapping[str, str]
    ) -> RawPage:
        """Run a resolved plan (no :class:`IrConfirm` left) under a filter; count the values of
        ``facets`` (facet key → keyword field, see :func:`facet_fields`) over every match."""

    @abstractmethod
    def _matching_ids(self, query: Ir, flt: Ir) -> list[int]:
        """Every matching contract id, unordered, no limit."""

    @abstractmethod
    def _stored(self, ids: Sequence[int]) -> dict[int, StoredDoc]: ...

    @abstractmethod
    def _doc_freqs(self, field: str, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(number of documents, document frequency of each term)."""

    @abstractmethod
    def _suggest_terms(self, key_prefix: str, flt: Ir, limit: int) -> list[tuple[str, int]]:
        """Suggest-field terms starting with ``key_prefix`` in visible documents."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def check(self) -> None: ...

    @abstractmethod
    def rebuild(self) -> AbstractContextManager[Indexer]: ...

    @abstractmethod
    def close(self) -> None: ...

    # -- the public interface --------------------------------------------------------------------

    def index(self, docs: Iterable[Indexable]) -> None:
        by_id = {p.doc.id: p for p in iter_prepared(docs)}  # the last version of an id wins
        if by_id:
            self._write(list(by_id.values()), ())

    def delete(self, ids: Iterable[int]) -> None:
        unique = list(dict.fromkeys(int(i) for i in ids))
        if unique:
            self._write((), unique)

    def search(self, query: SearchQuery) -> SearchResult:
        node = parse_query(query.text)
        flt = compile_filters(query.filters, query.principals)
        if isinstance(flt, IrNone):
            return _empty_result(query)
        plan = self.resolve(compile_query(node), flt)
        offset = (query.page - 1) * query.per_page
        wanted = facet_fields(query)
        raw = self._execute(plan, flt, sort_spec(query.sort), offset, query.per_page, wanted)
        hits = self._make_hits(raw, node if query.highlight else None)
        return SearchResult(raw.total, hits, format_facets(raw.facets, wanted) if query.facets else {})

    def more_like_this(self, doc_id: int, principals: tuple[str, ...], limit: int = 5) -> tuple[SearchHit, ...]:
        """Documents sharing the source's most distinctive words (tf-idf). The
        source must itself be visible to the caller, and is never returned."""
        flt = compile_filters(F_EMPTY, principals)
        if isinstance(flt, IrNone) or not self._matching_ids(IrIds(frozenset({doc_id})), flt):
            return ()
        stored = self._stored([doc_id]).get(doc_id)
        if stored is None:
            return ()
        terms = self._mlt_terms(stored)
        if not terms:
            return ()
        query = IrBool(should=tuple(IrTerm(F.ALL_W, t) for t in terms), must_not=(IrIds(frozenset({doc_id})),))
        raw = self._execute(query, flt, None, 0, limit, {})
        return tuple(SearchHit(i, s) for i, s in raw.hits)

    def suggest(self, prefix: str, principals: tuple[str, ...], limit: int = 8) -> tuple[str, ...]:
        """Completions from titles, counterparties and tags of visible documents,
        most frequent first."""
        key = normalize_for_match(prefix)
        flt = compile_filters(F_EMPTY, principals)
        if not key or isinstance(flt, IrNone) or limit < 1:
            return ()
        best: dict[str, int] = {}
        for term, count in self._suggest_terms(key, flt, max(200, limit * 25)):
            display = term.partition(F.SUGGEST_SEP)[2]
            if display:
                best[display] = max(best.get(display, 0), count)
        ranked = sorted(best.items(), key=lambda dc: (-dc[1], len(dc[0]), dc[0]))
        return tuple(d for d, _ in ranked[:limit])

    # -- shared machinery ------------------------------------------------------------------------

    def resolve(self, plan: Ir, flt: Ir) -> Ir:
        """Replace each :class:`IrConfirm` by its candidates that really contain
        the phrase (checked on the stored raw text)."""
        if isinstance(plan, IrConfirm):
            return self._confirm(plan, flt)
        if isinstance(plan, IrBool):
            return IrBool(
                tuple(self.resolve(p, flt) for p in plan.must),
                tuple(self.resolve(p, flt) for p in plan.should),
                tuple(self.resolve(p, flt) for p in plan.must_not),
            )
        return plan

    def _confirm(self, plan: IrConfirm, flt: Ir) -> Ir:
        candidates = self._matching_ids(plan.candidate, flt)
        confirmed: set[int] = set()
        found = phrase_matcher(plan.phrase)
        for start in range(0, len(candidates), self.confirm_batch):
            batch = candidates[start : start + self.confirm_batch]
            for doc_id, stored in self._stored(batch).items():
                if found(normalize_for_match(F.scope_text(stored, plan.scope))):
                    confirmed.add(doc_id)
        return IrBool(must=(plan.candidate, IrIds(frozenset(confirmed))))

    def _make_hits(self, raw: RawPage, node: Node | None) -> tuple[SearchHit, ...]:
        hits = raw.hits
        if node is None or not hits:
            return tuple(SearchHit(i, s) for i, s in hits)
        specs = highlight_specs(node)
        if not specs:
            return tuple(SearchHit(i, s) for i, s in hits)
        stored = self._page_stored(raw)
        out: list[SearchHit] = []
        for doc_id, score in hits:
            doc = stored.get(doc_id)
            if doc is None:
                out.append(SearchHit(doc_id, score))
                continue
            snippets = make_snippets(doc.text, specs, doc.page_offsets)
            out.append(SearchHit(doc_id, score, snippets.fragments, snippets.page))
        return tuple(out)

    def _page_stored(self, raw: RawPage) -> dict[int, StoredDoc]:
        """The stored fields of a page's hits; an engine that knows where they are reads them there."""
        return self._stored([i for i, _ in raw.hits])

    def _mlt_terms(self, stored: StoredDoc) -> list[str]:
        analysis = analyze(stored.title + "\n" + stored.text)
        tf = Counter(w for w in analysis.word_terms() if _distinctive(w))
        if not tf:
            return []
        candidates = [w for w, _ in tf.most_common(200)]
        n_docs, dfs = self._doc_freqs(F.ALL_W, candidates)

        def weight(word: str) -> float:
            df = max(1, dfs.get(word, 1))
            return (1 + math.log(tf[word])) * math.log(1 + n_docs / df)

        ranked = sorted(candidates, key=lambda w: (-weight(w), w))
        return [w for w in ranked if dfs.get(w, 0) > 1][:MLT_TERMS]


def _distinctive(word: str) -> bool:
    if word.isdigit():
        return False
    if is_cjk(word[0]):
        return len(word) >= 2
    return len(word) >= 3

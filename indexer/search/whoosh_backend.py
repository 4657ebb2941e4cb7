"""Whoosh (``whoosh-reloaded`` 2.7.5): the pure-Python embedded fallback.

Whoosh is used as an on-disk store of postings, stored fields and columns;
queries are evaluated here with Python set/dict algebra, which is much faster
than Whoosh's per-document matcher objects for the "all hits" work Pactum does
on every search (exact totals, facets over every hit):

* each plan leaf reads its postings once (``items_as("weight")``) into a dict
  ``docnum → score`` (a saturated tf·idf), booleans combine the dicts;
* phrases need no positions: candidates are the intersection of their terms'
  postings, confirmed by a substring test on the document's normalised text
  (the same test :class:`~indexer.search.base.BaseBackend` uses), held in a
  ``match`` column and cached in memory per segment (about 2 bytes per
  character of text; this is the embedded fallback for small installations);
* facets, ranges, sorting and id lookups use a small pickled ``meta`` column,
  read once per immutable segment and cached.
"""

from __future__ import annotations

import heapq
import math
import shutil
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import columns, fields, index, writing
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.text.analysis import normalize_for_match
from indexer.text.highlight import edit_distance, phrase_matcher

from . import schema as F
from .base import BaseBackend, Indexable, RawPage, SortSpec, iter_prepared
from .errors import IndexLocked, SearchUnavailable
from .generations import Generations
from .plan import (
    Ir,
    IrAll,
    IrBool,
    IrChar,
    IrConfirm,
    IrFuzzy,
    IrIds,
    IrKeyword,
    IrNone,
    IrPhrase,
    IrPrefix,
    IrRange,
    IrTerm,
)
from .protocols import Indexer
from .schema import PreparedDocument, StoredDoc
from .whoosh_analysis import CountedText

__all__ = ["WhooshBackend", "build_schema"]

_FILTER_CACHE = 32
_K1 = 1.2
Scores = dict[int, float]


class Meta(NamedTuple):
    id: int
    type: str | None
    status: str | None
    tags: tuple[str, ...]
    department: str | None
    parties: tuple[str, ...]
    year: str | None
    amount: int | None
    signed: int | None
    expiry: int | None
    created: int | None
    title_norm: str
    party_norm: str
    # Custom fields (added later: rows written before read as having none).
    custom_kw: tuple[tuple[str, tuple[str, ...]], ...] = ()
    custom_num: tuple[tuple[str, int], ...] = ()


_SORT_ATTR = {F.AMOUNT: 7, F.SIGNED: 8, F.EXPIRY: 9, F.CREATED: 10}
_FACET_ATTR = {F.TYPE: 1, F.STATUS: 2, F.TAG: 3, F.DEPARTMENT: 4, F.PARTY: 5, F.YEAR: 6}


def _number(meta: Meta | None, field: str) -> int | None:
    """An integer field of a document's Meta: amount, signed, expiry, created or a custom number."""
    if meta is None:
        return None
    custom = F.custom_field_key(field)
    if custom:
        return next((n for key, n in meta.custom_num if key == custom[1]), None)
    value = meta[_SORT_ATTR[field]]
    return value if isinstance(value, int) else None


def _keywords(meta: Meta, field: str) -> tuple[str, ...]:
    """The values of a facet field (fixed or custom) of a document's Meta."""
    custom = F.custom_field_key(field)
    if custom:
        return next((values for key, values in meta.custom_kw if key == custom[1]), ())
    value = meta[_FACET_ATTR[field]]
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return (str(value),) if value else ()


def build_schema() -> fields.Schema:
    spec: dict[str, Any] = {
        "id": fields.ID(stored=True, unique=True),
        "stored": fields.STORED(),
        "meta": fields.COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
        "match": fields.COLUMN(columns.VarBytesColumn()),
    }
    for name in (*F.TEXT_FIELDS, *F.KEYWORD_FIELDS):  # no positions: phrases are confirmed on text
        spec[name] = CountedText()
    return fields.Schema(**spec)


def _meta(p: PreparedDocument) -> Meta:
    d = p.doc
    kw = F.keyword_values(d)
    num = F.numeric_values(d)

    def first(name: str) -> str | None:
        return kw[name][0] if kw[name] else None

    stored = StoredDoc.of(d)
    return Meta(
        d.id,
        first(F.TYPE),
        first(F.STATUS),
        kw[F.TAG],
        first(F.DEPARTMENT),
        kw[F.PARTY],
        first(F.YEAR),
        num[F.AMOUNT],
        num[F.SIGNED],
        num[F.EXPIRY],
        num[F.CREATED],
        normalize_for_match(F.scope_text(stored, "title")),
        normalize_for_match(F.scope_text(stored, "party")),
        tuple(F.custom_keywords(d).items()),
        tuple(F.custom_numbers(d).items()),
    )


def _fields(p: PreparedDocument) -> dict[str, Any]:
    stored = StoredDoc.of(p.doc)
    out: dict[str, Any] = {
        "id": str(p.doc.id),
        "stored": stored.to_json(),
        "meta": _meta(p),
        "match": normalize_for_match(F.scope_text(stored, "all")).encode("utf-8"),
    }
    for base, a in (("all", p.all), ("title", p.title), ("party", p.party)):
        words, bigrams = a.word_terms(), a.bigram_terms()
        if words:
            out[base + "_w"] = words
        if bigrams:
            out[base + "_b"] = bigrams
    for name, values in F.keyword_values(p.doc).items():
        if values:
            out[name] = values
    if p.suggest:
        out[F.SUGGEST] = p.suggest
    return out


class _BulkIndexer:
    """Writes of a rebuild. Whoosh applies deletions only to committed segments,
    so touching an id already added by this writer first flushes a segment."""

    def __init__(self, ix: index.Index, limitmb: int) -> None:
        self._ix = ix
        self._limitmb = limitmb
        self.writer: writing.IndexWriter = ix.writer(limitmb=limitmb)
        self._pending: set[int] = set()

    def _flush_if_pending(self, ids: Iterable[int]) -> None:
        if not self._pending.isdisjoint(ids):
            self.writer.commit(merge=False)
            self.writer = self._ix.writer(limitmb=self._limitmb)
            self._pending.clear()

    def index(self, docs: Iterable[Indexable]) -> None:
        for p in iter_prepared(docs):
            self._flush_if_pending((p.doc.id,))
            self.writer.add_document(**_fields(p))
            self._pending.add(p.doc.id)

    def delete(self, ids: Iterable[int]) -> None:
        wanted = [int(i) for i in ids]
        self._flush_if_pending(wanted)
        for doc_id in wanted:
            self.writer.delete_by_term("id", str(doc_id))


class _Segments:
    """Per-segment caches of the ``meta`` and ``match`` columns (segments are
    immutable, so an entry stays valid until the segment is merged away)."""

    def __init__(self) -> None:
        self.meta: dict[str, list[Meta | None]] = {}
        self.match: dict[str, list[str]] = {}

    def keep_only(self, ids: set[str]) -> None:
        for cache in (self.meta, self.match):
            for key in [k for k in cache if k not in ids]:
                del cache[key]


def _raw_postings(leaf: IndexReader, field: str, text: str) -> tuple[list[int], list[float]]:
    """Document numbers and weights of one term in one segment, deleted
    documents included (callers intersect with the live set).

    Reads Whoosh 3-codec posting blocks wholesale (ids via C-level
    ``accumulate``) instead of stepping a matcher posting by posting, which is
    ~20x slower; falls back to the public matcher API for other matchers
    (e.g. short posting lists inlined in the term info)."""
    if (field, text) not in leaf:
        return [], []
    matcher = leaf._terms.matcher(field, text.encode("utf-8"), leaf.schema[field].format)
    if not isinstance(matcher, W3LeafMatcher):
        items = list(matcher.items_as("weight"))
        return [d for d, _ in items], [w for _, w in items]
    ids: list[int] = []
    weights: list[float] = []
    while True:
        matcher._read_data()
        raw_ids = matcher._data[0]
        ids.extend(raw_ids if matcher._byteids else accumulate(raw_ids))
        matcher._read_weights()
        weights.extend(matcher._weights)
        if matcher._lastblock:
            return ids, weights
        matcher._goto(matcher._nextoffset)


def _leaves(reader: IndexReader) -> list[tuple[IndexReader, int, str]]:
    return [(r, offset, r.segment().segment_id()) for r, offset in reader.leaf_readers() if r.segment() is not None]


class _View:
    """Everything one searcher generation needs, built once per commit."""

    def __init__(self, searcher: Searcher, segments: _Segments) -> None:
        self.searcher = searcher
        self.reader: IndexReader = searcher.reader()
        self.leaves = _leaves(self.reader)
        segments.keep_only({seg for _, _, seg in self.leaves})
        self.segments = segments
        self.table: list[Meta | None] = self._concat(
            lambda r, seg: segments.meta.setdefault(seg, list(r.column_reader("meta"))), None
        )
        self.live: set[int] = set(self.reader.all_doc_ids())
        self.by_id = {m.id: d for d, m in enumerate(self.table) if m is not None and d in self.live}
        self.n_docs = max(1, len(self.live))
        self.filters: dict[Ir, set[int]] = {}
        self._match: list[str] | None = None
        self._chars: dict[str, dict[str, list[str]]] = {}

    def _concat(self, load: Any, pad: Any) -> list[Any]:
        out: list[Any] = []
        for r, offset, seg in self.leaves:
            if len(out) < offset:
                out.extend([pad] * (offset - len(out)))
            out.extend(load(r, seg))
        return out

    def match_text(self, docnum: int) -> str:
        if self._match is None:
            self._match = self._concat(
                lambda r, seg: self.segments.match.setdefault(
                    seg, [v.decode("utf-8") for v in r.column_reader("match")]
                ),
                "",
            )
        return self._match[docnum]

    def terms_with_char(self, field: str, char: str) -> list[str]:
        """Bigram-field terms containing a character (index built once per view)."""
        index_ = self._chars.get(field)
        if index_ is None:
            index_ = {}
            for term in self.reader.field_terms(field):
                for ch in set(term):
                    index_.setdefault(ch, []).append(term)
            self._chars[field] = index_
        return index_.get(char, [])


def _intersect(scores: Scores, other: Scores) -> Scores:
    """The documents in both, with the two scores added."""
    return {d: s + other[d] for d, s in scores.items() if d in other}


class _Evaluator:
    """Plan → ``{docnum: score}`` with dict/set algebra over postings."""

    def __init__(self, view: _View) -> None:
        self.v = view
        self.reader = view.reader

    def postings(self, field: str, text: str, boost: float = 1.0) -> Scores:
        """``docnum → boost·idf·tf/(tf+k1)`` (BM25's saturation, no length norm)."""
        df = self.reader.doc_frequency(field, text)
        if not df:
            return {}
        idf = boost * math.log(1 + self.v.n_docs / df)
        out: Scores = {}
        for leaf, offset, _ in self.v.leaves:
            ids, weights = _raw_postings(leaf, field, text)
            out.update({d + offset: idf * w / (w + _K1) for d, w in zip(ids, weights, strict=True)})
        return out

    def ids(self, field: str, text: str) -> set[int]:
        out: set[int] = set()
        for leaf, offset, _ in self.v.leaves:
            ids, _ = _raw_postings(leaf, field, text)
            out.update(ids if not offset else (d + offset for d in ids))
        return out

    def union_of_terms(self, field: str, terms: Iterable[str | bytes]) -> Scores:
        out: Scores = {}
        for raw in terms:
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            for d, s in self.postings(field, term).items():
                out[d] = max(out.get(d, 0.0), s)
        return out

    def __call__(self, ir: Ir) -> Scores:
        if isinstance(ir, IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar):
            return self.text(ir)
        if isinstance(ir, IrBool):
            return self.boolean(ir)
        if isinstance(ir, IrAll | IrNone | IrIds | IrKeyword | IrRange):
            return self.selection(ir)
        return self.confirm(ir)

    def text(self, ir: IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar) -> Scores:
        """Nodes that match tokens of one text field."""
        if isinstance(ir, IrTerm):
            return self.postings(ir.field, ir.token, ir.boost)
        if isinstance(ir, IrPhrase):
            return self.phrase(ir)
        if isinstance(ir, IrPrefix):
            return self.union_of_terms(ir.field, list(self.reader.expand_prefix(ir.field, ir.prefix)))
        if isinstance(ir, IrFuzzy):
            return self.union_of_terms(ir.field, self.fuzzy_terms(ir))
        return self.union_of_terms(ir.field, self.v.terms_with_char(ir.field, ir.char))

    def selection(self, ir: IrAll | IrNone | IrIds | IrKeyword | IrRange) -> Scores:
        """Nodes that select documents by id or by exact values, each scoring 1."""
        if isinstance(ir, IrAll):
            return dict.fromkeys(self.v.live, 1.0)
        if isinstance(ir, IrNone):
            return {}
        if isinstance(ir, IrIds):
            return {self.v.by_id[i]: 1.0 for i in ir.ids if i in self.v.by_id}
        if isinstance(ir, IrKeyword):
            if F.custom_field_key(ir.field):
                return self.custom_keyword(ir)
            return dict.fromkeys(set().union(*(self.ids(ir.field, v) for v in ir.values)), 1.0)
        return self.range(ir)

    def custom_keyword(self, ir: IrKeyword) -> Scores:
        """Custom fields live in the Meta column only (no postings: no schema change per field)."""
        wanted = set(ir.values)
        table = self.v.table
        return {d: 1.0 for d in self.v.live if (m := table[d]) is not None and wanted & set(_keywords(m, ir.field))}

    def fuzzy_terms(self, ir: IrFuzzy) -> list[str]:
        """Levenshtein candidates from Whoosh, widened by one and re-checked so an
        adjacent transposition costs one edit (as in the other engines)."""
        wide = self.reader.terms_within(ir.field, ir.token, ir.distance + 1)
        return [t for t in wide if edit_distance(t, ir.token, ir.distance) <= ir.distance]

    def boolean(self, ir: IrBool) -> Scores:
        if ir.must:
            result = self.all_of(ir.must)
            for should in ir.should:  # only adds to the scores of what matched
                extra = self.phrase(should, within=result) if isinstance(should, IrPhrase) else self(should)
                for d, s in extra.items():
                    if d in result:
                        result[d] += s
        elif ir.should:
            result = self.any_of(ir.should)
        else:
            result = dict.fromkeys(self.v.live, 1.0)
        for must_not in ir.must_not:
            excluded = self(must_not)
            result = {d: s for d, s in result.items() if d not in excluded}
        return result

    def all_of(self, clauses: Sequence[Ir]) -> Scores:
        """Documents matching every clause, with the sum of their scores. Phrases are confirmed on
        the stored text, so only for what the other clauses let through."""
        phrases = [c for c in clauses if isinstance(c, IrPhrase)]
        others = [c for c in clauses if not isinstance(c, IrPhrase)]
        if others:
            parts = sorted((self(c) for c in others), key=len)
            result = dict(parts[0])
            for part in parts[1:]:
                result = _intersect(result, part)
        else:
            result = self.phrase(phrases.pop(0))
        for phrase in phrases:
            result = _intersect(result, self.phrase(phrase, within=result))
        return result

    def any_of(self, clauses: Sequence[Ir]) -> Scores:
        """Documents matching at least one clause, with the sum of their scores."""
        result: Scores = {}
        for clause in clauses:
            for d, s in self(clause).items():
                result[d] = result.get(d, 0.0) + s
        return result

    def range(self, ir: IrRange) -> Scores:
        lo = ir.lo if ir.lo is not None else -math.inf
        hi = ir.hi if ir.hi is not None else math.inf
        out: Scores = {}
        for d in self.v.live:
            value = _number(self.v.table[d], ir.field)
            if value is not None and lo <= value <= hi:
                out[d] = 1.0
        return out

    def _scope_text(self, field_or_scope: str, docnum: int) -> str:
        if field_or_scope.startswith("title"):
            meta = self.v.table[docnum]
            return meta.title_norm if meta else ""
        if field_or_scope.startswith("party"):
            meta = self.v.table[docnum]
            return meta.party_norm if meta else ""
        return self.v.match_text(docnum)

    def phrase(self, ir: IrPhrase, within: Scores | None = None) -> Scores:
        """Intersect the tokens' postings (and ``within``), then confirm on the normalised text."""
        parts = sorted((self.postings(ir.field, t, ir.boost) for t in dict.fromkeys(ir.tokens)), key=len)
        if not parts or not parts[0]:
            return {}
        result = dict(parts[0]) if within is None else {d: s for d, s in parts[0].items() if d in within}
        for part in parts[1:]:
            result = {d: s + part[d] for d, s in result.items() if d in part}
        bigrams = ir.field.endswith("_b")
        needle = ir.tokens[0] + "".join(t[1:] for t in ir.tokens[1:]) if bigrams else " ".join(ir.tokens)
        found = phrase_matcher(needle)
        return {d: s for d, s in result.items() if found(self._scope_text(ir.field, d))}

    def confirm(self, ir: Ir) -> Scores:
        assert isinstance(ir, IrConfirm)
        candidates = self(ir.candidate)
        found = phrase_matcher(ir.phrase)
        return {d: s for d, s in candidates.items() if found(self._scope_text(ir.scope, d))}


class WhooshBackend(BaseBackend):
    name = "whoosh"

    def __init__(self, path: Path, *, lock_timeout: float = 10.0, limitmb: int = 256) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self._schema = build_schema()
        self._lock = threading.RLock()
        self._gens = Generations(self.path)
        self._ix: index.Index | None = None
        self._view: _View | None = None
        self._segments = _Segments()
        self._gen = ""
        self._open()

    # -- opening and searchers -------------------------------------------------------------------

    def _create(self, path: Path) -> None:
        index.create_in(str(path), self._schema)

    def _open(self) -> None:
        try:
            name, path = self._gens.ensure(self._create)
            ix = index.open_dir(str(path))
        except (OSError, index.IndexError) as exc:
            raise SearchUnavailable(f"The Whoosh index at {self.path} cannot be opened: {exc}") from exc
        self._close_view()
        self._ix, self._gen = ix, name
        self._segments = _Segments()

    def _close_view(self) -> None:
        if self._view is not None:
            self._view.searcher.close()
        self._view = None

    def _live(self) -> index.Index:
        if self._ix is None:
            raise SearchUnavailable("The Whoosh backend is closed.")
        return self._ix

    def _current(self) -> _View:
        """The view of the latest commit (any process's)."""
        with self._lock:
            if self._gens.current_name() not in (None, self._gen):
                self._open()
            view = self._view
            if view is None or not view.searcher.up_to_date():
                # Searcher.refresh() fails on single-segment readers in 2.7.5: open anew.
                self._close_view()
                view = self._view = _View(self._live().searcher(), self._segments)
            return view

    def _allowed(self, view: _View, flt: Ir) -> set[int]:
        """Documents passing the filter, cached per view (never mutated)."""
        cached = view.filters.get(flt)
        if cached is None:
            cached = set(_Evaluator(view)(flt)) & view.live
            if len(view.filters) >= _FILTER_CACHE:
                view.filters.pop(next(iter(view.filters)))
            view.filters[flt] = cached
        return cached

    # -- writing ---------------------------------------------------------------------------------

    def _writer(self, ix: index.Index) -> writing.IndexWriter:
        try:
            return ix.writer(timeout=self.lock_timeout, limitmb=self.limitmb)
        except index.LockError as exc:
            raise IndexLocked(
                f"The Whoosh index at {self.path} is locked by another writer (another process or "
                f"thread is indexing); gave up after {self.lock_timeout:g} s."
            ) from exc

    def _write(self, docs: Sequence[PreparedDocument], delete_ids: Sequence[int]) -> None:
        with self._lock:
            self._current()
            writer = self._writer(self._live())
            try:
                for doc_id in delete_ids:
                    writer.delete_by_term("id", str(doc_id))
                for p in docs:
                    writer.update_document(**_fields(p))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def clear(self) -> None:
        with self._lock:
            self._writer(self._live()).commit(mergetype=writing.CLEAR)

    @contextmanager
    def _rebuild(self) -> Iterator[Indexer]:
        path = self._gens.new()
        try:
            bulk = _BulkIndexer(index.create_in(str(path), self._schema), self.limitmb)
            try:
                yield bulk
            except BaseException:
                bulk.writer.cancel()
                raise
            bulk.writer.commit(optimize=True)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._lock:
            self._gens.switch(path)
            self._open()

    def rebuild(self) -> AbstractContextManager[Indexer]:
        return self._rebuild()

    # -- reading ---------------------------------------------------------------------------------

    def resolve(self, plan: Ir, flt: Ir) -> Ir:
        """Phrases are confirmed inside the evaluator, on cached texts."""
        return plan

    def _matches(self, view: _View, query_ir: Ir, flt: Ir) -> Scores:
        allowed = self._allowed(view, flt)
        if not allowed:
            return {}
        scores = _Evaluator(view)(query_ir)
        return {d: s for d, s in scores.items() if d in allowed}

    def _execute(
        self, query_ir: Ir, flt: Ir, sort: SortSpec | None, offset: int, limit: int, facets: Mapping[str, str]
    ) -> RawPage:
        with self._lock:
            view = self._current()
            scores = self._matches(view, query_ir, flt)
            if sort is None:
                top = heapq.nsmallest(offset + limit, scores.items(), key=lambda ds: (-ds[1], _id(view.table, ds[0])))
                page = [(_id(view.table, d), s) for d, s in top[offset:]]
            else:
                ordered = _sorted_by(list(scores), view.table, sort)[offset : offset + limit]
                page = [(_id(view.table, d), 0.0) for d in ordered]
            return RawPage(len(scores), page, _facet_counts(scores, view.table, facets) if facets else {})

    def _matching_ids(self, query_ir: Ir, flt: Ir) -> list[int]:
        with self._lock:
            view = self._current()
            return [_id(view.table, d) for d in self._matches(view, query_ir, flt)]

    def _stored(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        with self._lock:
            view = self._current()
            out: dict[int, StoredDoc] = {}
            for doc_id in ids:
                docnum = view.by_id.get(doc_id)
                if docnum is not None:
                    out[doc_id] = StoredDoc.from_json(view.searcher.stored_fields(docnum)["stored"])
            return out

    def _doc_freqs(self, field: str, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        with self._lock:
            view = self._current()
            return len(view.live), {t: int(view.reader.doc_frequency(field, t)) for t in terms}

    def _suggest_terms(self, key_prefix: str, flt: Ir, limit: int) -> list[tuple[str, int]]:
        with self._lock:
            view = self._current()
            allowed = self._allowed(view, flt)
            evaluator = _Evaluator(view)
            out: list[tuple[str, int]] = []
            for i, term in enumerate(view.reader.expand_prefix(F.SUGGEST, key_prefix)):
                if i >= limit:
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                count = len(evaluator.ids(F.SUGGEST, text) & allowed)
                if count:
                    out.append((text, count))
            return out

    def count(self) -> int:
        with self._lock:
            return len(self._current().live)

    def check(self) -> None:
        try:
            self.count()
        except SearchUnavailable:
            raise
        except Exception as exc:  # any engine failure means unavailable
            raise SearchUnavailable(f"The Whoosh index at {self.path} is not usable: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._close_view()
            self._ix = None


def _id(table: list[Meta | None], docnum: int) -> int:
    meta = table[docnum]
    assert meta is not None
    return meta.id


def _sorted_by(docnums: list[int], table: list[Meta | None], sort: SortSpec) -> list[int]:
    """Sort by a Meta field; documents without a value always come last."""
    present = [(v, d) for d in docnums if (v := _number(table[d], sort.field)) is not None]
    missing = [d for d in docnums if _number(table[d], sort.field) is None]
    present.sort(reverse=sort.descending)
    return [d for _, d in present] + sorted(missing)


def _facet_counts(
    docnums: Iterable[int], table: list[Meta | None], fields: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    counters: dict[str, Counter[str]] = {key: Counter() for key in fields}
    for d in docnums:
        m = table[d]
        if m is None:
            continue
        for key, field in fields.items():
            counters[key].update(_keywords(m, field))
    return {key: dict(c) for key, c in counters.items()}

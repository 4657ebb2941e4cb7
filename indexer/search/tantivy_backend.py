"""Tantivy (PyPI ``tantivy`` 0.27, the official bindings): the default engine.

Text is indexed pre-segmented: the token streams of
:class:`~indexer.text.analysis.Analysis` go through Tantivy's whitespace
tokenizer and a stop-word filter that drops the gap token but keeps its
position (one string per field costs far less than a Python object per token).
Queries are built programmatically from the plan (never through
Tantivy's query parser, which ORs by default and has its own syntax), facets are
terms aggregations on fast fields, sorting uses fast fields (Tantivy puts
documents without a value last in both directions).

Concurrency: many readers, one writer. A writer is taken only for the duration
of a write; if another process holds the lock we retry until ``lock_timeout``
and then raise :class:`IndexLocked`. After our own commit the reader is reloaded
at once; a commit by another process is noticed through ``meta.json`` (rewritten by a
rename at every commit: its inode, mtime and size together tell one commit from the next).
Totals and facet counts are kept per commit in a :class:`CountsCache`, so paging through
a result or re-sorting it runs the query once, not twice.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from indexer.text.analysis import GAP

from . import schema as F
from .base import BaseBackend, Indexable, RawPage, SortSpec, iter_prepared, shown_facets
from .counts_cache import Counts, CountsCache
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

__all__ = ["TantivyBackend", "build_schema"]

_STORED = "stored"
_FAST_KEYWORDS = set(F.FACET_FIELDS.values())
_MetaStamp = tuple[int, int, int]
_FACET_SIZE = 65_000  # exact counts: every distinct value of the matching set
#: The aggregation that counts the matching documents next to the facets (every one has an id).
_TOTAL_AGG = "__total"
_WRITER_HEAP = 64_000_000
#: Tokenizer of the text fields; registered on every opened index (Tantivy does not store it).
_TOKENS = "pactum_tokens"


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in F.TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name=_TOKENS, index_option="position")
    for name in F.KEYWORD_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", fast=name in _FAST_KEYWORDS, index_option="basic")
    for name in F.NUMERIC_FIELDS:
        sb.add_integer_field(name, indexed=True, fast=True)
    # Custom fields: JSON objects keyed by field key, so a new field needs no new schema.
    for name in (F.CUSTOM_KW, F.CUSTOM_NUM):
        sb.add_json_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_bytes_field(_STORED, stored=True)
    return sb.build()


def _open_index(schema: tantivy.Schema, path: Path, *, reuse: bool) -> tantivy.Index:
    index = tantivy.Index(schema, path=str(path), reuse=reuse)
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.custom_stopword([GAP]))
        .build()
    )
    index.register_tokenizer(_TOKENS, analyzer)
    return index


def _pack(stored: StoredDoc) -> bytes:
    """The stored fields, deflated: Tantivy's own block compression (LZ4) leaves text at
    about 45 % of its size, zlib at its fastest level at about 34 % (measured on the
    shared corpus), for ≈ 9 ns a byte."""
    return zlib.compress(stored.to_json().encode("utf-8"), 1)


def _unpack(data: bytes) -> StoredDoc:
    return StoredDoc.from_json(zlib.decompress(data))


@dataclass(frozen=True, slots=True)
class _Located:
    searcher: tantivy.Searcher
    addresses: list[tantivy.DocAddress]


def _read_stored(searcher: tantivy.Searcher, addresses: Iterable[tantivy.DocAddress]) -> dict[int, StoredDoc]:
    out: dict[int, StoredDoc] = {}
    for addr in addresses:
        raw = searcher.doc(addr).get_first(_STORED)
        if raw is not None:
            stored = _unpack(bytes(raw))
            out[stored.id] = stored
    return out


def _document(p: PreparedDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("id", p.doc.id)
    for (words_field, bigrams_field), analysis in (
        ((F.ALL_W, F.ALL_B), p.all),
        ((F.TITLE_W, F.TITLE_B), p.title),
        ((F.PARTY_W, F.PARTY_B), p.party),
    ):
        doc.add_text(words_field, analysis.word_field())
        doc.add_text(bigrams_field, analysis.bigrams)
    for name, values in F.keyword_values(p.doc).items():
        for value in values:
            doc.add_text(name, value)
    for term in p.suggest:
        doc.add_text(F.SUGGEST, term)
    for name, number in F.numeric_values(p.doc).items():
        if number is not None:
            doc.add_integer(name, number)
    keywords, numbers = F.custom_keywords(p.doc), F.custom_numbers(p.doc)
    if keywords:
        doc.add_json(F.CUSTOM_KW, {key: list(values) for key, values in keywords.items()})
    if numbers:
        doc.add_json(F.CUSTOM_NUM, numbers)
    doc.add_bytes(_STORED, _pack(StoredDoc.of(p.doc)))
    return doc


class _Translator:
    """Plan → ``tantivy.Query``."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        # Ranges on a JSON path are only reachable through the query parser (of any index of
        # this schema: an empty one in memory).
        self._parser = tantivy.Index(schema)

    def __call__(self, ir: Ir) -> tantivy.Query:
        if isinstance(ir, IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar):
            return self._text(ir)
        if isinstance(ir, IrBool):
            return self._bool(ir)
        if isinstance(ir, IrAll | IrNone | IrIds | IrKeyword | IrRange):
            return self._selection(ir)
        assert not isinstance(ir, IrConfirm), "resolve() the plan first"
        raise TypeError(f"unknown plan node {ir!r}")

    def _text(self, ir: IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar) -> tantivy.Query:
        """Nodes that match tokens of one text field."""
        Q = tantivy.Query
        if isinstance(ir, IrTerm | IrPhrase):
            q = self._terms(ir)
            return q if ir.boost == 1.0 else Q.boost_query(q, ir.boost)
        if isinstance(ir, IrPrefix):
            return Q.regex_query(self.schema, ir.field, re.escape(ir.prefix) + ".*")
        if isinstance(ir, IrFuzzy):
            return Q.fuzzy_term_query(self.schema, ir.field, ir.token, ir.distance, True)
        c = re.escape(ir.char)
        return Q.regex_query(self.schema, ir.field, f"{c}.?|.{c}")

    def _terms(self, ir: IrTerm | IrPhrase) -> tantivy.Query:
        """A term, or a phrase (a phrase of one token is that term), before boosting."""
        Q = tantivy.Query
        if isinstance(ir, IrTerm):
            return Q.term_query(self.schema, ir.field, ir.token)
        if len(ir.tokens) == 1:
            return Q.term_query(self.schema, ir.field, ir.tokens[0])
        return Q.phrase_query(self.schema, ir.field, list(ir.tokens))

    def _selection(self, ir: IrAll | IrNone | IrIds | IrKeyword | IrRange) -> tantivy.Query:
        """Nodes that select documents by id or by exact values, without scoring text."""
        Q = tantivy.Query
        if isinstance(ir, IrAll):
            return Q.all_query()
        if isinstance(ir, IrNone):
            return Q.empty_query()
        if isinstance(ir, IrIds):
            return Q.term_set_query(self.schema, "id", sorted(ir.ids)) if ir.ids else Q.empty_query()
        if isinstance(ir, IrKeyword):
            if len(ir.values) == 1:
                return Q.term_query(self.schema, ir.field, ir.values[0])
            return Q.term_set_query(self.schema, ir.field, list(ir.values))
        if F.custom_field_key(ir.field):
            lo = "*" if ir.lo is None else str(ir.lo)
            hi = "*" if ir.hi is None else str(ir.hi)
            return self._parser.parse_query(f"{ir.field}:[{lo} TO {hi}]", [])
        return Q.range_query(self.schema, ir.field, tantivy.FieldType.Integer, ir.lo, ir.hi)

    def _bool(self, ir: IrBool) -> tantivy.Query:
        occur = tantivy.Occur
        clauses = (
            [(occur.Must, self(c)) for c in ir.must]
            + [(occur.Should, self(c)) for c in ir.should]
            + [(occur.MustNot, self(c)) for c in ir.must_not]
        )
        return tantivy.Query.boolean_query(clauses)

    def filtered(self, query: Ir, flt: Ir) -> tantivy.Query:
        """The query, restricted by a filter that does not change scores."""
        must = tantivy.Occur.Must
        return tantivy.Query.boolean_query(
            [(must, self(query)), (must, tantivy.Query.const_score_query(self(flt), 0.0))]
        )


def _is_lock_busy(exc: Exception) -> bool:
    return "LockBusy" in str(exc) or "Failed to acquire" in str(exc)


class _BulkIndexer:
    """The writer of a rebuild: documents go to the new generation only.

    A rebuild adds each contract once (``pactum reindex`` reads them in id order), so nothing
    is deleted before adding: a delete per document in an empty index only fills Tantivy's
    delete queue, which every new segment must then be checked against.
    """

    def __init__(self, writer: tantivy.IndexWriter) -> None:
        self._writer = writer

    def index(self, docs: Iterable[Indexable]) -> None:
        for p in iter_prepared(docs):
            self._writer.add_document(_document(p))

    def delete(self, ids: Iterable[int]) -> None:
        for doc_id in ids:
            self._writer.delete_documents_by_term("id", int(doc_id))


class TantivyBackend(BaseBackend):
    name = "tantivy"

    def __init__(
        self, path: Path, *, lock_timeout: float = 10.0, writer_heap: int = _WRITER_HEAP, rebuild_threads: int = 2
    ) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.writer_heap = writer_heap
        self.rebuild_threads = rebuild_threads
        self._schema = build_schema()
        self._tr = _Translator(self._schema)
        self._lock = threading.RLock()
        self._gens = Generations(self.path)
        self._index: tantivy.Index | None = None
        self._gen = ""
        self._unusable = ""
        self._meta_seen: _MetaStamp = (0, 0, 0)
        self._counts = CountsCache()
        self._open()

    # -- opening and readers ---------------------------------------------------------------------

    def _create(self, path: Path) -> None:
        _open_index(self._schema, path, reuse=False)

    def _open(self) -> None:
        """Open the live generation. One written with another schema (by an earlier
        Pactum) leaves the backend unusable until ``pactum reindex`` builds a new
        generation, which :meth:`rebuild` can do from this state."""
        try:
            name, path = self._gens.ensure(self._create)
            index = _open_index(self._schema, path, reuse=True)
            index.config_reader(reload_policy="manual")
        except (ValueError, OSError) as exc:
            if "schema does not match" not in str(exc):
                raise SearchUnavailable(f"The Tantivy index at {self.path} cannot be opened: {exc}") from exc
            self._index, self._gen = None, self._gens.current_name() or ""
            self._unusable = (
                f"The search index at {self.path} was built by an earlier version of Pactum; "
                "run `pactum reindex` to rebuild it."
            )
            return
        self._index, self._gen, self._unusable = index, name, ""
        self._meta_seen = self._meta_stamp()

    def _meta_stamp(self) -> _MetaStamp:
        try:
            meta = (self.path / self._gen / "meta.json").stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (meta.st_ino, meta.st_mtime_ns, meta.st_size)

    def _live(self) -> tantivy.Index:
        if self._index is None:
            raise SearchUnavailable(self._unusable or "The Tantivy backend is closed.")
        return self._index

    def _searcher(self) -> tantivy.Searcher:
        """A searcher that sees every commit, ours or another process's."""
        return self._view()[0]

    def _view(self) -> tuple[tantivy.Searcher, tuple[str, _MetaStamp]]:
        """The newest searcher and the commit it sees (the key of its cached counts)."""
        with self._lock:
            if self._gens.current_name() not in (None, self._gen):
                self._open()
            stamp = self._meta_stamp()
            if stamp != self._meta_seen:
                self._live().reload()
                self._meta_seen = stamp
            return self._live().searcher(), (self._gen, stamp)

    # -- writing ---------------------------------------------------------------------------------

    def _acquire_writer(self, index: tantivy.Index) -> tantivy.IndexWriter:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return index.writer(heap_size=self.writer_heap, num_threads=1)
            except ValueError as exc:
                if not _is_lock_busy(exc):
                    raise SearchUnavailable(f"Cannot write to the Tantivy index: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"The Tantivy index at {self.path} is locked by another writer (another process "
                        f"or thread is indexing); gave up after {self.lock_timeout:g} s."
                    ) from exc
                time.sleep(0.05)

    def _commit(self, work: Callable[[tantivy.IndexWriter], None]) -> None:
        with self._lock:
            self._searcher()  # follow a generation switch before writing
            index = self._live()
            writer = self._acquire_writer(index)
            try:
                work(writer)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
            index.reload()
            self._meta_seen = self._meta_stamp()

    def _write(self, docs: Sequence[PreparedDocument], delete_ids: Sequence[int]) -> None:
        def work(writer: tantivy.IndexWriter) -> None:
            for doc_id in delete_ids:
                writer.delete_documents_by_term("id", doc_id)
            for p in docs:
                writer.delete_documents_by_term("id", p.doc.id)
                writer.add_document(_document(p))

        self._commit(work)

    def clear(self) -> None:
        self._commit(lambda writer: writer.delete_all_documents())

    @contextmanager
    def _rebuild(self) -> Iterator[Indexer]:
        path = self._gens.new()
        try:
            index = _open_index(self._schema, path, reuse=False)
            writer = index.writer(heap_size=max(self.writer_heap, 128_000_000), num_threads=self.rebuild_threads)
            yield _BulkIndexer(writer)
            writer.commit()
            writer.wait_merging_threads()
            del writer, index
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._lock:
            self._gens.switch(path)
            self._open()

    def rebuild(self) -> AbstractContextManager[Indexer]:
        return self._rebuild()

    # -- reading ---------------------------------------------------------------------------------

    def _ids_of(self, searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]]) -> list[int]:
        values = searcher.fast_field_values("id", [addr for _, addr in hits])
        return [int(v) for v in values if v is not None]

    def _execute(
        self, query: Ir, flt: Ir, sort: SortSpec | None, offset: int, limit: int, facets: Mapping[str, str]
    ) -> RawPage:
        searcher, view = self._view()
        q = self._tr.filtered(query, flt)
        if sort is not None and F.custom_field_key(sort.field):
            total, ids = self._by_custom_field(searcher, q, sort, offset, limit)
            page = [(i, 0.0) for i in ids]
            return RawPage(total, page, self._counted_facets(searcher, q, facets)[1] if facets and total else {})
        key = (query, flt, tuple(sorted(facets.items())))
        known = self._counts.get(view, key)
        # With facets to count, the aggregation pass counts the total too: the top-K pass then
        # needs no count, which lets Tantivy skip blocks that cannot reach the page (block-max WAND).
        count_here = known is None and not facets
        if sort is None:
            res = searcher.search(q, limit, count=count_here, offset=offset)
            scores = [float(s) for s, _ in res.hits]
        else:
            order = tantivy.Order.Desc if sort.descending else tantivy.Order.Asc
            res = searcher.search(q, limit, count=count_here, order_by_field=sort.field, offset=offset, order=order)
            scores = [0.0] * len(res.hits)
        ids = self._ids_of(searcher, res.hits)
        located = _Located(searcher, [addr for _, addr in res.hits])
        if known is None:
            if facets:
                total, raw_facets = self._counted_facets(searcher, q, facets)
                known = Counts(total, shown_facets(raw_facets))
            else:
                known = Counts(int(getattr(res, "count", 0) or 0), {})  # missing from the stub
            self._counts.put(view, key, known)
        return RawPage(known.total, list(zip(ids, scores, strict=True)), known.facets, located)

    def _page_stored(self, raw: RawPage) -> dict[int, StoredDoc]:
        """Read through the hits' own addresses, in the searcher that found them (no second
        search for their ids)."""
        if not isinstance(raw.located, _Located):
            return super()._page_stored(raw)
        return _read_stored(raw.located.searcher, raw.located.addresses)

    def forget_counts(self) -> None:
        """Drop the kept totals and facet counts (benchmarks measure a query seen for the first time)."""
        self._counts.clear()

    def _by_custom_field(
        self, searcher: tantivy.Searcher, q: tantivy.Query, sort: SortSpec, offset: int, limit: int
    ) -> tuple[int, list[int]]:
        """Sort by a custom number (a JSON path, which ``order_by_field`` cannot name): the
        documents with a value through a ``top_hits`` aggregation, then those without, by id."""
        Q, occur = tantivy.Query, tantivy.Occur
        has = Q.exists_query(sort.field)
        total = int(getattr(searcher.search(q, 1, count=True), "count", 0) or 0)
        with_value = Q.boolean_query([(occur.Must, q), (occur.Must, has)])
        present = int(getattr(searcher.search(with_value, 1, count=True), "count", 0) or 0)
        ids: list[int] = []
        if offset < present:
            order = "desc" if sort.descending else "asc"
            spec = {"sort": [{sort.field: order}], "size": min(limit, present - offset), "from": offset}
            agg = searcher.aggregate(with_value, {"page": {"top_hits": {**spec, "docvalue_fields": ["id"]}}})
            ids = [int(h["docvalue_fields"]["id"][0]) for h in agg["page"]["hits"]]
        rest = limit - len(ids)
        if rest > 0 and total > present:
            missing = Q.boolean_query([(occur.Must, q), (occur.MustNot, has)])
            res = searcher.search(
                missing, rest, offset=max(0, offset - present), order_by_field="id", order=tantivy.Order.Asc
            )
            ids.extend(self._ids_of(searcher, res.hits))
        return total, ids

    def _counted_facets(
        self, searcher: tantivy.Searcher, q: tantivy.Query, fields: Mapping[str, str]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """How many documents match and their facet counts, in one aggregation pass."""
        aggs: dict[str, Any] = {
            key: {"terms": {"field": field, "size": _FACET_SIZE, "segment_size": _FACET_SIZE}}
            for key, field in fields.items()
        }
        aggs[_TOTAL_AGG] = {"value_count": {"field": "id"}}
        result = searcher.aggregate(q, aggs)
        total = int(result.get(_TOTAL_AGG, {}).get("value") or 0)
        return total, {
            key: {str(b["key"]): int(b["doc_count"]) for b in result.get(key, {}).get("buckets", [])} for key in fields
        }

    def _matching_ids(self, query: Ir, flt: Ir) -> list[int]:
        searcher = self._searcher()
        n = searcher.num_docs
        if n == 0:
            return []
        res = searcher.search(self._tr.filtered(query, flt), n, count=False)
        return self._ids_of(searcher, res.hits)

    def _stored(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        if not ids:
            return {}
        searcher = self._searcher()
        q = tantivy.Query.term_set_query(self._schema, "id", list(ids))
        return _read_stored(searcher, [addr for _, addr in searcher.search(q, len(ids), count=False).hits])

    def _doc_freqs(self, field: str, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        searcher = self._searcher()
        return searcher.num_docs, {t: int(searcher.doc_freq(field, t)) for t in terms}

    def _suggest_terms(self, key_prefix: str, flt: Ir, limit: int) -> list[tuple[str, int]]:
        searcher = self._searcher()
        terms = searcher.terms_with_prefix(F.SUGGEST, key_prefix, filter_query=self._tr(flt), limit=limit)
        return [(str(t), int(c)) for t, c in terms]

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def check(self) -> None:
        try:
            self._searcher().search(tantivy.Query.all_query(), 1, count=False)
        except SearchUnavailable:
            raise
        except Exception as exc:  # any engine failure means unavailable
            raise SearchUnavailable(f"The Tantivy index at {self.path} is not usable: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._index = None

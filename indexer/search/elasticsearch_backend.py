"""Elasticsearch 8/9 through the official ``elasticsearch`` client.

* Explicit mapping (``dynamic: strict``): keyword fields for filters/facets,
  ``long`` fields for ranges and sorting, text fields fed the PRE-SEGMENTED
  token streams of :class:`~indexer.text.analysis.Analysis` through a
  whitespace tokenizer, so tokenisation equals the other engines. A stop filter
  drops the gap token ``_`` and, like every Lucene stop filter, keeps the
  position it took, so no phrase matches across punctuation or sections.
* One shard: facet counts (terms aggregations) are exact.
* ``<prefix>-contracts`` is an alias of ``<prefix>-contracts-<timestamp>``;
  :meth:`rebuild` fills a new concrete index and swaps the alias in one
  ``_aliases`` call (zero-downtime reindex).
* Writes use ``refresh=wait_for``: visible to searches when they return.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exc

from indexer.text.analysis import GAP, Analysis

from . import schema as F
from .base import BaseBackend, Indexable, RawPage, SortSpec, iter_prepared
from .errors import SearchError, SearchUnavailable
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

__all__ = ["ElasticsearchBackend", "mapping", "translate", "TOKEN_ANALYZER"]

#: Splits our token streams on whitespace and drops the gap token.
TOKEN_ANALYZER = "pactum_tokens"
_FACET_SIZE = 10_000
_SCAN_BATCH = 5_000
_LUCENE_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def mapping() -> dict[str, Any]:
    """Index settings and mappings (one shard for exact facet counts)."""
    props: dict[str, Any] = {"id": {"type": "long"}, "stored": {"type": "object", "enabled": False}}
    for name in F.TEXT_FIELDS:
        props[name] = {
            "type": "text",
            "analyzer": TOKEN_ANALYZER,
            "index_options": "positions",
            "norms": name.startswith("all") or name.startswith("title"),
        }
    for name in F.KEYWORD_FIELDS:
        props[name] = {"type": "keyword"}
    for name in F.NUMERIC_FIELDS:
        props[name] = {"type": "long"}
    props.update(_custom_properties())
    return {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "index": {"max_result_window": 50_000},
            "analysis": {
                "filter": {"pactum_gap": {"type": "stop", "stopwords": [GAP]}},
                "analyzer": {TOKEN_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": ["pactum_gap"]}},
            },
        },
        "mappings": {"dynamic": "strict", "dynamic_templates": _custom_templates(), "properties": props},
    }


def _custom_properties() -> dict[str, Any]:
    """The two objects holding custom fields; only they take new sub-fields (a new field key
    is mapped on first use, without a reindex)."""
    return {name: {"type": "object", "dynamic": True} for name in (F.CUSTOM_KW, F.CUSTOM_NUM)}


def _custom_templates() -> list[dict[str, Any]]:
    return [
        {"custom_keywords": {"path_match": f"{F.CUSTOM_KW}.*", "mapping": {"type": "keyword"}}},
        {"custom_numbers": {"path_match": f"{F.CUSTOM_NUM}.*", "mapping": {"type": "long"}}},
    ]


def source(p: PreparedDocument) -> dict[str, Any]:
    """The ``_source`` sent for a prepared document."""
    src: dict[str, Any] = {"id": p.doc.id, "stored": _stored_dict(StoredDoc.of(p.doc))}
    analyses: tuple[tuple[str, Analysis], ...] = (("all", p.all), ("title", p.title), ("party", p.party))
    for base, a in analyses:
        src[base + "_w"], src[base + "_b"] = a.word_field(), a.bigrams
    for name, values in F.keyword_values(p.doc).items():
        if values:
            src[name] = list(values)
    if p.suggest:
        src[F.SUGGEST] = list(p.suggest)
    for name, number in F.numeric_values(p.doc).items():
        if number is not None:
            src[name] = number
    keywords, numbers = F.custom_keywords(p.doc), F.custom_numbers(p.doc)
    if keywords:
        src[F.CUSTOM_KW] = {key: list(values) for key, values in keywords.items()}
    if numbers:
        src[F.CUSTOM_NUM] = numbers
    return src


def _stored_dict(stored: StoredDoc) -> dict[str, Any]:
    return {"json": stored.to_json()}


def _regex_escape(text: str) -> str:
    return _LUCENE_REGEX_SPECIAL.sub(r"\\\1", text)


def translate(ir: Ir) -> dict[str, Any]:
    """Plan → Query DSL."""
    if isinstance(ir, IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar):
        return _text_query(ir)
    if isinstance(ir, IrBool):
        return _bool_query(ir)
    if isinstance(ir, IrAll | IrNone | IrIds | IrKeyword | IrRange):
        return _selection_query(ir)
    assert not isinstance(ir, IrConfirm), "resolve() the plan first"
    raise TypeError(f"unknown plan node {ir!r}")


def _text_query(ir: IrTerm | IrPhrase | IrPrefix | IrFuzzy | IrChar) -> dict[str, Any]:
    """Nodes that match tokens of one text field."""
    if isinstance(ir, IrTerm):
        return {"term": {ir.field: {"value": ir.token, "boost": ir.boost}}}
    if isinstance(ir, IrPhrase):
        return _phrase_query(ir)
    if isinstance(ir, IrPrefix):
        return {"prefix": {ir.field: {"value": ir.prefix}}}
    if isinstance(ir, IrFuzzy):
        return {
            "fuzzy": {
                ir.field: {"value": ir.token, "fuzziness": ir.distance, "prefix_length": 0, "transpositions": True}
            }
        }
    c = _regex_escape(ir.char)
    return {"regexp": {ir.field: {"value": f"{c}.?|.{c}"}}}


def _phrase_query(ir: IrPhrase) -> dict[str, Any]:
    if len(ir.tokens) == 1:
        return translate(IrTerm(ir.field, ir.tokens[0], ir.boost))
    return {
        "match_phrase": {
            ir.field: {"query": " ".join(ir.tokens), "analyzer": "whitespace", "slop": 0, "boost": ir.boost}
        }
    }


def _bool_query(ir: IrBool) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, items in (("must", ir.must), ("should", ir.should), ("must_not", ir.must_not)):
        if items:
            body[key] = [translate(i) for i in items]
    if ir.should and not ir.must:
        body["minimum_should_match"] = 1
    return {"bool": body} if body else {"match_all": {}}


def _selection_query(ir: IrAll | IrNone | IrIds | IrKeyword | IrRange) -> dict[str, Any]:
    """Nodes that select documents by id or by exact values, without scoring text."""
    if isinstance(ir, IrAll):
        return {"match_all": {}}
    if isinstance(ir, IrNone):
        return {"match_none": {}}
    if isinstance(ir, IrIds):
        return {"terms": {"id": sorted(ir.ids)}} if ir.ids else {"match_none": {}}
    if isinstance(ir, IrKeyword):
        return {"terms": {ir.field: list(ir.values)}}
    bounds: dict[str, int] = {}
    if ir.lo is not None:
        bounds["gte"] = ir.lo
    if ir.hi is not None:
        bounds["lte"] = ir.hi
    return {"range": {ir.field: bounds}}


def filtered(query: Ir, flt: Ir) -> dict[str, Any]:
    return {"bool": {"must": [translate(query)], "filter": [translate(flt)]}}


def _facet_aggs(fields: Mapping[str, str]) -> dict[str, Any]:
    return {key: {"terms": {"field": field, "size": _FACET_SIZE}} for key, field in fields.items()}


class _BulkIndexer:
    def __init__(self, backend: ElasticsearchBackend, index_name: str) -> None:
        self._backend = backend
        self._index = index_name

    def index(self, docs: Iterable[Indexable]) -> None:
        batch: list[PreparedDocument] = []
        for p in iter_prepared(docs):
            batch.append(p)
            if len(batch) >= 500:
                self._backend._bulk(self._index, batch, (), refresh=False)
                batch = []
        if batch:
            self._backend._bulk(self._index, batch, (), refresh=False)

    def delete(self, ids: Iterable[int]) -> None:
        self._backend._bulk(self._index, (), [int(i) for i in ids], refresh=False)


class ElasticsearchBackend(BaseBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, index_prefix: str = "pactum", url: str = "") -> None:
        self.client = client
        self.url = url
        self.alias = f"{index_prefix}-contracts"
        self._ready = False

    @classmethod
    def from_url(cls, url: str, options: Mapping[str, str]) -> ElasticsearchBackend:
        parts = urlsplit(url)
        prefix = parts.path.strip("/") or options.get("index_prefix", "pactum")
        base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        kwargs: dict[str, Any] = {"request_timeout": float(options.get("request_timeout", "30"))}
        if options.get("username"):
            kwargs["basic_auth"] = (options["username"], options.get("password", ""))
        if options.get("api_key"):
            kwargs["api_key"] = options["api_key"]
        if options.get("ca_certs"):
            kwargs["ca_certs"] = options["ca_certs"]
        if "verify_certs" in options:
            kwargs["verify_certs"] = options["verify_certs"].strip().lower() not in ("0", "false", "no")
        return cls(Elasticsearch(base, **kwargs), index_prefix=prefix, url=base)

    # -- index management ------------------------------------------------------------------------

    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"

    def _create_index(self, name: str, with_alias: bool) -> None:
        body = mapping()
        aliases: dict[str, Any] | None = {self.alias: {}} if with_alias else None
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"], aliases=aliases)

    def _ensure(self) -> None:
        if self._ready:
            return
        try:
            exists = bool(self.client.indices.exists_alias(name=self.alias))
            if not exists:
                self._create_index(self._new_index_name(), with_alias=True)
            else:
                # An index made before custom fields existed takes them in place (adding
                # object fields and templates to a mapping needs no reindex).
                self.client.indices.put_mapping(
                    index=self.alias, properties=_custom_properties(), dynamic_templates=_custom_templates()
                )
        except es_exc.ApiError as exc:
            raise SearchUnavailable(f"Elasticsearch refused to set up {self.alias}: {exc}") from exc
        except es_exc.TransportError as exc:
            raise SearchUnavailable(
                f"Elasticsearch at {self.url or 'the configured URL'} is unreachable: {exc}"
            ) from exc
        self._ready = True

    def _alias_indices(self) -> list[str]:
        found = self.client.options(ignore_status=404).indices.get_alias(name=self.alias)
        if found.meta.status == 404:
            return []
        return list(found.body)

    # -- writing ---------------------------------------------------------------------------------

    def _bulk(
        self, index_name: str, docs: Sequence[PreparedDocument], delete_ids: Sequence[int], *, refresh: bool
    ) -> None:
        ops: list[dict[str, Any]] = []
        for doc_id in delete_ids:
            ops.append({"delete": {"_index": index_name, "_id": str(doc_id)}})
        for p in docs:
            ops.append({"index": {"_index": index_name, "_id": str(p.doc.id)}})
            ops.append(source(p))
        if not ops:
            return
        kwargs: dict[str, Any] = {"operations": ops}
        if refresh:
            kwargs["refresh"] = "wait_for"
        result = self.client.bulk(**kwargs)
        if result.get("errors"):
            failures = [
                item
                for item in result.get("items", [])
                for action, info in item.items()
                if info.get("error") and not (action == "delete" and info.get("status") == 404)
            ]
            if failures:
                raise SearchError(f"Elasticsearch rejected {len(failures)} bulk item(s): {failures[0]}")

    def _write(self, docs: Sequence[PreparedDocument], delete_ids: Sequence[int]) -> None:
        self._ensure()
        self._bulk(self.alias, docs, delete_ids, refresh=True)

    def clear(self) -> None:
        self._ensure()
        self.client.delete_by_query(index=self.alias, query={"match_all": {}}, refresh=True, conflicts="proceed")

    @contextmanager
    def _rebuild(self) -> Iterator[Indexer]:
        self._ensure()
        new = self._new_index_name()
        self._create_index(new, with_alias=False)
        try:
            yield _BulkIndexer(self, new)
            self.client.indices.refresh(index=new)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=new)
            raise
        old = self._alias_indices()
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.options(ignore_status=404).indices.delete(index=name)

    def rebuild(self) -> AbstractContextManager[Indexer]:
        return self._rebuild()

    # -- reading ---------------------------------------------------------------------------------

    def _execute(
        self, query: Ir, flt: Ir, sort: SortSpec | None, offset: int, limit: int, facets: Mapping[str, str]
    ) -> RawPage:
        self._ensure()
        body: dict[str, Any] = {
            "query": filtered(query, flt),
            "from_": offset,
            "size": limit,
            "track_total_hits": True,
            "source": False,
        }
        if sort is not None:
            order = "desc" if sort.descending else "asc"
            # A custom field no document has a value for yet is unmapped: sort as if empty.
            spec: dict[str, Any] = {"order": order, "missing": "_last"}
            if F.custom_field_key(sort.field):
                spec["unmapped_type"] = "long"
            body["sort"] = [{sort.field: spec}, {"id": {"order": "asc"}}]
        if facets:
            body["aggs"] = _facet_aggs(facets)
        res = self.client.search(index=self.alias, **body)
        hits = [(int(h["_id"]), float(h.get("_score") or 0.0)) for h in res["hits"]["hits"]]
        total = int(res["hits"]["total"]["value"])
        raw_facets: dict[str, dict[str, int]] = {}
        for key in facets:
            buckets = res.get("aggregations", {}).get(key, {}).get("buckets", [])
            raw_facets[key] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return RawPage(total, hits, raw_facets)

    def _matching_ids(self, query: Ir, flt: Ir) -> list[int]:
        """All matching ids, paging with ``search_after`` on the id."""
        self._ensure()
        ids: list[int] = []
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": filtered(query, flt),
                "size": _SCAN_BATCH,
                "source": False,
                "sort": [{"id": {"order": "asc"}}],
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(index=self.alias, **body)["hits"]["hits"]
            ids.extend(int(h["_id"]) for h in hits)
            if len(hits) < _SCAN_BATCH:
                return ids
            after = hits[-1]["sort"]

    def _stored(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        if not ids:
            return {}
        self._ensure()
        res = self.client.mget(index=self.alias, ids=[str(i) for i in ids], source=["stored"])
        out: dict[int, StoredDoc] = {}
        for doc in res["docs"]:
            if doc.get("found"):
                stored = StoredDoc.from_json(doc["_source"]["stored"]["json"])
                out[stored.id] = stored
        return out

    def _doc_freqs(self, field: str, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        self._ensure()
        aggs = {"df": {"filters": {"filters": {t: {"term": {field: t}} for t in terms}}}}
        res = self.client.search(index=self.alias, size=0, track_total_hits=True, aggs=aggs)
        buckets = res["aggregations"]["df"]["buckets"]
        return int(res["hits"]["total"]["value"]), {t: int(b["doc_count"]) for t, b in buckets.items()}

    def _suggest_terms(self, key_prefix: str, flt: Ir, limit: int) -> list[tuple[str, int]]:
        self._ensure()
        aggs = {"suggest": {"terms": {"field": F.SUGGEST, "include": _regex_escape(key_prefix) + ".*", "size": limit}}}
        res = self.client.search(index=self.alias, size=0, query=translate(flt), aggs=aggs)
        return [(str(b["key"]), int(b["doc_count"])) for b in res["aggregations"]["suggest"]["buckets"]]

    def count(self) -> int:
        self._ensure()
        return int(self.client.count(index=self.alias)["count"])

    def check(self) -> None:
        try:
            self.client.info()
        except es_exc.TransportError as exc:
            raise SearchUnavailable(
                f"Elasticsearch at {self.url or 'the configured URL'} is unreachable: {exc}"
            ) from exc
        except es_exc.ApiError as exc:
            raise SearchUnavailable(f"Elasticsearch answered an error: {exc}") from exc
        self._ensure()

    def close(self) -> None:
        self.client.close()

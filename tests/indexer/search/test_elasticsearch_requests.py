"""What the Elasticsearch backend sends, checked on the wire.

No Elasticsearch can run here, so the real client talks to a recording HTTP
server on 127.0.0.1 (tests/indexer/search/fake_es.py) and the tests assert on
the JSON it received. The full conformance suite runs against a real cluster
when PACTUM_TEST_ELASTICSEARCH_URL is set."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indexer.search import (
    FACET_KEYS,
    CustomFilter,
    IndexDocument,
    SearchFilters,
    SearchQuery,
    SearchUnavailable,
    open_search_backend,
)
from indexer.search.elasticsearch_backend import ElasticsearchBackend

from .fake_es import FakeElasticsearch

DOC = IndexDocument(
    id=7,
    title="保密协议",
    text="甲方与乙方签订保密协议。委员会审议：payment terms apply.",
    page_offsets=(0,),
    contract_number="HT-7",
    contract_type="保密协议",
    status="active",
    counterparties=("华为技术有限公司",),
    tags=("NDA",),
    department="法务部",
    owner="user:1",
    amount=Decimal("1234.56"),
    currency="CNY",
    signed_date=date(2024, 5, 6),
    expiry_date=date(2026, 5, 5),
    principals=("all", "dept:1"),
)


@pytest.fixture
def fake() -> Iterator[FakeElasticsearch]:
    with FakeElasticsearch() as server:
        yield server


@pytest.fixture
def backend(fake: FakeElasticsearch, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    b = open_search_backend(fake.url, data_dir=tmp_path)
    assert isinstance(b, ElasticsearchBackend)
    yield b
    b.close()


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_first_use_creates_the_index_with_mapping_and_alias(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    assert backend.count() == 0
    (create,) = [r for r in fake.cluster.requests if r.method == "PUT" and r.path.startswith("/pactum-contracts-")]
    assert create.path.startswith("/pactum-contracts-")
    assert create.body["aliases"] == {"pactum-contracts": {}}
    props = create.body["mappings"]["properties"]
    assert create.body["mappings"]["dynamic"] == "strict"
    assert create.body["settings"]["number_of_shards"] == 1
    assert props["all_w"] == {"type": "text", "analyzer": "pactum_tokens", "index_options": "positions", "norms": True}
    assert props["all_b"]["analyzer"] == "pactum_tokens"
    analysis = create.body["settings"]["analysis"]
    assert analysis["analyzer"]["pactum_tokens"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["pactum_gap"],
    }
    assert analysis["filter"]["pactum_gap"] == {"type": "stop", "stopwords": ["_"]}
    for keyword in ("type", "status", "tag", "party", "department", "owner", "year", "principals", "suggest"):
        assert props[keyword] == {"type": "keyword"}
    for number in ("amount", "signed", "expiry", "created"):
        assert props[number] == {"type": "long"}
    assert props["stored"] == {"type": "object", "enabled": False}
    backend.count()
    assert len(fake.cluster.find("HEAD", "/_alias/")) == 1  # checked once per backend


def test_bulk_lines_carry_pre_segmented_tokens(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    backend.index([DOC])
    backend.delete([9])
    first, second = fake.cluster.find("POST", "/_bulk")
    assert first.params["refresh"] == ["wait_for"]
    action, source = first.body
    assert action == {"index": {"_index": "pactum-contracts", "_id": "7"}}
    words = source["all_w"].split(" ")
    assert "保密" in words and "协议" in words and "payment" in words
    assert "_" in words  # punctuation and section boundaries leave position gaps
    end_of_text = words.index("apply")
    assert "委员" not in words[:end_of_text] and "委员" in words[end_of_text:]  # sub-word of 委员会, after the text
    assert "保密 密协 协议" in source["all_b"]
    assert source["principals"] == ["all", "dept:1"]
    assert source["amount"] == 123456 and source["signed"] == (date(2024, 5, 6) - date(1970, 1, 1)).days
    assert source["type_lc"] == ["保密协议"] and source["year"] == ["2024"]
    assert any(s.startswith("华为技术有限公司\x1f") for s in source["suggest"])
    assert second.body == [{"delete": {"_index": "pactum-contracts", "_id": "9"}}]


def test_search_body_has_permissions_filters_sort_and_aggregations(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    fake.cluster.hits = [{"_id": "7", "_score": 1.5}, {"_id": "3", "_score": 0.5}]
    fake.cluster.stored["7"] = {
        "stored": {
            "json": '{"id":7,"title":"t","text":"甲方与乙方签订保密协议",'
            '"pages":[0],"number":"","type":"","parties":[],"tags":[]}'
        }
    }
    query = SearchQuery(
        "保密协议 -草稿",
        principals=("all", "user:1"),
        filters=SearchFilters(status=("active",), amount_min=Decimal("10.005")),
        sort="-amount",
        page=2,
        per_page=10,
    )
    result = backend.search(query)
    search = fake.cluster.find("POST", "/pactum-contracts/_search")[0].body
    assert search["from"] == 10 and search["size"] == 10 and search["track_total_hits"] is True
    flt = search["query"]["bool"]["filter"][0]["bool"]["must"]
    assert {"terms": {"principals": ["all", "user:1"]}} in flt
    assert {"terms": {"status": ["active"]}} in flt
    assert {"range": {"amount": {"gte": 1001}}} in flt
    assert search["sort"] == [{"amount": {"order": "desc", "missing": "_last"}}, {"id": {"order": "asc"}}]
    assert set(search["aggs"]) == set(FACET_KEYS)
    assert search["aggs"]["tags"] == {"terms": {"field": "tag", "size": 10000}}
    main = search["query"]["bool"]["must"][0]
    assert main["bool"]["must_not"], "-草稿 becomes must_not"
    terms = [n for n in _walk(main) if isinstance(n, dict) and "term" in n]
    assert {"term": {"all_w": {"value": "保密", "boost": 1.0}}} in terms
    assert result.total == 2 and [h.id for h in result.hits] == [7, 3]
    assert result.facets["status"][0].value == "active"
    assert "<mark>保密协议</mark>" in result.hits[0].highlights[0]


def test_phrases_become_match_phrase_on_the_right_field(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    backend.search(SearchQuery('"同等法律效力" "payment terms"', principals=("all",), facets=False))
    body = fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body
    phrases = [n["match_phrase"] for n in _walk(body) if isinstance(n, dict) and "match_phrase" in n]
    assert {
        "all_b": {"query": "同等 等法 法律 律效 效力", "analyzer": "whitespace", "slop": 0, "boost": 1.0}
    } in phrases
    assert {"all_w": {"query": "payment terms", "analyzer": "whitespace", "slop": 0, "boost": 1.0}} in phrases


def test_unquoted_chinese_run_adds_a_boosted_match_phrase_should_clause(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    backend.search(SearchQuery("经协商签订本合同", principals=("all",), facets=False))
    body = fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body
    boosted = [
        n
        for n in _walk(body)
        if isinstance(n, dict) and "bool" in n and any("match_phrase" in c for c in n["bool"].get("should", []))
    ]
    assert len(boosted) == 1
    clause = boosted[0]["bool"]
    phrase = {"query": "经协 协商 商签 签订 订本 本合 合同", "analyzer": "whitespace", "slop": 0, "boost": 3.0}
    assert {"match_phrase": {"all_b": phrase}} in clause["should"]
    assert "minimum_should_match" not in clause  # the words alone still match: the phrase only ranks
    assert clause["must"]


def test_an_unclosed_quote_is_sent_as_the_closed_phrase(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    bodies = []
    for text in ('"同等法律效力"', '"同等法律效力'):
        backend.search(SearchQuery(text, principals=("all",), facets=False))
        bodies.append(fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body)
    closed, unclosed = bodies
    assert unclosed["query"] == closed["query"]
    assert any(isinstance(n, dict) and "match_phrase" in n for n in _walk(unclosed))


def test_fuzzy_wildcard_and_field_prefixes(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    backend.search(SearchQuery("confidentiallity~ conf* tag:NDA party:华为", principals=("all",)))
    body = fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body
    nodes = list(_walk(body))
    assert {
        "fuzzy": {"all_w": {"value": "confidentiallity", "fuzziness": 1, "prefix_length": 0, "transpositions": True}}
    } in nodes
    assert {"prefix": {"all_w": {"value": "conf"}}} in nodes
    assert {"terms": {"tag_lc": ["nda"]}} in nodes
    assert {"term": {"party_w": {"value": "华为", "boost": 1.0}}} in nodes


def test_rebuild_fills_a_new_index_and_swaps_the_alias(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    fake.cluster.alias_exists = True
    with backend.rebuild() as indexer:
        indexer.index([DOC])
    (create,) = [r for r in fake.cluster.requests if r.method == "PUT" and r.path.startswith("/pactum-contracts-")]
    new_index = create.path.strip("/")
    assert "aliases" not in create.body or not create.body["aliases"]
    (bulk,) = fake.cluster.find("POST", "/_bulk")
    assert bulk.body[0]["index"]["_index"] == new_index and "refresh" not in bulk.params
    assert fake.cluster.find("POST", f"/{new_index}/_refresh")
    (swap,) = fake.cluster.find("POST", "/_aliases")
    assert swap.body == {
        "actions": [
            {"remove": {"index": "pactum-contracts-old", "alias": "pactum-contracts"}},
            {"add": {"index": new_index, "alias": "pactum-contracts"}},
        ]
    }
    assert fake.cluster.find("DELETE", "/pactum-contracts-old")


def test_failed_rebuild_drops_the_new_index_and_keeps_the_alias(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    fake.cluster.alias_exists = True
    with pytest.raises(ValueError):
        with backend.rebuild() as indexer:
            indexer.index([DOC])
            raise ValueError("boom")
    (create,) = [r for r in fake.cluster.requests if r.method == "PUT" and r.path.startswith("/pactum-contracts-")]
    assert fake.cluster.find("DELETE", create.path)
    assert not fake.cluster.find("POST", "/_aliases")


def test_suggest_and_more_like_this_send_permission_filters(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    assert backend.suggest("华为", ("all",)) == ("华为技术有限公司",)
    body = fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body
    assert body["query"] == {"terms": {"principals": ["all"]}}
    assert body["aggs"]["suggest"]["terms"]["include"] == "华为.*"
    assert backend.suggest("x", ()) == ()


def test_no_principals_means_no_request(fake: FakeElasticsearch, backend: ElasticsearchBackend) -> None:
    assert backend.search(SearchQuery("保密", principals=())).total == 0
    assert not fake.cluster.requests


def test_options_and_url_prefix(fake: FakeElasticsearch, tmp_path: Path) -> None:
    b = open_search_backend(
        fake.url + "/acme", data_dir=tmp_path, options={"username": "u", "password": "p", "verify_certs": "false"}
    )
    assert isinstance(b, ElasticsearchBackend) and b.alias == "acme-contracts"
    b.check()
    assert fake.cluster.find("GET", "/")
    b.close()


def test_unreachable_cluster_is_reported(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    b = open_search_backend(f"http://127.0.0.1:{port}", data_dir=tmp_path, options={"request_timeout": "2"})
    with pytest.raises(SearchUnavailable, match="unreachable"):
        b.check()
    b.close()


def test_custom_fields_are_dynamic_sub_fields_filtered_faceted_and_sorted(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    backend.index(
        [
            IndexDocument(
                8,
                "t",
                "",
                principals=("all",),
                custom=(("region", "华东"), ("urgent", True), ("rate", Decimal("0.035")), ("due", date(1970, 1, 11))),
            )
        ]
    )
    (create,) = [r for r in fake.cluster.requests if r.method == "PUT" and r.path.startswith("/pactum-contracts-")]
    mappings = create.body["mappings"]
    assert mappings["properties"]["cfk"] == {"type": "object", "dynamic": True}
    assert {"custom_numbers": {"path_match": "cfn.*", "mapping": {"type": "long"}}} in mappings["dynamic_templates"]
    assert {"custom_keywords": {"path_match": "cfk.*", "mapping": {"type": "keyword"}}} in mappings["dynamic_templates"]
    (_, source) = fake.cluster.find("POST", "/_bulk")[0].body
    assert source["cfk"] == {"region": ["华东"], "urgent": ["true"]}
    assert source["cfn"] == {"rate": 350, "due": 10}
    flt = SearchFilters(
        custom=(CustomFilter("region", ("华东",)), CustomFilter("rate", lo=Decimal("0.01"), hi=Decimal("0.05")))
    )
    backend.search(SearchQuery("", principals=("all",), filters=flt, sort="-cf:due", custom_facets=("region",)))
    body = fake.cluster.find("POST", "/pactum-contracts/_search")[-1].body
    must = body["query"]["bool"]["filter"][0]["bool"]["must"]
    assert {"terms": {"cfk.region": ["华东"]}} in must
    assert {"range": {"cfn.rate": {"gte": 100, "lte": 500}}} in must
    assert body["sort"][0] == {"cfn.due": {"order": "desc", "missing": "_last", "unmapped_type": "long"}}
    assert body["aggs"]["cf:region"] == {"terms": {"field": "cfk.region", "size": 10000}}


def test_an_existing_index_gets_the_custom_field_mapping_in_place(
    fake: FakeElasticsearch, backend: ElasticsearchBackend
) -> None:
    fake.cluster.alias_exists = True
    backend.count()
    (update,) = fake.cluster.find("POST", "/pactum-contracts/_mapping")
    assert update.body["properties"]["cfn"] == {"type": "object", "dynamic": True}
    assert [next(iter(t)) for t in update.body["dynamic_templates"]] == ["custom_keywords", "custom_numbers"]
    assert not [r for r in fake.cluster.requests if r.method == "PUT" and r.path.startswith("/pactum-contracts-")]

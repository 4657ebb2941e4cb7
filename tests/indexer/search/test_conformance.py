"""The conformance suite: every engine must give the same, known answers.

Expected results come from hand-written documents with known answers and from
an oracle that scans the raw text of every fixture document (real Chinese and
English contracts included)."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from indexer.search import (
    FACET_KEYS,
    BaseBackend,
    CustomFilter,
    IndexDocument,
    QuerySyntaxError,
    SearchFilters,
    SearchQuery,
    SearchResult,
)
from indexer.text import is_cjk
from indexer.text.highlight import edit_distance
from tests.paths import require_corpus

from .conftest import ENGINES, _drop, open_engine
from .corpus import ME, SECRET_ID, ZH, facet_oracle, has_all_words, has_phrase, ids, matches_filters, visible


def run(backend: BaseBackend, text: str = "", principals: tuple[str, ...] = ME, **kw: object) -> SearchResult:
    kw.setdefault("per_page", 1000)
    return backend.search(SearchQuery(text, principals, **kw))  # type: ignore[arg-type]


def hit_ids(result: SearchResult) -> set[int]:
    return {h.id for h in result.hits}


def assert_exact(result: SearchResult, expected: set[int]) -> None:
    assert hit_ids(result) == expected
    assert result.total == len(expected)


# -- text queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["保密协议", "违约责任", "甲方", "仲裁", "不可抗力", "保密协议违约责任", "合同"])
def test_chinese_words_match_the_substring_oracle(
    loaded: BaseBackend, documents: list[IndexDocument], text: str
) -> None:
    expected = ids(d for d in documents if has_all_words(d, text))
    if not expected:
        require_corpus(ZH.name)
    assert expected, "the fixture must contain the word"
    assert_exact(run(loaded, text), expected)


def test_known_chinese_answers(loaded: BaseBackend) -> None:
    assert {1, 3} <= hit_ids(run(loaded, "违约责任"))
    assert 1 in hit_ids(run(loaded, "保密协议"))


@pytest.mark.parametrize("phrase", ["同等法律效力", "增值税专用发票", "违约金", "本合同", "甲方", "不可抗力"])
def test_chinese_phrase_equals_substring_scan(loaded: BaseBackend, documents: list[IndexDocument], phrase: str) -> None:
    assert_exact(run(loaded, f'"{phrase}"'), ids(d for d in documents if has_phrase(d, phrase)))


def test_phrase_spans_line_breaks_but_never_punctuation(loaded: BaseBackend) -> None:
    vat = hit_ids(run(loaded, '"增值税专用发票"'))
    assert 3 in vat  # split by a line break in doc 3
    assert 7 not in vat  # 增值税，专用发票: a comma in between
    same = hit_ids(run(loaded, '"同等法律效力"'))
    assert 1 in same and 7 not in same  # doc 7 has 同等法律，效力
    assert 7 in hit_ids(run(loaded, '"同等法律，效力"'))  # punctuation in the phrase: it must be there


def test_random_phrases_from_the_chinese_corpus_have_full_recall(
    loaded: BaseBackend, documents: list[IndexDocument]
) -> None:
    rng = random.Random(7)
    corpus = [d for d in documents if d.id >= 1000 and d.id < 2000]
    if not corpus:
        require_corpus(ZH.name)
    phrases: list[str] = []
    while len(phrases) < 12:
        text = rng.choice(corpus).text
        start = rng.randrange(0, max(1, len(text) - 10))
        candidate = text[start : start + rng.randint(2, 7)]
        if candidate.strip() and '"' not in candidate:
            phrases.append(candidate)
    for phrase in phrases:
        expected = ids(d for d in documents if has_phrase(d, phrase))
        assert hit_ids(run(loaded, f'"{phrase}"')) == expected, phrase


def test_mixed_latin_and_chinese(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    result = run(loaded, "NDA 保密")
    assert 1 in hit_ids(result) and SECRET_ID not in hit_ids(result)
    assert_exact(result, ids(d for d in documents if has_all_words(d, "NDA 保密")))


def test_english_term_and_phrase(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    assert_exact(run(loaded, "confidentiality"), ids(d for d in documents if has_all_words(d, "confidentiality")))
    payment = run(loaded, '"payment terms"')
    assert {2, 8} <= hit_ids(payment)
    assert_exact(payment, ids(d for d in documents if has_phrase(d, "payment terms")))
    assert 2 in hit_ids(run(loaded, '"e-mail"'))


def test_or_not_and_minus(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    nda = ids(d for d in documents if has_all_words(d, "NDA"))
    secret = ids(d for d in documents if has_all_words(d, "保密"))
    lease = ids(d for d in documents if has_all_words(d, "租赁"))
    assert_exact(run(loaded, "保密 OR 租赁"), secret | lease)
    assert_exact(run(loaded, "保密 -NDA"), secret - nda)
    assert_exact(run(loaded, "保密 NOT NDA"), secret - nda)
    assert_exact(run(loaded, "(保密 OR 租赁) -NDA"), (secret | lease) - nda)
    everyone = ids(documents)
    assert_exact(run(loaded, "-保密"), everyone - secret)


def test_field_prefixes(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    assert_exact(run(loaded, "party:华为"), {1})
    assert_exact(run(loaded, "party:北京物流"), {3, 7})
    assert_exact(run(loaded, "tag:nda"), ids(d for d in documents if "NDA" in d.tags))
    assert_exact(run(loaded, "type:劳动合同"), ids(d for d in documents if d.contract_type == "劳动合同"))
    assert 6 in hit_ids(run(loaded, "type:劳动合同"))
    assert_exact(run(loaded, "title:采购"), ids(d for d in documents if "采购" in d.title))
    assert_exact(run(loaded, "number:HT-2024-001"), {1})
    assert_exact(run(loaded, 'number:"ht-2024-001"'), {1})
    assert_exact(run(loaded, "number:ZL-2024*"), {7})
    assert_exact(run(loaded, "party:(华为 OR Acme)"), {1, 2})


def test_trailing_wildcard(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    expected = ids(d for d in documents if re.search(r"(?<![^\W_])confiden", d.text + " " + d.title, re.IGNORECASE))
    assert_exact(run(loaded, "confiden*"), expected)


def test_fuzzy_typo(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    result = run(loaded, "confidentiallity~")
    assert 2 in hit_ids(result)
    expected = ids(
        d
        for d in documents
        if any(
            edit_distance(w, "confidentiallity", 1) <= 1
            for w in re.findall(r"[a-z0-9]+", (d.title + " " + d.text).lower())
        )
    )
    assert_exact(result, expected)
    assert hit_ids(run(loaded, "confidentialty~2")) >= {2}


# -- filters, sorting, paging, facets ---------------------------------------------------------------

FILTERS = [
    SearchFilters(contract_type=("保密协议",)),
    SearchFilters(status=("active", "draft")),
    SearchFilters(tag=("NDA",)),
    SearchFilters(counterparty=("北京物流有限公司",)),
    SearchFilters(department=("Legal",)),
    SearchFilters(owner=("user:1",)),
    SearchFilters(amount_min=Decimal("5000")),
    SearchFilters(amount_max=Decimal("5000")),
    SearchFilters(amount_min=Decimal("5000"), amount_max=Decimal("5000")),
    SearchFilters(signed_from=date(2024, 1, 15), signed_to=date(2024, 12, 31)),
    SearchFilters(expiry_to=date(2025, 12, 31)),
    SearchFilters(expiry_from=date(2026, 1, 14)),
    SearchFilters(status=("active",), tag=("NDA", "English"), amount_max=Decimal("10000")),
    SearchFilters(contract_type=("CUAD",), status=("expired",), signed_from=date(2003, 1, 1)),
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(k for k in f.__dataclass_fields__ if getattr(f, k) not in ((), None))
)
def test_filters(loaded: BaseBackend, documents: list[IndexDocument], filters: SearchFilters) -> None:
    expected = {d for d in documents if visible(d) and matches_filters(d, filters)}
    if not expected:
        require_corpus(ZH.name)
    assert expected, "each filter case must select something"
    result = run(loaded, filters=filters)
    assert_exact(result, {d.id for d in expected})
    oracle = facet_oracle(expected)
    for key in FACET_KEYS:
        limit = 20 if key == "tags" else 100
        want = sorted(oracle[key].items(), key=lambda vc: (-vc[1], vc[0]))[:limit]
        assert [(f.value, f.count) for f in result.facets[key]] == want, key


def test_amount_and_date_boundaries_are_inclusive(loaded: BaseBackend) -> None:
    assert {2, 7} <= hit_ids(run(loaded, filters=SearchFilters(amount_min=Decimal("5000"))))
    at_most = hit_ids(run(loaded, filters=SearchFilters(amount_max=Decimal("5000.00"))))
    assert {2, 7} <= at_most and 8 not in at_most
    assert 8 in hit_ids(run(loaded, filters=SearchFilters(amount_min=Decimal("5000.01"))))
    assert 7 in hit_ids(run(loaded, filters=SearchFilters(signed_to=date(2024, 12, 31))))
    assert 7 not in hit_ids(run(loaded, filters=SearchFilters(signed_to=date(2024, 12, 30))))
    assert 7 in hit_ids(run(loaded, filters=SearchFilters(signed_from=date(2024, 12, 31))))


SORT_KEYS = {"amount": "amount", "signed_date": "signed_date", "expiry_date": "expiry_date", "created": "created"}


@pytest.mark.parametrize(
    "sort", ["amount", "-amount", "signed_date", "-signed_date", "expiry_date", "-expiry_date", "created", "-created"]
)
def test_sorting_puts_missing_values_last(loaded: BaseBackend, documents: list[IndexDocument], sort: str) -> None:
    by_id = {d.id: d for d in documents}
    result = run(loaded, sort=sort)
    assert result.total == len(ids(documents))
    values = [getattr(by_id[h.id], SORT_KEYS[sort.lstrip("-")]) for h in result.hits]
    present = [v for v in values if v is not None]
    assert values[: len(present)] == present, "documents without a value come last"
    assert present == sorted(present, reverse=sort.startswith("-"))


def test_pagination_partitions_the_results(loaded: BaseBackend) -> None:
    full = [h.id for h in run(loaded, sort="-created").hits]
    pages: list[int] = []
    for page in range(1, 100):
        chunk = run(loaded, sort="-created", page=page, per_page=7)
        assert chunk.total == len(full)
        if not chunk.hits:
            break
        pages.extend(h.id for h in chunk.hits)
    assert pages == full
    relevance = run(loaded, "合同", page=2, per_page=5)
    assert len(relevance.hits) == 5 and relevance.total > 10


def test_facet_counts_cover_all_hits_not_just_the_page(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    result = run(loaded, "合同", per_page=3)
    assert len(result.hits) == 3
    assert sum(f.count for f in result.facets["status"]) == result.total
    matching = [d for d in documents if visible(d) and has_all_words(d, "合同")]
    assert {f.value: f.count for f in result.facets["contract_type"]} == dict(facet_oracle(matching)["contract_type"])
    assert len(result.facets["tags"]) <= 20
    assert list(result.facets) == list(FACET_KEYS)
    assert run(loaded, "合同", facets=False).facets == {}


# -- permissions -----------------------------------------------------------------------------------


def test_invisible_documents_never_leak(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    secret = run(loaded, "机密")
    assert SECRET_ID not in hit_ids(secret)
    assert all(f.value != "机密" for f in secret.facets["tags"])
    assert run(loaded, "并购").total == 0
    assert run(loaded, "并购").facets["tags"] == ()
    everything = run(loaded)
    assert everything.total == len(ids(documents))
    assert sum(f.count for f in everything.facets["status"]) == everything.total
    assert "董事会" not in {f.value for f in everything.facets["department"]}
    assert run(loaded, "并购", principals=("user:99",)).total == 1
    assert run(loaded, principals=()).total == 0
    assert not any(s.startswith("机密") for s in loaded.suggest("机密", ME))
    assert "机密保密协议" in loaded.suggest("机密", ("user:99",))
    assert loaded.more_like_this(SECRET_ID, ME) == ()
    assert all(h.id in ids(documents) for h in loaded.more_like_this(1, ME, limit=50))


def test_more_like_this(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    similar = loaded.more_like_this(1, ME, limit=5)
    assert similar and len(similar) <= 5
    returned = {h.id for h in similar}
    assert 1 not in returned and SECRET_ID not in returned
    assert returned <= ids(documents)


def test_suggestions(loaded: BaseBackend) -> None:
    assert "华为技术有限公司" in loaded.suggest("华为", ME)
    assert "Acme Corporation" in loaded.suggest("acm", ME)
    assert "设备采购合同" in loaded.suggest("采购", ME)  # completes from a word inside the title
    assert "Mutual Non-Disclosure Agreement" in loaded.suggest("Non-Dis", ME)
    assert len(loaded.suggest("合同", ME, limit=3)) <= 3
    assert loaded.suggest("", ME) == ()
    assert loaded.suggest("保密", ()) == ()


# -- highlights ------------------------------------------------------------------------------------


def _plain(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "")).strip("…")


def test_highlights_are_verbatim_marked_and_escaped(loaded: BaseBackend, documents: list[IndexDocument]) -> None:
    by_id = {d.id: d for d in documents}
    result = run(loaded, '"同等法律效力"')
    hit = next(h for h in result.hits if h.id == 1)
    assert any("<mark>同等法律效力</mark>" in s for s in hit.highlights)
    assert hit.page == 2
    for h in result.hits:
        for snippet in h.highlights:
            assert _plain(snippet) in by_id[h.id].text
    split = next(h for h in run(loaded, '"增值税专用发票"').hits if h.id == 3)
    assert any("<mark>增值税专用\n发票</mark>" in s for s in split.highlights)
    escaped = next(h for h in run(loaded, "租赁 script").hits if h.id == 7)
    joined = "".join(escaped.highlights)
    assert "&lt;" in joined and "<script>" not in joined and "&amp;" in joined
    words = next(h for h in run(loaded, "违约责任").hits if h.id == 1)
    assert any("<mark>违约责任</mark>" in s for s in words.highlights)
    assert words.page == 1
    assert all(not h.highlights for h in run(loaded, "违约责任", highlight=False).hits)


def test_no_spaces_inserted_between_chinese_words(loaded: BaseBackend) -> None:
    for h in run(loaded, "保密信息").hits:
        for snippet in h.highlights:
            plain = _plain(snippet)
            assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", plain) or " " in plain


# -- ranking -----------------------------------------------------------------------------------------

#: Documents that hold every word of the query run, only one of them holds the run as written.
#: The scattered ones mention the words more often and are shorter, so a words-only score ranks
#: them first.
_SCATTERED = (
    "双方协商。合同经批准。双方或协商。经理审核合同。协商不成的，双方或可经仲裁解决合同争议。",
    "本合同经双方签字。协商一致后，双方或其代理人签订本合同；合同经公证，协商记录附后。",
    "经协商，双方签订补充合同，本合同或其附件经双方签订后生效。协商、签订、本合同。",
)
_CONTIGUOUS = (
    "第七条 合同的变更\n本合同在履行期间，经双方协商或合同约定的条件成就时，可以变更。"
    "变更应当采用书面形式，由双方的法定代表人或其授权代表签字。本协议未尽事宜由双方另行约定。"
    "第八条 其他\n乙方经协商签订本合同，并保证所提供的资料真实、完整。本协议一式两份，各执一份。"
)


@pytest.mark.parametrize(("typed", "with_words"), [("经双方协商或合同", {1, 2, 3, 9}), ("经协商签订本合同", {2, 3, 9})])
def test_unquoted_chinese_run_ranks_the_contiguous_document_first(
    fresh: BaseBackend, typed: str, with_words: set[int]
) -> None:
    fresh.index([_doc(n, text) for n, text in enumerate(_SCATTERED, start=1)] + [_doc(9, _CONTIGUOUS)])
    result = run(fresh, typed)
    assert hit_ids(result) == with_words  # the words still find every document that holds them
    assert result.hits[0].id == 9
    quoted = run(fresh, f'"{typed}"')
    assert hit_ids(quoted) == {9}


# -- writes ----------------------------------------------------------------------------------------


def _doc(doc_id: int, text: str, **kw: object) -> IndexDocument:
    return IndexDocument(id=doc_id, title=f"临时文件{doc_id}", text=text, principals=("all",), **kw)  # type: ignore[arg-type]


def test_updates_and_deletes_are_visible_immediately(fresh: BaseBackend) -> None:
    fresh.index([_doc(1, "第一版 内容 pineapple"), _doc(2, "另一份 banana")])
    assert fresh.count() == 2
    assert hit_ids(run(fresh, "pineapple")) == {1}
    fresh.index([_doc(1, "第二版 内容 mango")])
    assert fresh.count() == 2
    assert run(fresh, "pineapple").total == 0
    assert hit_ids(run(fresh, "mango")) == {1}
    fresh.delete([1, 42])
    assert run(fresh, "mango").total == 0 and fresh.count() == 1
    fresh.clear()
    assert fresh.count() == 0 and run(fresh).total == 0
    fresh.check()


def test_rebuild_swaps_atomically(fresh: BaseBackend) -> None:
    fresh.index([_doc(1, "旧索引 alpha")])
    with fresh.rebuild() as new:
        new.index([_doc(2, "新索引 beta"), _doc(3, "新索引 gamma")])
        new.delete([3])
        assert hit_ids(run(fresh, "alpha")) == {1}  # old results served until the swap
        assert run(fresh, "beta").total == 0
    assert run(fresh, "alpha").total == 0
    assert hit_ids(run(fresh)) == {2}
    with pytest.raises(RuntimeError):
        with fresh.rebuild() as broken:
            broken.index([_doc(9, "不完整 delta")])
            raise RuntimeError("extraction failed halfway")
    assert hit_ids(run(fresh)) == {2} and run(fresh, "delta").total == 0
    fresh.index([_doc(4, "after rebuild epsilon")])
    assert hit_ids(run(fresh, "epsilon")) == {4}


@pytest.mark.parametrize("text", ["(保密", "保密)", "保密 OR", "NOT", "party:", "foo:bar", "*", "word~3"])
def test_syntax_errors(loaded: BaseBackend, text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        run(loaded, text)


@pytest.mark.parametrize("closed, unclosed", [('"同等法律效力"', '"同等法律效力'), ("违约金", '违约金 "')])
def test_an_unclosed_quote_searches_as_if_closed(loaded: BaseBackend, closed: str, unclosed: str) -> None:
    expected = run(loaded, closed)
    assert expected.total > 0, "the fixture must contain the phrase"
    assert_exact(run(loaded, unclosed), hit_ids(expected))


def test_cjk_helper_sanity() -> None:
    assert is_cjk("合") and not is_cjk("a")


# -- custom fields ---------------------------------------------------------------------------------
# Dynamic fields named by key: exact values (text, choices, yes/no, people, departments, parties),
# ranges and sorting (whole numbers, decimals/money, days), facets; the same answers everywhere.

CUSTOM_DOCS = [
    IndexDocument(
        1,
        "华东采购合同",
        "",
        principals=("all",),
        custom=(
            ("region", "华东"),
            ("risk", "high"),
            ("labels", ("框架", "续签")),
            ("urgent", True),
            ("pieces", 12),
            ("rate", Decimal("0.0350")),
            ("deposit", Decimal("1200.50")),
            ("due", date(2025, 3, 1)),
        ),
    ),
    IndexDocument(
        2,
        "华北服务合同",
        "",
        principals=("all",),
        custom=(
            ("region", "华北"),
            ("risk", "low"),
            ("labels", ("框架",)),
            ("urgent", False),
            ("pieces", -3),
            ("rate", Decimal("0.1")),
            ("deposit", Decimal("99.99")),
            ("due", date(2024, 12, 31)),
        ),
    ),
    IndexDocument(
        3,
        "华东租赁合同",
        "",
        principals=("all",),
        custom=(
            ("region", "华东"),
            ("risk", "low"),
            ("urgent", True),
            ("pieces", 400),
            ("due", date(2026, 1, 1)),
        ),
    ),
    IndexDocument(4, "没有自定义字段的合同", "", principals=("all",)),
    IndexDocument(5, "机密华东合同", "", principals=("user:99",), custom=(("region", "华东"), ("pieces", 7))),
]


@pytest.fixture(scope="module")
def custom_loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BaseBackend]:
    backend = open_engine(request.param, tmp_path_factory.mktemp(f"custom-{request.param}"))
    backend.index(CUSTOM_DOCS)
    yield backend
    _drop(backend)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "custom_loaded" in metafunc.fixturenames:
        metafunc.parametrize("custom_loaded", ENGINES, indirect=True)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (CustomFilter("region", values=("华东",)), {1, 3}),
        (CustomFilter("region", values=("华东", "华北")), {1, 2, 3}),
        (CustomFilter("labels", values=("续签",)), {1}),
        (CustomFilter("urgent", values=("true",)), {1, 3}),
        (CustomFilter("urgent", values=("false",)), {2}),
        (CustomFilter("pieces", lo=0), {1, 3}),
        (CustomFilter("pieces", lo=-3, hi=12), {1, 2}),
        (CustomFilter("pieces", hi=-3), {2}),
        (CustomFilter("rate", lo=Decimal("0.035"), hi=Decimal("0.035")), {1}),
        (CustomFilter("deposit", lo=Decimal("99.99"), hi=Decimal("1200.49")), {2}),
        (CustomFilter("due", lo=date(2025, 1, 1)), {1, 3}),
        (CustomFilter("due", hi=date(2024, 12, 31)), {2}),
        (CustomFilter("nobody_has_this", values=("x",)), set()),
    ],
    ids=lambda v: getattr(v, "key", ""),
)
def test_custom_field_filters(custom_loaded: BaseBackend, flt: CustomFilter, expected: set[int]) -> None:
    assert_exact(run(custom_loaded, filters=SearchFilters(custom=(flt,))), expected)


def test_custom_filters_combine_with_each_other_and_the_fixed_ones(custom_loaded: BaseBackend) -> None:
    both = SearchFilters(custom=(CustomFilter("region", values=("华东",)), CustomFilter("pieces", hi=100)))
    assert_exact(run(custom_loaded, filters=both), {1})
    assert_exact(run(custom_loaded, "租赁", filters=SearchFilters(custom=(CustomFilter("urgent", ("true",)),))), {3})


def test_custom_facets_count_every_visible_hit(custom_loaded: BaseBackend) -> None:
    result = run(custom_loaded, custom_facets=("region", "labels", "urgent"), per_page=1)
    assert [(f.value, f.count) for f in result.facets["cf:region"]] == [("华东", 2), ("华北", 1)]
    assert [(f.value, f.count) for f in result.facets["cf:labels"]] == [("框架", 2), ("续签", 1)]
    assert [(f.value, f.count) for f in result.facets["cf:urgent"]] == [("true", 2), ("false", 1)]
    assert set(FACET_KEYS) <= set(result.facets)
    narrowed = run(
        custom_loaded, filters=SearchFilters(custom=(CustomFilter("risk", ("low",)),)), custom_facets=("region",)
    )
    assert [(f.value, f.count) for f in narrowed.facets["cf:region"]] == [("华东", 1), ("华北", 1)]
    assert run(custom_loaded, custom_facets=("region",), principals=()).facets["cf:region"] == ()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("cf:pieces", [2, 1, 3, 4]),
        ("-cf:pieces", [3, 1, 2, 4]),
        ("cf:rate", [1, 2, 3, 4]),
        ("-cf:deposit", [1, 2, 3, 4]),
        ("cf:due", [2, 1, 3, 4]),
        ("-cf:due", [3, 1, 2, 4]),
        ("cf:unused", [1, 2, 3, 4]),
    ],
)
def test_sorting_by_a_custom_field_puts_missing_values_last(
    custom_loaded: BaseBackend, sort: str, expected: list[int]
) -> None:
    result = run(custom_loaded, sort=sort)
    assert [h.id for h in result.hits] == expected and result.total == 4
    pages = [h.id for page in (1, 2, 3) for h in run(custom_loaded, sort=sort, page=page, per_page=2).hits]
    assert pages == expected


def test_changing_a_contracts_custom_values_moves_it(fresh: BaseBackend) -> None:
    fresh.index(CUSTOM_DOCS[:2])
    east = SearchFilters(custom=(CustomFilter("region", ("华东",)),))
    assert hit_ids(run(fresh, filters=east)) == {1}
    fresh.index([IndexDocument(2, "华北服务合同", "", principals=("all",), custom=(("region", "华东"),))])
    assert hit_ids(run(fresh, filters=east)) == {1, 2}
    assert hit_ids(run(fresh, filters=SearchFilters(custom=(CustomFilter("pieces", lo=-10),)))) == {1}

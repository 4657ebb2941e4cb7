"""The query language parser: AST shapes and precise errors."""

from __future__ import annotations

import pytest

from indexer.search import QuerySyntaxError, QueryTooComplex, parse_query
from indexer.search.plan import (
    IrBool,
    IrChar,
    IrConfirm,
    IrFuzzy,
    IrKeyword,
    IrPhrase,
    IrPrefix,
    IrTerm,
    compile_query,
    walk,
)
from indexer.search.query import MAX_DEPTH, SYNTAX_ERRORS, And, Fuzzy, MatchAll, Not, Or, Phrase, Prefix, Term


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", MatchAll()),
        ("   ", MatchAll()),
        ("保密", Term("保密")),
        ("保密 协议", And((Term("保密"), Term("协议")))),
        ("保密 AND 协议", And((Term("保密"), Term("协议")))),
        ("保密 OR 租赁", Or((Term("保密"), Term("租赁")))),
        ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
        ("a OR b c", Or((Term("a"), And((Term("b"), Term("c")))))),
        ("-草稿", Not(Term("草稿"))),
        ("NOT 草稿", Not(Term("草稿"))),
        ("保密 -NDA", And((Term("保密"), Not(Term("NDA"))))),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        ("-(a OR b)", Not(Or((Term("a"), Term("b"))))),
        ('"同等法律效力"', Phrase("同等法律效力")),
        ('-"exact phrase"', Not(Phrase("exact phrase"))),
        ("party:华为", Term("华为", "party")),
        ("Party:华为", Term("华为", "party")),
        ('number:"HT 2024-01"', Phrase("HT 2024-01", "number")),
        (
            "tag:NDA type:采购合同 title:设备",
            And((Term("NDA", "tag"), Term("采购合同", "type"), Term("设备", "title"))),
        ),
        ("party:(华为 OR 中兴)", Or((Term("华为", "party"), Term("中兴", "party")))),
        ("conf*", Prefix("conf")),
        ("number:HT-2024*", Prefix("HT-2024", "number")),
        ("confidentiallity~", Fuzzy("confidentiallity", 1)),
        ("confidentiallity~1", Fuzzy("confidentiallity", 1)),
        ("confidentiallity~2", Fuzzy("confidentiallity", 2)),
        ("NDA 保密", And((Term("NDA"), Term("保密")))),
        ("e-mail", Term("e-mail")),
        ("10:30", Term("10:30")),
        ("or and not", And((Term("or"), Term("and"), Term("not")))),
        ("（保密 OR 租赁）", Or((Term("保密"), Term("租赁")))),
        ("“同等法律效力”", Phrase("同等法律效力")),
        ("party：华为", Term("华为", "party")),
        ("tag:OR", Term("OR", "tag")),
    ],
)
def test_parse(text: str, expected: object) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    "text,message,position",
    [
        ("(a OR b", "is never closed", 0),
        ("a OR b)", "no matching '('", 6),
        ("()", "empty parentheses", 0),
        ("a OR", "'OR' must be followed by a term", 2),
        ("OR a", "'OR' needs a term before it", 0),
        ("a OR OR b", "'OR' must be followed by a term", 2),
        ("a NOT", "must be followed by a term", 2),
        ("NOT", "must be followed by a term", 0),
        ("a -", "'-' must be directly followed", 2),
        ("party:", "has no value", 0),
        ("party: 华为", "has no value", 0),
        ("foo:bar", "unknown field prefix 'foo:'", 0),
        ("a AND", "'AND' must be followed by a term", 2),
        ("AND a", "'AND' needs a term before it", 0),
        ("*", "at least one character before '*'", 0),
        ("*foo", "only a trailing wildcard", 0),
        ("fo*o", "only a trailing wildcard", 2),
        ("word~3", "fuzzy distance must be 1 or 2", 4),
        ('""', "empty phrase", 0),
        ("party:tag:x", "cannot contain another field prefix", 6),
    ],
)
def test_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert message in str(info.value)
    assert info.value.position == position
    assert f"(at character {position + 1})" in str(info.value)
    assert info.value.code in SYNTAX_ERRORS
    assert str(info.value).startswith(SYNTAX_ERRORS[info.value.code].format(**info.value.params))


@pytest.mark.parametrize(
    "text,expected",
    [
        ('"unclosed', Phrase("unclosed")),
        ('a "b c', And((Term("a"), Phrase("b c")))),
        ("“保密条款", Phrase("保密条款")),
        ('party:"华为 技术', Phrase("华为 技术", "party")),
        ('保密 "', Term("保密")),
        ('保密 "  ', Term("保密")),
        ('"', MatchAll()),
    ],
)
def test_an_unclosed_quote_is_taken_as_closed_at_the_end(text: str, expected: object) -> None:
    assert parse_query(text) == expected


def test_unknown_field_lists_the_known_ones() -> None:
    with pytest.raises(QuerySyntaxError, match="party:, tag:, type:, title:, number:"):
        parse_query("owner:me")


def _leaves(text: str) -> list[object]:
    return [n for n in walk(compile_query(parse_query(text))) if not isinstance(n, IrBool)]


def test_chinese_run_is_segmented_and_anded_with_bigram_recall() -> None:
    plan = compile_query(parse_query("保密协议违约责任"))
    assert isinstance(plan, IrBool) and len(plan.must) == 1
    words = plan.must[0]
    assert isinstance(words, IrBool) and len(words.must) == 3
    # the run as written only ranks: a boosted phrase over its bigrams, as a should clause
    assert plan.should == (IrPhrase("all_b", ("保密", "密协", "协议", "议违", "违约", "约责", "责任"), 3.0),)
    leaves = _leaves("保密协议违约责任")
    assert IrTerm("all_w", "违约责任") in leaves
    assert IrPhrase("all_b", ("违约", "约责", "责任")) in leaves
    assert IrTerm("all_b", "保密") in leaves


def test_phrases_compile_to_exact_queries_or_confirmation() -> None:
    assert IrPhrase("all_b", ("同等", "等法", "法律", "律效", "效力")) in _leaves('"同等法律效力"')
    assert IrPhrase("all_w", ("payment", "terms")) in _leaves('"payment terms"')
    mixed = compile_query(parse_query('"e-mail 地址"'))
    assert isinstance(mixed, IrConfirm) and mixed.phrase == "e-mail地址"
    single = compile_query(parse_query('"甲"'))
    assert isinstance(single, IrConfirm) and single.candidate == IrChar("all_b", "甲")


def test_prefix_fields_map_to_keyword_fields() -> None:
    assert compile_query(parse_query("tag:NDA")) == IrKeyword("tag_lc", ("nda",))
    assert compile_query(parse_query('number:"ht-2024-001"')) == IrKeyword("number_lc", ("ht-2024-001",))
    assert compile_query(parse_query("number:HT*")) == IrPrefix("number_lc", "ht")
    assert IrFuzzy("all_w", "confidentiallity", 2) in _leaves("Confidentiallity~2")


@pytest.mark.parametrize(
    "text, limit",
    [
        ("(" * 200 + "a" + ")" * 200, "depth"),
        ("-(" * 100 + "a" + ")" * 100, "depth"),
        ("NOT " * 5000 + "a", "length"),
        ("party:" + "(" * 40 + "a" + ")" * 40, "depth"),
    ],
)
def test_over_deep_or_long_queries_are_refused_before_recursing(text: str, limit: str) -> None:
    with pytest.raises(QueryTooComplex) as refused:
        parse_query(text)
    assert refused.value.limit == limit


def test_nesting_up_to_the_limit_still_parses_and_compiles() -> None:
    node = parse_query("(" * MAX_DEPTH + "保密" + ")" * MAX_DEPTH)
    assert node == Term("保密")
    compile_query(parse_query("-(" * (MAX_DEPTH // 2) + "a b" + ")" * (MAX_DEPTH // 2)))

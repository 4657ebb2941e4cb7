"""Chinese analysis: positions, sub-words, bigrams, normalisation, snippets,
and rjieba/jieba agreement on real contracts."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

from indexer.text import (
    MatchSpec,
    analyze,
    analyze_sections,
    contains_phrase,
    fold_line_breaks,
    make_snippets,
    normalize_for_match,
    only_marks,
    segment_run,
)
from indexer.text.analysis import GAP, normalize_with_map, positions
from tests.paths import require_corpus

from .corpus import ZH


def _pairs(text: str) -> list[tuple[str, int]]:
    return positions(analyze(text).words)


def test_words_are_numbered_sequentially_and_subwords_kept_for_term_queries() -> None:
    a = analyze("委员会审议")
    assert positions(a.words) == [("委员会", 0), ("审议", 1)]
    assert a.subwords.split() == ["委员"]
    # A word field indexes the sub-words after the text, behind a gap no phrase crosses.
    assert a.word_field().split() == ["委员会", "审议", GAP, "委员"]
    assert a.word_terms() == ["委员会", "审议", "委员"]


def test_punctuation_advances_the_position_and_whitespace_does_not() -> None:
    pairs = dict(_pairs("payment, terms apply"))
    assert pairs["terms"] - pairs["payment"] == 2
    assert pairs["apply"] - pairs["terms"] == 1
    assert "," not in pairs


def test_latin_is_lower_cased_and_nfkc_folded() -> None:
    assert [w for w, _ in _pairs("NDA ＡＢＣ Payment")] == ["nda", "abc", "payment"]


def test_bigrams_skip_whitespace_inside_chinese_and_gap_between_runs() -> None:
    a = analyze("同等法律\n效力。甲")
    grams = positions(a.bigrams)
    assert grams[:5] == [("同等", 0), ("等法", 1), ("法律", 2), ("律效", 3), ("效力", 4)]
    assert grams[5][0] == "甲" and grams[5][1] > 5  # a run of one char; a gap before it


def test_sections_are_separated_by_a_gap() -> None:
    a = analyze_sections(["保密", "协议"])
    assert positions(a.words) == [("保密", 0), ("协议", 2)]
    assert positions(a.bigrams) == [("保密", 0), ("协议", 2)]


def test_mixed_text_streams() -> None:
    a = analyze("ABC-123中华人民共和国 Payment\u3000terms；_x_")
    assert positions(a.words) == [("abc", 0), ("123", 2), ("中华人民共和国", 3), ("payment", 4), ("terms", 5), ("x", 7)]
    assert a.bigram_terms() == ["中华", "华人", "人民", "民共", "共和", "和国"]
    assert set(a.subwords.split()) == {"中华", "华人", "人民", "共和", "共和国"}
    assert analyze("").words == "" and analyze("…").word_terms() == []


def test_match_normalisation() -> None:
    assert normalize_for_match("同等 法律\n效力") == "同等法律效力"
    assert normalize_for_match("Payment   Terms") == "payment terms"
    assert normalize_for_match("ＮＤＡ　协议") == "nda协议"
    norm, index = normalize_with_map("A  B\n C　中 文")
    assert norm == "a b c中文" and index == [0, 1, 3, 4, 6, 8, 10]


def test_phrase_containment_respects_word_boundaries() -> None:
    assert contains_phrase("prepayment terms", "payment terms") is False
    assert contains_phrase("the payment terms", "payment terms") is True
    assert contains_phrase("支付payment条款", "payment") is True
    assert contains_phrase("同等法律,效力", "同等法律效力") is False


def test_snippets_mark_verbatim_raw_text_and_escape_html() -> None:
    raw = "前言<b>\n本合同一式两份，具有同等法\n律效力。NDA & Confidential"
    snip = make_snippets(
        raw, [MatchSpec("text", "同等法律效力"), MatchSpec("text", "nda"), MatchSpec("prefix", "confid")], [0, 10]
    )
    text = "".join(snip.fragments)
    assert "<mark>同等法\n律效力</mark>" in text and "<mark>NDA</mark>" in text
    assert "<mark>Confidential</mark>" in text and "&lt;b&gt;" in text and "&amp;" in text
    assert snip.page == 2


@pytest.mark.parametrize(
    "snippet, shown",
    [
        # what make_snippets returns: already escaped, stays as it is
        ("a &lt;script&gt; <mark>b</mark> &amp;lt;", "a &lt;script&gt; <mark>b</mark> &amp;lt;"),
        # an engine that forgot to escape: every tag but the marks becomes text
        (
            '<img src=x onerror="alert(1)"><mark>保密</mark><script>x()</script>',
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>保密</mark>&lt;script&gt;x()&lt;/script&gt;",
        ),
        ("<mark onmouseover=x>a</mark>", "&lt;mark onmouseover=x&gt;a</mark>"),
    ],
)
def test_only_marks_leaves_no_tag_but_the_highlight(snippet: str, shown: str) -> None:
    assert only_marks(snippet) == shown


def test_line_breaks_fold_for_display() -> None:
    snippet = "…信息<mark>保密</mark>事\n宜，经\n<mark>协商</mark>一致\n\x0c\nData\nsecurity 数据\nABC…"
    # Dropped inside Chinese text (a PDF's line wrap), one space elsewhere; marks kept.
    assert fold_line_breaks(snippet) == "…信息<mark>保密</mark>事宜，经<mark>协商</mark>一致 Data security 数据 ABC…"


def test_fuzzy_snippets() -> None:
    snip = make_snippets("keep it confidential please", [MatchSpec("fuzzy", "confidentail", 2)])
    assert "<mark>confidential</mark>" in snip.fragments[0]


def test_segmentation_is_thread_safe() -> None:
    results: list[list[str]] = []

    def work() -> None:
        results.append([w.word for w in segment_run("保密协议违约责任同等法律效力")])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({tuple(r) for r in results}) == 1


def test_rjieba_and_jieba_agree_on_chinese_runs_of_real_contracts() -> None:
    """The two segmenters give identical words on the Chinese model contracts
    (Latin/digit runs differ, but they never reach the segmenter)."""
    files = sorted(require_corpus(ZH.name, "txt").rglob("*.txt"))[::12]
    code = (
        "import sys, json, re\n"
        "from indexer.text.analysis import CJK_CLASS\n"
        "from indexer.text import segment_run, segmenter_name\n"
        "from indexer.text.segment import use_segmenter\n"
        "use_segmenter(sys.argv[1])\n"
        "runs = [m.group() for f in sys.argv[2:] for m in re.finditer(f'[{CJK_CLASS}]+', open(f).read())]\n"
        "print(json.dumps([segmenter_name(), [[w.word for w in segment_run(r)] for r in runs]]))\n"
    )
    outputs = {}
    for name in ("rjieba", "jieba"):
        done = subprocess.run(
            [sys.executable, "-c", code, name, *map(str, files)], capture_output=True, text=True, check=True
        )
        import json

        used, words = json.loads(done.stdout)
        assert used == name
        outputs[name] = words
    assert outputs["rjieba"] == outputs["jieba"]


def test_a_document_segmented_in_one_call_equals_its_runs_segmented_one_by_one() -> None:
    """Indexing segments all runs of a document at once; queries segment a run
    alone. Both must give the same words, or a query word would miss."""
    from indexer.text.analysis import CJK_CLASS
    from indexer.text.segment import RUN_BREAK, cut_runs, cut_words

    pattern = re.compile(f"[{CJK_CLASS}]+")
    for path in sorted(require_corpus(ZH.name, "txt").rglob("*.txt"))[::7]:
        runs = pattern.findall(path.read_text(encoding="utf-8", errors="replace"))
        batched = cut_runs(runs)
        assert batched.count(RUN_BREAK) == len(runs) - 1
        assert [w for w in batched if w != RUN_BREAK] == [w for run in runs for w in cut_words(run)]


def test_matching_in_raw_text_equals_matching_the_normalised_text() -> None:
    """Snippets match on the raw text with whitespace-tolerant patterns (fast); that must
    find exactly what matching the normalised text and mapping back finds."""
    import random

    from indexer.text.analysis import fold_chars
    from indexer.text.highlight import find_spans

    alphabet = [*"同等法律效力合同甲乙", *"abcAB1", " ", "  ", "\n", "\u3000", "，", ",", "-", "Ａ"]
    rng = random.Random(20261202)
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        specs = []
        for _ in range(2):
            start = rng.randint(0, len(raw))
            text = normalize_for_match(raw[start : start + rng.randint(0, 8)]) or "同"
            specs.append(MatchSpec(rng.choice(["text", "prefix"]), text))
        norm, index = normalize_with_map(raw)
        expected = [(index[s], index[e - 1] + 1, k) for s, e, k in find_spans(norm, specs)]
        folded = fold_chars(raw)
        assert folded is not None and len(folded) == len(raw)
        assert find_spans(folded, specs, spaced=True) == expected, (raw, specs)


def test_the_stored_fold_table_is_that_of_this_python() -> None:
    """fold_chars replaces only the characters in the stored table: a character missing from
    it would silently stay unfolded (``Ａ`` would not match ``a``)."""
    import unicodedata

    from indexer.text.foldtable import UNIDATA_VERSION, changed_ranges, compute_ranges

    assert unicodedata.unidata_version == UNIDATA_VERSION, "regenerate foldtable.txt: python -m indexer.text.foldtable"
    assert changed_ranges() == compute_ranges()


def test_folding_only_the_changed_characters_equals_folding_each_one() -> None:
    import random

    from indexer.text.analysis import _FOLDS, fold_chars

    alphabet = [
        *"合同甲乙，。：（）ＡＢａ１",
        *"abcABZ19 \n\t",
        "\u3000",
        "ﬁ",
        "İ",
        "\u0301",
        "𠀀",
        "\U0001d400",
        "Ⅻ",
        "ｶ",
    ]
    rng = random.Random(20261205)
    folded_some = 0
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        each = raw.translate(_FOLDS)
        expected = each if len(each) == len(raw) else None
        assert fold_chars(raw) == expected, raw
        folded_some += expected is not None and expected != raw
    assert folded_some > 100
    assert fold_chars("同等法律效力，ＡＢＣ Payment") == "同等法律效力,abc payment"
    assert fold_chars("Payment TERMS") == "payment terms"
    assert fold_chars("ﬁnal 合同") is None  # a ligature becomes two characters: offsets would shift

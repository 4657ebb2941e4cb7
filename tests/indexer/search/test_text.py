"""Chinese analysis: positions, sub-words, bigrams, normalisation, snippets,
and rjieba/jieba agreement on real contracts."""
from __future__ import annotations

import os
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
    segment_run,
)
from indexer.text.analysis import SECTION_GAP, normalize_with_map

from .corpus import ZH


def _pairs(text: str) -> list[tuple[str, int]]:
    a = analyze(text)
    return list(zip(a.words, a.word_positions, strict=True))


def test_words_are_numbered_sequentially_with_subwords_at_the_parent_position() -> None:
    pairs = _pairs("委员会审议")
    assert ("委员会", 0) in pairs and ("委员", 0) in pairs
    assert [p for w, p in pairs if w == "审议"] == [1]


def test_punctuation_advances_the_position_and_whitespace_does_not() -> None:
    pairs = dict(_pairs("payment, terms apply"))
    assert pairs["terms"] - pairs["payment"] == 2
    assert pairs["apply"] - pairs["terms"] == 1
    assert "," not in pairs


def test_latin_is_lower_cased_and_nfkc_folded() -> None:
    assert [w for w, _ in _pairs("NDA ＡＢＣ Payment")] == ["nda", "abc", "payment"]


def test_bigrams_skip_whitespace_inside_chinese_and_gap_between_runs() -> None:
    a = analyze("同等法律\n效力。甲")
    grams = list(zip(a.bigrams, a.bigram_positions, strict=True))
    assert grams[:5] == [("同等", 0), ("等法", 1), ("法律", 2), ("律效", 3), ("效力", 4)]
    assert grams[5][0] == "甲" and grams[5][1] > 5  # a run of one char; a gap before it


def test_sections_are_separated_by_a_gap() -> None:
    a = analyze_sections(["保密", "协议"])
    assert a.word_positions[-1] - a.word_positions[0] > SECTION_GAP


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
    snip = make_snippets(raw, [MatchSpec("text", "同等法律效力"), MatchSpec("text", "nda"),
                               MatchSpec("prefix", "confid")], [0, 10])
    text = "".join(snip.fragments)
    assert "<mark>同等法\n律效力</mark>" in text and "<mark>NDA</mark>" in text
    assert "<mark>Confidential</mark>" in text and "&lt;b&gt;" in text and "&amp;" in text
    assert snip.page == 2


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


@pytest.mark.skipif(not ZH.is_dir(), reason="the shared Chinese corpus is not available")
def test_rjieba_and_jieba_agree_on_chinese_runs_of_real_contracts() -> None:
    """The two segmenters give identical words on the Chinese model contracts
    (Latin/digit runs differ, but they never reach the segmenter)."""
    files = sorted((ZH / "txt").rglob("*.txt"))[::12]
    code = (
        "import sys, json, re\n"
        "from indexer.text.analysis import CJK_CLASS\n"
        "from indexer.text import segment_run, segmenter_name\n"
        "runs = [m.group() for f in sys.argv[1:] for m in re.finditer(f'[{CJK_CLASS}]+', open(f).read())]\n"
        "print(json.dumps([segmenter_name(), [[w.word for w in segment_run(r)] for r in runs]]))\n")
    outputs = {}
    for name in ("rjieba", "jieba"):
        env = dict(os.environ, PACTUM_SEGMENTER=name)
        done = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True,
                              env=env, check=True)
        import json
        used, words = json.loads(done.stdout)
        assert used == name
        outputs[name] = words
    assert outputs["rjieba"] == outputs["jieba"]

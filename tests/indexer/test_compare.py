from __future__ import annotations

from indexer.compare import compare_texts, segmented_tokens, simple_tokens

OLD = """第一条 标的

甲方向乙方采购数控机床十台，用于生产线改造。

第二条 价款

合同总价为人民币壹拾万元整。

第三条 保密

双方对本合同内容负有保密义务，保密期限为三年。"""

NEW = """第一条 标的

甲方向乙方采购数控机床二十台，用于生产线改造。

第三条 保密

双方对本合同内容负有保密义务，保密期限为三年。

第二条 价款

合同总价为人民币贰拾万元整，含税。"""


def _changes(old: str, new: str, tokenize=segmented_tokens) -> list[tuple[str, str, str]]:
    return [(op.op, op.old_text, op.new_text) for op in compare_texts(old, new, tokenize).operations
            if op.op != "equal"]


def test_chinese_changes_are_reported_at_word_level() -> None:
    changes = _changes("甲方应于2025年3月1日前支付货款。", "甲方应于2025年6月30日前支付全部货款。")
    assert ("replace", "3", "6") in changes or any(op == "replace" and "3月1日" in old for op, old, _ in changes)
    inserted = "".join(new for op, _old, new in changes)
    assert "全部" in inserted
    # words, not single characters: 全部 comes as one insertion
    assert ("insert", "", "全部") in changes


def test_moved_paragraph_is_marked_as_moved() -> None:
    comparison = compare_texts(OLD, NEW, segmented_tokens)
    moves = [op for op in comparison.operations if op.op == "move"]
    assert comparison.moves >= 1
    assert any("第二条" in op.new_text or "第三条" in op.new_text for op in moves)


def test_summary_names_the_changed_clauses() -> None:
    comparison = compare_texts(OLD, NEW, segmented_tokens)
    assert "第一条" in comparison.changed_clauses
    summary = comparison.to_dict()["summary"]
    assert summary["insertions"] + summary["replacements"] >= 2


def test_english_word_diff_and_positions() -> None:
    old = "1. Term\n\nThis Agreement expires on March 1, 2026.\n\n7.2 Fees are due within 30 days."
    new = "1. Term\n\nThis Agreement expires on June 30, 2027.\n\n7.2 Fees are due within 45 days."
    comparison = compare_texts(old, new, simple_tokens)
    changed = [op for op in comparison.operations if op.op != "equal"]
    assert {"7.2", "1."} <= set(comparison.changed_clauses)
    for op in changed:
        assert old[op.old_start:op.old_end] == op.old_text
        assert new[op.new_start:op.new_end] == op.new_text
    assert any(op.old_text == "30" and op.new_text == "45" for op in changed)


def test_identical_texts_have_no_changes() -> None:
    comparison = compare_texts(OLD, OLD, segmented_tokens)
    assert comparison.to_dict()["summary"] == {"insertions": 0, "deletions": 0, "replacements": 0,
                                               "moves": 0, "changed_clauses": []}

from __future__ import annotations

from collections.abc import Callable, Sequence

from indexer.compare import Comparison, DiffOperation, MovedFrom, compare_texts, segmented_tokens, simple_tokens

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


def _changes(
    old: str, new: str, tokenize: Callable[[str], Sequence[str]] = segmented_tokens
) -> list[tuple[str, str, str]]:
    return [
        (op.op, op.old_text, op.new_text) for op in compare_texts(old, new, tokenize).operations if op.op != "equal"
    ]


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
        assert old[op.old_start : op.old_end] == op.old_text
        assert new[op.new_start : op.new_end] == op.new_text
    assert any(op.old_text == "30" and op.new_text == "45" for op in changed)


def test_identical_texts_have_no_changes() -> None:
    comparison = compare_texts(OLD, OLD, segmented_tokens)
    assert comparison.to_dict()["summary"] == {
        "insertions": 0,
        "deletions": 0,
        "replacements": 0,
        "moves": 0,
        "changed_clauses": [],
    }


PAYMENT = "第一条 付款\n\n甲方应于收到发票后三十日内支付货款。"
DELIVERY = "第二条 交付\n\n乙方应于合同签订后十五日内交付全部设备。"
SECRECY = "第三条 保密\n\n双方对本合同内容负有保密义务，保密期限为三年。"


def _check_coverage(old: str, new: str) -> Comparison:
    """The promises of the module's docstring: every operation's texts are slices of the two
    texts, the operations follow the new text and, joined, give it back; ordered by old
    position they give back the old text."""
    comparison = compare_texts(old, new, segmented_tokens)
    operations = comparison.operations
    for op in operations:
        assert old[op.old_start : op.old_end] == op.old_text, op
        assert new[op.new_start : op.new_end] == op.new_text, op
    assert [op.new_start for op in operations] == sorted(op.new_start for op in operations)
    assert "".join(op.new_text for op in operations) == new
    assert "".join(op.old_text for op in comparison.in_old_order()) == old
    return comparison


def _kinds(operations: Sequence[DiffOperation]) -> list[str]:
    """The kinds of operations in order, leaving out whitespace (such as the break between two
    paragraphs that moved together) and counting a run of equal ones once."""
    kinds: list[str] = []
    for op in operations:
        if op.op == "equal" and not (op.old_text.strip() or op.new_text.strip()):
            continue
        if op.op != "equal" or kinds[-1:] != ["equal"]:
            kinds.append(op.op)
    return kinds


def _one_text(comparison: Comparison) -> list[str]:
    """The paragraphs an inline view shows, a moved paragraph's old place as ``-…``."""
    shown = "".join(
        item.before + "-" + item.old_text + item.after
        if isinstance(item, MovedFrom)
        else item.new_text
        if item.op in ("equal", "insert", "move")
        else item.old_text + item.new_text
        for item in comparison.with_move_origins()
    )
    return [part.strip() for part in shown.split("\n\n") if part.strip()]


def test_paragraph_moved_up_is_listed_where_it_now_stands() -> None:
    old, new = f"{PAYMENT}\n\n{DELIVERY}\n\n{SECRECY}", f"{SECRECY}\n\n{PAYMENT}\n\n{DELIVERY}"
    comparison = _check_coverage(old, new)
    assert _kinds(comparison.operations) == ["move", "move", "equal"]
    heading, body = [op for op in comparison.operations if op.op == "move"]
    assert (heading.new_text, body.new_text) == ("第三条 保密", "双方对本合同内容负有保密义务，保密期限为三年。")
    assert (heading.new_start, heading.old_start) == (0, old.index("第三条"))
    assert body.old_start == old.index("双方对本合同")
    assert comparison.moves == 2 and comparison.insertions == comparison.deletions == comparison.replacements == 0
    # The old side shows them last, where they stood.
    assert _kinds(comparison.in_old_order()) == ["equal", "move", "move"]
    assert _one_text(comparison) == [
        "第三条 保密",
        "双方对本合同内容负有保密义务，保密期限为三年。",
        "第一条 付款",
        "甲方应于收到发票后三十日内支付货款。",
        "第二条 交付",
        "乙方应于合同签订后十五日内交付全部设备。",
        "-第三条 保密",
        "-双方对本合同内容负有保密义务，保密期限为三年。",
    ]


def test_paragraph_moved_down_is_listed_where_it_now_stands() -> None:
    old, new = f"{PAYMENT}\n\n{DELIVERY}\n\n{SECRECY}", f"{DELIVERY}\n\n{SECRECY}\n\n{PAYMENT}"
    comparison = _check_coverage(old, new)
    assert _kinds(comparison.operations) == ["equal", "move", "move"]
    moves = [op for op in comparison.operations if op.op == "move"]
    assert [op.new_text for op in moves] == ["第一条 付款", "甲方应于收到发票后三十日内支付货款。"]
    assert [op.old_start for op in moves] == [0, old.index("甲方应于")]
    assert [op.new_start for op in moves] == [new.index("第一条"), new.index("甲方应于")]
    assert _kinds(comparison.in_old_order()) == ["move", "move", "equal"]
    assert _one_text(comparison) == [
        "-第一条 付款",
        "-甲方应于收到发票后三十日内支付货款。",
        "第二条 交付",
        "乙方应于合同签订后十五日内交付全部设备。",
        "第三条 保密",
        "双方对本合同内容负有保密义务，保密期限为三年。",
        "第一条 付款",
        "甲方应于收到发票后三十日内支付货款。",
    ]


def test_moved_paragraph_between_changes_keeps_the_order() -> None:
    comparison = _check_coverage(OLD, NEW)
    kinds = [op.op for op in comparison.operations]
    moved = kinds.index("move")
    assert comparison.operations[moved].new_text == "第二条 价款"
    # After 第三条 in the new text, and the new price of 第二条 after its heading.
    assert kinds[moved - 1] == "equal" and "第三条 保密" in comparison.operations[moved - 1].new_text
    assert "贰拾" in "".join(op.new_text for op in comparison.operations[moved + 1 :])
    paragraphs = _one_text(comparison)
    assert paragraphs.index("-第二条 价款") < paragraphs.index("第三条 保密") < paragraphs.index("第二条 价款")


def test_operations_cover_both_texts() -> None:
    cases = [
        (OLD, NEW),
        (NEW, OLD),
        (OLD, OLD),
        ("", NEW),
        (OLD, ""),
        # Paragraph breaks of other whitespace, text around the ends, a moved paragraph edited a little.
        (
            f"  {PAYMENT}\n \n{DELIVERY}\f{SECRECY}\n",
            f"{SECRECY.replace('三年', '五年')}\n\n\n{PAYMENT}\n\n{DELIVERY} ",
        ),
        (f"{PAYMENT}\n\n{DELIVERY}\n\n{SECRECY}", f"{DELIVERY}\n\n新增条款：本合同一式两份。\n\n{PAYMENT}"),
    ]
    for old, new in cases:
        _check_coverage(old, new)
    whitespace_only = compare_texts(f"{PAYMENT}\n\n{DELIVERY}", f"{PAYMENT}\n \n\n{DELIVERY}", segmented_tokens)
    assert [op.op for op in whitespace_only.operations] == ["equal"]


def test_a_moved_paragraph_that_was_also_edited_carries_its_word_changes() -> None:
    body = "双方对本合同内容负有保密义务，保密期限为三年，期满后双方另行协商是否延长保密期限。"
    old = f"{PAYMENT}\n\n{DELIVERY}\n\n第三条 保密\n\n{body}"
    new = f"第三条 保密\n\n{body.replace('三年', '五年')}\n\n{PAYMENT}\n\n{DELIVERY}"
    comparison = _check_coverage(old, new)
    moves = [op for op in comparison.operations if op.op == "move"]
    assert len(moves) == 2 and not moves[0].edits  # the heading moved unchanged
    move = moves[1]
    changed = [(edit.op, edit.old_text, edit.new_text) for edit in move.edits if edit.op != "equal"]
    assert changed in ([("replace", "三年", "五年")], [("replace", "三", "五")])
    for edit in move.edits:  # slices of the two whole texts, covering the paragraph
        assert old[edit.old_start : edit.old_end] == edit.old_text
        assert new[edit.new_start : edit.new_end] == edit.new_text
    assert "".join(edit.old_text for edit in move.edits) == move.old_text
    assert "".join(edit.new_text for edit in move.edits) == move.new_text
    assert (comparison.moves, comparison.replacements, comparison.insertions) == (2, 1, 0)
    assert comparison.changed_clauses == ("第三条",)
    as_json = [op for op in comparison.to_dict()["operations"] if op["op"] == "move"]
    assert as_json[1]["edits"][0]["op"] == "equal" and not as_json[0]["edits"]  # the API carries them


def _long_versions(clauses: int) -> tuple[str, str]:
    """Two versions of a long contract: clause 5 moved to the end, a word changed in clause 30."""
    bodies = [
        f"第{n}条 约定事项\n\n甲方应于收到发票后{n}日内向乙方支付第{n}期货款共计{n * 1000}元。"
        for n in range(1, clauses + 1)
    ]
    revised = list(bodies)
    revised[29] = revised[29].replace("日内", "个工作日内")
    revised.append(revised.pop(4))
    return "\n\n".join(bodies), "\n\n".join(revised)


def test_long_versions_compare_in_about_linear_time() -> None:
    import time

    old, new = _long_versions(2000)  # 4,000 paragraphs: the quadratic matcher took minutes
    started = time.perf_counter()
    comparison = compare_texts(old, new, segmented_tokens)
    assert time.perf_counter() - started < 20  # generous: a shared, busy machine; about 1 s alone
    moved = [op for op in comparison.operations if op.op == "move"]
    assert [op.new_text for op in moved] == ["第5条 约定事项", "甲方应于收到发票后5日内向乙方支付第5期货款共计5000元。"]
    assert comparison.changed_clauses == ("第30条",)
    assert comparison.insertions + comparison.replacements == 1 and comparison.deletions == 0
    assert "".join(op.new_text for op in comparison.operations) == new


def test_repeated_identical_paragraphs_are_not_reported_as_moved() -> None:
    signature = "甲方（盖章）：\n\n乙方（盖章）："
    old = f"{PAYMENT}\n\n{signature}\n\n{DELIVERY}\n\n{signature}"
    new = f"{PAYMENT}\n\n{signature}\n\n{DELIVERY.replace('十五日', '二十日')}\n\n{signature}"
    comparison = _check_coverage(old, new)
    assert comparison.moves == 0
    assert [(op.op, op.old_text, op.new_text) for op in comparison.operations if op.op != "equal"] == [
        ("replace", "十五日", "二十日")
    ]


def test_a_check_that_raises_stops_the_comparison() -> None:
    class Stop(Exception):
        pass

    calls = 0

    def deadline() -> None:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise Stop

    old, new = _long_versions(200)
    try:
        compare_texts(old, new, segmented_tokens, check=deadline)
    except Stop:
        pass
    else:
        raise AssertionError("the comparison ran past its deadline")
    assert calls == 4

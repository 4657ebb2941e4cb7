from __future__ import annotations

from indexer.terms import Party, suggest_metadata


def _parties(text: str) -> list[Party]:
    return [candidate.value for candidate in suggest_metadata(text).parties]


def test_chinese_party_lines_with_roles() -> None:
    text = (
        "房屋租赁合同\n出租方（甲方）：北京星河置业有限公司\n法定代表人：张三\n"
        "承租方（乙方）：上海云帆科技有限公司    地址：上海市浦东新区\n"
    )
    assert _parties(text) == [
        Party("北京星河置业有限公司", "出租方/甲方"),
        Party("上海云帆科技有限公司", "承租方/乙方"),
    ]


def test_chinese_delegation_and_signature_block() -> None:
    text = (
        "委托方：杭州某某贸易有限公司\n受托方：李四\n……\n"
        "委托方（盖章）：杭州某某贸易有限公司\n受托方（签字）：李四\n日期：2025年3月1日"
    )
    parties = _parties(text)
    assert Party("杭州某某贸易有限公司", "委托方") in parties
    assert Party("李四", "受托方") in parties
    assert len(parties) == 2


def test_chinese_inline_short_names() -> None:
    text = "本合同由深圳市前海数据服务有限公司（以下简称“甲方”）与广州市天河软件有限公司（以下简称“乙方”）签订。"
    names = {party.name: party.role for party in _parties(text)}
    assert names == {"深圳市前海数据服务有限公司": "甲方", "广州市天河软件有限公司": "乙方"}


def test_blank_and_generic_party_lines_are_ignored() -> None:
    assert _parties("甲方：＿＿＿＿＿＿＿＿\n乙方（签字）：\n甲方：（盖章）\n乙方：签字盖章") == []


def test_english_defined_terms() -> None:
    text = (
        "This License Agreement is entered into as of May 8, 2014 by and between BIRCH FIRST GLOBAL "
        'INVESTMENTS INC., a corporation incorporated in the U.S. Virgin Islands (referred to as "Company") '
        'and Mount Knowledge Holdings Inc., a Nevada corporation ("Licensee"). The parties agree to the '
        'Territory ("Territory") as defined below.'
    )
    names = {party.name: party.role for party in _parties(text)}
    assert names == {"BIRCH FIRST GLOBAL INVESTMENTS INC.": "Company", "Mount Knowledge Holdings Inc.": "Licensee"}


def test_english_between_without_defined_terms() -> None:
    text = (
        "This Agreement is made by and between Signature Orthopaedics Pty Ltd and CPM Medical Consultants, LLC.\n\n1."
    )
    assert [party.name for party in _parties(text)] == [
        "Signature Orthopaedics Pty Ltd",
        "CPM Medical Consultants, LLC.",
    ]


def test_english_party_lines_of_translated_contracts() -> None:
    text = (
        "Party A: Beike Internet Security Technology Co., Ltd.\nAddress: Beijing\n"
        "Party B: Baidu Online Network Technology (Beijing) Co., Ltd.\n"
    )
    roles = {party.role for party in _parties(text)}
    assert roles == {"Party A", "Party B"}


def test_contract_numbers() -> None:
    assert suggest_metadata("合同编号：HT-2025-0301\n").contract_number == "HT-2025-0301"
    assert suggest_metadata("编号：京租（2025）第018号").contract_number == "京租（2025）第018号"
    assert suggest_metadata("Contract No. ABC/2025/17.").contract_number == "ABC/2025/17"
    assert suggest_metadata("合同编号：＿＿＿＿").contract_numbers == ()
    assert suggest_metadata("Reference is made to the Agreement.").contract_numbers == ()

from __future__ import annotations

from decimal import Decimal

import pytest

from indexer.terms import Amount, parse_chinese_amount, parse_chinese_integer, suggest_metadata


@pytest.mark.parametrize(
    "text, value",
    [
        ("壹拾万元整", "100000"),
        ("伍万叁仟元整", "53000"),
        ("贰佰零伍元叁角", "205.3"),
        ("壹亿贰仟万元", "120000000"),
        ("壹万零伍佰元整", "10500"),
        ("叁仟肆佰伍拾陆元柒角捌分", "3456.78"),
        ("贰拾元零伍分", "20.05"),
        ("拾元", "10"),
        ("壹佰万元正", "1000000"),
        ("玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", "999999999.99"),
        ("两万元", "20000"),
        ("一万亿元", "1000000000000"),
        ("叁角", "0.3"),
        ("壹拾贰万叁仟肆佰伍拾陆元整", "123456"),
    ],
)
def test_chinese_financial_numerals(text: str, value: str) -> None:
    assert parse_chinese_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["元", "整", "壹拾万元整元", "甲乙", "", "伍角叁", "壹元伍"])
def test_not_an_amount(text: str) -> None:
    assert parse_chinese_amount(text) is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("十二", 12),
        ("二十", 20),
        ("一千二百零五", 1205),
        ("二〇二五", 2025),
        ("十", 10),
        ("三", 3),
        ("一百万", 1_000_000),
    ],
)
def test_chinese_integers(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("合同总金额为人民币壹拾万元整。", "100000", "CNY"),
        ("价款：¥100,000.00", "100000", "CNY"),
        ("价款：￥100,000.00元", "100000", "CNY"),
        ("租金共计100,000元", "100000", "CNY"),
        ("注册资本5万元", "50000", "CNY"),
        ("合同总价：1.5亿元", "150000000", "CNY"),
        ("The fee is USD 1,000 per month.", "1000", "USD"),
        ("a purchase price of $1,000,000 payable", "1000000", "USD"),
        ("US$ 2 million", "2000000", "USD"),
        ("HK$5,000", "5000", "HKD"),
        ("€500 per hour", "500", "EUR"),
        ("RMB 300,000", "300000", "CNY"),
        ("合同金额：１２，０００元", "12000", "CNY"),  # full-width digits
    ],
)
def test_amount_forms(text: str, value: str, currency: str) -> None:
    amounts = suggest_metadata(text).amounts
    assert amounts, text
    assert amounts[0].value == Amount(Decimal(value), currency)


def test_two_spellings_of_one_amount_reinforce_each_other() -> None:
    text = "押金：人民币伍仟元整（¥5,000.00）。\n服务费：USD 300。\n合同总价款：人民币壹拾万元整（¥100,000.00）"
    amounts = suggest_metadata(text).amounts
    assert [(a.value.value, a.value.currency) for a in amounts][:2] == [
        (Decimal(100000), "CNY"),
        (Decimal(5000), "CNY"),
    ]
    assert amounts[0].confidence > amounts[-1].confidence
    assert "壹拾万元整" in amounts[0].evidence


def test_words_with_yuan_are_not_amounts() -> None:
    assert suggest_metadata("本单元为独立单元。The RMBS market.").amounts == ()

"""How amounts, dates and clause numbers are written in the demo contracts.

Search tests and the app can reuse these to know how a metadata value appears
in a document's text (e.g. ``date(2025, 3, 1)`` → ``2025年3月1日`` /
``1 March 2025``; ``Decimal("1280000.00")`` → ``1,280,000.00``).

Chinese capital amounts (大写金额) follow the usual bank-form rules
(《支付结算办法》 style):

* the result has no currency prefix: callers write ``人民币`` themselves;
* 拾 always carries a digit: 10 → ``壹拾元整``, 100000 → ``壹拾万元整``;
* a run of zeros inside the integer part is written as one ``零``
  (10050 → ``壹万零伍拾元``, 100010000 → ``壹亿零壹万元``); trailing zeros are
  not written;
* ``整`` follows ``元`` or ``角`` when there are no 分 (0.5 → ``伍角整``,
  10.20 → ``壹拾元贰角整``); nothing follows ``分``;
* with no 角 but some 分, ``零`` stands for the 角 (1.05 → ``壹元零伍分``);
  an amount below one yuan has no ``元`` part (0.05 → ``伍分``);
* zero is ``零元整``; amounts must be ≥ 0, have at most two decimals and be
  below 10¹⁶ (万亿 is the largest group unit), otherwise ``ValueError``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

Language = Literal["zh", "en"]

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
_GROUP_UNITS = ("", "万", "亿", "万亿")
_LOWER_DIGITS = "零一二三四五六七八九"
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "USD ", "EUR": "EUR "}
_CURRENCY_ZH_NAMES = {"CNY": "人民币", "USD": "美元", "EUR": "欧元"}
_CENT = Decimal("0.01")


def amount_in_chinese_capitals(amount: Decimal) -> str:
    """Write *amount* in Chinese capital numerals, e.g. 1280000 → 壹佰贰拾捌万元整."""
    yuan, jiao, fen = _split_amount(amount)
    integer = _capital_integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (integer or "零元") + "整"
    if fen == 0:
        return f"{integer}{_CAPITAL_DIGITS[jiao]}角整"
    jiao_part = f"{_CAPITAL_DIGITS[jiao]}角" if jiao else ("零" if integer else "")
    return f"{integer}{jiao_part}{_CAPITAL_DIGITS[fen]}分"


def _split_amount(amount: Decimal) -> tuple[int, int, int]:
    """(yuan, jiao, fen) of a non-negative amount with at most two decimals."""
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"amount must be a finite non-negative number: {amount}")
    if amount != amount.quantize(_CENT):
        raise ValueError(f"amount has more than two decimal places: {amount}")
    cents = int(amount * 100)
    if cents >= 10**18:
        raise ValueError(f"amount too large for Chinese capitals: {amount}")
    yuan, rest = divmod(cents, 100)
    return yuan, rest // 10, rest % 10


def capital_number(number: int) -> str:
    """Capital numerals for a count, e.g. 4 → 肆, 10 → 壹拾, 0 → 零 (used for 一式肆份)."""
    if not 0 <= number < 10**16:
        raise ValueError(f"number out of range: {number}")
    return _capital_integer(number) if number else _CAPITAL_DIGITS[0]


def _capital_integer(number: int) -> str:
    """Capital numerals for a positive integer below 10**16 (no unit)."""
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    parts: list[str] = []
    pending_zero = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            pending_zero = bool(parts)
            continue
        if parts and (pending_zero or group < 1000):
            parts.append("零")
        parts.append(_capital_group(group) + _GROUP_UNITS[index])
        pending_zero = False
    return "".join(parts)


def _capital_group(group: int) -> str:
    """Capital numerals for 1..9999 without leading 零, e.g. 1010 → 壹仟零壹拾."""
    digits = [int(d) for d in f"{group:04d}"]
    out: list[str] = []
    zero_run = False
    for position, digit in enumerate(digits):
        if digit == 0:
            zero_run = bool(out)
            continue
        if zero_run:
            out.append("零")
            zero_run = False
        out.append(_CAPITAL_DIGITS[digit] + _CAPITAL_PLACES[3 - position])
    return "".join(out)


def chinese_ordinal(number: int) -> str:
    """Lower-case Chinese numerals for clause numbers: 1 → 一, 10 → 十, 21 → 二十一."""
    if not 1 <= number <= 99:
        raise ValueError(f"clause number out of range: {number}")
    tens, units = divmod(number, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else _LOWER_DIGITS[tens] + "十")
    return prefix + (_LOWER_DIGITS[units] if units else "")


def format_figures(amount: Decimal) -> str:
    """Grouped figures with two decimals: 1280000 → ``1,280,000.00``."""
    return f"{amount.quantize(_CENT):,.2f}"


def format_money(amount: Decimal, currency: str) -> str:
    """Figures with the currency marker: ``¥1,280,000.00``, ``USD 245,000.00``."""
    return _CURRENCY_SYMBOLS[currency] + format_figures(amount)


def format_money_in_words_zh(amount: Decimal, currency: str) -> str:
    """``人民币壹佰贰拾捌万元整`` (capitals prefixed by the currency's Chinese name)."""
    return _CURRENCY_ZH_NAMES[currency] + amount_in_chinese_capitals(amount)


def format_date(value: date, language: Language) -> str:
    """``2025年3月1日`` (zh) or ``1 March 2025`` (en)."""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"

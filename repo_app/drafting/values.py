"""The typed values a template's variables take once checked: money with its Chinese uppercase
form, dates in Chinese and English, parties. Pure functions; no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
_LIMIT = Decimal(10) ** 16

#: The name written before an uppercase amount; a currency without one uses its code.
CURRENCY_NAMES_ZH = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币", "JPY": "日元", "GBP": "英镑"}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def chinese_uppercase(amount: Decimal) -> str:
    """The amount in Chinese financial capitals (大写金额), as the payment rules of the People's
    Bank of China write it: 100000 → 壹拾万元整, 100010 → 壹拾万零壹拾元整, 1000000.05 →
    壹佰万元零伍分, 0.5 → 伍角整, 10.00 → 壹拾元整.

    A run of zeros inside the number is one 零; 整 follows 元 or 角 (never 分); when the
    角 place is zero and 分 is not, 零 stands after 元. Exact: the amount may have two decimal
    places at most (``ValueError`` otherwise, and from 10^16 up).
    """
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("an amount has two decimal places at most")
    if abs(amount) >= _LIMIT:
        raise ValueError("the amount is too large")
    sign = "负" if amount < 0 else ""
    cents = int(abs(amount) * 100)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = _integer_part(whole) + "元" if whole else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif fen and whole:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text


def _integer_part(number: int) -> str:
    digits = str(number)
    out: list[str] = []
    zero_pending = False
    for index, char in enumerate(digits):
        place = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[digit] + _SMALL_UNITS[place % 4])
        if place % 4 == 0 and place > 0:
            group = digits[max(0, index - 3) : index + 1]
            if int(group):
                out.append(_GROUP_UNITS[place // 4])
    return "".join(out)


def chinese_date(day: date) -> str:
    """2026年1月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def english_date(day: date) -> str:
    """January 5, 2026."""
    return f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


@dataclass(frozen=True)
class Money:
    """A money variable: ``{{ price }}`` prints the grouped amount with its currency code;
    ``{{ price.upper }}`` the Chinese uppercase form with the currency's name (人民币壹拾万元整)."""

    amount: Decimal
    currency: str = "CNY"

    @property
    def figures(self) -> str:
        return f"{self.amount:,.2f}"

    @property
    def upper(self) -> str:
        return CURRENCY_NAMES_ZH.get(self.currency, self.currency) + chinese_uppercase(self.amount)

    def __str__(self) -> str:
        return f"{self.currency} {self.figures}"


@dataclass(frozen=True)
class Day:
    """A date variable: ``{{ d }}`` in the template's language, ``{{ d.zh }}``, ``{{ d.en }}``, ``{{ d.iso }}``."""

    value: date
    language: str = "zh"

    @property
    def zh(self) -> str:
        return chinese_date(self.value)

    @property
    def en(self) -> str:
        return english_date(self.value)

    @property
    def iso(self) -> str:
        return self.value.isoformat()

    def __str__(self) -> str:
        return self.zh if self.language == "zh" else self.en


@dataclass(frozen=True)
class Party:
    """A party variable: ``{{ buyer }}`` is the name; ``.address`` and ``.contact`` what is known."""

    name: str
    address: str = ""
    contact: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

"""Money amounts with their currency.

人民币壹拾万元整, ¥100,000.00, 100,000元, 5万元, USD 1,000, $1,000,000, US$ 2 million.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .model import Amount, Candidate
from .numerals import CHINESE_NUMERAL_CHARS, parse_chinese_amount
from .text import line_at

__all__ = ["find_amounts"]

# Longest spellings first so that "US$" wins over "$" and "人民币元" over "元".
_PREFIX_CURRENCIES = (
    ("人民币", "CNY"),
    ("人民幣", "CNY"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("US$", "USD"),
    ("USD", "USD"),
    ("U.S.$", "USD"),
    ("HK$", "HKD"),
    ("HKD", "HKD"),
    ("港币", "HKD"),
    ("美元", "USD"),
    ("EUR", "EUR"),
    ("€", "EUR"),
    ("欧元", "EUR"),
    ("GBP", "GBP"),
    ("£", "GBP"),
    ("英镑", "GBP"),
    ("JPY", "JPY"),
    ("日元", "JPY"),
    ("$", "USD"),
)
_SUFFIX_CURRENCIES = (
    ("万元人民币", "CNY", 10_000),
    ("万美元", "USD", 10_000),
    ("万港元", "HKD", 10_000),
    ("亿元", "CNY", 100_000_000),
    ("万元", "CNY", 10_000),
    ("元人民币", "CNY", 1),
    ("美元", "USD", 1),
    ("港元", "HKD", 1),
    ("港币", "HKD", 1),
    ("欧元", "EUR", 1),
    ("英镑", "GBP", 1),
    ("日元", "JPY", 1),
    ("元", "CNY", 1),
    ("dollars", "USD", 1),
    ("U.S. dollars", "USD", 1),
)
_SCALE_WORDS = {
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "thousand": 1_000,
    "万": 10_000,
    "亿": 100_000_000,
    "千": 1_000,
}

_NUMBER = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PREFIX = "|".join(re.escape(symbol) for symbol, _ in _PREFIX_CURRENCIES)
_SUFFIX = "|".join(re.escape(symbol) for symbol, _, _ in _SUFFIX_CURRENCIES)

_PREFIXED = re.compile(
    rf"(?<![A-Za-z])(?P<currency>{_PREFIX})\s?(?:[(（]?小写[)）]?[:：]?\s?)?(?P<number>{_NUMBER})"
    rf"(?:\s?(?P<scale>million|billion|thousand|万|亿|千)(?![a-z]))?(?:\s?(?P<unit>万元|元|圆))?",
    re.IGNORECASE,
)
_SUFFIXED = re.compile(rf"(?<![\d.,，])(?P<number>{_NUMBER})\s?(?P<currency>{_SUFFIX})", re.IGNORECASE)
_CHINESE = re.compile(
    rf"(?P<currency>人民币|人民幣)?\s?(?:[(（]?大写[)）]?[:：]?\s?)?"
    rf"(?P<amount>[{CHINESE_NUMERAL_CHARS}]*[元圆圓][{CHINESE_NUMERAL_CHARS}]*)"
)
#: Words that say the amount is the contract's price, not a penalty rate or a deposit.
_PRICE_WORDS = (
    "合同金额",
    "合同总金额",
    "合同总价",
    "总价",
    "总金额",
    "价款",
    "合同价",
    "租金",
    "货款",
    "借款金额",
    "total",
    "purchase price",
    "contract price",
    "consideration",
    "fee",
    "price",
)


def find_amounts(text: str) -> list[Candidate[Amount]]:
    """Amounts, one candidate per (value, currency), best first.

    Several spellings of the same amount (大写 and 小写) raise its confidence, as does a price
    word (合同金额, 总价, purchase price …) in front of it.
    """
    found: list[Candidate[Amount]] = []
    taken: list[tuple[int, int]] = []
    for pattern, reader in ((_CHINESE, _read_chinese), (_PREFIXED, _read_prefixed), (_SUFFIXED, _read_suffixed)):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            amount, trust = reader(match)
            if amount is None or amount.value <= 0:
                continue
            taken.append((match.start(), match.end()))
            found.append(
                Candidate(
                    amount,
                    trust + _price_bonus(text, match.start()),
                    line_at(text, match.start(), match.end()),
                    match.start(),
                )
            )
    return _merge(found)


def _read_chinese(match: re.Match[str]) -> tuple[Amount | None, float]:
    raw = match.group("amount")
    if len(raw) < 2:  # a lone 元 is a word, not an amount
        return None, 0.0
    value = parse_chinese_amount(raw)
    return (Amount(value, "CNY"), 0.6 if match.group("currency") else 0.5) if value is not None else (None, 0.0)


def _read_prefixed(match: re.Match[str]) -> tuple[Amount | None, float]:
    currency = _currency(match.group("currency"))
    value = _decimal(match.group("number"))
    if value is None or currency is None:
        return None, 0.0
    scale = match.group("scale")
    if scale:
        value *= _SCALE_WORDS[scale.lower()]
    if match.group("unit") == "万元":
        value *= 10_000
    return Amount(value, currency), 0.55


def _read_suffixed(match: re.Match[str]) -> tuple[Amount | None, float]:
    suffix = match.group("currency").lower()
    spec = next((item for item in _SUFFIX_CURRENCIES if item[0].lower() == suffix), None)
    value = _decimal(match.group("number"))
    if value is None or spec is None:
        return None, 0.0
    return Amount(value * spec[2], spec[1]), 0.5


def _currency(symbol: str) -> str | None:
    folded = symbol.upper()
    return next((code for spelling, code in _PREFIX_CURRENCIES if spelling.upper() == folded), None)


def _decimal(number: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def _price_bonus(text: str, start: int) -> float:
    window = text[max(0, start - 30) : start].lower()
    return 0.2 if any(word in window for word in _PRICE_WORDS) else 0.0


def _merge(found: list[Candidate[Amount]]) -> list[Candidate[Amount]]:
    merged: dict[Amount, Candidate[Amount]] = {}
    seen: dict[Amount, int] = {}
    for candidate in found:
        key = Amount(candidate.value.value.normalize(), candidate.value.currency)
        seen[key] = seen.get(key, 0) + 1
        current = merged.get(key)
        if current is None or candidate.confidence > current.confidence:
            merged[key] = Candidate(
                Amount(_plain(key.value), key.currency), candidate.confidence, candidate.evidence, candidate.start
            )
    ranked = [
        Candidate(c.value, round(min(0.95, c.confidence + 0.15 * (seen[key] - 1)), 3), c.evidence, c.start)
        for key, c in merged.items()
    ]
    return sorted(ranked, key=lambda c: (-c.confidence, c.start))


def _plain(value: Decimal) -> Decimal:
    """``1E+5`` → ``100000``: normalised for comparison, printed without an exponent."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value

"""Chinese numerals, including the financial (大写) forms used for amounts on contracts."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["CHINESE_DIGITS", "CHINESE_NUMERAL_CHARS", "parse_chinese_amount", "parse_chinese_integer"]

CHINESE_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "壹": 1,
    "弌": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "叄": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "什": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN = {"万", "萬"}
_YI = {"亿", "億"}
_YUAN = {"元", "圆", "圓"}
_FRACTIONS = {"角": Decimal("0.1"), "分": Decimal("0.01"), "厘": Decimal("0.001")}
_IGNORED = {"整", "正"}

#: Every character :func:`parse_chinese_amount` understands (for building patterns).
CHINESE_NUMERAL_CHARS = "".join(
    sorted(set(CHINESE_DIGITS) - {"O"} | set(_SMALL_UNITS) | _WAN | _YI | _YUAN | set(_FRACTIONS) | _IGNORED)
)


def parse_chinese_integer(text: str) -> int | None:
    """``"一千二百零五"`` → 1205, ``"壹拾万"`` → 100000, ``"二〇二五"`` → 2025 (digit by digit).

    None when *text* holds anything else. Sections are summed the positional way: a small unit
    (十/百/千) multiplies the digit before it (or 1: ``"十二"`` is 12), 万 closes the
    ten-thousands section and 亿 the hundred-millions one.
    """
    if not text or any(
        char not in CHINESE_DIGITS and char not in _SMALL_UNITS and char not in _WAN and char not in _YI
        for char in text
    ):
        return None
    if all(char in CHINESE_DIGITS for char in text) and len(text) > 1:
        return int("".join(str(CHINESE_DIGITS[char]) for char in text))
    total = section = number = 0
    for char in text:
        if char in CHINESE_DIGITS:
            number = CHINESE_DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[char]
            number = 0
        elif char in _WAN:
            total += (section + number) * 10_000
            section = number = 0
        else:  # 亿
            total = (total + section + number) * 100_000_000
            section = number = 0
    return total + section + number


def parse_chinese_amount(text: str) -> Decimal | None:
    """``"人民币壹拾万元整"`` minus the currency word: ``"壹拾万元整"`` → 100000.

    Handles 元/圆 followed by 角, 分 (and 厘), 零 placeholders and a closing 整/正.
    None for anything that is not a well-formed amount.
    """
    text = "".join(char for char in text if char not in _IGNORED)
    if not any(char in CHINESE_DIGITS or char in _SMALL_UNITS for char in text):
        return None
    yuan_at = next((index for index, char in enumerate(text) if char in _YUAN), None)
    if yuan_at is None and text[-1] in _FRACTIONS:  # "叁角", "伍分": no yuan at all
        return _parse_fraction(text)
    integer_part, fraction_part = (text, "") if yuan_at is None else (text[:yuan_at], text[yuan_at + 1 :])
    value = Decimal(0)
    if integer_part:
        integer = parse_chinese_integer(integer_part)
        if integer is None:
            return None
        value = Decimal(integer)
    elif yuan_at is None:
        return None
    fraction = _parse_fraction(fraction_part)
    if fraction is None:
        return None
    return value + fraction


def _parse_fraction(text: str) -> Decimal | None:
    """``"叁角伍分"`` → 0.35; ``"零伍分"`` → 0.05."""
    value = Decimal(0)
    digit: int | None = None
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in _FRACTIONS and digit is not None:
            value += digit * _FRACTIONS[char]
            digit = None
        else:
            return None
    return value if digit in (None, 0) else None

"""Chinese uppercase amounts and date forms, as a contract prints them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from repo_app.drafting.values import Money, chinese_date, chinese_uppercase, english_date


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("100000", "壹拾万元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1000000.05", "壹佰万元零伍分"),
        ("0.5", "伍角整"),
        ("0.05", "伍分"),
        ("10.00", "壹拾元整"),
        ("0", "零元整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1000000001", "壹拾亿零壹元整"),
        ("20000000.30", "贰仟万元叁角整"),
        ("35.07", "叁拾伍元零柒分"),
        ("10000000000000000", None),
    ],
)
def test_chinese_uppercase(amount: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="too large"):
            chinese_uppercase(Decimal(amount))
    else:
        assert chinese_uppercase(Decimal(amount)) == expected


def test_more_than_two_places_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        chinese_uppercase(Decimal("1.005"))


def test_money_prints_figures_and_the_currency_name() -> None:
    money = Money(Decimal("100000.00"))
    assert str(money) == "CNY 100,000.00"
    assert money.upper == "人民币壹拾万元整"
    assert Money(Decimal("12.30"), "USD").upper == "美元壹拾贰元叁角整"


def test_dates_in_both_languages() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert english_date(date(2026, 1, 5)) == "January 5, 2026"


def test_a_signed_version_is_compared_by_the_words_of_the_version_it_was_signed_from() -> None:
    """Signing a drafted Word version makes a PDF of the same words: no non-standard terms."""
    from types import SimpleNamespace

    from repo_app.drafting.deviation import _content_of

    drafted = SimpleNamespace(id=1, origin="drafted", source_version_id=None)
    signed = SimpleNamespace(id=2, origin="signed", source_version_id=1)
    countersigned = SimpleNamespace(id=3, origin="signed", source_version_id=2)
    negotiated = SimpleNamespace(id=4, origin="uploaded", source_version_id=None)
    contract = SimpleNamespace(versions=[drafted, signed, countersigned, negotiated])
    assert _content_of(contract, countersigned) is drafted  # type: ignore[arg-type]
    assert _content_of(contract, negotiated) is negotiated  # type: ignore[arg-type]

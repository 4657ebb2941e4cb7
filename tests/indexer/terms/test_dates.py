from __future__ import annotations

import datetime as dt

import pytest

from indexer.terms import suggest_metadata
from indexer.terms.dates import add_years, find_dates

D = dt.date


@pytest.mark.parametrize(
    "text, value",
    [
        ("2025年3月1日", D(2025, 3, 1)),
        ("2025 年 3 月 1 日", D(2025, 3, 1)),
        ("２０２５年３月１日", None),
        ("二〇二五年三月一日", D(2025, 3, 1)),
        ("二○二四年十二月三十一日", D(2024, 12, 31)),
        ("2025-03-01", D(2025, 3, 1)),
        ("2025/3/1", D(2025, 3, 1)),
        ("2025.3.1", D(2025, 3, 1)),
        ("March 1, 2025", D(2025, 3, 1)),
        ("Mar. 1, 2025", D(2025, 3, 1)),
        ("1st day of March, 2025", D(2025, 3, 1)),
        ("1 March 2025", D(2025, 3, 1)),
        ("the 20th day of March, 2018", D(2018, 3, 20)),
        ("3/1/2025", D(2025, 3, 1)),
        ("2025年2月30日", None),
        ("version 2025.3.1.4", None),
        ("1.2025.3.1", None),
    ],
)
def test_date_forms(text: str, value: dt.date | None) -> None:
    found = find_dates(text)
    if value is None and "２" not in text:
        assert found == []
    elif value is not None:
        assert [mention.value for mention in found] == [value]


def test_full_width_digits_are_folded_by_suggest() -> None:
    assert suggest_metadata("本合同于２０２５年３月１日签订。").signing_date == D(2025, 3, 1)


def test_chinese_roles() -> None:
    text = (
        "本合同于2025年3月1日在北京签订。\n"
        "租赁期限自2025年4月1日起至2028年3月31日止。\n"
        "乙方应于2025年3月15日前支付押金。"
    )
    suggestions = suggest_metadata(text)
    assert suggestions.signing_date == D(2025, 3, 1)
    assert suggestions.effective_date == D(2025, 4, 1)
    assert suggestions.expiry_date == D(2028, 3, 31)


def test_chinese_labels_and_validity_period() -> None:
    text = "签订日期：二〇二五年三月一日\n生效日期：2025-03-10\n有效期至2026年3月9日"
    suggestions = suggest_metadata(text)
    assert (suggestions.signing_date, suggestions.effective_date, suggestions.expiry_date) == (
        D(2025, 3, 1),
        D(2025, 3, 10),
        D(2026, 3, 9),
    )


def test_expiry_derived_from_effective_date_and_term() -> None:
    suggestions = suggest_metadata("本合同自2025年3月1日起生效，有效期三年。")
    assert suggestions.effective_date == D(2025, 3, 1)
    assert suggestions.expiry_date == D(2028, 3, 1)
    assert suggestions.expiry_dates[0].confidence < suggestions.effective_dates[0].confidence


def test_effective_on_signing() -> None:
    suggestions = suggest_metadata("签订日期：2025年3月1日\n本合同自双方签字盖章之日起生效。")
    assert suggestions.effective_date == D(2025, 3, 1)


def test_english_roles() -> None:
    text = (
        'This Supply Agreement (the "Agreement") is dated as of March 1, 2025 and is effective as of '
        'April 1, 2025 (the "Effective Date"), by and between Alpha Ltd. ("Supplier") and Beta Inc. '
        '("Customer").\nWHEREAS the parties entered into that certain Letter Agreement dated January 5, 2024;\n'
        "2. Term. The initial term of this Agreement shall be five (5) years. This Agreement shall expire on "
        "March 31, 2030 unless renewed."
    )
    suggestions = suggest_metadata(text)
    assert suggestions.signing_date == D(2025, 3, 1)
    assert suggestions.effective_date == D(2025, 4, 1)
    assert suggestions.expiry_date == D(2030, 3, 31)
    assert D(2024, 1, 5) not in [c.value for c in suggestions.signing_dates[:1]]


def test_english_term_of_years() -> None:
    text = "This Agreement is made on 1 March 2025. The term of this Agreement is two (2) years."
    suggestions = suggest_metadata(text)
    assert suggestions.signing_date == D(2025, 3, 1)
    assert suggestions.expiry_date == D(2027, 3, 1)


def test_add_years_handles_leap_days() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2025, 1, 31), 0, 1) == D(2025, 2, 28)
    assert add_years(D(2025, 11, 15), 0, 3) == D(2026, 2, 15)


def test_nothing_found_in_blank_templates() -> None:
    suggestions = suggest_metadata("签订日期：____年__月__日\n甲方：＿＿＿＿＿＿\n乙方：")
    assert suggestions.signing_dates == () and suggestions.parties == ()

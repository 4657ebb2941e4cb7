"""The unified social credit code check (GB 32100-2015) and the folded counterparty names."""

from __future__ import annotations

import pytest

from repo_app.contracts.party_names import name_key
from repo_app.money.credit_code import CHARSET, check_character, is_valid, normalise, problem

#: Codes published by the companies themselves (annual reports, websites, licence scans).
PUBLISHED = {
    "91440300708461136T": "腾讯科技（深圳）有限公司",
    "914403001922038216": "华为技术有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110000710926094P": "中国石油化工股份有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
}


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_pass(code: str) -> None:
    assert is_valid(code)


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_every_single_character_change_is_caught(code: str) -> None:
    """A weighted sum modulo the prime 31 catches any one wrong character."""
    for position in range(18):
        for replacement in CHARSET:
            if replacement != code[position]:
                corrupted = code[:position] + replacement + code[position + 1 :]
                assert problem(corrupted) == "check", corrupted


def test_swapped_neighbours_are_caught() -> None:
    code = "91440300708461136T"
    swapped = code[:8] + code[9] + code[8] + code[10:]  # 7 and 0 exchanged
    assert problem(swapped) == "check"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("91440300708461136", "length"),
        ("91440300708461136TX", "length"),
        ("9144030070846113OT", "character"),  # the letter O is not in the set
        ("91440300708461I36T", "character"),
    ],
)
def test_malformed_codes_name_the_problem(raw: str, reason: str) -> None:
    assert problem(normalise(raw)) == reason


def test_full_width_lower_case_and_spaces_are_folded() -> None:
    assert normalise("９１４４ ０３００-７０８４６１１３６ｔ") == "91440300708461136T"
    assert is_valid(" 91440300708461136t ")


def test_a_sum_divisible_by_31_gives_the_check_character_zero() -> None:
    assert check_character("0" * 17) == "0"
    assert check_character("91110108551385082") == "Q"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司"),
        ("腾讯科技（深圳）有限公司", "腾讯科技 (深圳) 有限公司"),
        ("华东精密机械有限公司", "华东精密机械股份有限公司"),
        ("华东精密机械有限公司", "华东精密机械有限责任公司"),
        ("ＡＣＭＥ 有限公司", "acme有限公司"),
        ("Acme Co., Ltd.", "ACME Limited"),
    ],
)
def test_spellings_of_one_party_fold_together(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_different_parties_stay_apart() -> None:
    assert name_key("华东精密机械有限公司") != name_key("华南精密机械有限公司")
    assert name_key("有限公司") == "有限公司"  # a bare suffix is not folded away to nothing

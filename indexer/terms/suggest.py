"""``suggest_metadata``: every key-term finder over one text, plus the dates implied by others."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TypeVar, cast

from .amounts import find_amounts
from .dates import add_years, assign_roles, find_dates
from .model import Candidate, Party, Suggestions
from .numbers import find_contract_numbers
from .numerals import parse_chinese_integer
from .parties import find_parties
from .text import fold_width, line_at

__all__ = ["suggest_metadata"]

T = TypeVar("T")

_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty-six": 36,
    "sixty": 60,
}
_ZH_TERM = re.compile(
    r"(?:有效期|期限|租期|租赁期|合同期|聘用期|服务期|借款期)(?:限)?(?:为|是|共)?[:：]?\s*"
    r"(?P<count>[一二两三四五六七八九十\d]{1,3})\s*(?P<unit>年|个月|个自然月)"
)
_EN_TERM = re.compile(
    r"\b(?:initial\s+term|term\s+of\s+this\s+agreement|this\s+agreement\s+shall\s+(?:continue|remain)"
    r"\s+in\s+(?:full\s+)?(?:force|effect)|shall\s+continue\s+for\s+a\s+(?:term|period))[^.;]{0,40}?\s"
    r"(?:a\s+(?:term|period)\s+of\s+)?(?P<count>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s*(?:\(\d{1,3}\)\s*)?"
    r"(?P<unit>years?|months?)\b",
    re.IGNORECASE,
)
_EFFECTIVE_ON_SIGNING = re.compile(
    r"自[^。；\n]{0,16}(?:签订|签署|签字|盖章)[^。；\n]{0,8}之日起(?:生效|施行)|"
    r"effective\s+as\s+of\s+the\s+date\s+(?:first\s+)?(?:written|set\s+forth|above)|"
    r"effective\s+(?:upon|on)\s+(?:the\s+)?(?:execution|signing)",
    re.IGNORECASE,
)


def suggest_metadata(text: str) -> Suggestions:
    """Candidate dates, amounts, parties and contract numbers for a contract's text, best first.

    A pure function: nothing is looked up, nothing is cached between calls.
    """
    folded = fold_width(text)
    roles = assign_roles(folded, find_dates(folded))
    effective = list(roles.effective)
    if not effective and roles.signing:
        effective = _effective_from_signing(folded, roles.signing[0])
    expiry = list(roles.expiry)
    start = effective[0] if effective else (roles.signing[0] if roles.signing else None)
    if start is not None:
        derived = _expiry_from_term(folded, start)
        if derived is not None and all(c.value != derived.value for c in expiry):
            expiry.append(derived)
    return Suggestions(
        signing_dates=_restore(text, folded, roles.signing),
        effective_dates=_restore(text, folded, effective),
        expiry_dates=_restore(text, folded, sorted(expiry, key=lambda c: (-c.confidence, c.start))),
        amounts=_restore(text, folded, find_amounts(folded)),
        parties=_restore(text, folded, find_parties(folded)),
        contract_numbers=_restore(text, folded, find_contract_numbers(folded)),
    )


def _restore(text: str, folded: str, candidates: Sequence[Candidate[T]]) -> tuple[Candidate[T], ...]:
    """Evidence, names and numbers quoted from the original text.

    The finders read the width-folded copy (``（`` → ``(``), which has the same offsets, so each
    string is found in the folded text near its candidate and cut from the original at that place.
    """
    restored = []
    for candidate in candidates:
        value: object = candidate.value
        if isinstance(value, str):
            value = _original(text, folded, value, candidate.start)
        elif isinstance(value, Party):
            value = Party(_original(text, folded, value.name, candidate.start), value.role)
        evidence = _original(text, folded, candidate.evidence, candidate.start)
        restored.append(Candidate(cast(T, value), candidate.confidence, evidence, candidate.start))
    return tuple(restored)


def _original(text: str, folded: str, piece: str, near: int) -> str:
    at = folded.find(piece, max(0, near - 400))
    return text[at : at + len(piece)] if at >= 0 else piece


def _effective_from_signing(text: str, signing: Candidate[dt.date]) -> list[Candidate[dt.date]]:
    """``自双方签字盖章之日起生效`` / ``effective as of the date first written above``."""
    match = _EFFECTIVE_ON_SIGNING.search(text)
    if match is None:
        return []
    return [
        Candidate(
            signing.value, round(signing.confidence * 0.8, 3), line_at(text, match.start(), match.end()), match.start()
        )
    ]


def _expiry_from_term(text: str, start: Candidate[dt.date]) -> Candidate[dt.date] | None:
    """Start date plus ``有效期三年`` / ``a term of five (5) years``: the anniversary of the start."""
    match = _ZH_TERM.search(text) or _EN_TERM.search(text)
    if match is None:
        return None
    count_text, unit = match.group("count"), match.group("unit")
    count = _count(count_text)
    if count is None or not 0 < count <= 100:
        return None
    months = count if "月" in unit or unit.lower().startswith("month") else 0
    years = 0 if months else count
    return Candidate(
        add_years(start.value, years, months),
        round(0.35 * start.confidence + 0.1, 3),
        line_at(text, match.start(), match.end()),
        match.start(),
    )


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _EN_NUMBERS.get(text.lower()) or parse_chinese_integer(text)

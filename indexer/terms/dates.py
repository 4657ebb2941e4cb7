"""Dates in Chinese and English contracts, and which role (signing, effective, expiry) each plays.

Every date is found first; then the words around it (never across another date or a sentence end)
vote for a role: ``于2025年3月1日签订`` is a signing date, ``自…起`` an effective date, ``至…止``
an expiry date, ``dated as of`` / ``effective as of`` / ``expires on`` the same in English.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .model import Candidate
from .numerals import CHINESE_DIGITS, parse_chinese_integer
from .text import line_at

__all__ = ["DateMention", "DateRoles", "add_years", "find_dates", "assign_roles"]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:\s?(?:st|nd|rd|th))?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_ZH_DIGIT = "〇零○O一二三四五六七八九"
_ZH_SMALL = "一二三四五六七八九十"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("zh", re.compile(r"(?<!\d)" + _YEAR + r"\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*[日号號]")),
    (
        "zh-numeral",
        re.compile(
            rf"(?P<year>[{_ZH_DIGIT}]{{4}})\s*年\s*(?P<month>[{_ZH_SMALL}]{{1,2}})\s*月"
            rf"\s*(?P<day>[{_ZH_SMALL}]{{1,3}})\s*[日号]"
        ),
    ),
    (
        "iso",
        re.compile(
            r"(?<![\d.\-/])" + _YEAR + r"(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)"
            r"(?![\d]|\.\d)"
        ),
    ),
    ("en-mdy", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\s*,?\s+" + _YEAR + r"\b", re.IGNORECASE)),
    (
        "en-dmy",
        re.compile(
            r"\b" + _DAY + r"\s+(?:day\s+of\s+)?" + _MONTH + r"\s*,?\s+(?:in\s+the\s+year\s+)?" + _YEAR + r"\b",
            re.IGNORECASE,
        ),
    ),
    ("us-numeric", re.compile(r"(?<![\d/.])(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/" + _YEAR + r"(?![\d/])")),
)
#: How much each pattern can be trusted to be a date at all.
_FORM_TRUST = {"zh": 1.0, "zh-numeral": 1.0, "iso": 0.9, "en-mdy": 1.0, "en-dmy": 1.0, "us-numeric": 0.7}

# (phrase, weight) per role; LEFT phrases come before the date, RIGHT ones after it.
_SIGN_LEFT = (
    ("签订日期", 1.0),
    ("签署日期", 1.0),
    ("签约日期", 1.0),
    ("签字日期", 1.0),
    ("签订时间", 1.0),
    ("签约时间", 1.0),
    ("签订于", 0.9),
    ("签署于", 0.9),
    ("dated as of", 1.0),
    ("dated", 0.8),
    ("entered into as of", 1.0),
    ("entered into on", 1.0),
    ("entered into", 0.7),
    ("made as of", 0.9),
    ("made on", 0.8),
    ("executed on", 0.9),
    ("executed as of", 0.9),
    ("signed on", 0.9),
    ("made and entered into", 0.8),
    ("made effective", 0.7),
    ("is made", 0.6),
    ("agreement made", 0.6),
    ("as of", 0.4),
    ("date of this agreement", 0.8),
    ("日期", 0.35),
    ("date:", 0.35),
)
_SIGN_RIGHT = (
    ("签订", 0.9),
    ("签署", 0.9),
    ("签约", 0.9),
    ("签字", 0.8),
    ("订立", 0.8),
    ('(the "agreement date")', 1.0),
    ("by and between", 0.5),
    ("between", 0.3),
)
_EFFECTIVE_LEFT = (
    ("生效日期", 1.0),
    ("生效时间", 1.0),
    ("effective as of", 1.0),
    ("effective date", 0.9),
    ("effective on", 1.0),
    ("effective from", 1.0),
    ("effective", 0.7),
    ("commencement date", 0.9),
    ("commencing on", 0.9),
    ("commencing", 0.7),
    ("commence on", 0.9),
    ("beginning on", 0.8),
    ("starting on", 0.8),
    ("起始日", 0.9),
    ("开始日期", 0.9),
    ("起租日", 0.9),
    ("自", 0.6),
    ("从", 0.5),
    ("from", 0.45),
    ("起", 0.3),
)
_EFFECTIVE_RIGHT = (
    ("起生效", 1.0),
    ("生效", 0.9),
    ("起施行", 0.9),
    ('(the "effective date")', 1.0),
    ("effective date", 0.8),
    ("起", 0.6),
    ("开始", 0.6),
    ("commencement date", 0.8),
)
_EXPIRY_LEFT = (
    ("有效期至", 1.0),
    ("有效期限至", 1.0),
    ("终止日期", 1.0),
    ("到期日", 1.0),
    ("届满日", 1.0),
    ("expiration date", 1.0),
    ("expiry date", 1.0),
    ("expire on", 1.0),
    ("expires on", 1.0),
    ("expiring on", 1.0),
    ("expiring", 0.9),
    ("expire", 0.8),
    ("terminate on", 0.9),
    ("terminates on", 0.9),
    ("terminating on", 0.9),
    ("and ending on", 1.0),
    ("ending on", 0.9),
    ("and ending", 0.9),
    ("end on", 0.8),
    ("until", 0.6),
    ("through", 0.4),
    ("止于", 0.9),
    ("截止", 0.6),
    ("截至", 0.4),
    ("至", 0.7),
    ("到", 0.4),
    (" to ", 0.35),
)
_EXPIRY_RIGHT = (
    ("止", 0.9),
    ("终止", 0.9),
    ("届满", 0.9),
    ("到期", 0.9),
    ('(the "expiration date")', 1.0),
    ("expiration date", 0.8),
)

#: Words before a date that say it belongs to another document ("that certain Escrow Agreement dated …").
_OTHER_DOCUMENT = (
    "that certain",
    "original agreement",
    "prior agreement",
    "previous agreement",
    "existing agreement",
    "原合同",
    "原协议",
)
#: Words shortly before a date that place it in the clause about the contract's own term.
_TERM_CONTEXT = ("term of this agreement", "initial term", "the term", "term.", "有效期", "期限", "合同期", "租赁期")
#: A date this close after another one, joined by a range word, closes a range ("自…起至…止", "from … to …").
_RANGE_GAP = 40
_RANGE_WORDS = ("至", "到", "-", "–", "—", "~", "to", "through", "until", "and ending")
_LEFT_WINDOW = 60
_RIGHT_WINDOW = 30
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
#: Sentence ends, blank lines, and line breaks before a new label ("生效日期：", "Effective Date:").
_BOUNDARY = re.compile(r"[。；;]|\n\s*\n|\n(?=\s*(?:[\u4e00-\u9fff()（）]{1,12}|[A-Z][A-Za-z ]{1,30})[:：])")
#: The preamble ends at the recitals or after this many characters, whichever comes first. A document's
#: own signing and effective dates are stated there; later dates are more often other documents' dates.
_PREAMBLE = 3000
_PREAMBLE_END = re.compile(r"\bWHEREAS\b|\bRECITALS\b|\bNOW,?\s+THEREFORE\b|\bBACKGROUND\b|鉴于|第一条")


@dataclass(frozen=True)
class DateMention:
    value: dt.date
    start: int
    end: int
    form: str


@dataclass(frozen=True)
class DateRoles:
    signing: tuple[Candidate[dt.date], ...]
    effective: tuple[Candidate[dt.date], ...]
    expiry: tuple[Candidate[dt.date], ...]


def find_dates(text: str) -> list[DateMention]:
    """Every well-formed date, in order; overlapping matches keep the earliest, longest one."""
    found: list[DateMention] = []
    for form, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match, form)
            if value is not None:
                found.append(DateMention(value, match.start(), match.end(), form))
    found.sort(key=lambda mention: (mention.start, -(mention.end - mention.start)))
    kept: list[DateMention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _to_date(match: re.Match[str], form: str) -> dt.date | None:
    year_text, month_text, day_text = match.group("year"), match.group("month"), match.group("day")
    if form == "zh-numeral":
        year = int("".join(str(CHINESE_DIGITS[char]) for char in year_text))
        month = parse_chinese_integer(month_text)
        day = parse_chinese_integer(day_text)
    elif form.startswith("en-"):
        year, month, day = int(year_text), _MONTHS[month_text[:3].lower()], int(day_text)
    else:
        year, month, day = int(year_text), int(month_text), int(day_text)
    if month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def add_years(start: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """*start* moved by whole years and months; 29 February falls back to the 28th."""
    month_index = start.month - 1 + months
    year = start.year + years + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def assign_roles(text: str, mentions: list[DateMention]) -> DateRoles:
    """Score each date for each role from the words around it; best candidates first."""
    lowered = text.lower()
    preamble_end = _preamble_end(text)
    roles: dict[str, list[Candidate[dt.date]]] = {"signing": [], "effective": [], "expiry": []}
    for index, mention in enumerate(mentions):
        left_limit = mentions[index - 1].end if index else 0
        right_limit = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        left, right = _windows(lowered, mention, left_limit, right_limit)
        scores = {
            "signing": max(_score_left(left, _SIGN_LEFT), _score_right(right, _SIGN_RIGHT)),
            "effective": max(_score_left(left, _EFFECTIVE_LEFT), _score_right(right, _EFFECTIVE_RIGHT)),
            "expiry": max(_score_left(left, _EXPIRY_LEFT), _score_right(right, _EXPIRY_RIGHT)),
        }
        if (
            index
            and mention.start - mentions[index - 1].end <= _RANGE_GAP
            and any(word in left for word in _RANGE_WORDS)
        ):
            scores["expiry"] = max(scores["expiry"], 0.6) + 0.2
        term_context = lowered[max(0, mention.start - 200) : mention.start]
        scores["expiry"] *= 1.2 if any(phrase in term_context for phrase in _TERM_CONTEXT) else 0.85
        in_preamble = mention.start < preamble_end
        if max(scores.values()) < 0.3 and in_preamble:
            scores["signing"] = 0.3
        position = 1.2 if in_preamble else 0.85
        other = 0.5 if any(phrase in left for phrase in _OTHER_DOCUMENT) else 1.0
        for role in ("signing", "effective"):
            scores[role] *= position * other
        trust = _FORM_TRUST[mention.form]
        evidence = line_at(text, mention.start, mention.end)
        for role, score in scores.items():
            if score >= 0.3:
                roles[role].append(
                    Candidate(mention.value, round(min(0.95, score * trust), 3), evidence, mention.start)
                )
    return DateRoles(*(tuple(_rank(roles[role])) for role in ("signing", "effective", "expiry")))


def _preamble_end(text: str) -> int:
    end = _PREAMBLE_END.search(text, 0, _PREAMBLE)
    return end.start() if end and end.start() > 200 else _PREAMBLE


def _windows(lowered: str, mention: DateMention, left_limit: int, right_limit: int) -> tuple[str, str]:
    left = lowered[max(left_limit, mention.start - _LEFT_WINDOW) : mention.start]
    boundaries = list(_BOUNDARY.finditer(left))
    if boundaries:
        left = left[boundaries[-1].end() :]
    right = lowered[mention.end : min(right_limit, mention.end + _RIGHT_WINDOW)]
    boundary = _BOUNDARY.search(right)
    if boundary:
        right = right[: boundary.start()]
    return " ".join(left.translate(_QUOTES).split()) + " ", " " + " ".join(right.translate(_QUOTES).split())


def _score_left(window: str, phrases: tuple[tuple[str, float], ...]) -> float:
    """Best phrase weight, discounted by how far before the date the phrase ends."""
    best = 0.0
    for phrase, weight in phrases:
        at = window.rfind(phrase)
        if at >= 0:
            distance = len(window) - (at + len(phrase))
            best = max(best, weight / (1 + distance / 25))
    return best


def _score_right(window: str, phrases: tuple[tuple[str, float], ...]) -> float:
    best = 0.0
    for phrase, weight in phrases:
        at = window.find(phrase)
        if at >= 0:
            best = max(best, weight / (1 + at / 15))
    return best


def _rank(candidates: list[Candidate[dt.date]]) -> list[Candidate[dt.date]]:
    """One candidate per date (the most confident, confidence raised when the date recurs), best first."""
    best: dict[dt.date, Candidate[dt.date]] = {}
    counts: dict[dt.date, int] = {}
    for candidate in candidates:
        counts[candidate.value] = counts.get(candidate.value, 0) + 1
        current = best.get(candidate.value)
        if current is None or candidate.confidence > current.confidence:
            best[candidate.value] = candidate
    ranked = [
        Candidate(c.value, round(min(0.99, c.confidence + 0.05 * (counts[c.value] - 1)), 3), c.evidence, c.start)
        for c in best.values()
    ]
    return sorted(ranked, key=lambda c: (-c.confidence, c.start))

"""Find query matches in raw text and cut short, HTML-safe snippets.

Matching happens on :func:`~indexer.text.analysis.normalize_for_match` text (so
``同等 法律效力`` split by a line break, or ``NDA`` vs ``nda``, still match) and is
mapped back to the raw text, so snippets are verbatim slices of the original:
no spaces are ever inserted between Chinese words. :func:`fold_line_breaks` is for
display: a page shows a snippet on one line.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .analysis import CJK_CLASS, fold_chars, is_word_char, normalize_for_match, normalize_with_map

__all__ = [
    "MatchSpec",
    "Snippets",
    "phrase_pattern",
    "phrase_matcher",
    "contains_phrase",
    "find_spans",
    "fold_line_breaks",
    "make_snippets",
    "only_marks",
    "edit_distance",
]

_W = rf"(?:(?![{CJK_CLASS}])[^\W_])"
_LATIN_WORD = re.compile(rf"{_W}+")
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_CHINESE = f"{CJK_CLASS}\u3000-\u303f\uff00-\uffef"
_TAGS = "((?:</?mark>)*)"
_BREAK_IN_CHINESE = re.compile(rf"(?<=[{_CHINESE}])[ \t]*{_TAGS}[ \t]*[\r\n\f\v]+\s*{_TAGS}(?=[{_CHINESE}])")
_BREAK = re.compile(r"[ \t]*[\r\n\f\v]+\s*")
_MARK_TAG = re.compile(f"({MARK_OPEN}|{MARK_CLOSE})")


@dataclass(frozen=True, slots=True)
class MatchSpec:
    """What to highlight. ``text`` is already normalised for matching.

    ``kind``: ``text`` (a word or phrase; word boundaries are required at an end
    that is a Latin/digit character), ``prefix`` (``confid*``: the whole word is
    marked) or ``fuzzy`` (Latin words within ``distance`` edits)."""

    kind: Literal["text", "prefix", "fuzzy"]
    text: str
    distance: int = 0


@dataclass(frozen=True, slots=True)
class Snippets:
    fragments: tuple[str, ...]
    page: int | None


def _whitespace_tolerant(norm: str) -> str:
    """Regex body for ``norm`` in text that still has the whitespace
    :func:`normalize_for_match` removes: optional whitespace between two
    characters unless both are Latin/digit (one word), and at least one
    whitespace character for each space ``norm`` kept (between two words)."""
    pieces: list[str] = []
    prev = ""
    for ch in norm:
        if ch == " ":
            pieces.append(r"\s+")
        else:
            if prev and prev != " " and not (is_word_char(prev) and is_word_char(ch)):
                pieces.append(r"\s*")
            pieces.append(re.escape(ch))
        prev = ch
    return "".join(pieces)


@lru_cache(maxsize=256)
def phrase_pattern(norm: str, *, prefix: bool = False, spaced: bool = False) -> re.Pattern[str]:
    """Regex for a normalised word/phrase with boundaries where they matter;
    ``spaced`` matches it in folded text whose whitespace was kept."""
    body = _whitespace_tolerant(norm) if spaced else re.escape(norm)
    if norm and is_word_char(norm[0]):
        # the boundary is checked after the first character, so that the pattern starts
        # with a literal, which the regex engine finds by a fast scan
        first = re.escape(norm[0])
        body = rf"{first}(?<!{_W}{first})" + body[len(first) :]
    if prefix and spaced and norm and not is_word_char(norm[-1]):
        body += rf"(?:\s*{_W}+)?"  # normalisation joins a word that follows whitespace here
    elif prefix:
        body += rf"{_W}*"
    elif norm and is_word_char(norm[-1]):
        body += rf"(?!{_W})"
    return re.compile(body)


def phrase_matcher(norm_phrase: str) -> Callable[[str], bool]:
    """A reusable :func:`contains_phrase` for one phrase (checks thousands of
    candidate texts per query): a plain substring test unless an end of the
    phrase is a Latin/digit character and needs a word boundary."""
    if not norm_phrase:
        return lambda text: False
    if not (is_word_char(norm_phrase[0]) or is_word_char(norm_phrase[-1])):
        return lambda text: norm_phrase in text
    pattern = phrase_pattern(norm_phrase)
    return lambda text: norm_phrase in text and pattern.search(text) is not None


def contains_phrase(norm_text: str, norm_phrase: str) -> bool:
    """Substring test used to confirm phrase candidates (both sides normalised
    with :func:`normalize_for_match`)."""
    return phrase_matcher(norm_phrase)(norm_text)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-style (adjacent transposition = 1) distance, capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def find_spans(norm: str, specs: Iterable[MatchSpec], *, spaced: bool = False) -> list[tuple[int, int, int]]:
    """``(start, end, spec_index)`` of every match in normalised text (or, with
    ``spaced``, in :func:`~indexer.text.analysis.fold_chars` text)."""
    spans: list[tuple[int, int, int]] = []
    for k, spec in enumerate(specs):
        if not spec.text:
            continue
        if spec.kind == "fuzzy":
            for m in _LATIN_WORD.finditer(norm):
                if edit_distance(m.group(), spec.text, spec.distance) <= spec.distance:
                    spans.append((m.start(), m.end(), k))
            continue
        if (spec.text[0] if spaced else spec.text) not in norm:
            continue
        for m in phrase_pattern(spec.text, prefix=spec.kind == "prefix", spaced=spaced).finditer(norm):
            if m.end() > m.start():
                spans.append((m.start(), m.end(), k))
    spans.sort()
    return spans


def _matches_in_raw(raw: str, specs: Sequence[MatchSpec]) -> list[tuple[int, int, int]]:
    folded = fold_chars(raw)
    if folded is not None:  # same offsets as raw: match with whitespace-tolerant patterns
        return find_spans(folded, specs, spaced=True)
    norm, index = normalize_with_map(raw)
    return [(index[s], index[e - 1] + 1, k) for s, e, k in find_spans(norm, specs)]


def _raw_spans(raw: str, specs: Sequence[MatchSpec]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for rs, re_, k in _matches_in_raw(raw, specs):
        if out and rs <= out[-1][1]:  # overlapping or adjacent: extend the previous mark
            ps, pe, pk = out[-1]
            out[-1] = (ps, max(pe, re_), pk)
        else:
            out.append((rs, re_, k))
    return out


def _choose_windows(spans: list[tuple[int, int, int]], size: int, width: int, count: int) -> list[tuple[int, int]]:
    """Greedy: first the earliest match of every distinct term, then the rest."""
    firsts: dict[int, int] = {}
    for i, sp in enumerate(spans):
        firsts.setdefault(sp[2], i)
    first_set = set(firsts.values())
    order = sorted(range(len(spans)), key=lambda i: (i not in first_set, i))
    windows: list[tuple[int, int]] = []
    for i in order:
        if len(windows) >= count:
            break
        s, e, _ = spans[i]
        if any(ws <= s and e <= we for ws, we in windows):
            continue
        start = max(0, min(s - width // 4, size - width))
        end = min(size, max(start + width, e))
        if any(start < we and ws < end for ws, we in windows):
            continue
        windows.append((start, end))
    return sorted(windows)


def _render(raw: str, window: tuple[int, int], spans: list[tuple[int, int, int]]) -> str:
    start, end = window
    parts: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(raw[pos:s]))
        parts.append(MARK_OPEN + html.escape(raw[s:e]) + MARK_CLOSE)
        pos = e
    parts.append(html.escape(raw[pos:end]))
    parts.append("…" if end < len(raw) else "")
    return "".join(parts)


def fold_line_breaks(snippet: str) -> str:
    """A snippet's line and page breaks as a reader wants them on one line: dropped between
    Chinese characters (a PDF wraps Chinese lines mid-word), one space elsewhere."""
    return _BREAK.sub(" ", _BREAK_IN_CHINESE.sub(r"\1\2", snippet))


def only_marks(snippet: str) -> str:
    """``snippet`` as HTML in which ``<mark>``/``</mark>`` are the only tags: every other
    character is escaped, whether the engine escaped it already or not (``&lt;`` stays
    ``&lt;``, a raw ``<img onerror=…>`` becomes text). Pages render snippets through this, so
    contract text can never become markup even if an engine returns unescaped fragments."""
    parts = _MARK_TAG.split(snippet)
    return "".join(part if part in (MARK_OPEN, MARK_CLOSE) else html.escape(html.unescape(part)) for part in parts)


def page_of(offset: int, page_offsets: Sequence[int]) -> int | None:
    if not page_offsets:
        return None
    return max(1, bisect.bisect_right(page_offsets, offset))


def make_snippets(
    raw: str, specs: Sequence[MatchSpec], page_offsets: Sequence[int] = (), *, width: int = 120, count: int = 3
) -> Snippets:
    """Up to ``count`` fragments of about ``width`` characters around matches,
    matches wrapped in ``<mark>``, everything else HTML-escaped; plus the
    1-based page of the first match."""
    spans = _raw_spans(raw, specs) if specs else []
    if not spans:
        return Snippets((), None)
    windows = _choose_windows(spans, len(raw), width, count)
    return Snippets(tuple(_render(raw, w, spans) for w in windows), page_of(spans[0][0], page_offsets))


def normalized(text: str) -> str:
    """Alias kept next to the matcher for callers building :class:`MatchSpec`."""
    return normalize_for_match(text)

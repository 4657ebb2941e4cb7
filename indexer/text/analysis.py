"""Token streams with positions, CJK bigrams and the text normalisation shared by
indexing, querying, phrase confirmation and highlighting.

Every search engine receives the tokens produced here (pre-segmented), so all of
them see exactly the same terms at exactly the same positions:

* **words**: NFKC-normalised, lower-cased. Accurate-mode Chinese words are
  numbered sequentially; search-mode sub-words (委员 inside 委员会) share their
  parent's position; Latin/digit words are single tokens; a run of punctuation
  emits nothing but advances the position by one, so no phrase matches across
  it; whitespace neither emits nor advances.
* **bigrams**: overlapping character bigrams inside each run of CJK characters
  (a run of one character emits that character). Whitespace between two CJK
  characters is removed first (PDF extraction often inserts it), and runs are
  separated by a position gap. A phrase query over bigrams is therefore an
  exact substring test for any Chinese phrase of two or more characters.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .segment import segment_run

__all__ = [
    "CJK_CLASS", "Analysis", "analyze", "analyze_sections", "normalize", "normalize_for_match",
    "normalize_with_map", "is_cjk", "is_word_char", "bigrams_of", "query_words", "SECTION_GAP",
]

#: Han ideographs (basic, extension A, compatibility, extensions B+).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = f"[{CJK_CLASS}]"
_CJK_RE = re.compile(_CJK)
_TOKEN_RE = re.compile(
    rf"(?P<cjk>{_CJK}+)"
    rf"|(?P<word>(?:(?!{_CJK})[^\W_])+)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>(?:[^\w\s]|_)+)"
)
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_WORDCHAR_RE = re.compile(rf"(?:(?!{_CJK})[^\W_])")
_SPACES = re.compile(r"\s+")
#: Positions left empty between two sections of a multi-valued field.
SECTION_GAP = 8


def is_cjk(ch: str) -> bool:
    return _CJK_RE.match(ch) is not None


def is_word_char(ch: str) -> bool:
    """A letter or digit that is not a Han character (Latin, digits, kana …)."""
    return _WORDCHAR_RE.match(ch) is not None


def normalize(text: str) -> str:
    """NFKC, lower case, no whitespace between two Han characters."""
    return _SPACE_BETWEEN_CJK.sub("", unicodedata.normalize("NFKC", text).lower())


def _collapse_spaces(text: str) -> str:
    """Drop whitespace except a single space between two word characters."""
    def repl(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        if 0 < start and end < len(text) and is_word_char(text[start - 1]) and is_word_char(text[end]):
            return " "
        return ""
    return _SPACES.sub(repl, text)


def normalize_for_match(text: str) -> str:
    """The form in which phrases are compared: whitespace-insensitive (a single
    space is kept only between two Latin/digit characters, so ``payment terms``
    stays two words) and case-insensitive."""
    return _collapse_spaces(unicodedata.normalize("NFKC", text).lower())


_CHAR_FORMS: dict[str, str] = {}


def _char_form(ch: str) -> str:
    form = _CHAR_FORMS.get(ch)
    if form is None:
        form = _CHAR_FORMS[ch] = unicodedata.normalize("NFKC", ch).lower()
    return form


def _per_char(text: str) -> tuple[str, list[int]]:
    """NFKC + lower case, character by character, with each output's source index."""
    distinct = set(text)
    forms = {ch: _char_form(ch) for ch in distinct}
    if all(len(f) == 1 for f in forms.values()) and not any(unicodedata.combining(c) for c in distinct):
        # One character in, one out (the usual case): translate in C, identity map.
        table = {ord(c): f for c, f in forms.items() if f != c}
        return text.translate(table), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for out in forms[ch]:
            chars.append(out)
            index.append(i)
    return "".join(chars), index


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """:func:`normalize_for_match` with the index in ``text`` of every output
    character (for highlighting the raw text)."""
    flat, index = _per_char(text)
    pieces: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in _SPACES.finditer(flat):
        start, end = m.start(), m.end()
        pieces.append(flat[pos:start])
        out_index.extend(index[pos:start])
        if 0 < start and end < len(flat) and is_word_char(flat[start - 1]) and is_word_char(flat[end]):
            pieces.append(" ")
            out_index.append(index[start])
        pos = end
    pieces.append(flat[pos:])
    out_index.extend(index[pos:])
    return "".join(pieces), out_index


def bigrams_of(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run; a single character stands for itself."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Tokens and positions of one field (possibly several sections)."""

    words: tuple[str, ...]
    word_positions: tuple[int, ...]
    bigrams: tuple[str, ...]
    bigram_positions: tuple[int, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        """Compact pickling (one string and one int array per stream): analysis
        results cross process boundaries in :func:`parallel_segment`, and
        unpickling thousands of tiny strings would cost more than segmenting."""
        return (_unpack, (_SEP.join(self.words), array("i", self.word_positions).tobytes(),
                          _SEP.join(self.bigrams), array("i", self.bigram_positions).tobytes()))


_SEP = "\x1e"


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEP)) if joined else ()


def _ints(packed: bytes) -> tuple[int, ...]:
    return tuple(array("i", packed))


def _unpack(words: str, word_pos: bytes, bigrams: str, bigram_pos: bytes) -> Analysis:
    return Analysis(_split(words), _ints(word_pos), _split(bigrams), _ints(bigram_pos))


class _Builder:
    def __init__(self) -> None:
        self.words: list[str] = []
        self.word_pos: list[int] = []
        self.bigrams: list[str] = []
        self.bigram_pos: list[int] = []
        self.wp = 0
        self.bp = 0

    def add(self, text: str) -> None:
        for m in _TOKEN_RE.finditer(normalize(text)):
            kind = m.lastgroup
            if kind == "cjk":
                self._add_cjk(m.group())
            elif kind == "word":
                self.words.append(m.group())
                self.word_pos.append(self.wp)
                self.wp += 1
            elif kind == "punct":
                self.wp += 1
                self.bp += 1

    def _add_cjk(self, run: str) -> None:
        for seg in segment_run(run):
            self.words.append(seg.word)
            self.word_pos.append(self.wp)
            for sub in seg.subwords:
                self.words.append(sub)
                self.word_pos.append(self.wp)
            self.wp += 1
        grams = bigrams_of(run)
        self.bigrams.extend(grams)
        self.bigram_pos.extend(range(self.bp, self.bp + len(grams)))
        self.bp += len(grams) + 1

    def gap(self) -> None:
        self.wp += SECTION_GAP
        self.bp += SECTION_GAP

    def build(self) -> Analysis:
        return Analysis(tuple(self.words), tuple(self.word_pos), tuple(self.bigrams),
                        tuple(self.bigram_pos))


def analyze(text: str) -> Analysis:
    return analyze_sections((text,))


def analyze_sections(sections: Sequence[str]) -> Analysis:
    """Analyse several values as one field with a position gap between them, so
    phrases never match across two values (two counterparties, title and body)."""
    builder = _Builder()
    for i, section in enumerate(sections):
        if i:
            builder.gap()
        builder.add(section)
    return builder.build()


def query_words(text: str) -> Iterator[tuple[str, str]]:
    """Split a bare query word into ``(kind, token)`` pairs: ``("cjk", word)`` for
    each accurate-mode Chinese word, ``("word", w)`` for Latin/digit words.
    Punctuation is dropped (the parts are ANDed by the caller)."""
    for m in _TOKEN_RE.finditer(normalize(text)):
        if m.lastgroup == "cjk":
            for seg in segment_run(m.group()):
                yield "cjk", seg.word
        elif m.lastgroup == "word":
            yield "word", m.group()


def phrase_parts(text: str) -> list[tuple[str, list[str]]]:
    """Split a phrase into maximal parts that an engine can match exactly:
    ``("cjk", [run])`` for each Han run and ``("words", [w1, w2 …])`` for each
    sequence of Latin/digit words not interrupted by punctuation or Han."""
    parts: list[tuple[str, list[str]]] = []
    current: list[str] = []
    for m in _TOKEN_RE.finditer(normalize(text)):
        kind = m.lastgroup
        if kind == "word":
            current.append(m.group())
            continue
        if kind == "space":
            continue
        if current:
            parts.append(("words", current))
            current = []
        if kind == "cjk":
            parts.append(("cjk", [m.group()]))
    if current:
        parts.append(("words", current))
    return parts


def phrase_is_exact(text: str) -> bool:
    """True when a phrase is a single part (only Han, at least two characters,
    or only Latin/digit words separated by whitespace): then the engine's
    phrase query over bigrams or words already equals the substring test."""
    norm = normalize_for_match(text)
    parts = phrase_parts(text)
    if len(parts) != 1:
        return False
    kind, tokens = parts[0]
    if kind == "cjk":
        return len(tokens[0]) >= 2 and tokens[0] == norm
    return " ".join(tokens) == norm

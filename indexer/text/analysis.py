"""Token streams with positions, CJK bigrams and the text normalisation shared by
indexing, querying, phrase confirmation and highlighting.

Every search engine receives the tokens produced here (pre-segmented, as
space-separated streams: see :class:`Analysis`), so all of them see exactly the
same terms at exactly the same positions:

* **words**: NFKC-normalised, lower-cased. Accurate-mode Chinese words and
  Latin/digit words are numbered sequentially; a run of punctuation (or a
  section break) takes one position and emits no token, so no phrase matches
  across it; whitespace neither emits nor advances. Search-mode sub-words
  (委员 inside 委员会) are kept beside the words for term queries; phrases never
  need them, since a Chinese phrase is matched on bigrams.
* **bigrams**: overlapping character bigrams inside each run of CJK characters
  (a run of one character emits that character). Whitespace between two CJK
  characters is removed first (PDF extraction often inserts it), and runs are
  separated by a position gap. A phrase query over bigrams is therefore an
  exact substring test for any Chinese phrase of two or more characters.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from .foldtable import changed_ranges
from .segment import RUN_BREAK, cut_runs, segment_run, subwords

__all__ = [
    "CJK_CLASS",
    "Analysis",
    "analyze",
    "analyze_sections",
    "normalize",
    "normalize_for_match",
    "normalize_with_map",
    "fold_chars",
    "is_cjk",
    "is_word_char",
    "bigrams_of",
    "query_words",
    "positions",
    "GAP",
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
_CJK_SPLIT = re.compile(f"({_CJK}+)")
_PUNCT_RE = re.compile(r"(?:[^\w\s]|_)+")
#: Stands for a position without a token (never a token itself: ``_`` is punctuation).
GAP = "_"


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


class _OneToOneFolds(dict[int, str]):
    """``str.translate`` table of every character met so far: its NFKC + lower
    case form when that is one character, else two characters (a form of another
    length, or a combining mark, which composes with its neighbour under
    whole-string NFKC), so that the translated text's length gives it away."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        form = _char_form(ch)
        value = form if len(form) == 1 and not unicodedata.combining(ch) else "\0\0"
        self[code] = value
        return value


_FOLDS = _OneToOneFolds()


def _changed_class() -> re.Pattern[str] | None:
    """A class of the changed characters of the Basic Multilingual Plane (the regex engine
    tests such a class with a bitmap; with astral ranges in it, range by range)."""
    ranges = changed_ranges()
    if ranges is None:
        return None
    bmp = [(a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF]
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in bmp)
    return re.compile(f"[{body}]")


#: The BMP characters folding changes (None under another Unicode version).
_CHANGED = _changed_class()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def fold_chars(text: str) -> str | None:
    """NFKC + lower case character by character, when every character becomes
    exactly one (the usual case; offsets then stay those of ``text``), else None.

    Only the distinct characters that change are looked up and replaced (ASCII text is just
    lower-cased): a snippet folds each hit's whole text, and a lookup per character made
    that about 6× slower."""
    if text.isascii():
        return text.lower()
    folded = _fold_changed(text)
    if folded is None:
        folded = text.translate(_FOLDS)
    return folded if len(folded) == len(text) else None


def _fold_changed(text: str) -> str | None:
    """``text`` with each changed character replaced, or None where that shortcut does not
    apply (astral characters, another Unicode version, a fold that changes again)."""
    if _CHANGED is None or _ASTRAL.search(text):
        return None
    for ch in set(_CHANGED.findall(text)):
        form = _FOLDS[ord(ch)]
        if _CHANGED.match(form):  # replacing in turn would fold it twice
            return None
        text = text.replace(ch, form)
    return text


def _per_char(text: str) -> tuple[str, list[int]]:
    """NFKC + lower case, character by character, with each output's source index."""
    folded = fold_chars(text)
    if folded is not None:
        return folded, list(range(len(text)))
    forms = {ch: _char_form(ch) for ch in set(text)}
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
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Tokens of one field (possibly several sections) as space-separated streams.

    Strings rather than token lists: building, pickling (across the process pool
    of :func:`~indexer.search.parallel.parallel_segment`) and handing them to an
    engine's whitespace tokenizer costs a few C-level passes instead of a Python
    step per token. In ``words`` and ``bigrams`` a token's position is its index
    in the stream; ``GAP`` marks a position that holds no token.
    """

    #: Accurate-mode words in text order, ``GAP`` for punctuation and section breaks.
    words: str
    #: Search-mode sub-words of the Chinese words, once per occurrence (no positions).
    subwords: str
    #: Bigrams of each CJK run, ``GAP`` between runs.
    bigrams: str

    def word_field(self) -> str:
        """What a positional word field indexes: the words, then (after a gap, so
        no phrase reaches them) the sub-words, which term queries must find."""
        return f"{self.words} {GAP} {self.subwords}" if self.subwords else self.words

    def word_terms(self) -> list[str]:
        """Every word and sub-word occurrence (for frequency-only fields)."""
        return [t for t in self.word_field().split() if t != GAP]

    def bigram_terms(self) -> list[str]:
        return [t for t in self.bigrams.split() if t != GAP]


def positions(stream: str) -> list[tuple[str, int]]:
    """``(token, position)`` pairs of a stream of :class:`Analysis`."""
    return [(t, i) for i, t in enumerate(stream.split()) if t != GAP]


def _bigram_stream(runs: Sequence[str]) -> str:
    pairs = (" ".join(map(operator.add, run, run[1:])) if len(run) > 1 else run for run in runs)
    return f" {GAP} ".join(pairs)


def _analyze_one(text: str) -> Analysis:
    norm = normalize(text)
    # Punctuation first (so no control character survives to act as a separator),
    # then each CJK run is replaced by its words; str.split() drops whitespace.
    parts = _CJK_SPLIT.split(_PUNCT_RE.sub(f" {GAP} ", norm))
    runs = parts[1::2]
    if not runs:
        return Analysis(" ".join(parts[0].split()), "", "")
    tokens = cut_runs(runs)
    segmented = " ".join(tokens).split(f" {RUN_BREAK} ")
    if len(segmented) != len(runs):  # a segmenter that merged or split a run break
        raise RuntimeError("the segmenter did not keep run boundaries")
    parts[1::2] = segmented
    words = " ".join(" ".join(parts).split())
    subs = " ".join(chain.from_iterable(map(subwords, tokens)))
    return Analysis(words, subs, _bigram_stream(runs))


def analyze(text: str) -> Analysis:
    return _analyze_one(text)


def analyze_sections(sections: Sequence[str]) -> Analysis:
    """Analyse several values as one field with a gap between them, so phrases
    never match across two values (two counterparties, title and body)."""
    if len(sections) == 1:
        return _analyze_one(sections[0])
    parts = [_analyze_one(s) for s in sections]
    sep = f" {GAP} "
    return Analysis(
        sep.join(p.words for p in parts),
        " ".join(p.subwords for p in parts if p.subwords),
        sep.join(p.bigrams for p in parts),
    )


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

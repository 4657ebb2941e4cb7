"""Chinese word segmentation: lazy, thread-safe, batched, with sub-words for recall.

Two interchangeable segmenters are supported:

* ``rjieba`` (jieba-rs bindings, Rust): about 9x faster than jieba and, on the
  Chinese model contracts in the shared corpus, identical on every run of CJK
  characters (the two differ only on Latin/digit runs, which Pactum never hands
  to the segmenter; see ``bench/search``).
* ``jieba`` (pure Python): the reference implementation, used when rjieba is
  not installed or when ``PACTUM_SEGMENTER=jieba``.

Both segment in accurate mode. Sub-words follow jieba's search-mode rule: the
dictionary words among the 2-character slices of a word longer than two
characters and the 3-character slices of a word longer than three (委员 and
员会 inside 委员会). They depend on the word alone, so they are memoised.

A document is segmented in one call: its CJK runs joined by ``RUN_BREAK``,
which both segmenters treat as a block boundary (a run is segmented exactly as
on its own) and return as a token of its own.

The dictionary is loaded on first use (jieba needs about a second for it), once,
under a lock, so importing this module is cheap and threads may segment at once.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["SegmentedWord", "RUN_BREAK", "cut_runs", "segment_run", "subwords", "segmenter_name", "cut_words"]

#: Separates CJK runs handed to the segmenter together; comes back as a token.
RUN_BREAK = "\n"


@dataclass(frozen=True, slots=True)
class _Segmenter:
    name: str
    cut: Callable[[str], list[str]]
    is_word: Callable[[str], bool]


_lock = threading.Lock()
_state: dict[str, _Segmenter] = {}


@dataclass(frozen=True, slots=True)
class SegmentedWord:
    """A word of the accurate segmentation and the dictionary words inside it."""

    word: str
    subwords: tuple[str, ...]


def _load_rjieba() -> _Segmenter:
    import rjieba

    return _Segmenter("rjieba", rjieba.cut, rjieba.has_word)


def _load_jieba() -> _Segmenter:
    # jieba 0.42 has regex literals with invalid escapes: a fresh byte-compile
    # warns, and our test run turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    freq = jieba.dt.FREQ  # holds every prefix of a word too, with frequency 0

    def is_word(text: str) -> bool:
        return bool(freq.get(text))

    return _Segmenter("jieba", jieba.lcut, is_word)


def _choose() -> _Segmenter:
    wanted = os.environ.get("PACTUM_SEGMENTER", "").strip().lower()
    if wanted != "jieba":
        try:
            return _load_rjieba()
        except ImportError:
            if wanted == "rjieba":
                raise
    return _load_jieba()


def _segmenter() -> _Segmenter:
    loaded = _state.get("impl")
    if loaded is None:
        with _lock:
            loaded = _state.get("impl")
            if loaded is None:
                loaded = _choose()
                _state["impl"] = loaded
    return loaded


def segmenter_name() -> str:
    """``"rjieba"`` or ``"jieba"`` (loads the segmenter)."""
    return _segmenter().name


@lru_cache(maxsize=1 << 18)
def subwords(word: str) -> tuple[str, ...]:
    """Dictionary words strictly inside ``word`` (jieba's search-mode rule).

    Memoised: a document repeats its words, and the answer is a pure function
    of the word and the dictionary."""
    n = len(word)
    if n <= 2:
        return ()
    is_word = _segmenter().is_word
    grams = [word[i : i + 2] for i in range(n - 1)]
    if n > 3:
        grams += [word[i : i + 3] for i in range(n - 2)]
    return tuple(dict.fromkeys(g for g in grams if is_word(g)))


def cut_runs(runs: Sequence[str]) -> list[str]:
    """Accurate-mode words of several CJK runs (no spaces, no punctuation) in one
    segmenter call, with a ``RUN_BREAK`` token between the runs' words."""
    if not runs:
        return []
    return _segmenter().cut(RUN_BREAK.join(runs))


def segment_run(run: str) -> list[SegmentedWord]:
    """Segment one run of CJK characters into words with their sub-words."""
    return [SegmentedWord(w, subwords(w)) for w in _segmenter().cut(run)]


def cut_words(run: str) -> list[str]:
    """The accurate-mode words of a CJK run."""
    return _segmenter().cut(run)

"""Chinese word segmentation: lazy, thread-safe, with sub-words for recall.

Two interchangeable segmenters are supported:

* ``rjieba`` (jieba-rs bindings, Rust): about 9x faster than jieba and, on the
  Chinese model contracts in the shared corpus, identical on every run of CJK
  characters (the two differ only on Latin/digit runs, which Pactum never hands
  to the segmenter; see ``bench/search``).
* ``jieba`` (pure Python): the reference implementation, used when rjieba is
  not installed or when ``PACTUM_SEGMENTER=jieba``.

The dictionary is loaded on first use (jieba needs about a second for it), once,
under a lock, so importing this module is cheap and threads may segment at once.
"""
from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SegmentedWord", "segment_run", "segmenter_name", "cut_words"]

#: (word, start, end) in characters of the run, like ``jieba.tokenize``.
_Span = tuple[str, int, int]
_Tokenize = Callable[[str], list[_Span]]

_lock = threading.Lock()
_state: dict[str, tuple[str, _Tokenize]] = {}


@dataclass(frozen=True, slots=True)
class SegmentedWord:
    """A word of the accurate segmentation and the dictionary words inside it."""

    word: str
    subwords: tuple[str, ...]


def _load_rjieba() -> _Tokenize:
    import rjieba

    def tokenize(run: str) -> list[_Span]:
        return [(w, int(s), int(e)) for w, s, e in rjieba.tokenize(run, mode="search")]

    return tokenize


def _load_jieba() -> _Tokenize:
    # jieba 0.42 has regex literals with invalid escapes: a fresh byte-compile
    # warns, and our test run turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()

    def tokenize(run: str) -> list[_Span]:
        return [(w, int(s), int(e)) for w, s, e in jieba.tokenize(run, mode="search")]

    return tokenize


def _choose() -> tuple[str, _Tokenize]:
    wanted = os.environ.get("PACTUM_SEGMENTER", "").strip().lower()
    if wanted != "jieba":
        try:
            return "rjieba", _load_rjieba()
        except ImportError:
            if wanted == "rjieba":
                raise
    return "jieba", _load_jieba()


def _segmenter() -> tuple[str, _Tokenize]:
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
    return _segmenter()[0]


def segment_run(run: str) -> list[SegmentedWord]:
    """Segment a run of CJK characters (no spaces, no punctuation).

    Search mode yields the accurate words plus dictionary words strictly inside
    them (委员 and 员会 inside 委员会). Accurate words partition the run, so a
    span not contained in an earlier, longer span is a parent word.
    """
    spans = sorted(_segmenter()[1](run), key=lambda s: (s[1], -s[2]))
    words: list[SegmentedWord] = []
    parent: _Span | None = None
    subs: list[str] = []
    for span in spans:
        if parent is not None and span[2] <= parent[2]:
            if span[0] != parent[0] and span[0] not in subs:
                subs.append(span[0])
            continue
        if parent is not None:
            words.append(SegmentedWord(parent[0], tuple(subs)))
        parent, subs = span, []
    if parent is not None:
        words.append(SegmentedWord(parent[0], tuple(subs)))
    return words


def cut_words(run: str) -> list[str]:
    """The accurate-mode words of a CJK run."""
    return [w.word for w in segment_run(run)]

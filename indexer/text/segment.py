"""Chinese word segmentation: lazy, thread-safe, batched, with sub-words for recall.

Two interchangeable segmenters are supported:

* ``rjieba`` (jieba-rs bindings, Rust): about 9x faster than jieba and, on the
  Chinese model contracts in the shared corpus, identical on every run of CJK
  characters (the two differ only on Latin/digit runs, which Pactum never hands
  to the segmenter; see ``bench/search``).
* ``jieba`` (pure Python): the reference implementation, the alternative.

rjieba is the default; :func:`use_segmenter` chooses for the whole process (the app passes its
``segmenter`` setting when it opens the search backend, and
:func:`~indexer.search.parallel.parallel_segment` hands the choice to its worker processes),
since indexing and queries must cut words alike.

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
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DEFAULT_SEGMENTER",
    "RUN_BREAK",
    "SEGMENTERS",
    "SegmentedWord",
    "cut_runs",
    "cut_words",
    "segment_run",
    "segmenter_name",
    "subwords",
    "use_segmenter",
]

#: Separates CJK runs handed to the segmenter together; comes back as a token.
RUN_BREAK = "\n"


@dataclass(frozen=True, slots=True)
class _Segmenter:
    name: str
    cut: Callable[[str], list[str]]
    is_word: Callable[[str], bool]


@dataclass(slots=True)
class _Choice:
    """This process's segmenter: its name, and the segmenter once loaded."""

    name: str
    loaded: _Segmenter | None = None


_lock = threading.Lock()


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


_LOADERS: dict[str, Callable[[], _Segmenter]] = {"rjieba": _load_rjieba, "jieba": _load_jieba}
#: The segmenters one may choose, the default first.
SEGMENTERS: tuple[str, ...] = tuple(_LOADERS)
DEFAULT_SEGMENTER = "rjieba"
_choice = _Choice(DEFAULT_SEGMENTER)


def use_segmenter(name: str) -> None:
    """Segment with ``name`` (one of :data:`SEGMENTERS`) in this process from now on.

    The segmenter is loaded on first use. Choosing another than the one loaded drops it and
    the memoised sub-words; since an index must be queried with the segmenter that built it,
    a process normally chooses once, at start.
    """
    if name not in _LOADERS:
        raise ValueError(f"unknown segmenter {name!r}: choose one of {', '.join(SEGMENTERS)}")
    with _lock:
        if name != _choice.name:
            _choice.name = name
            _choice.loaded = None
            subwords.cache_clear()


def _segmenter() -> _Segmenter:
    loaded = _choice.loaded
    if loaded is None:
        with _lock:
            if _choice.loaded is None:
                _choice.loaded = _LOADERS[_choice.name]()
            loaded = _choice.loaded
    return loaded


def segmenter_name() -> str:
    """The name of this process's segmenter (``"rjieba"`` or ``"jieba"``)."""
    return _choice.name


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

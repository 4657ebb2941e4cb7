"""Whoosh field types and analyzers for pre-analysed values.

Whoosh pickles the schema, including these classes, into the index, so they
live in this importable module, hold no state, and must keep their names.
Text never reaches Whoosh raw: :mod:`indexer.text` already segmented it (jieba's
own ``ChineseAnalyzer`` would number tokens by character offset, which breaks
phrase queries; Pactum confirms phrases on the normalised text instead, so
Whoosh needs frequencies only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

__all__ = ["CountedText", "ValuesTokenizer"]

_ITEM = "\x1e"


class ValuesTokenizer(Tokenizer):  # type: ignore[misc]
    """Splits a ``\\x1e``-joined string into tokens, one per value."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not value:
            return
        for i, text in enumerate(value.split(_ITEM) if tokenize else [value]):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + i
            if chars:
                token.startchar = token.endchar = start_char
            yield token


class CountedText(fields.TEXT):  # type: ignore[misc]
    """A frequency-only text field fed already-analysed tokens.

    ``index()`` receives the token sequence itself and counts it in C, instead
    of Whoosh running an analyzer and counting token objects in Python (the
    largest cost of Whoosh indexing)."""

    def __init__(self) -> None:
        super().__init__(analyzer=ValuesTokenizer(), phrase=False)

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        tokens = value.split(_ITEM) if isinstance(value, str) else value
        counts = Counter(tokens)
        return [(w.encode("utf-8"), n, float(n), pack_uint(n)) for w, n in counts.items()]

"""Finding a quoted passage in a version's extracted text.

A selection in the PDF preview comes from pdf.js's text layer, whose line breaks and spaces
rarely match the extracted text's; both are therefore compared without white space, after NFKC
folding and lower-casing, and the match is mapped back to offsets in the stored text.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    #: 1-based page of ``start``.
    page: int


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, folded, and each kept character's index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        for part in unicodedata.normalize("NFKC", character).lower():
            if not part.isspace():
                chars.append(part)
                origin.append(index)
    return "".join(chars), origin


def page_of(offset: int, page_offsets: Sequence[int]) -> int:
    """The 1-based page holding ``offset`` (page ``n`` starts at ``page_offsets[n - 1]``)."""
    return max(1, bisect_right(list(page_offsets), offset)) if page_offsets else 1


def locate(text: str, quote: str, page_offsets: Sequence[int], page_hint: int | None = None) -> Anchor | None:
    """Where ``quote`` occurs in ``text``: the occurrence on ``page_hint`` if there is one, else
    the first; None when it does not occur."""
    needle, _ = _fold(quote)
    if not needle:
        return None
    haystack, origin = _fold(text)
    found: list[Anchor] = []
    at = haystack.find(needle)
    while at != -1:
        start, end = origin[at], origin[at + len(needle) - 1] + 1
        anchor = Anchor(start, end, page_of(start, page_offsets))
        if page_hint is None or anchor.page == page_hint:
            return anchor
        found.append(anchor)
        at = haystack.find(needle, at + 1)
    return found[0] if found else None

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


class Folded:
    """A text without white space, NFKC-folded and lower-cased, with each kept character's index
    in the original. Built once per text: a new version's text is searched for every thread."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for index, character in enumerate(text):
            # Characters NFKC leaves alone (most of a contract) skip the per-character normalisation.
            parts = (
                character if unicodedata.is_normalized("NFKC", character) else unicodedata.normalize("NFKC", character)
            )
            for part in parts.lower():
                if not part.isspace():
                    chars.append(part)
                    origin.append(index)
        self.text = "".join(chars)
        self.origin = origin


def page_of(offset: int, page_offsets: Sequence[int]) -> int:
    """The 1-based page holding ``offset`` (page ``n`` starts at ``page_offsets[n - 1]``)."""
    return max(1, bisect_right(list(page_offsets), offset)) if page_offsets else 1


def locate(text: str | Folded, quote: str, page_offsets: Sequence[int], page_hint: int | None = None) -> Anchor | None:
    """Where ``quote`` occurs in ``text``: the occurrence on ``page_hint`` if there is one, else
    the first; None when it does not occur."""
    needle = Folded(quote).text
    if not needle:
        return None
    folded = text if isinstance(text, Folded) else Folded(text)
    haystack, origin = folded.text, folded.origin
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

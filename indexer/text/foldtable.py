"""Which characters :func:`~indexer.text.analysis.fold_chars` changes, as regex class ranges.

Every other character folds to itself (NFKC and lower case leave it alone and it is no
combining mark), so a text can be folded by replacing only the characters this class
matches instead of looking every character up. The ranges depend on the Unicode version of
``unicodedata``; they were generated for :data:`UNIDATA_VERSION` by running this module::

    python -m indexer.text.foldtable > ranges.txt

and ``tests/indexer/search/test_text.py`` checks them against the running Python. Under
another Unicode version, :func:`~indexer.text.analysis.fold_chars` looks every character up.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["UNIDATA_VERSION", "changed_ranges", "compute_ranges"]

UNIDATA_VERSION = "14.0.0"
_FILE = Path(__file__).with_name("foldtable.txt")


def _changes(code: int) -> bool:
    ch = chr(code)
    return unicodedata.normalize("NFKC", ch).lower() != ch or unicodedata.combining(ch) != 0


def compute_ranges() -> list[tuple[int, int]]:
    """The code point ranges (inclusive) that folding changes, computed afresh (about a
    second: every code point is normalised)."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x110000):
        if not _changes(code):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def changed_ranges() -> list[tuple[int, int]] | None:
    """The stored ranges, or None when this Python's Unicode version is not theirs."""
    if unicodedata.unidata_version != UNIDATA_VERSION:
        return None
    ranges: list[tuple[int, int]] = []
    for line in _FILE.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


if __name__ == "__main__":
    for first, last in compute_ranges():
        print(f"{first:x}" if first == last else f"{first:x}-{last:x}")

"""Matching two sequences in close to linear time (patience diff).

difflib's ``SequenceMatcher`` finds the longest common runs, but its time grows with the
product of the two lengths (worse still without its junk heuristic, which a comparison of
contracts cannot use: a frequent word is not junk). Here common runs at both ends are taken
first; what is left is split at *anchors*, the elements that occur exactly once in each side
and keep their order (the longest increasing subsequence of their positions), and the gaps
between anchors are matched the same way. A region small enough is handed to
``SequenceMatcher``, so short edits read exactly as before; a large region without any anchor
stays unmatched (a replacement), which is what two unrelated stretches of text are anyway.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher

__all__ = ["Block", "Check", "Opcode", "SMALL_REGION", "longest_increasing", "matching_blocks", "no_check", "opcodes"]

#: Called now and then during long work; raises to stop it (a deadline).
Check = Callable[[], None]
#: ``(a_start, b_start, size)``: ``a[a_start:a_start+size] == b[b_start:b_start+size]``.
Block = tuple[int, int, int]
#: ``(tag, a_start, a_stop, b_start, b_stop)`` as ``SequenceMatcher.get_opcodes`` gives them.
Opcode = tuple[str, int, int, int, int]
_Region = tuple[int, int, int, int]

#: Regions whose lengths multiply to at most this go to ``SequenceMatcher`` (a few ms each).
SMALL_REGION = 40_000


def no_check() -> None:
    """A :data:`Check` that never stops anything."""
    return None


def longest_increasing(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by their first item) whose second items increase
    too, found by patience sorting in O(n log n)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_first, second) in enumerate(pairs):
        position = bisect_left(tails, second)
        previous.append(tail_index[position - 1] if position else -1)
        if position == len(tails):
            tails.append(second)
            tail_index.append(index)
        else:
            tails[position] = second
            tail_index[position] = index
    chain: list[tuple[int, int]] = []
    current = tail_index[-1] if tail_index else -1
    while current >= 0:
        chain.append(pairs[current])
        current = previous[current]
    return chain[::-1]


def _trimmed(a: Sequence[Hashable], b: Sequence[Hashable], region: _Region, blocks: list[Block]) -> _Region:
    """``region`` without the runs that are equal at its start and at its end (added to ``blocks``)."""
    alo, ahi, blo, bhi = region
    start = 0
    while alo + start < ahi and blo + start < bhi and a[alo + start] == b[blo + start]:
        start += 1
    if start:
        blocks.append((alo, blo, start))
    alo, blo = alo + start, blo + start
    end = 0
    while alo < ahi - end and blo < bhi - end and a[ahi - end - 1] == b[bhi - end - 1]:
        end += 1
    if end:
        blocks.append((ahi - end, bhi - end, end))
    return alo, ahi - end, blo, bhi - end


def _anchors(a: Sequence[Hashable], b: Sequence[Hashable], region: _Region) -> list[tuple[int, int]]:
    """Positions of the elements found once on each side of ``region``, in an order both keep."""
    alo, ahi, blo, bhi = region
    a_counts = Counter(a[alo:ahi])
    b_counts = Counter(b[blo:bhi])
    b_position = {b[j]: j for j in range(blo, bhi) if b_counts[b[j]] == 1}
    pairs = [(i, b_position[a[i]]) for i in range(alo, ahi) if a_counts[a[i]] == 1 and a[i] in b_position]
    return longest_increasing(pairs)


def _split(a: Sequence[Hashable], b: Sequence[Hashable], region: _Region, blocks: list[Block]) -> list[_Region]:
    """Match what is cheap to match in ``region`` into ``blocks``; the gaps still to match."""
    alo, ahi, blo, bhi = _trimmed(a, b, region, blocks)
    if alo == ahi or blo == bhi:
        return []
    if (ahi - alo) * (bhi - blo) <= SMALL_REGION:
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        blocks.extend((alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size)
        return []
    gaps: list[_Region] = []
    a_next, b_next = alo, blo
    for i, j in _anchors(a, b, (alo, ahi, blo, bhi)):
        blocks.append((i, j, 1))
        gaps.append((a_next, i, b_next, j))
        a_next, b_next = i + 1, j + 1
    if a_next == alo:  # no anchor: the region stays a replacement
        return []
    gaps.append((a_next, ahi, b_next, bhi))
    return [gap for gap in gaps if gap[0] < gap[1] and gap[2] < gap[3]]


def _joined(blocks: list[Block]) -> list[Block]:
    """Blocks in order, neighbours that continue each other made one."""
    joined: list[Block] = []
    for i, j, size in sorted(blocks):
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            last = joined[-1]
            joined[-1] = (last[0], last[1], last[2] + size)
        else:
            joined.append((i, j, size))
    return joined


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable], check: Check = no_check) -> list[Block]:
    """The runs of ``a`` and ``b`` that match, in order, none overlapping; ``check`` is called
    once per region examined."""
    blocks: list[Block] = []
    regions: list[_Region] = [(0, len(a), 0, len(b))]
    while regions:
        check()
        regions.extend(_split(a, b, regions.pop(), blocks))
    return _joined(blocks)


def opcodes(
    blocks: Sequence[Block], a_length: int, b_length: int, a_offset: int = 0, b_offset: int = 0
) -> list[Opcode]:
    """The equal, replace, delete and insert steps that ``blocks`` imply, shifted by the offsets."""
    steps: list[Opcode] = []
    i = j = 0
    for a_start, b_start, size in [*blocks, (a_length, b_length, 0)]:
        if i < a_start or j < b_start:
            tag = "replace" if i < a_start and j < b_start else "delete" if i < a_start else "insert"
            steps.append((tag, a_offset + i, a_offset + a_start, b_offset + j, b_offset + b_start))
        if size:
            steps.append(
                ("equal", a_offset + a_start, a_offset + a_start + size, b_offset + b_start, b_offset + b_start + size)
            )
        i, j = a_start + size, b_start + size
    return steps

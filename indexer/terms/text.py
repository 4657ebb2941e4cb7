"""Text preparation shared by the term finders."""

from __future__ import annotations

__all__ = ["fold_width", "line_at"]

# Full-width ASCII (！ to ～) and the ideographic space map one-to-one onto ASCII, so offsets into
# the folded text are offsets into the original.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """``２０２５年３月１日`` → ``2025年3月1日``; ``（``/``：`` become ``(``/``:``. Same length as *text*."""
    return text.translate(_WIDTH)


def line_at(text: str, start: int, end: int) -> str:
    """The whole line around ``text[start:end]`` (for evidence), at most 200 characters."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    line = text[max(left, start - 100) : min(right, end + 100)]
    return line.strip()

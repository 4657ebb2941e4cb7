"""Scoring helpers shared by the benchmarks and the quality tests."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["character_error_rate", "levenshtein", "normalise_for_cer"]

_BLANKS = re.compile(r"[\s_＿]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def normalise_for_cer(text: str, han_and_alnum_only: bool = False) -> str:
    """NFKC (full-width forms to ASCII), then drop whitespace and fill-in blanks (``＿``/``_``).

    With *han_and_alnum_only*, punctuation goes too: Tesseract's Chinese model often swaps full- and
    half-width punctuation, which says nothing about whether the words were read.
    """
    text = _BLANKS.sub("", unicodedata.normalize("NFKC", text))
    if han_and_alnum_only:
        text = "".join(char for char in text if char.isalnum() or _HAN.match(char))
    return text


def levenshtein(a: str, b: str) -> int:
    """Edit distance with Myers/Hyyrö's bit-parallel algorithm (fast enough for whole pages)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    length = len(a)
    full = (1 << length) - 1
    last = 1 << (length - 1)
    masks: dict[str, int] = {}
    for index, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << index)
    positive, negative, score = full, 0, length
    for char in b:
        equal = masks.get(char, 0)
        xv = equal | negative
        xh = (((equal & positive) + positive) ^ positive) | equal
        ph = negative | ~(xh | positive)
        mh = positive & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        positive = (mh | ~(xv | ph)) & full
        negative = ph & xv & full
    return score


def character_error_rate(reference: str, hypothesis: str, han_and_alnum_only: bool = False) -> float:
    """Edits needed to turn the OCR text into the ground truth, per ground-truth character."""
    ref = normalise_for_cer(reference, han_and_alnum_only)
    hyp = normalise_for_cer(hypothesis, han_and_alnum_only)
    return levenshtein(ref, hyp) / max(1, len(ref))

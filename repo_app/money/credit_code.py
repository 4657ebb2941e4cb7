"""The unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters from a 31-character set (digits and upper-case letters without I, O, S, V
and Z): registration authority (1), kind (1), administrative division (6), organisation code
(9, itself ending in a GB 11714 check character) and one check character. The check character
makes the weighted sum of all eighteen values a multiple of 31, the weight of position i
(counted from 0) being 3^i mod 31.
"""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
LENGTH = 18


def normalise(raw: str) -> str:
    """Full-width characters and lower case folded, spaces and hyphens dropped."""
    folded = unicodedata.normalize("NFKC", raw).upper()
    return "".join(char for char in folded if not char.isspace() and char != "-")


def check_character(first17: str) -> str:
    """The 18th character that the first 17 call for."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` (normalised) is not a valid credit code, or None: "length", "character", "check"."""
    if len(code) != LENGTH:
        return "length"
    if any(char not in CHARSET for char in code):
        return "character"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(raw: str) -> bool:
    return problem(normalise(raw)) is None

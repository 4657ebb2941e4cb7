"""Contract numbers: ``合同编号：HT-2025-001``, ``编号：``, ``Contract No.``, ``Agreement Number:``."""

from __future__ import annotations

import re

from .model import Candidate
from .text import line_at

__all__ = ["find_contract_numbers"]

_LABELLED = re.compile(
    r"(?<![A-Za-z])(?P<label>合同编号|合同号|协议编号|协议号|合同编码|编\s*号|Contract\s+(?:No|Number|#)|Agreement\s+(?:No|Number|#)"
    r"|Ref(?:erence)?\s*(?:No|Number)?)\.?\s*[:：#]?[ \t]*"
    r"(?P<number>[\u4e00-\u9fff]{0,4}[A-Za-z0-9(（〔\[【][A-Za-z0-9\-_/.()（）〔〕\[\]【】第号字年]{2,48})",
    re.IGNORECASE,
)
_STRONG_LABELS = ("合同编号", "合同号", "协议编号", "协议号", "合同编码", "contract", "agreement")


def find_contract_numbers(text: str) -> list[Candidate[str]]:
    """Labelled numbers, best first; a number needs at least one digit and no trailing punctuation."""
    found: dict[str, Candidate[str]] = {}
    for match in _LABELLED.finditer(text):
        number = match.group("number").rstrip(".)）]】〕-_/").strip()
        if number.count("(") != number.count(")"):
            number = number.split("(")[0]
        if not any(char.isdigit() for char in number) or len(number) < 3:
            continue
        label = re.sub(r"\s+", "", match.group("label")).lower()
        confidence = 0.85 if label.startswith(_STRONG_LABELS) else 0.55
        current = found.get(number)
        if current is None or confidence > current.confidence:
            found[number] = Candidate(
                number, confidence, line_at(text, match.start(), match.end()), match.start("number")
            )
    return sorted(found.values(), key=lambda c: (-c.confidence, c.start))

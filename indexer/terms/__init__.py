"""Key-term suggestions from a contract's text: dates and their roles, amounts, parties, contract numbers.

Pure functions over a string (typically :attr:`indexer.extract.Extraction.text`); never imports Flask.
"""

from __future__ import annotations

from .model import Amount, Candidate, Party, Suggestions
from .numerals import parse_chinese_amount, parse_chinese_integer
from .suggest import suggest_metadata

__all__ = [
    "Amount",
    "Candidate",
    "Party",
    "Suggestions",
    "parse_chinese_amount",
    "parse_chinese_integer",
    "suggest_metadata",
]

"""Text analysis for search: Chinese segmentation, positioned token streams,
CJK bigrams, match normalisation and snippets. Plain Python, no Flask."""

from __future__ import annotations

from .analysis import (
    Analysis,
    analyze,
    analyze_sections,
    bigrams_of,
    is_cjk,
    normalize,
    normalize_for_match,
    phrase_is_exact,
    phrase_parts,
    query_words,
)
from .highlight import MatchSpec, Snippets, contains_phrase, fold_line_breaks, make_snippets, only_marks
from .segment import SegmentedWord, cut_words, segment_run, segmenter_name

__all__ = [
    "Analysis",
    "MatchSpec",
    "SegmentedWord",
    "Snippets",
    "analyze",
    "analyze_sections",
    "bigrams_of",
    "contains_phrase",
    "cut_words",
    "fold_line_breaks",
    "only_marks",
    "is_cjk",
    "make_snippets",
    "normalize",
    "normalize_for_match",
    "phrase_is_exact",
    "phrase_parts",
    "query_words",
    "segment_run",
    "segmenter_name",
]

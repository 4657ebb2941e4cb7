"""Word-level comparison of two versions' texts.

Texts are split into paragraphs, paragraphs into tokens (Chinese words from a segmenter, Latin
words, numbers, punctuation, whitespace), and compared with difflib's matcher on the token
sequence. A paragraph deleted in one place and inserted (nearly unchanged) elsewhere is marked
as moved rather than as a deletion plus an insertion. Positions are character offsets into the
old and new text so a viewer can highlight them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

__all__ = ["Comparison", "DiffOperation", "compare_texts", "segmented_tokens", "simple_tokens"]

Tokenizer = Callable[[str], Sequence[str]]

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+(?:[.,'’-][A-Za-z0-9]+)*|\s+|.", re.S)
_CLAUSE = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+条|第[一二三四五六七八九十百零〇\d]+章|\d+(?:\.\d+)+|\d+\.|Article\s+\d+|Section\s+\d+(?:\.\d+)*)",
    re.I)
#: Paragraphs at least this similar count as one paragraph moved.
MOVE_SIMILARITY = 0.9


def simple_tokens(text: str) -> list[str]:
    """Latin words and numbers whole, every CJK character alone."""
    return _TOKEN.findall(text)


_CJK_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


def segmented_tokens(text: str) -> list[str]:
    """Like :func:`simple_tokens`, but runs of Chinese characters are cut into words, so a
    comparison reports 二十台 replacing 十台 rather than a lone 二 inserted."""
    from .text.segment import cut_words

    tokens: list[str] = []
    for part in _CJK_RUN.split(text):
        if _CJK_RUN.fullmatch(part):
            tokens.extend(cut_words(part))
        elif part:
            tokens.extend(simple_tokens(part))
    return tokens


@dataclass(frozen=True)
class DiffOperation:
    #: equal, insert, delete, replace or move
    op: str
    old_text: str
    new_text: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    clause: str | None = None


@dataclass(frozen=True)
class Comparison:
    operations: tuple[DiffOperation, ...]
    insertions: int
    deletions: int
    replacements: int
    moves: int
    changed_clauses: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {"insertions": self.insertions, "deletions": self.deletions,
                        "replacements": self.replacements, "moves": self.moves,
                        "changed_clauses": list(self.changed_clauses)},
            "operations": [asdict(op) for op in self.operations],
        }


@dataclass(frozen=True)
class _Paragraph:
    text: str
    start: int


def _paragraphs(text: str) -> list[_Paragraph]:
    found, position = [], 0
    for chunk in re.split(r"(\n\s*\n|\f)", text):
        if chunk and not re.fullmatch(r"\n\s*\n|\f", chunk) and chunk.strip():
            found.append(_Paragraph(chunk, position))
        position += len(chunk)
    return found


def _normalised(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clause_of(paragraphs: Sequence[_Paragraph], offset: int) -> str | None:
    """The number of the clause an offset falls in (第7条, 7.2, Article 3 …), if any."""
    current = None
    for paragraph in paragraphs:
        if paragraph.start > offset:
            break
        match = _CLAUSE.match(paragraph.text)
        if match:
            current = match.group(1).strip()
    return current


def _tokens_with_offsets(paragraphs: Sequence[_Paragraph], tokenize: Tokenizer) -> tuple[list[str], list[int]]:
    tokens: list[str] = []
    offsets: list[int] = []
    for paragraph in paragraphs:
        position = paragraph.start
        for token in tokenize(paragraph.text):
            tokens.append(token)
            offsets.append(position)
            position += len(token)
        tokens.append("\n\n")  # a paragraph break is a token of its own: edits never straddle it
        offsets.append(position)
    return tokens, offsets


def _best_twins(old: Sequence[_Paragraph], new: Sequence[_Paragraph]) -> list[tuple[int, int]]:
    """For each old paragraph, the new paragraph with the same (or nearly the same) text."""
    new_texts = [_normalised(p.text) for p in new]
    exact = {text: index for index, text in enumerate(new_texts)}
    pairs, used = [], set()
    for index, paragraph in enumerate(old):
        key = _normalised(paragraph.text)
        twin = exact.get(key)
        if twin is None or twin in used:
            scored = [(SequenceMatcher(None, key, text).ratio(), j) for j, text in enumerate(new_texts)
                      if j not in used]
            best = max(scored, default=(0.0, -1))
            twin = best[1] if best[0] >= MOVE_SIMILARITY else None
        if twin is not None:
            pairs.append((index, twin))
            used.add(twin)
    return pairs


def _longest_increasing(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The largest set of pairs whose new positions keep the old order (patience sorting)."""
    tails: list[int] = []
    tail_pair: list[tuple[int, int]] = []
    previous: dict[tuple[int, int], tuple[int, int] | None] = {}
    for pair in pairs:
        position = bisect_left(tails, pair[1])
        previous[pair] = tail_pair[position - 1] if position else None
        if position == len(tails):
            tails.append(pair[1])
            tail_pair.append(pair)
        else:
            tails[position] = pair[1]
            tail_pair[position] = pair
    chain: set[tuple[int, int]] = set()
    current = tail_pair[-1] if tail_pair else None
    while current is not None:
        chain.add(current)
        current = previous[current]
    return chain


def _moved_paragraphs(old: Sequence[_Paragraph], new: Sequence[_Paragraph]) -> list[tuple[_Paragraph, _Paragraph]]:
    """Paragraphs whose (nearly) identical twin sits out of the order the others keep."""
    pairs = _best_twins(old, new)
    in_order = _longest_increasing(pairs)
    return [(old[i], new[j]) for i, j in pairs if (i, j) not in in_order and len(_normalised(old[i].text)) >= 4]


def compare_texts(old: str, new: str, tokenize: Tokenizer = simple_tokens) -> Comparison:
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    moved = _moved_paragraphs(old_paragraphs, new_paragraphs)
    moved_old = {id(a) for a, _b in moved}
    moved_new = {id(b) for _a, b in moved}
    kept_old = [p for p in old_paragraphs if id(p) not in moved_old]
    kept_new = [p for p in new_paragraphs if id(p) not in moved_new]
    old_tokens, old_offsets = _tokens_with_offsets(kept_old, tokenize)
    new_tokens, new_offsets = _tokens_with_offsets(kept_new, tokenize)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    operations: list[DiffOperation] = []
    counts = {"insert": 0, "delete": 0, "replace": 0}
    clauses: list[str] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
        old_start = old_offsets[a1] if a1 < len(old_offsets) else len(old)
        new_start = new_offsets[b1] if b1 < len(new_offsets) else len(new)
        clause = None
        if tag != "equal":
            if not (old_text.strip() or new_text.strip()):
                tag = "equal"  # whitespace-only changes are not changes a reader cares about
            else:
                counts[tag] += 1
                clause = _clause_of(new_paragraphs, new_start) or _clause_of(old_paragraphs, old_start)
                if clause and clause not in clauses:
                    clauses.append(clause)
        operations.append(DiffOperation(tag, old_text, new_text, old_start, old_start + len(old_text),
                                        new_start, new_start + len(new_text), clause))
    for old_paragraph, new_paragraph in moved:
        operations.append(DiffOperation(
            "move", old_paragraph.text, new_paragraph.text, old_paragraph.start,
            old_paragraph.start + len(old_paragraph.text), new_paragraph.start,
            new_paragraph.start + len(new_paragraph.text), _clause_of(new_paragraphs, new_paragraph.start)))
    return Comparison(operations=tuple(operations), insertions=counts["insert"], deletions=counts["delete"],
                      replacements=counts["replace"], moves=len(moved), changed_clauses=tuple(clauses))

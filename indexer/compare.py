"""Word-level comparison of two versions' texts.

Texts are split into paragraphs, paragraphs into tokens (Chinese words from a segmenter, Latin
words, numbers, punctuation, whitespace), and compared with difflib's matcher on the token
sequence. A paragraph deleted in one place and inserted (nearly unchanged) elsewhere is marked
as moved rather than as a deletion plus an insertion.

The operations follow the new text: a moved paragraph comes where it now stands, and its
``old_start``/``old_end`` say where it stood. Each operation's texts are slices of the two texts
(``old[old_start:old_end]``, ``new[new_start:new_end]``), so a viewer can highlight them, and
the operations cover both texts without gap or overlap: joined in order, their ``new_text`` is
the new text; ordered by ``old_start`` (:meth:`Comparison.in_old_order`), their ``old_text`` is
the old text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, ClassVar

__all__ = ["Comparison", "DiffOperation", "MovedFrom", "compare_texts", "segmented_tokens", "simple_tokens"]

Tokenizer = Callable[[str], Sequence[str]]

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+(?:[.,'’-][A-Za-z0-9]+)*|\s+|.", re.S)
_CLAUSE = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+条|第[一二三四五六七八九十百零〇\d]+章|\d+(?:\.\d+)+|\d+\.|Article\s+\d+|Section\s+\d+(?:\.\d+)*)",
    re.I,
)
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
    #: equal, insert, delete, replace or move. ``equal`` texts may differ in whitespace only.
    op: str
    old_text: str
    new_text: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    clause: str | None = None
    #: For a move: the word-level changes inside the paragraph (none if it moved unchanged), at
    #: their places in the two texts, covering the paragraph like the top-level operations.
    edits: tuple[DiffOperation, ...] = ()


@dataclass(frozen=True)
class MovedFrom:
    """The place a moved paragraph left, for views that show one text (inline, PDF).

    There the paragraph is shown struck out; ``before`` and ``after`` are the paragraph breaks
    it needs so that it stands as a paragraph of its own between its neighbours.
    """

    op: ClassVar[str] = "moved_from"
    new_text: ClassVar[str] = ""
    move: DiffOperation
    before: str = ""
    after: str = ""

    @property
    def old_text(self) -> str:
        return self.move.old_text


@dataclass(frozen=True)
class Comparison:
    #: In the new text's order; see the module's docstring for what they cover.
    operations: tuple[DiffOperation, ...]
    insertions: int
    deletions: int
    replacements: int
    moves: int
    changed_clauses: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                "insertions": self.insertions,
                "deletions": self.deletions,
                "replacements": self.replacements,
                "moves": self.moves,
                "changed_clauses": list(self.changed_clauses),
            },
            "operations": [asdict(op) for op in self.operations],
        }

    def in_old_order(self) -> tuple[DiffOperation, ...]:
        """The operations along the old text (a moved paragraph where it used to stand), for
        the old side of a side-by-side view: joined, their ``old_text`` is the old text."""
        return tuple(sorted(self.operations, key=lambda op: (op.old_start, op.old_end)))

    def with_move_origins(self) -> tuple[DiffOperation | MovedFrom, ...]:
        """The operations in the new text's order, plus a :class:`MovedFrom` where each moved
        paragraph used to stand, for views that show one text with the changes marked."""
        return _padded(_placed_origins(self.operations))


def _placed_origins(operations: Sequence[DiffOperation]) -> list[tuple[DiffOperation, bool]]:
    """The operations, each flagged False, with every move listed once more, flagged True, at
    its old place: before the first unmoved operation that followed it in the old text.

    Unmoved operations keep the old text's order too (they come from one matcher run), so
    that is where the paragraph would be had it not moved.
    """
    pending = sorted((op for op in operations if op.op == "move"), key=lambda op: op.old_start)
    placed: list[tuple[DiffOperation, bool]] = []
    for op in operations:
        if op.op != "move":
            while pending and pending[0].old_end <= op.old_start:
                placed.append((pending.pop(0), True))
        placed.append((op, False))
    return placed + [(op, True) for op in pending]


def _shown(op: DiffOperation) -> str:
    """The text an operation puts on a one-text view, where deletions are shown struck out."""
    return op.new_text if op.op in ("equal", "move", "insert") else op.old_text + op.new_text


def _next_starts_line(placed: Sequence[tuple[DiffOperation, bool]], index: int) -> bool:
    """Whether what a one-text view shows after ``placed[index]`` begins a line (or is nothing)."""
    for op, origin in placed[index + 1 :]:
        shown = op.old_text if origin else _shown(op)
        if shown:
            return shown.startswith("\n")
    return True


def _padded(placed: Sequence[tuple[DiffOperation, bool]]) -> tuple[DiffOperation | MovedFrom, ...]:
    """Each old place of a move becomes a :class:`MovedFrom` with the paragraph breaks its
    neighbours do not provide: the break that separated the paragraph from its old neighbours
    stayed with them."""
    items: list[DiffOperation | MovedFrom] = []
    at_line_start = True  # nothing shown yet, or what was shown ends a line
    for index, (op, origin) in enumerate(placed):
        if not origin:
            items.append(op)
            shown = _shown(op)
            at_line_start = shown.endswith("\n") if shown else at_line_start
            continue
        before = "" if at_line_start else "\n\n"
        after = "" if _next_starts_line(placed, index) else "\n\n"
        items.append(MovedFrom(op, before, after))
        at_line_start = bool(after)
    return tuple(items)


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


#: What the matcher sees for every paragraph break, whatever whitespace it is made of.
_BREAK_KEY = "\n\n"


@dataclass(frozen=True)
class _Side:
    """One text cut into pieces that cover it end to end: paragraph breaks, the tokens of each
    paragraph, and each moved paragraph whole, under a key that matches nothing on the other
    side (its move is reported on its own)."""

    text: str
    paragraphs: list[_Paragraph]
    keys: list[Hashable] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    #: Index of a moved paragraph's piece → index of its move.
    moved: dict[int, int] = field(default_factory=dict)

    def add(self, key: Hashable, piece: str, start: int) -> None:
        self.keys.append(key)
        self.pieces.append(piece)
        self.starts.append(start)

    def span(self, first: int, stop: int) -> tuple[str, int]:
        """The text of pieces ``first`` to ``stop`` (exclusive) and where it starts."""
        start = self.starts[first] if first < len(self.starts) else len(self.text)
        return "".join(self.pieces[first:stop]), start

    def runs(self, first: int, stop: int) -> list[tuple[int, int]]:
        """Pieces ``first`` to ``stop`` split at moved paragraphs: one run more than moves."""
        runs, start = [], first
        for index in range(first, stop):
            if index in self.moved:
                runs.append((start, index))
                start = index + 1
        runs.append((start, stop))
        return runs

    def clause_at(self, offset: int) -> str | None:
        return _clause_of(self.paragraphs, offset)


def _tokens(text: str, tokenize: Tokenizer) -> Sequence[str]:
    """The tokens of a paragraph; a tokenizer that loses or alters characters would shift every
    offset after it, so then the paragraph is cut by :func:`simple_tokens` instead."""
    tokens = tokenize(text)
    return tokens if "".join(tokens) == text else simple_tokens(text)


def _side(text: str, paragraphs: list[_Paragraph], moved: dict[int, int], tokenize: Tokenizer) -> _Side:
    """``text`` cut into pieces; ``moved`` maps the index of each moved paragraph to its move's."""
    side = _Side(text, paragraphs)
    position = 0
    for index, paragraph in enumerate(paragraphs):
        if paragraph.start > position:
            side.add(_BREAK_KEY, text[position : paragraph.start], position)
        if index in moved:
            side.moved[len(side.keys)] = moved[index]
            side.add(object(), paragraph.text, paragraph.start)  # a key equal to nothing else
        else:
            start = paragraph.start
            for token in _tokens(paragraph.text, tokenize):
                side.add(token, token, start)
                start += len(token)
        position = paragraph.start + len(paragraph.text)
    if position < len(text):
        side.add(_BREAK_KEY, text[position:], position)
    return side


def _best_twins(old: Sequence[_Paragraph], new: Sequence[_Paragraph]) -> list[tuple[int, int]]:
    """For each old paragraph, the new paragraph with the same (or nearly the same) text."""
    new_texts = [_normalised(p.text) for p in new]
    exact = {text: index for index, text in enumerate(new_texts)}
    pairs, used = [], set()
    for index, paragraph in enumerate(old):
        key = _normalised(paragraph.text)
        twin = exact.get(key)
        if twin is None or twin in used:
            scored = [
                (SequenceMatcher(None, key, text).ratio(), j) for j, text in enumerate(new_texts) if j not in used
            ]
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


def _moved_paragraphs(old: Sequence[_Paragraph], new: Sequence[_Paragraph]) -> list[tuple[int, int]]:
    """Indexes of paragraphs whose (nearly) identical twin sits out of the order the others keep."""
    pairs = _best_twins(old, new)
    in_order = _longest_increasing(pairs)
    return [(i, j) for i, j in pairs if (i, j) not in in_order and len(_normalised(old[i].text)) >= 4]


def _move(old: _Paragraph, new: _Paragraph, new_side: _Side, tokenize: Tokenizer) -> DiffOperation:
    return DiffOperation(
        "move",
        old.text,
        new.text,
        old.start,
        old.start + len(old.text),
        new.start,
        new.start + len(new.text),
        new_side.clause_at(new.start),
        _edits_within(old, new, tokenize),
    )


def _edits_within(old: _Paragraph, new: _Paragraph, tokenize: Tokenizer) -> tuple[DiffOperation, ...]:
    """The word-level operations from a moved paragraph's old text to its new one, shifted to
    where the paragraph stands in each text; none when only whitespace differs."""
    if _normalised(old.text) == _normalised(new.text):
        return ()
    operations = _diff(old.text, [_Paragraph(old.text, 0)], new.text, [_Paragraph(new.text, 0)], {}, tokenize)
    return tuple(
        replace(
            op,
            old_start=op.old_start + old.start,
            old_end=op.old_end + old.start,
            new_start=op.new_start + new.start,
            new_end=op.new_end + new.start,
            clause=None,
        )
        for op in operations
    )


def _diff(
    old: str,
    old_paragraphs: list[_Paragraph],
    new: str,
    new_paragraphs: list[_Paragraph],
    pairs: dict[int, int],
    tokenize: Tokenizer,
) -> list[DiffOperation]:
    """The operations from ``old`` to ``new``; ``pairs`` maps moved paragraphs' old indexes to new ones."""
    old_side = _side(old, old_paragraphs, {i: n for n, i in enumerate(pairs)}, tokenize)
    new_side = _side(new, new_paragraphs, {j: n for n, j in enumerate(pairs.values())}, tokenize)
    moves = [_move(old_paragraphs[i], new_paragraphs[j], new_side, tokenize) for i, j in pairs.items()]
    matcher = SequenceMatcher(None, old_side.keys, new_side.keys, autojunk=False)
    return _merged([op for opcode in matcher.get_opcodes() for op in _changes(old_side, new_side, opcode, moves)])


def _change(
    old: _Side, old_run: tuple[int, int], new: _Side, new_run: tuple[int, int], matched: bool = False
) -> DiffOperation | None:
    """The operation turning one run of old pieces into one run of new ones, if any;
    ``matched`` runs are equal (their paragraph breaks may differ in whitespace)."""
    (old_text, old_start), (new_text, new_start) = old.span(*old_run), new.span(*new_run)
    if not (old_text or new_text):
        return None
    if matched or not (old_text.strip() or new_text.strip()):
        tag = "equal"  # whitespace-only changes are not changes a reader cares about
    else:
        tag = "replace" if old_text and new_text else "delete" if old_text else "insert"
    clause = None if tag == "equal" else new.clause_at(new_start) or old.clause_at(old_start)
    return DiffOperation(
        tag, old_text, new_text, old_start, old_start + len(old_text), new_start, new_start + len(new_text), clause
    )


def _changes(
    old: _Side, new: _Side, opcode: tuple[str, int, int, int, int], moves: Sequence[DiffOperation]
) -> list[DiffOperation]:
    """The operations of one matcher opcode, in the new text's order.

    Moved paragraphs never match, so they only occur in changes. Their old places are left out
    (the move is listed at its new place); around them the runs of old and new pieces are
    paired in order, leftovers being deleted or inserted at the end.
    """
    tag, a1, a2, b1, b2 = opcode
    if tag == "equal":
        return [op for op in [_change(old, (a1, a2), new, (b1, b2), matched=True)] if op]
    old_runs, new_runs = old.runs(a1, a2), new.runs(b1, b2)
    found: list[DiffOperation | None] = []
    for index, new_run in enumerate(new_runs):
        found.append(_change(old, old_runs[index] if index < len(old_runs) else (a2, a2), new, new_run))
        if new_run[1] < b2:  # a moved paragraph follows this run
            found.append(moves[new.moved[new_run[1]]])
    found.extend(_change(old, old_run, new, (b2, b2)) for old_run in old_runs[len(new_runs) :])
    return [op for op in found if op]


def _merged(operations: Sequence[DiffOperation]) -> list[DiffOperation]:
    """Operations with neighbouring equal ones that adjoin on both sides made one."""
    merged: list[DiffOperation] = []
    for op in operations:
        last = merged[-1] if merged else None
        if last and last.op == op.op == "equal" and last.old_end == op.old_start and last.new_end == op.new_start:
            merged[-1] = DiffOperation(
                "equal",
                last.old_text + op.old_text,
                last.new_text + op.new_text,
                last.old_start,
                op.old_end,
                last.new_start,
                op.new_end,
            )
        else:
            merged.append(op)
    return merged


def compare_texts(old: str, new: str, tokenize: Tokenizer = simple_tokens) -> Comparison:
    """What changed from ``old`` to ``new``, in the new text's order (see the module's docstring)."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    pairs = dict(_moved_paragraphs(old_paragraphs, new_paragraphs))
    operations = _diff(old, old_paragraphs, new, new_paragraphs, pairs, tokenize)
    changes = [op for op in operations if op.op not in ("equal", "move")]
    changes += [edit for op in operations if op.op == "move" for edit in op.edits if edit.op != "equal"]
    counts = {tag: sum(op.op == tag for op in changes) for tag in ("insert", "delete", "replace")}
    clauses = [op.clause for op in operations if op.op not in ("equal", "move") or op.edits]
    return Comparison(
        operations=tuple(operations),
        insertions=counts["insert"],
        deletions=counts["delete"],
        replacements=counts["replace"],
        moves=len(pairs),
        changed_clauses=tuple(dict.fromkeys(clause for clause in clauses if clause)),
    )

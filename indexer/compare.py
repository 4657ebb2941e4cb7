"""Word-level comparison of two versions' texts.

Texts are split into paragraphs, paragraphs into tokens (Chinese words from a segmenter, Latin
words, numbers, punctuation, whitespace). Paragraphs are matched whole first, then the tokens of
the paragraphs in between (both with :mod:`indexer.linear_diff`, so the time grows about
linearly with the texts). A paragraph deleted in one place and inserted (nearly unchanged)
elsewhere is marked as moved rather than as a deletion plus an insertion; such twins are found
by hashing (identical texts) and by sketches of hashed shingles (nearly identical ones), never
by comparing every pair.

The operations follow the new text: a moved paragraph comes where it now stands, and its
``old_start``/``old_end`` say where it stood. Each operation's texts are slices of the two texts
(``old[old_start:old_end]``, ``new[new_start:new_end]``), so a viewer can highlight them, and
the operations cover both texts without gap or overlap: joined in order, their ``new_text`` is
the new text; ordered by ``old_start`` (:meth:`Comparison.in_old_order`), their ``old_text`` is
the old text.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, ClassVar

from .linear_diff import Check, Opcode, longest_increasing, matching_blocks, no_check, opcodes

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        """The comparison :meth:`to_dict` described (e.g. kept as JSON by a background job)."""
        summary = data["summary"]
        return cls(
            operations=tuple(_operation_from_dict(op) for op in data["operations"]),
            insertions=summary["insertions"],
            deletions=summary["deletions"],
            replacements=summary["replacements"],
            moves=summary["moves"],
            changed_clauses=tuple(summary["changed_clauses"]),
        )

    def in_old_order(self) -> tuple[DiffOperation, ...]:
        """The operations along the old text (a moved paragraph where it used to stand), for
        the old side of a side-by-side view: joined, their ``old_text`` is the old text."""
        return tuple(sorted(self.operations, key=lambda op: (op.old_start, op.old_end)))

    def with_move_origins(self) -> tuple[DiffOperation | MovedFrom, ...]:
        """The operations in the new text's order, plus a :class:`MovedFrom` where each moved
        paragraph used to stand, for views that show one text with the changes marked."""
        return _padded(_placed_origins(self.operations))


def _operation_from_dict(data: dict[str, Any]) -> DiffOperation:
    edits = tuple(_operation_from_dict(edit) for edit in data.get("edits", ()))
    return DiffOperation(**{**data, "edits": edits})


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


@dataclass(frozen=True)
class _Clauses:
    """Where each numbered clause begins (第7条, 7.2, Article 3 …) in one text, so the clause
    an offset falls in is found by bisection rather than by reading every paragraph again."""

    starts: tuple[int, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, paragraphs: Sequence[_Paragraph]) -> _Clauses:
        found = [(p.start, match.group(1).strip()) for p in paragraphs if (match := _CLAUSE.match(p.text))]
        return cls(tuple(start for start, _ in found), tuple(name for _, name in found))

    def at(self, offset: int) -> str | None:
        index = bisect_right(self.starts, offset)
        return self.names[index - 1] if index else None


#: What the matcher sees for every paragraph break, whatever whitespace it is made of.
_BREAK_KEY = "\n\n"


@dataclass(frozen=True)
class _Side:
    """One text cut into pieces that cover it end to end: paragraph breaks, the tokens of each
    paragraph, and each moved paragraph whole, under a key that matches nothing on the other
    side (its move is reported on its own)."""

    text: str
    paragraphs: list[_Paragraph]
    clauses: _Clauses
    keys: list[Hashable] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    #: Index of a moved paragraph's piece → index of its move.
    moved: dict[int, int] = field(default_factory=dict)
    #: Per paragraph: its text without whitespace (a moved one: a key equal to nothing else),
    #: and the first and the stop index of its pieces.
    paragraph_keys: list[Hashable] = field(default_factory=list)
    paragraph_pieces: list[tuple[int, int]] = field(default_factory=list)

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
        return self.clauses.at(offset)

    def first_piece(self, paragraph: int) -> int:
        """Index of the first piece of ``paragraph``; past the last paragraph, the end."""
        return self.paragraph_pieces[paragraph][0] if paragraph < len(self.paragraph_pieces) else len(self.keys)


def _tokens(text: str, tokenize: Tokenizer) -> Sequence[str]:
    """The tokens of a paragraph; a tokenizer that loses or alters characters would shift every
    offset after it, so then the paragraph is cut by :func:`simple_tokens` instead."""
    tokens = tokenize(text)
    return tokens if "".join(tokens) == text else simple_tokens(text)


def _side(text: str, paragraphs: list[_Paragraph], moved: dict[int, int], tokenize: Tokenizer, check: Check) -> _Side:
    """``text`` cut into pieces; ``moved`` maps the index of each moved paragraph to its move's."""
    side = _Side(text, paragraphs, _Clauses.of(paragraphs))
    position = 0
    for index, paragraph in enumerate(paragraphs):
        check()  # a segmenter may take its time over long paragraphs
        if paragraph.start > position:
            side.add(_BREAK_KEY, text[position : paragraph.start], position)
        first = len(side.keys)
        if index in moved:
            side.moved[first] = moved[index]
            unique = object()  # a key equal to nothing else
            side.add(unique, paragraph.text, paragraph.start)
            side.paragraph_keys.append(unique)
        else:
            start = paragraph.start
            for token in _tokens(paragraph.text, tokenize):
                side.add(token, token, start)
                start += len(token)
            side.paragraph_keys.append(_normalised(paragraph.text))
        side.paragraph_pieces.append((first, len(side.keys)))
        position = paragraph.start + len(paragraph.text)
    if position < len(text):
        side.add(_BREAK_KEY, text[position:], position)
    return side


#: Characters per shingle of the sketches that find nearly identical paragraphs.
_SHINGLE = 4
#: Shingle hashes kept per sketch (the smallest ones: a bottom-k sketch).
_SKETCH_SIZE = 8
#: A shingle hash found in more paragraphs than this (boilerplate) proposes no candidates.
_COMMON_SHINGLE = 64
#: Candidates checked for each paragraph that has no identical twin.
_CANDIDATES = 3
#: Above this length, similarity is measured on shingle sets rather than by difflib, whose
#: time grows with the product of the two lengths.
_LONG_PARAGRAPH = 2000


def _sketch(text: str) -> list[int]:
    """The smallest hashes of the text's shingles: similar texts share most of them."""
    shingles = {text[index : index + _SHINGLE] for index in range(max(1, len(text) - _SHINGLE + 1))}
    return sorted(zlib.crc32(shingle.encode()) for shingle in shingles)[:_SKETCH_SIZE]


def _similar(a: str, b: str) -> bool:
    """Whether two paragraphs are at least :data:`MOVE_SIMILARITY` alike."""
    if max(len(a), len(b)) > _LONG_PARAGRAPH:
        a_set = {a[index : index + _SHINGLE] for index in range(len(a) - _SHINGLE + 1)}
        b_set = {b[index : index + _SHINGLE] for index in range(len(b) - _SHINGLE + 1)}
        return 2 * len(a_set & b_set) / (len(a_set) + len(b_set)) >= MOVE_SIMILARITY
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= MOVE_SIMILARITY
        and matcher.quick_ratio() >= MOVE_SIMILARITY
        and (matcher.ratio() >= MOVE_SIMILARITY)
    )


def _identical_twins(old_keys: Sequence[str], new_keys: Sequence[str]) -> dict[int, int]:
    """Old paragraph → new paragraph with the same text (the k-th copy of a text with its k-th copy)."""
    waiting: dict[str, deque[int]] = {}
    for index, key in enumerate(new_keys):
        waiting.setdefault(key, deque()).append(index)
    twins = {}
    for index, key in enumerate(old_keys):
        queue = waiting.get(key)
        if queue:
            twins[index] = queue.popleft()
    return twins


def _near_twins(old_keys: dict[int, str], new_keys: dict[int, str], check: Check) -> dict[int, int]:
    """Old paragraph → a new one nearly the same, among the few candidates whose sketches
    share the most shingle hashes: hashing instead of comparing every pair."""
    sketches: dict[int, list[int]] = {}
    for index, key in new_keys.items():
        for value in _sketch(key):
            sketches.setdefault(value, []).append(index)
    twins: dict[int, int] = {}
    used: set[int] = set()
    for index, key in old_keys.items():
        check()
        votes = Counter(
            candidate
            for value in _sketch(key)
            if len(sketches.get(value, ())) <= _COMMON_SHINGLE
            for candidate in sketches.get(value, ())
        )
        ranked = [candidate for candidate, _ in votes.most_common() if candidate not in used][:_CANDIDATES]
        twin = next((candidate for candidate in ranked if _similar(key, new_keys[candidate])), None)
        if twin is not None:
            twins[index] = twin
            used.add(twin)
    return twins


def _twins(old: Sequence[_Paragraph], new: Sequence[_Paragraph], check: Check) -> list[tuple[int, int]]:
    """Pairs of an old paragraph and the new one with the same (or nearly the same) text."""
    old_keys, new_keys = [_normalised(p.text) for p in old], [_normalised(p.text) for p in new]
    twins = _identical_twins(old_keys, new_keys)
    taken = set(twins.values())
    twins.update(
        _near_twins(
            {i: key for i, key in enumerate(old_keys) if i not in twins},
            {j: key for j, key in enumerate(new_keys) if j not in taken},
            check,
        )
    )
    return sorted(twins.items())


def _moved_paragraphs(old: Sequence[_Paragraph], new: Sequence[_Paragraph], check: Check) -> list[tuple[int, int]]:
    """Indexes of paragraphs whose (nearly) identical twin sits out of the order the others keep."""
    pairs = _twins(old, new, check)
    in_order = set(longest_increasing(pairs))
    return [(i, j) for i, j in pairs if (i, j) not in in_order and len(_normalised(old[i].text)) >= 4]


def _move(old: _Paragraph, new: _Paragraph, new_side: _Side, tokenize: Tokenizer, check: Check) -> DiffOperation:
    return DiffOperation(
        "move",
        old.text,
        new.text,
        old.start,
        old.start + len(old.text),
        new.start,
        new.start + len(new.text),
        new_side.clause_at(new.start),
        _edits_within(old, new, tokenize, check),
    )


def _edits_within(old: _Paragraph, new: _Paragraph, tokenize: Tokenizer, check: Check) -> tuple[DiffOperation, ...]:
    """The word-level operations from a moved paragraph's old text to its new one, shifted to
    where the paragraph stands in each text; none when only whitespace differs."""
    if _normalised(old.text) == _normalised(new.text):
        return ()
    operations = _diff(old.text, [_Paragraph(old.text, 0)], new.text, [_Paragraph(new.text, 0)], {}, tokenize, check)
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


def _piece_opcodes(
    old: _Side, new: _Side, old_run: tuple[int, int], new_run: tuple[int, int], check: Check
) -> list[Opcode]:
    """The steps between two runs of pieces, matched token by token."""
    (a1, a2), (b1, b2) = old_run, new_run
    if a1 == a2 and b1 == b2:
        return []
    blocks = matching_blocks(old.keys[a1:a2], new.keys[b1:b2], check)
    return opcodes(blocks, a2 - a1, b2 - b1, a1, b1)


def _side_opcodes(old: _Side, new: _Side, check: Check) -> list[Opcode]:
    """The steps from the old pieces to the new ones, in two passes so that the time grows
    with the text rather than its square: paragraphs are matched whole first (by their text
    without whitespace), then the tokens of the paragraphs between those that matched."""
    steps: list[Opcode] = []
    old_next = new_next = 0  # the first pieces not yet covered
    paragraph_blocks = matching_blocks(old.paragraph_keys, new.paragraph_keys, check)
    for i, j, size in [*paragraph_blocks, (len(old.paragraph_keys), len(new.paragraph_keys), 0)]:
        old_first, new_first = old.first_piece(i), new.first_piece(j)
        steps.extend(_piece_opcodes(old, new, (old_next, old_first), (new_next, new_first), check))
        if size:
            old_next, new_next = old.paragraph_pieces[i + size - 1][1], new.paragraph_pieces[j + size - 1][1]
            steps.append(("equal", old_first, old_next, new_first, new_next))
    return steps


def _diff(
    old: str,
    old_paragraphs: list[_Paragraph],
    new: str,
    new_paragraphs: list[_Paragraph],
    pairs: dict[int, int],
    tokenize: Tokenizer,
    check: Check,
) -> list[DiffOperation]:
    """The operations from ``old`` to ``new``; ``pairs`` maps moved paragraphs' old indexes to new ones."""
    old_side = _side(old, old_paragraphs, {i: n for n, i in enumerate(pairs)}, tokenize, check)
    new_side = _side(new, new_paragraphs, {j: n for n, j in enumerate(pairs.values())}, tokenize, check)
    moves = [_move(old_paragraphs[i], new_paragraphs[j], new_side, tokenize, check) for i, j in pairs.items()]
    steps = _side_opcodes(old_side, new_side, check)
    return _merged([op for step in steps for op in _changes(old_side, new_side, step, moves)])


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


def compare_texts(old: str, new: str, tokenize: Tokenizer = simple_tokens, check: Check = no_check) -> Comparison:
    """What changed from ``old`` to ``new``, in the new text's order (see the module's docstring).

    The time grows about linearly with the texts. ``check`` is called regularly while the work
    goes on; an exception it raises (a deadline passed) stops the comparison.
    """
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    pairs = dict(_moved_paragraphs(old_paragraphs, new_paragraphs, check))
    operations = _diff(old, old_paragraphs, new, new_paragraphs, pairs, tokenize, check)
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

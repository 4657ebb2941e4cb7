"""Pactum's query language, parsed once into a small AST.

Grammar (``OR``, ``AND`` and ``NOT`` are keywords only in upper case)::

    query    := or_expr?
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*          juxtaposition means AND
    unary    := ("-" | "NOT") unary | primary
    primary  := "(" or_expr ")" | field ":" value | value
    value    := '"phrase"' | word ["*" | "~" | "~1" | "~2"] | "(" or_expr ")"
    field    := party | tag | type | title | number

Full-width brackets, colon, quotes and minus typed by a Chinese input method are
accepted as their ASCII forms. A quote that is never closed is taken as closed at the end of
the query (``"保密条款`` searches the phrase 保密条款; a lone ``"`` at the end is ignored).
Every error is a :class:`QuerySyntaxError` whose message names the problem and its 1-based
character position, and whose ``code`` and ``params`` (see :data:`SYNTAX_ERRORS`) let a
caller say the same in its own language.

The parser and everything that walks the tree (compilers, highlighting) recurse once per
level of nesting, so a query longer than :data:`MAX_QUERY_LENGTH` characters or nested
deeper than :data:`MAX_DEPTH` groups and exclusions is refused with
:class:`QueryTooComplex` before any recursion could exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from .errors import QuerySyntaxError, QueryTooComplex

__all__ = [
    "Term",
    "Phrase",
    "Prefix",
    "Fuzzy",
    "And",
    "Or",
    "Not",
    "MatchAll",
    "Node",
    "FIELDS",
    "MAX_DEPTH",
    "MAX_QUERY_LENGTH",
    "SYNTAX_ERRORS",
    "parse_query",
]

#: Field prefixes of the language.
FIELDS: tuple[str, ...] = ("party", "tag", "type", "title", "number")

_FULLWIDTH = str.maketrans(
    {"（": "(", "）": ")", "：": ":", "＂": '"', "“": '"', "”": '"', "－": "-", "　": " ", "＊": "*", "～": "~"}
)
_KEYWORDS = ("OR", "AND", "NOT")

#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 2000
#: Deepest nesting of parentheses and exclusions (``-``/``NOT``) accepted.
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Prefix:
    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Fuzzy:
    text: str
    distance: int = 1
    field: str | None = None


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class MatchAll:
    pass


Node: TypeAlias = Term | Phrase | Prefix | Fuzzy | And | Or | Not | MatchAll
Leaf: TypeAlias = Term | Phrase | Prefix | Fuzzy


#: Every syntax error's code → its English message (``str.format`` with the error's params).
SYNTAX_ERRORS: dict[str, str] = {
    "lone_minus": "'-' must be directly followed by the word, phrase or group to exclude",
    "empty_phrase": 'empty phrase ""',
    "unknown_field": "unknown field prefix '{field}:'; use one of {fields}",
    "field_without_value": "field prefix '{field}:' has no value",
    "unmatched_close": "unbalanced parenthesis: this ')' has no matching '('",
    "unclosed_group": "unbalanced parenthesis: this '(' is never closed",
    "empty_group": "empty parentheses '()'",
    "nothing_before": "'{operator}' needs a term before it",
    "nothing_after": "'{operator}' must be followed by a term",
    "nothing_to_exclude": "'{operator}' must be followed by a term to exclude",
    "nested_field": "a field prefix cannot contain another field prefix",
    "unexpected_end": "the query ends where a term was expected",
    "unexpected": "unexpected '{text}'",
    "bare_wildcard": "a wildcard needs at least one character before '*'",
    "inner_wildcard": "only a trailing wildcard is supported ('word*')",
    "fuzzy_distance": "fuzzy distance must be 1 or 2 ('{word}~' or '{word}~2'), not '{distance}'",
    "bare_fuzzy": "'~' needs a word before it",
}


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "(", ")", "-", "word", "phrase", "field", "OR", "AND", "NOT", "eof"
    text: str
    pos: int  # 0-based index in the query


def _err(code: str, pos: int, **params: str) -> QuerySyntaxError:
    message = SYNTAX_ERRORS[code].format(**params)
    return QuerySyntaxError(f"{message} (at character {pos + 1})", pos, code=code, params=params)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text.translate(_FULLWIDTH)
        self.i = 0
        self.toks: list[_Tok] = []

    def run(self) -> list[_Tok]:
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch.isspace():
                self.i += 1
            elif ch in "()":
                self.toks.append(_Tok(ch, ch, self.i))
                self.i += 1
            elif ch == '"':
                self._phrase()
            elif ch == "-" and self._starts_operand(self.i + 1):
                self.toks.append(_Tok("-", "-", self.i))
                self.i += 1
            elif ch == "-" and self._alone(self.i):
                raise _err("lone_minus", self.i)
            else:
                self._word()
        self.toks.append(_Tok("eof", "", len(self.s)))
        return self.toks

    def _starts_operand(self, j: int) -> bool:
        return j < len(self.s) and not self.s[j].isspace() and self.s[j] not in ")-"

    def _alone(self, j: int) -> bool:
        return j + 1 >= len(self.s) or self.s[j + 1].isspace() or self.s[j + 1] == ")"

    def _phrase(self) -> None:
        start = self.i
        end = self.s.find('"', start + 1)
        closed = end >= 0
        if not closed:
            end = len(self.s)  # lenient: an unclosed quote ends with the query
        body = self.s[start + 1 : end]
        if not body.strip():
            if closed:
                raise _err("empty_phrase", start)
            self.i = end  # a lone '"' at the end: nothing to search for
            return
        self.toks.append(_Tok("phrase", body, start))
        self.i = end + 1

    def _word(self) -> None:
        start = self.i
        while self.i < len(self.s) and not self.s[self.i].isspace() and self.s[self.i] not in '()"':
            self.i += 1
        word = self.s[start : self.i]
        head, colon, _rest = word.partition(":")
        if colon and head.isascii() and head.isalpha():
            self._field(head, start)
            return
        kind = word if word in _KEYWORDS else "word"
        self.toks.append(_Tok(kind, word, start))

    def _field(self, head: str, start: int) -> None:
        name = head.lower()
        if name not in FIELDS:
            raise _err("unknown_field", start, field=head, fields=", ".join(f + ":" for f in FIELDS))
        self.toks.append(_Tok("field", name, start))
        self.i = start + len(head) + 1  # re-lex the value after the colon
        if self.i >= len(self.s) or self.s[self.i].isspace() or self.s[self.i] == ")":
            raise _err("field_without_value", start, field=head)


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.k = 0
        self.depth = 0

    def _enter(self, tok: _Tok) -> None:
        """One level deeper (a group or an exclusion); refused past :data:`MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryTooComplex(
                f"the query is nested more than {MAX_DEPTH} levels deep (at character {tok.pos + 1})",
                "depth",
                MAX_DEPTH,
                tok.pos,
            )

    @property
    def cur(self) -> _Tok:
        return self.toks[self.k]

    def take(self) -> _Tok:
        tok = self.toks[self.k]
        self.k += 1
        return tok

    def parse(self) -> Node:
        if self.cur.kind == "eof":
            return MatchAll()
        node = self.or_expr()
        if self.cur.kind == ")":
            raise _err("unmatched_close", self.cur.pos)
        return node

    def or_expr(self) -> Node:
        if self.cur.kind == "OR":
            raise _err("nothing_before", self.cur.pos, operator="OR")
        children = [self.and_expr()]
        while self.cur.kind == "OR":
            op = self.take()
            if self.cur.kind in ("eof", ")", "OR", "AND"):
                raise _err("nothing_after", op.pos, operator="OR")
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while self.cur.kind not in ("eof", ")", "OR"):
            if self.cur.kind == "AND":
                op = self.take()
                if self.cur.kind in ("eof", ")", "OR", "AND"):
                    raise _err("nothing_after", op.pos, operator="AND")
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        tok = self.cur
        if tok.kind in ("-", "NOT"):
            self.take()
            if self.cur.kind in ("eof", ")", "OR", "AND"):
                raise _err("nothing_to_exclude", tok.pos, operator=tok.text)
            self._enter(tok)
            child = self.unary()
            self.depth -= 1
            return Not(child)
        if tok.kind == "AND":
            raise _err("nothing_before", tok.pos, operator="AND")
        return self.primary(None)

    def primary(self, field: str | None) -> Node:
        tok = self.take()
        if tok.kind == "(":
            return self.group(tok, field)
        if tok.kind == "field":
            if field is not None:
                raise _err("nested_field", tok.pos)
            return self.primary(tok.text)
        if tok.kind == "phrase":
            return Phrase(tok.text, field)
        if tok.kind in ("word", "OR", "AND", "NOT") and field is not None:
            return _leaf(tok, field)
        if tok.kind == "word":
            return _leaf(tok, None)
        if tok.kind == ")":
            raise _err("unmatched_close", tok.pos)
        if tok.kind == "eof":
            raise _err("unexpected_end", tok.pos)
        raise _err("unexpected", tok.pos, text=tok.text)

    def group(self, open_tok: _Tok, field: str | None) -> Node:
        if self.cur.kind == ")":
            raise _err("empty_group", open_tok.pos)
        if self.cur.kind == "eof":
            raise _err("unclosed_group", open_tok.pos)
        self._enter(open_tok)
        node = self.or_expr()
        self.depth -= 1
        if self.cur.kind != ")":
            raise _err("unclosed_group", open_tok.pos)
        self.take()
        return _with_field(node, field) if field else node


def _leaf(tok: _Tok, field: str | None) -> Node:
    word, pos = tok.text, tok.pos
    if word.endswith("*"):
        stem = word.rstrip("*")
        if not stem:
            raise _err("bare_wildcard", pos)
        if "*" in stem:
            raise _err("inner_wildcard", pos + stem.index("*"))
        return Prefix(stem, field)
    if "*" in word:
        raise _err("inner_wildcard", pos + word.index("*"))
    stem, tilde, dist = word.rpartition("~")
    if tilde and stem and "~" not in stem:
        if dist not in ("", "1", "2"):
            raise _err("fuzzy_distance", pos + len(stem), word=stem, distance=dist)
        return Fuzzy(stem, int(dist or "1"), field)
    if tilde and not stem:
        raise _err("bare_fuzzy", pos)
    return Term(word, field)


def _with_field(node: Node, field: str) -> Node:
    """Apply ``field:`` to every leaf of a group: ``party:(华为 OR 中兴)``."""
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_with_field(c, field) for c in node.children))
    if isinstance(node, Not):
        return Not(_with_field(node.child, field))
    if isinstance(node, MatchAll):
        return node
    if isinstance(node, Fuzzy):
        return Fuzzy(node.text, node.distance, node.field or field)
    return type(node)(node.text, node.field or field)


def parse_query(text: str) -> Node:
    """Parse query text; an empty (or blank) query matches everything."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooComplex(
            f"the query is longer than {MAX_QUERY_LENGTH} characters", "length", MAX_QUERY_LENGTH, MAX_QUERY_LENGTH
        )
    return _Parser(_Lexer(text).run()).parse()

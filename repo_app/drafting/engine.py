"""Word templates: find the placeholders of a DOCX (with where each one stands) and fill it.

Templates use docxtpl's Jinja-in-Word syntax: ``{{ buyer }}``, ``{{ price.upper }}``,
``{% if has_warranty %}…{% endif %}``, ``{%tr for row in items %}`` in a table row, and
``{{ clause("confidentiality") }}`` for a clause of the library. This module knows nothing of
Flask or the database: the caller passes the clause texts and gets bytes back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, Listing
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

#: Names the template may use without declaring them.
GLOBALS = frozenset({"clause", "loop"})
_DOCXTPL_TAG = re.compile(r"\{%-?\s*(?:tr|tc|p|r)\s+")
_DOCXTPL_PRINT = re.compile(r"\{\{-?\s*(?:r|p)\s+")
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


class TemplateProblem(Exception):
    """The Word file is not a usable template; ``where`` names the paragraph or table cell."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


@dataclass(frozen=True)
class Block:
    """One paragraph of the document's text, with a label saying where it stands."""

    where: str
    text: str


@dataclass
class Scan:
    """What a template uses: each variable (with the first place it appears and the type its
    use suggests), and the clause keys it includes."""

    variables: dict[str, str] = field(default_factory=dict)
    guessed_types: dict[str, str] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    clauses: dict[str, str] = field(default_factory=dict)


def blocks(data: bytes) -> list[Block]:
    """The document body's paragraphs in order, those inside tables labelled with their cell."""
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise TemplateProblem(f"not a readable Word (DOCX) file: {error}") from None
    out: list[Block] = []
    paragraph_number = table_number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_number += 1
            out.append(Block(f"paragraph {paragraph_number}", item.text))
        elif isinstance(item, Table):
            table_number += 1
            out.extend(_table_blocks(item, table_number))
    return out


def _table_blocks(table: Table, number: int) -> Iterator[Block]:
    for row_index, row in enumerate(table.rows, start=1):
        for cell_index, cell in enumerate(row.cells, start=1):
            for paragraph in cell.paragraphs:
                yield Block(f"table {number}, row {row_index}, cell {cell_index}", paragraph.text)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _source(items: list[Block]) -> str:
    """One Jinja line per paragraph, docxtpl's row/paragraph/run prefixes made plain Jinja."""
    lines = []
    for block in items:
        text = block.text.replace("\n", " ").translate(_SMART_QUOTES)
        text = _DOCXTPL_PRINT.sub("{{ ", _DOCXTPL_TAG.sub("{% ", text))
        lines.append(text)
    return "\n".join(lines)


def scan(data: bytes) -> Scan:
    """Parse the template; a Jinja syntax error is a :class:`TemplateProblem` naming its place."""
    items = blocks(data)
    source = _source(items)
    try:
        tree = _environment().parse(source)
    except TemplateSyntaxError as error:
        where = items[error.lineno - 1].where if 0 < error.lineno <= len(items) else None
        raise TemplateProblem(error.message or str(error), where) from None
    result = Scan()
    declared = _undeclared(tree) - GLOBALS
    for name in sorted(declared, key=lambda n: _first_place(items, n)[0]):
        result.variables[name] = _first_place(items, name)[1]
    _infer(tree, result)
    for key, where in _clause_calls(tree, items):
        result.clauses.setdefault(key, where)
    return result


def _undeclared(tree: nodes.Template) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(tree))


def _first_place(items: list[Block], name: str) -> tuple[int, str]:
    pattern = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for index, block in enumerate(items):
        if pattern.search(block.text.translate(_SMART_QUOTES)):
            return index, block.where
    return len(items), "?"


def _clause_calls(tree: nodes.Template, items: list[Block]) -> Iterator[tuple[str, str]]:
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "clause":
            where = items[call.lineno - 1].where if 0 < call.lineno <= len(items) else "?"
            if (
                len(call.args) != 1
                or not isinstance(call.args[0], nodes.Const)
                or not isinstance(call.args[0].value, str)
            ):
                raise TemplateProblem('clause() takes one quoted clause key, e.g. clause("confidentiality")', where)
            yield call.args[0].value, where


_ATTRIBUTE_TYPES = {
    "upper": "money",
    "figures": "money",
    "currency": "money",
    "zh": "date",
    "en": "date",
    "iso": "date",
    "address": "party",
    "contact": "party",
}


def _infer(tree: nodes.Template, result: Scan) -> None:
    """Guess each variable's type from how the template uses it (the form lets the author fix it)."""
    loops = _infer_tables(tree, result)
    for attribute in tree.find_all(nodes.Getattr):
        if not isinstance(attribute.node, nodes.Name):
            continue
        owner = attribute.node.name
        if owner in loops:
            columns = result.columns[loops[owner]]
            if attribute.attr not in columns:
                columns.append(attribute.attr)
        elif attribute.attr in _ATTRIBUTE_TYPES:
            result.guessed_types.setdefault(owner, _ATTRIBUTE_TYPES[attribute.attr])
    for test in tree.find_all(nodes.If):
        if isinstance(test.test, nodes.Name):
            result.guessed_types.setdefault(test.test.name, "yesno")
    for name in result.variables:
        result.guessed_types.setdefault(name, _guess_by_name(name))


def _infer_tables(tree: nodes.Template, result: Scan) -> dict[str, str]:
    """Variables looped over are tables; the result maps each loop variable to its table."""
    loops: dict[str, str] = {}
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name):
            loops[loop.target.name] = loop.iter.name
            result.guessed_types[loop.iter.name] = "table"
            result.columns.setdefault(loop.iter.name, [])
    return loops


def _guess_by_name(name: str) -> str:
    lowered = name.lower()
    if "date" in lowered or "日期" in name:
        return "date"
    if any(word in lowered for word in ("amount", "price", "fee", "rent", "salary")) or "金额" in name:
        return "money"
    if lowered.startswith("party") or any(word in lowered for word in ("buyer", "seller", "lessor", "lessee")):
        return "party"
    return "text"


class Blank:
    """An optional value left empty: prints nothing, is false, and so is every attribute of it."""

    def __str__(self) -> str:
        return ""

    def __html__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Blank:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(())


def render(data: bytes, context: dict[str, Any], clause_text: Callable[[str], str]) -> bytes:
    """Fill the template. ``clause_text(key)`` gives the text of an included clause (paragraphs
    separated by newlines). Errors in the document become :class:`TemplateProblem`."""
    template = DocxTemplate(io.BytesIO(data))
    environment = _environment()
    environment.globals["clause"] = lambda key: Listing(clause_text(key))
    try:
        template.render(context, environment)
    except TemplateError as error:
        raise TemplateProblem(str(error)) from None
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def stamp(data: bytes, identifier: str, title: str) -> bytes:
    """Set the document's identifier and title properties, so that each draft is its own file
    (two drafts with the same values are still two contracts, not one duplicate upload)."""
    document = Document(io.BytesIO(data))
    document.core_properties.identifier = identifier
    document.core_properties.title = title[:255]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_texts(data: bytes, replacements: list[tuple[str, str]]) -> tuple[bytes, dict[str, int]]:
    """Turn a finished contract into a template: each literal text becomes a placeholder
    (``("上海样本贸易有限公司", "{{ party_b }}")``) in the body's paragraphs and table cells. A
    paragraph where a text spans several runs keeps the first run's formatting for its whole
    text. Returns the new file and how often each text was replaced."""
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise TemplateProblem(f"not a readable Word (DOCX) file: {error}") from None
    counts = {old: 0 for old, _new in replacements}
    for paragraph in _all_paragraphs(document):
        for old, new in replacements:
            if old and old in paragraph.text:
                counts[old] += paragraph.text.count(old)
                _replace_in_paragraph(paragraph, old, new)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), counts


def _all_paragraphs(document: Any) -> Iterator[Paragraph]:
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def _replace_in_paragraph(paragraph: Paragraph, old: str, new: str) -> None:
    runs = paragraph.runs
    if any(old in run.text for run in runs):
        for run in runs:
            run.text = run.text.replace(old, new)
    if old in paragraph.text and runs:
        runs[0].text = paragraph.text.replace(old, new)
        for run in runs[1:]:
            run.text = ""

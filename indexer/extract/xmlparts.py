"""Hardened, streaming XML parsing for document parts (WordprocessingML, OpenDocument, XHTML).

lxml with ``resolve_entities=False``, ``load_dtd=False``, ``no_network=True`` and ``huge_tree=False``:
external entities are never fetched (no XXE), internal entities are never expanded (no "billion
laughs"), and libxml2's own depth and size limits stay on. An entity reference is left out of the
text and the caller is told through :attr:`TextSink.saw_doctype`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from lxml import etree

from .model import ExtractionFailed, FailureReason

__all__ = [
    "Readable",
    "TextSink",
    "element_text",
    "has_doctype",
    "iterparse",
    "local_name",
    "namespace",
    "parse",
    "release",
]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def parse(stream: Readable, kind: str) -> etree._Element:
    """The whole part as a tree, with the same hardened settings as :func:`iterparse`."""
    try:
        return etree.parse(stream, etree.XMLParser(**_PARSER_OPTIONS)).getroot()
    except etree.XMLSyntaxError as error:
        raise ExtractionFailed(FailureReason.MALFORMED, f"The {kind} file has broken XML: {error}") from None


def iterparse(stream: Readable, kind: str) -> Iterator[tuple[str, etree._Element]]:
    """``(event, element)`` pairs for start and end events; parse errors become ``malformed``."""
    parser = etree.iterparse(stream, events=("start", "end"), **_PARSER_OPTIONS)
    try:
        yield from parser
    except etree.XMLSyntaxError as error:
        raise ExtractionFailed(FailureReason.MALFORMED, f"The {kind} file has broken XML: {error}") from None


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # entity references, comments
        return ""
    return tag.rpartition("}")[2]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def element_text(element: etree._Element) -> str:
    """Direct text of *element*, skipping unexpanded entity references but keeping the text after them."""
    parts = [element.text or ""]
    for child in element:
        parts.append(child.tail or "")
    return "".join(parts)


def has_doctype(element: etree._Element) -> bool:
    return bool(element.getroottree().docinfo.doctype)


def release(element: etree._Element) -> None:
    """Free a processed element and its already-processed earlier siblings (bounded memory)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class TextSink:
    """Collects text into pages; knows how to end paragraphs, table cells and rows."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.saw_doctype = False

    @property
    def _parts(self) -> list[str]:
        return self.pages[-1]

    def write(self, text: str) -> None:
        if text:
            self._parts.append(text)

    def trim(self, characters: str) -> None:
        """Remove *characters* from the end of what was written on the current page."""
        parts = self._parts
        while parts:
            stripped = parts[-1].rstrip(characters)
            if stripped:
                parts[-1] = stripped
                return
            parts.pop()

    def page_break(self) -> None:
        """Start a new page, unless the current one has no text yet (breaks often come in pairs)."""
        if "".join(self._parts).strip():
            self.pages.append([])

    def texts(self) -> list[str]:
        return ["".join(parts).strip("\n") for parts in self.pages]

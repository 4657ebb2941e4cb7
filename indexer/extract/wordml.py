"""DOCX read directly from its XML: body (tables included), headers, footers, footnotes, endnotes.

Why not python-docx: it loads whole parts into memory, skips headers' text boxes, and its parser
settings are not ours to harden. Here every part streams through :mod:`.xmlparts` under the
archive's decompression budget. Pages follow Word's last-rendered page breaks and explicit page
breaks, so they match what Word showed when the file was saved.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from .common import Deadline, PageText
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .safezip import SafeZip
from .xmlparts import TextSink, element_text, has_doctype, iterparse, local_name, namespace, release

__all__ = ["extract_docx"]

_W = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
#: Word elements whose content is not part of the current text: moved-away and deleted revisions.
_SKIPPED = {"moveFrom", "del", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange"}
#: What tabs and (line or carriage-return) breaks inside a run become in the text.
_RUN_CHARACTERS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n"}
_RELATIONSHIP_KINDS = ("header", "footer", "footnotes", "endnotes")
_MAIN_DEFAULT = "word/document.xml"
_KIND = "Word"


def extract_docx(path: Path, options: ExtractOptions, deadline: Deadline) -> PageText:
    with SafeZip(path, options.max_uncompressed_bytes, _KIND) as archive:
        main = _main_part(archive)
        related = _related_parts(archive, main)
        archive.check([main, *(name for names in related.values() for name in names)])
        result = PageText()
        body = _parse_part(archive, main, result)
        deadline.check("reading the document body")
        before = _unique(_part_texts(archive, related["header"], result))
        after = _unique(_part_texts(archive, related["footnotes"] + related["endnotes"] + related["footer"], result))
    pages = body or [""]
    if before:
        pages[0] = "\n".join([*before, pages[0]])
    if after:
        pages[-1] = "\n".join([pages[-1], *after])
    result.pages.extend(pages)
    return result


def _main_part(archive: SafeZip) -> str:
    """The main document part named by the package relationships (usually word/document.xml)."""
    for target, kind in _relationships(archive, "_rels/.rels", ""):
        if kind == "officeDocument" and target in archive.members:
            return target
    if _MAIN_DEFAULT in archive.members:
        return _MAIN_DEFAULT
    raise ExtractionFailed(FailureReason.MALFORMED, "The Word document has no main document part.")


def _related_parts(archive: SafeZip, main: str) -> dict[str, list[str]]:
    folder, name = posixpath.split(main)
    related: dict[str, list[str]] = {kind: [] for kind in _RELATIONSHIP_KINDS}
    for target, kind in _relationships(archive, posixpath.join(folder, "_rels", name + ".rels"), folder):
        if kind in related and target in archive.members and target not in related[kind]:
            related[kind].append(target)
    for kind in _RELATIONSHIP_KINDS:
        related[kind].sort(key=_natural)
    return related


def _relationships(archive: SafeZip, rels_name: str, folder: str) -> list[tuple[str, str]]:
    """``(part name, relationship kind)`` for internal targets of a .rels part; none if it is unreadable."""
    if rels_name not in archive.members:
        return []
    archive.check([rels_name])
    found: list[tuple[str, str]] = []
    try:
        with archive.open(rels_name) as stream:
            for event, element in iterparse(stream, _KIND):
                if event == "end" and local_name(element) == "Relationship":
                    target = element.get("Target") or ""
                    if element.get("TargetMode") != "External" and target:
                        part = (
                            target.lstrip("/")
                            if target.startswith("/")
                            else posixpath.normpath(posixpath.join(folder, target))
                        )
                        found.append((part, (element.get("Type") or "").rpartition("/")[2]))
    except ExtractionFailed as error:
        if error.reason is not FailureReason.MALFORMED:
            raise
    return found


def _part_texts(archive: SafeZip, names: list[str], result: PageText) -> list[str]:
    return ["\n".join(_parse_part(archive, name, result)).strip() for name in names]


def _unique(texts: list[str]) -> list[str]:
    return [text for text in dict.fromkeys(texts) if text]


def _natural(name: str) -> tuple[int, str]:
    digits = "".join(char for char in posixpath.basename(name) if char.isdigit())
    return (int(digits) if digits else 0, name)


def _parse_part(archive: SafeZip, name: str, result: PageText) -> list[str]:
    sink = TextSink()
    with archive.open(name) as stream:
        _walk(iterparse(stream, _KIND), sink)
    if sink.saw_doctype:
        result.warnings.append(f"{name} declares an XML DTD; its entities were ignored.")
    return sink.texts()


def _walk(events: Iterator[tuple[str, etree._Element]], sink: TextSink) -> None:
    """Turn WordprocessingML events into text: runs, tabs and breaks, paragraphs, table cells and rows."""
    skip = 0
    in_run = 0
    in_cell = 0
    checked_doctype = False
    for event, element in events:
        if not checked_doctype:
            sink.saw_doctype = has_doctype(element)
            checked_doctype = True
        name = local_name(element)
        space = namespace(element)
        if event == "start":
            if skip or (space in _W and name in _SKIPPED) or (space == _MC and name == "Fallback"):
                skip += 1
            elif space in _W:
                in_run += name == "r"
                in_cell += name == "tc"
            continue
        if skip:
            skip -= 1
            release(element)
            continue
        if space in _W:
            in_run, in_cell = _end(name, element, sink, in_run, in_cell)
        release(element)


def _end(name: str, element: etree._Element, sink: TextSink, in_run: int, in_cell: int) -> tuple[int, int]:
    """Write what a closing Word element stands for; returns the run and cell depths after it."""
    if name == "r":
        return in_run - 1, in_cell
    if name in ("p", "tc", "tr"):
        return in_run, _end_block(name, sink, in_cell)
    _end_inline(name, element, sink, inside_run=bool(in_run))
    return in_run, in_cell


def _end_block(name: str, sink: TextSink, in_cell: int) -> int:
    """A paragraph, table cell or table row ends; returns the cell depth after it."""
    if name == "p":
        sink.write(" " if in_cell else "\n")
        return in_cell
    if name == "tc":
        sink.trim(" \n")
        sink.write("\t")
        return in_cell - 1
    sink.trim("\t ")  # end of a table row
    sink.write("\n")
    return in_cell


def _end_inline(name: str, element: etree._Element, sink: TextSink, *, inside_run: bool) -> None:
    """Text, hyphens and rendered page breaks anywhere; tabs and breaks only inside a run."""
    if name == "t":
        sink.write(element_text(element))
    elif name == "noBreakHyphen":
        sink.write("-")
    elif name == "lastRenderedPageBreak":
        sink.page_break()
    elif inside_run and name == "br" and _attribute(element, "type") == "page":
        sink.page_break()
    elif inside_run and name in _RUN_CHARACTERS:
        sink.write(_RUN_CHARACTERS[name])


def _attribute(element: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever the (transitional or strict) namespace."""
    for key, value in element.attrib.items():
        if key.rpartition("}")[2] == name:
            return str(value)
    return None

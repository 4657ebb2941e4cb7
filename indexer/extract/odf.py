"""OpenDocument text (ODT) read natively: content.xml for the body, styles.xml for headers/footers.

Chosen over Tika and LibreOffice after the evaluation in docs/performance.md: an ODT is a ZIP of
XML like a DOCX, so the same hardened reader applies, it keeps headers and footers, and it also
reads files whose ZIP directory the other two refuse.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .common import Deadline, PageText
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .safezip import SafeZip
from .xmlparts import TextSink, has_doctype, local_name, namespace, parse

__all__ = ["extract_odt"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#: Subtrees whose text is not document text: deleted revisions, comments, note numbers, image
#: descriptions (and the templates of tables of contents, ``text:*-source``).
_SKIPPED = {
    (_TEXT, "tracked-changes"),
    (_OFFICE, "annotation"),
    (_OFFICE, "annotation-end"),
    (_TEXT, "note-citation"),
    (_SVG, "title"),
    (_SVG, "desc"),
    (_OFFICE, "forms"),
    (_OFFICE, "automatic-styles"),
    (_OFFICE, "font-face-decls"),
    (_OFFICE, "scripts"),
}
_MASTER_PARTS = {"header", "header-first", "header-left", "footer", "footer-first", "footer-left"}
_KIND = "OpenDocument"
_MAX_SPACES = 64


def extract_odt(path: Path, options: ExtractOptions, deadline: Deadline) -> PageText:
    with SafeZip(path, options.max_uncompressed_bytes, _KIND) as archive:
        if "content.xml" not in archive.members:
            raise ExtractionFailed(FailureReason.MALFORMED, "The OpenDocument file has no content.xml.")
        _refuse_encrypted(archive)
        parts = ["content.xml"] + (["styles.xml"] if "styles.xml" in archive.members else [])
        archive.check(parts)
        result = PageText()
        with archive.open("content.xml") as stream:
            content = parse(stream, _KIND)
        deadline.check("reading the document body")
        headers: list[str] = []
        footers: list[str] = []
        if "styles.xml" in archive.members:
            with archive.open("styles.xml") as stream:
                headers, footers = _master_page_texts(parse(stream, _KIND))
    if has_doctype(content):
        result.warnings.append("content.xml declares an XML DTD; its entities were ignored.")
    pages = _text_pages(content, _page_break_styles(content)) or [""]
    if headers:
        pages[0] = "\n".join([*headers, pages[0]])
    if footers:
        pages[-1] = "\n".join([pages[-1], *footers])
    result.pages.extend(pages)
    return result


def _refuse_encrypted(archive: SafeZip) -> None:
    manifest = "META-INF/manifest.xml"
    if manifest in archive.members:
        archive.check([manifest])
        if b"encryption-data" in archive.read(manifest):
            raise ExtractionFailed(FailureReason.ENCRYPTED, "The OpenDocument file is password-protected.")


def _master_page_texts(styles: etree._Element) -> tuple[list[str], list[str]]:
    headers: dict[str, None] = {}
    footers: dict[str, None] = {}
    for element in styles.iter(f"{{{_STYLE}}}*"):
        name = local_name(element)
        if name in _MASTER_PARTS:
            text = "\n".join(_text_pages(element)).strip()
            if text:
                (headers if name.startswith("header") else footers)[text] = None
    return list(headers), list(footers)


def _page_break_styles(content: etree._Element) -> dict[str, str]:
    """Paragraph styles that force a page break: ``{style name: "before" | "after"}``."""
    breaks: dict[str, str] = {}
    fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    for properties in content.iter(f"{{{_STYLE}}}paragraph-properties"):
        style = properties.getparent()
        name = style.get(f"{{{_STYLE}}}name") if style is not None else None
        if not name:
            continue
        if properties.get(f"{{{fo}}}break-before") == "page":
            breaks[name] = "before"
        elif properties.get(f"{{{fo}}}break-after") == "page":
            breaks[name] = "after"
    return breaks


def _text_pages(root: etree._Element, breaks: dict[str, str] | None = None) -> list[str]:
    """The text under *root*, split at soft page breaks (where the last layout broke pages) and at
    paragraphs whose style forces a page break."""
    breaks = breaks or {}
    sink = TextSink()
    skip = 0
    in_cell = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        key = (namespace(element), local_name(element))
        if event == "start":
            if skip or key in _SKIPPED or (key[0] == _TEXT and key[1].endswith("-source")):
                skip += 1
                continue
            in_cell += key == (_TABLE, "table-cell")
            if breaks.get(element.get(f"{{{_TEXT}}}style-name") or "") == "before":
                sink.page_break()
            _start(key, element, sink)
            continue
        if skip:
            skip -= 1
        else:
            in_cell = _end(key, sink, in_cell)
            if breaks.get(element.get(f"{{{_TEXT}}}style-name") or "") == "after":
                sink.page_break()
        if skip == 0 and element is not root:
            sink.write(element.tail or "")
    return sink.texts()


def _start(key: tuple[str, str], element: etree._Element, sink: TextSink) -> None:
    if key == (_TEXT, "s"):
        count = element.get(f"{{{_TEXT}}}c") or "1"
        sink.write(" " * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
    elif key == (_TEXT, "tab"):
        sink.write("\t")
    elif key == (_TEXT, "line-break"):
        sink.write("\n")
    elif key == (_TEXT, "soft-page-break"):
        sink.page_break()
    if isinstance(element.tag, str):  # an unexpanded entity reference has no text of its own
        sink.write(element.text or "")


def _end(key: tuple[str, str], sink: TextSink, in_cell: int) -> int:
    if key in ((_TEXT, "p"), (_TEXT, "h")):
        sink.write(" " if in_cell else "\n")
    elif key == (_TABLE, "table-cell"):
        sink.trim(" \n")
        sink.write("\t")
        in_cell -= 1
    elif key == (_TABLE, "table-row"):
        sink.trim("\t ")
        sink.write("\n")
    return in_cell

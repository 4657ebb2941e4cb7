"""Lay out a :class:`ContractDocument` as an A4 PDF (reportlab), embedding a CJK TrueType font.

The whole document uses one embedded TrueType font (:mod:`signer.fonts` finds it), so the
text layer extracts correctly and no viewer needs Asian font packs. Chinese
paragraphs wrap per character (``wordWrap="CJK"``); English ones per word.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from signer.fonts import register_reportlab_font

from .formatting import Language
from .model import Clause, ContractDocument, SignatureBlock
from .model import Table as TableData

#: The demo's own reportlab name: the app registers its PDF font under another.
FONT_NAME = "PactumDemoCJK"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_PADDING = 6  # reportlab's default Frame padding, inside the margins
CONTENT_LEFT = MARGIN_X + FRAME_PADDING
CONTENT_RIGHT = PAGE_WIDTH - MARGIN_X - FRAME_PADDING
TEXT_WIDTH = CONTENT_RIGHT - CONTENT_LEFT
SCHEDULE_COLUMN_SHARES = (0.07, 0.33, 0.11, 0.11, 0.18, 0.20)
RULE_GREY = colors.HexColor("#8c8c8c")
SHADE = colors.HexColor("#ececec")
#: Line-breaking rules (禁则) for Chinese text: reportlab's own are Japanese-centric
#: and hang at most one character, so lines could start with "，" or "。".
NOT_AT_LINE_START = "，。、；：！？）》〉」』】〕”’…％,.;:!?)]%"
NOT_AT_LINE_END = "（《〈「『【〔“‘([¥"


def render_pdf(document: ContractDocument, font_path: str | None = None) -> bytes:
    """The PDF bytes of *document* (deterministic: no timestamps, fixed document id), in the font
    at *font_path* (default: the first installed of :data:`signer.fonts.CJK_FONT_CANDIDATES`)."""
    font = register_cjk_font(font_path)
    _check_glyphs(font, document.plain_text())
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator="Pactum demo data",
        lang="zh-CN" if document.language == "zh" else "en",
        invariant=True,
        initialFontName=FONT_NAME,
    )
    decoration = _PageDecoration(document.title, document.reference_lines[0], document.footer_template)
    template.build(_story(document), canvasmaker=functools.partial(_DecoratedCanvas, decoration=decoration))
    return buffer.getvalue()


def register_cjk_font(font_path: str | None = None) -> Any:
    """Register (once) and return the embedded TrueType font of the demo PDFs."""
    register_reportlab_font(FONT_NAME, font_path)
    return pdfmetrics.getFont(FONT_NAME)


def _check_glyphs(font: Any, text: str) -> None:
    """Refuse to produce tofu: every printed character must exist in the font."""
    mapped = font.face.charToGlyph
    missing = sorted({char for char in text if not char.isspace() and ord(char) not in mapped})
    if missing:
        raise ValueError(f"font {font.face.name!r} has no glyph for: {''.join(missing)}")


# ---------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    reference: ParagraphStyle
    party_name: ParagraphStyle
    party: ParagraphStyle
    preamble: ParagraphStyle
    heading: ParagraphStyle
    item: ParagraphStyle
    closing: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    signature_party: ParagraphStyle
    signature_line: ParagraphStyle


@functools.cache
def _styles(language: Language) -> _Styles:
    chinese = language == "zh"
    base = ParagraphStyle(
        f"base-{language}",
        fontName=FONT_NAME,
        fontSize=10.5,
        leading=17 if chinese else 15,
        wordWrap="CJK" if chinese else None,
        alignment=TA_JUSTIFY,
    )

    def style(name: str, **overrides: Any) -> ParagraphStyle:
        return ParagraphStyle(f"{name}-{language}", parent=base, **overrides)

    return _Styles(
        title=style("title", fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=10),
        reference=style("reference", fontSize=9.5, leading=14, alignment=TA_RIGHT),
        party_name=style("party-name", fontSize=11, leading=18, spaceBefore=6, alignment=TA_LEFT),
        party=style("party", leftIndent=14, alignment=TA_LEFT),
        preamble=style("preamble", firstLineIndent=21 if chinese else 0, spaceBefore=10, spaceAfter=4),
        heading=style(
            "heading", fontSize=12, leading=18, spaceBefore=9, spaceAfter=3, keepWithNext=1, alignment=TA_LEFT
        ),
        item=style("item", leftIndent=24, firstLineIndent=-24, spaceAfter=2),
        closing=style("closing", alignment=TA_CENTER if chinese else TA_JUSTIFY, spaceBefore=12, spaceAfter=10),
        cell=style("cell", fontSize=9, leading=12, alignment=TA_LEFT),
        cell_right=style("cell-right", fontSize=9, leading=12, alignment=TA_RIGHT),
        signature_party=style("signature-party", fontSize=11, leading=18, alignment=TA_LEFT),
        signature_line=style("signature-line", leading=16, spaceBefore=12, alignment=TA_LEFT),
    )


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return _ChineseParagraph(escape(text), style)


class _ChineseParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose CJK-wrapped lines follow the Chinese line-breaking rules."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        lines = super().breakLinesCJK(maxWidths)
        if lines.kind == 0:  # plain text: one string per line (all our paragraphs)
            lines.lines = apply_line_break_rules(lines.lines, self.style.fontName, self.style.fontSize)
        return lines


Line = tuple[float, list[str]]  # reportlab's plain line: (spare width, [text])


def apply_line_break_rules(lines: list[Line], font_name: str, font_size: float) -> list[Line]:
    """Move opening punctuation off line ends and closing punctuation off line starts.

    Closing punctuation hangs at the end of the previous line (like reportlab's own
    rule, but for any number of marks); opening punctuation moves to the next line.
    """

    def width(text: str) -> float:
        return float(pdfmetrics.stringWidth(text, font_name, font_size))

    texts = [text for _, (text,) in lines]
    spares = [spare for spare, _ in lines]
    for index in range(1, len(texts)):
        previous, current = texts[index - 1], texts[index]
        opening = len(previous) - len(previous.rstrip(NOT_AT_LINE_END))
        if 0 < opening < len(previous):
            previous, current = previous[:-opening], previous[-opening:] + current
        closing = len(current) - len(current.lstrip(NOT_AT_LINE_START))
        previous, current = previous + current[:closing], current[closing:]
        spares[index - 1] -= width(previous) - width(texts[index - 1])
        spares[index] -= width(current) - width(texts[index])
        texts[index - 1], texts[index] = previous, current
    return [(spare, [text]) for spare, text in zip(spares, texts, strict=True) if text]


# ----------------------------------------------------------------------- story


def _story(document: ContractDocument) -> list[Flowable]:
    styles = _styles(document.language)
    story: list[Flowable] = [_para(document.title, styles.title)]
    story += [_para(line, styles.reference) for line in document.reference_lines]
    story.append(Spacer(1, 6))
    for party_lines in document.parties:
        name, *details = party_lines
        story.append(_para(name, styles.party_name))
        story += [_para(line, styles.party) for line in details]
    story.append(_para(document.preamble, styles.preamble))
    for clause in document.clauses:
        story += _clause(clause, styles)
    story.append(_para(document.closing, styles.closing))
    story.append(_signatures(document.signatures, styles))
    return story


def _clause(clause: Clause, styles: _Styles) -> list[Flowable]:
    flowables: list[Flowable] = [_para(clause.heading, styles.heading)]
    flowables += [_para(item, styles.item) for item in clause.items]
    if clause.table:
        flowables += [Spacer(1, 4), _table(clause.table, styles), Spacer(1, 4)]
    return flowables


def _table(data: TableData, styles: _Styles) -> Table:
    def cell(column: int, text: str) -> Paragraph:
        return _para(text, styles.cell_right if column in data.numeric_columns else styles.cell)

    header = [_para(text, styles.cell) for text in data.columns]
    body = [[cell(column, text) for column, text in enumerate(row)] for row in data.rows]
    table = Table(
        [header, *body],
        colWidths=[share * TEXT_WIDTH for share in SCHEDULE_COLUMN_SHARES],
        repeatRows=1,
    )
    last = len(body)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # else reportlab pulls in (unembedded) Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, last), (-1, last), SHADE),
                ("SPAN", (0, last), (-2, last)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _signatures(blocks: tuple[SignatureBlock, ...], styles: _Styles) -> Flowable:
    cells = [_signature_cell(block, styles) for block in blocks]
    if len(cells) % 2:
        cells.append([])
    rows = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[TEXT_WIDTH / 2] * 2)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 18),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6), table])


def _signature_cell(block: SignatureBlock, styles: _Styles) -> list[Flowable]:
    return [
        _para(block.party_line, styles.signature_party),
        *(_para(line, styles.signature_line) for line in block.lines),
    ]


# ------------------------------------------------------------ header and footer


@dataclass(frozen=True)
class _PageDecoration:
    """Running header (from page 2) and "page x of y" footer."""

    title: str
    reference: str
    footer_template: str

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.5)
        if page > 1:
            top = PAGE_HEIGHT - MARGIN_TOP + 8 * mm
            canvas.setFont(FONT_NAME, 8.5)
            canvas.drawString(CONTENT_LEFT, top, self.title)
            canvas.drawRightString(CONTENT_RIGHT, top, self.reference)
            canvas.line(CONTENT_LEFT, top - 2.5 * mm, CONTENT_RIGHT, top - 2.5 * mm)
        canvas.setFont(FONT_NAME, 9)
        canvas.drawCentredString(
            PAGE_WIDTH / 2, MARGIN_BOTTOM - 10 * mm, self.footer_template.format(page=page, total=total)
        )
        canvas.restoreState()


class _DecoratedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Canvas that holds pages back until the end so footers can say "of N"."""

    def __init__(self, *args: Any, decoration: _PageDecoration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decoration = decoration
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._decoration.draw(self, number, total)
            super().showPage()
        super().save()

"""Lay out a :class:`ContractDocument` as a Word document (python-docx).

Every run gets explicit fonts: a Latin face (``w:ascii``/``w:hAnsi``) and an
East Asian face (``w:eastAsia``) so that Word renders Chinese text in a Chinese
font instead of falling back per character. The output is deterministic: file
properties carry the signing date and the ZIP entries a fixed timestamp.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .formatting import Language
from .model import Clause, ContractDocument, SignatureBlock, Table

_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FIELD = re.compile(r"\{(page|total)\}")
_FIELD_CODES = {"page": "PAGE", "total": "NUMPAGES"}
_BLACK = RGBColor(0, 0, 0)
# Elements that must follow w:lang in w:rPr, and w:shd in w:tcPr (ECMA-376 sequence order).
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_TCPR_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)


@dataclass(frozen=True)
class _Fonts:
    latin: str
    body: str  # East Asian body face
    heading: str  # East Asian heading face
    language_tag: str


_FONTS: dict[Language, _Fonts] = {
    "zh": _Fonts(latin="Times New Roman", body="宋体", heading="黑体", language_tag="zh-CN"),
    "en": _Fonts(latin="Calibri", body="宋体", heading="黑体", language_tag="en-GB"),
}


def render_docx(document: ContractDocument) -> bytes:
    """The DOCX bytes of *document*."""
    fonts = _FONTS[document.language]
    word = Document()
    _set_up(word, document, fonts)
    writer = _Writer(word, fonts, chinese=document.language == "zh")
    writer.write(document)
    buffer = BytesIO()
    word.save(buffer)
    return _normalise_zip(buffer.getvalue(), document.signed_on)


def _set_up(word: DocxDocument, document: ContractDocument, fonts: _Fonts) -> None:
    for section in word.sections:
        section.top_margin = section.bottom_margin = Cm(2.4)
        section.left_margin = section.right_margin = Cm(2.2)
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element, fonts.latin, fonts.body)
    _set_language(normal.element, fonts.language_tag)
    heading = word.styles["Heading 1"]
    heading.font.size = Pt(12)
    heading.font.bold = True
    heading.font.color.rgb = _BLACK
    _set_fonts(heading.element, fonts.latin, fonts.heading)
    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subject
    properties.author = properties.last_modified_by = document.author
    properties.keywords = document.number
    properties.language = fonts.language_tag
    properties.created = properties.modified = datetime.combine(document.signed_on, datetime.min.time())
    properties.revision = 1


class _Writer:
    """Appends the parts of a contract to a python-docx document."""

    def __init__(self, word: DocxDocument, fonts: _Fonts, *, chinese: bool) -> None:
        self.word = word
        self.fonts = fonts
        self.chinese = chinese

    def write(self, document: ContractDocument) -> None:
        self._header_and_footer(document)
        self._paragraph(
            document.title,
            size=18,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            east_asia=self.fonts.heading,
            space_after=10,
        )
        for line in document.reference_lines:
            self._paragraph(line, size=9.5, align=WD_ALIGN_PARAGRAPH.RIGHT)
        for name, *details in document.parties:
            self._paragraph(name, size=11, bold=True, space_before=6)
            for line in details:
                self._paragraph(line, indent=Pt(14))
        self._paragraph(document.preamble, first_line=Pt(21) if self.chinese else None, space_before=8)
        for clause in document.clauses:
            self._clause(clause)
        self._paragraph(
            document.closing,
            space_before=12,
            align=WD_ALIGN_PARAGRAPH.CENTER if self.chinese else WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        self._signatures(document.signatures)

    # -- blocks

    def _clause(self, clause: Clause) -> None:
        heading = self.word.add_heading(level=1)
        self._run(heading, clause.heading, east_asia=self.fonts.heading)
        for item in clause.items:
            self._paragraph(item, indent=Pt(24), first_line=Pt(-24))
        if clause.table:
            self._table(clause.table)

    def _table(self, data: Table) -> None:
        table = self.word.add_table(rows=1 + len(data.rows), cols=len(data.columns))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        last = len(data.rows)
        table.cell(last, 0).merge(table.cell(last, len(data.columns) - 2))  # "合计" / "Total" label
        for row_index, row in enumerate((data.columns, *data.rows)):
            for column, text in enumerate(row):
                if not text:  # blank or covered by the merged total label
                    continue
                cell = table.cell(row_index, column)
                align = WD_ALIGN_PARAGRAPH.RIGHT if row_index and column in data.numeric_columns else None
                self._run(_only_paragraph(cell.paragraphs, align), text, size=9, bold=row_index == 0)
                if row_index == 0:
                    _shade(cell._tc)
        self.word.add_paragraph()

    def _signatures(self, blocks: tuple[SignatureBlock, ...]) -> None:
        rows = (len(blocks) + 1) // 2
        table: DocxTable = self.word.add_table(rows=rows, cols=2)
        for index, block in enumerate(blocks):
            cell = table.cell(index // 2, index % 2)
            self._run(_only_paragraph(cell.paragraphs, None), block.party_line, size=11, bold=True)
            for line in block.lines:
                paragraph = cell.add_paragraph()
                paragraph.paragraph_format.space_before = Pt(14)
                self._run(paragraph, line)

    def _header_and_footer(self, document: ContractDocument) -> None:
        section = self.word.sections[0]
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._run(header, f"{document.title}    {document.reference_lines[0]}", size=8.5)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for index, piece in enumerate(_FIELD.split(document.footer_template)):
            if index % 2:
                _add_field(footer, _FIELD_CODES[piece])
            elif piece:
                self._run(footer, piece, size=9)

    # -- primitives

    def _paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        east_asia: str | None = None,
        indent: Pt | None = None,
        first_line: Pt | None = None,
        space_before: float | None = None,
        space_after: float = 3,
    ) -> Paragraph:
        paragraph = self.word.add_paragraph()
        paragraph.alignment = align
        layout = paragraph.paragraph_format
        layout.left_indent = indent
        layout.first_line_indent = first_line
        layout.space_before = None if space_before is None else Pt(space_before)
        layout.space_after = Pt(space_after)
        self._run(paragraph, text, size=size, bold=bold, east_asia=east_asia)
        return paragraph

    def _run(
        self,
        paragraph: Paragraph,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        east_asia: str | None = None,
    ) -> None:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        _set_fonts(run._r, self.fonts.latin, east_asia or self.fonts.body)


def _only_paragraph(paragraphs: list[Paragraph], align: WD_ALIGN_PARAGRAPH | None) -> Paragraph:
    paragraph = paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _set_fonts(element: BaseOxmlElement, latin: str, east_asia: str) -> None:
    """Set ``w:rFonts`` (Latin + ``w:eastAsia``) on a run or style, dropping theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _set_language(style_element: BaseOxmlElement, tag: str) -> None:
    """``w:lang`` on a style's run properties, kept in schema order."""
    rpr = style_element.get_or_add_rPr()
    for existing in rpr.findall(qn("w:lang")):
        rpr.remove(existing)
    language = OxmlElement("w:lang", {qn("w:val"): tag, qn("w:eastAsia"): "zh-CN"})
    rpr.insert_element_before(language, *_RPR_AFTER_LANG)


def _shade(cell_element: BaseOxmlElement) -> None:
    shading = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "ECECEC"})
    cell_element.get_or_add_tcPr().insert_element_before(shading, *_TCPR_AFTER_SHD)


def _add_field(paragraph: Paragraph, code: str) -> None:
    """Append a simple field (``PAGE``, ``NUMPAGES``) showing "1" until Word updates it."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): code})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _normalise_zip(content: bytes, stamp: date) -> bytes:
    """Rewrite the package with a fixed timestamp on every entry (reproducible bytes)."""
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    output = BytesIO()
    with zipfile.ZipFile(BytesIO(content)) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()

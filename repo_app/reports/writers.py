"""The ledger written as XLSX, CSV or PDF from a stream of rows.

XLSX is written by XlsxWriter in ``constant_memory`` mode: each row goes to a temporary file as
soon as it is complete, so 100,000 rows take as little memory as ten. Cells are typed (numbers,
money with two decimals, dates), the header row is frozen and has an autofilter. CSV is UTF-8
with a byte-order mark so that Excel opens the Chinese correctly. The PDF (landscape, the CJK
font embedded, the filter in the header) holds at most :data:`PDF_MAX_ROWS` rows and says so.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from .ledger import Column, LedgerRow

#: The PDF lists at most this many contracts; XLSX and CSV have no limit.
PDF_MAX_ROWS = 2000
#: The ledger's columns the PDF prints (a page is not wide enough for every column).
PDF_COLUMNS = (
    "contract_number",
    "title",
    "contract_type",
    "status",
    "department",
    "counterparties",
    "amount",
    "currency",
    "signed_date",
    "expiry_date",
    "signature",
)

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
FORMATS = tuple(MEDIA_TYPES)


@dataclass(frozen=True)
class Header:
    """What the PDF's first lines say."""

    title: str
    filter_lines: Sequence[str]
    generated: str
    #: What the count line says instead of "N contracts." (the report builder: its groups).
    count_line: str | None = None


def write_xlsx(
    columns: Sequence[Column], rows: Iterable[LedgerRow] | Iterable[Any], sheet_name: str
) -> tuple[bytes, int]:
    """The rows as an XLSX workbook and how many were written."""
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="pactum-ledger-") as folder:
        path = Path(folder) / "ledger.xlsx"
        workbook = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "tmpdir": folder, "strings_to_numbers": False, "strings_to_urls": False},
        )
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#E2E8F0", "border": 1}),
            "integer": workbook.add_format({"num_format": "0"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        sheet = workbook.add_worksheet(sheet_name[:31])
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
        for index, column in enumerate(columns):
            sheet.write_string(0, index, column.heading(), formats["header"])
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, column in enumerate(columns):
                _write_cell(sheet, count, index, column, column.value(row), formats)
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
        workbook.close()
        return path.read_bytes(), count


def _write_cell(sheet: object, row: int, col: int, column: Column, value: object, formats: dict[str, object]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])  # type: ignore[attr-defined]
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats["date"])  # type: ignore[attr-defined]
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)  # type: ignore[attr-defined]
    elif isinstance(value, int | float | Decimal):
        cell_format = formats["money"] if column.kind == "money" else formats.get(column.kind)
        sheet.write_number(row, col, float(value), cell_format)  # type: ignore[attr-defined]
    else:
        sheet.write_string(row, col, str(value))  # type: ignore[attr-defined]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def write_csv(columns: Sequence[Column], rows: Iterable[LedgerRow] | Iterable[Any]) -> tuple[bytes, int]:
    """The rows as CSV (UTF-8 with a BOM) and how many were written."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([column.heading() for column in columns])
    count = 0
    for row in rows:
        writer.writerow([_text(column.value(row)) for column in columns])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def write_pdf(
    columns: Sequence[Column],
    rows: Iterable[LedgerRow] | Iterable[Any],
    header: Header,
    total: int,
    printed_keys: Collection[str] | None = PDF_COLUMNS,
) -> tuple[bytes, int]:
    """The first :data:`PDF_MAX_ROWS` rows as a landscape table under a header naming the filter
    (the columns of ``printed_keys``; None prints every column)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

    from ..core.fonts import landscape_pdf, register_pdf_font

    font = register_pdf_font()
    body = ParagraphStyle("ledger-body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("ledger-cell", parent=body, fontSize=7, leading=9)
    head_cell = ParagraphStyle("ledger-head", parent=cell, textColor=colors.white)
    small = ParagraphStyle("ledger-small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#475569"))
    printed = [column for column in columns if printed_keys is None or column.key in printed_keys]
    story: list[Flowable] = [
        Paragraph(escape(header.title), ParagraphStyle("ledger-title", parent=body, fontSize=15, leading=20))
    ]
    story.extend(Paragraph(escape(line), body) for line in header.filter_lines)
    story.append(Paragraph(escape(header.generated), small))
    shown = min(total, PDF_MAX_ROWS)
    count_line = header.count_line or ngettext("%(num)d contract.", "%(num)d contracts.", total)
    if total > PDF_MAX_ROWS:
        count_line += " " + _(
            "Only the first %(n)d are included: narrow the filter or export XLSX or CSV for all of them.", n=shown
        )
    story.append(Paragraph(escape(count_line), small))
    story.append(Spacer(1, 4 * mm))
    table_rows = [[Paragraph(escape(column.heading()), head_cell) for column in printed]]
    count = 0
    for count, row in enumerate(rows, start=1):
        if count > PDF_MAX_ROWS:
            count = PDF_MAX_ROWS
            break
        table_rows.append([Paragraph(escape(_text(column.value(row))), cell) for column in printed])
    if count:
        weights = [max(column.width, 8) for column in printed]
        widths = [261 * mm * weight / sum(weights) for weight in weights]
        table = LongTable(table_rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#334155")),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f9")]),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cbd5e1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(escape(_("No contracts match")), body))
    return landscape_pdf(story, header.title), count

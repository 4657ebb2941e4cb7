"""The audit trail as a PDF: a header naming the filter, then one table row per event, in an
embedded CJK font so that Chinese titles, names and details print as text (not boxes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from ..core.audit.models import AuditEvent
from ..core.fonts import landscape_pdf, register_pdf_font

#: Column widths in mm on landscape A4 (261 mm between the margins).
COLUMN_WIDTHS_MM = (11, 33, 38, 33, 14, 87, 22, 23)
#: Hex digits of each event's chain hash printed (enough to find the row in the CSV export).
HASH_DIGITS = 12


@dataclass(frozen=True)
class TrailHeader:
    """What the first lines of the PDF say: the filter, who exported it and when."""

    filter_lines: tuple[str, ...]
    generated_by: str | None
    generated_at: str
    shown: int
    truncated: bool


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle


def _styles(font_name: str) -> _Styles:
    body = ParagraphStyle("audit-body", fontName=font_name, fontSize=9.5, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("audit-cell", parent=body, fontSize=7.5, leading=9.5)
    return _Styles(
        body=body,
        heading=ParagraphStyle("audit-heading", parent=body, fontSize=15, leading=20, spaceAfter=4),
        small=ParagraphStyle(
            "audit-small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#475569")
        ),
        cell=cell,
        head_cell=ParagraphStyle("audit-head-cell", parent=cell, textColor=colors.white),
    )


def _header(header: TrailHeader, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(escape(_("Audit trail")), styles.heading)]
    story.extend(Paragraph(escape(line), styles.body) for line in header.filter_lines)
    generated = _("Exported %(when)s by %(who)s from Pactum", when=header.generated_at, who=header.generated_by or "—")
    story.append(Paragraph(escape(generated), styles.small))
    count = ngettext("%(num)d event.", "%(num)d events, newest first.", header.shown)
    if header.truncated:
        count = " ".join(
            (count, _("Only the newest %(n)d are included: narrow the filter or export CSV.", n=header.shown))
        )
    story.append(Paragraph(escape(count), styles.small))
    story.append(Spacer(1, 4 * mm))
    return story


def _row(event: AuditEvent, sentence: str, style: ParagraphStyle) -> list[Paragraph]:
    details = json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True)
    contract = "" if event.contract_id is None else str(event.contract_id)
    values = (
        str(event.seq),
        f"{event.at:%Y-%m-%d %H:%M:%S}",
        event.actor_email or "—",
        event.action,
        contract,
        details,
        event.ip or "",
        event.hash[:HASH_DIGITS],
    )
    cells = [Paragraph(escape(value), style) for value in values]
    cells[3] = Paragraph(f"{escape(sentence)}<br/>{escape(event.action)}", style)  # the sentence, then the code
    return cells


def _table(events: Sequence[AuditEvent], sentences: Sequence[str], styles: _Styles) -> LongTable:
    titles = ("#", _("Time (UTC)"), _("Actor"), _("Action"), _("Contract"), _("Details"), "IP", _("Hash"))
    rows = [[Paragraph(escape(title), styles.head_cell) for title in titles]]
    rows.extend(_row(event, sentence, styles.cell) for event, sentence in zip(events, sentences, strict=True))
    table = LongTable(rows, colWidths=[width * mm for width in COLUMN_WIDTHS_MM], repeatRows=1)
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
    return table


def render_trail_pdf(events: Sequence[AuditEvent], sentences: Sequence[str], header: TrailHeader) -> bytes:
    """The events (newest first, as given), each with its sentence, under a header naming the filter."""
    styles = _styles(register_pdf_font())
    story = _header(header, styles)
    if events:
        story.append(_table(events, sentences, styles))
    else:
        story.append(Paragraph(escape(_("No events match")), styles.body))
    return landscape_pdf(story, _("Audit trail"))

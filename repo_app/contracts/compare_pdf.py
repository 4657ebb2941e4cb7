"""The comparison of two versions as a PDF (insertions green and underlined, deletions red
and struck through, moved paragraphs blue), with an embedded CJK font."""
from __future__ import annotations

import io
from html import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from indexer.compare import Comparison

from ..demo.render_pdf import FONT_NAME, register_cjk_font
from ..timeutil import utcnow

_MARKUP = {
    "insert": '<font color="#15803d"><u>{new}</u></font>',
    "delete": '<font color="#b91c1c"><strike>{old}</strike></font>',
    "replace": '<font color="#b91c1c"><strike>{old}</strike></font><font color="#15803d"><u>{new}</u></font>',
    "move": '<font color="#1d4ed8">[{moved}] {new}</font>',
    "equal": "{new}",
}


def _inline_markup(comparison: Comparison) -> list[str]:
    """The new text with the changes marked, one string per paragraph."""
    moved_label = escape(_("moved"))
    body = "".join(
        _MARKUP[op.op].format(old=escape(op.old_text), new=escape(op.new_text), moved=moved_label)
        for op in comparison.operations)
    return [part.replace("\n", "<br/>") for part in body.split("\n\n") if part.strip()]


def render_comparison_pdf(title: str, old_number: int, new_number: int, comparison: Comparison) -> bytes:
    register_cjk_font()
    base = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=base, fontSize=15, leading=20, spaceAfter=4)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, textColor=colors.HexColor("#475569"))
    summary = _("%(ins)d insertions, %(dels)d deletions, %(reps)d replacements, %(moves)d moved paragraphs",
                ins=comparison.insertions, dels=comparison.deletions, reps=comparison.replacements,
                moves=comparison.moves)
    story = [Paragraph(escape(_("Comparison: %(title)s", title=title)), heading),
             Paragraph(escape(_("Version %(a)d → version %(b)d · %(summary)s", a=old_number, b=new_number,
                                summary=summary)), small)]
    if comparison.changed_clauses:
        story.append(Paragraph(escape(_("Changed clauses: %(names)s",
                                        names="、".join(comparison.changed_clauses))), small))
    story.append(Paragraph(escape(_("Generated %(when)s UTC by Pactum", when=f"{utcnow():%Y-%m-%d %H:%M}")), small))
    story.append(Spacer(1, 6 * mm))
    story.extend(Paragraph(paragraph, base) for paragraph in _inline_markup(comparison))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=title, invariant=1).build(story)
    return buffer.getvalue()

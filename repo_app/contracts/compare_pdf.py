"""The comparison of two versions as a PDF (insertions green and underlined, deletions red
and struck through, moved paragraphs blue, struck through where they stood), with an embedded
CJK font."""

from __future__ import annotations

import io
import re
from html import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from indexer.compare import Comparison, DiffOperation, MovedFrom

from ..core import clock, deadline
from ..core.fonts import register_pdf_font

_INSERTED = '<font color="#15803d"><u>{}</u></font>'
_DELETED = '<font color="#b91c1c"><strike>{}</strike></font>'
_MOVED_HERE = '<font color="#1d4ed8">[{label}] {{}}</font>'
_MOVED_FROM = '<font color="#1d4ed8">[{label}] <strike>{{}}</strike></font>'
#: A paragraph break, as indexer.compare cuts paragraphs.
_BREAK = re.compile(r"\n\s*\n|\f")


def _marked(text: str, markup: str) -> str:
    """``text`` escaped, each paragraph's part of it wrapped in ``markup`` on its own: the PDF is
    built paragraph by paragraph, so no tag may run across a paragraph break."""
    return "\n\n".join(markup.format(escape(part)) if part.strip() else escape(part) for part in _BREAK.split(text))


def _op_markup(op: DiffOperation | MovedFrom) -> str:
    if isinstance(op, MovedFrom):
        return op.before + _marked(op.old_text, _MOVED_FROM.format(label=escape(_("Moved from here")))) + op.after
    if op.op == "equal":
        return escape(op.new_text)
    if op.op == "move" and op.edits:  # one paragraph: its word changes marked inside the move's colour
        inner = "".join(escape(edit.new_text) if edit.op == "equal" else _op_markup(edit) for edit in op.edits)
        return _MOVED_HERE.format(label=escape(_("Moved here"))).format(inner)
    if op.op == "move":
        return _marked(op.new_text, _MOVED_HERE.format(label=escape(_("Moved here"))))
    return _marked(op.old_text, _DELETED) + _marked(op.new_text, _INSERTED)


def _inline_markup(comparison: Comparison) -> list[str]:
    """The new text with the changes marked, one string per paragraph; a moved paragraph is
    marked where it now stands and, struck out, where it stood."""
    body = "".join(_op_markup(op) for op in comparison.with_move_origins())
    return [part.replace("\n", "<br/>") for part in _BREAK.split(body) if part.strip()]


#: Paragraphs laid out between two checks of the request's deadline.
_PARAGRAPHS_PER_CHECK = 50


class _DeadlineCheck(Flowable):  # type: ignore[misc]
    """Takes no room; checks the deadline when reportlab lays it out, so building the PDF of a
    long comparison stops at the request's time limit rather than running on."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        deadline.check()
        return 0, 0

    def draw(self) -> None:
        return None


def _body(paragraphs: list[str], style: ParagraphStyle) -> list[Flowable]:
    body: list[Flowable] = []
    for index, paragraph in enumerate(paragraphs):
        if index % _PARAGRAPHS_PER_CHECK == 0:
            body.append(_DeadlineCheck())
        body.append(Paragraph(paragraph, style))
    return body


def render_comparison_pdf(title: str, old_number: int, new_number: int, comparison: Comparison) -> bytes:
    base = ParagraphStyle("body", fontName=register_pdf_font(), fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=base, fontSize=15, leading=20, spaceAfter=4)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, textColor=colors.HexColor("#475569"))
    summary = _(
        "%(ins)d insertions, %(dels)d deletions, %(reps)d replacements, %(moves)d moved paragraphs",
        ins=comparison.insertions,
        dels=comparison.deletions,
        reps=comparison.replacements,
        moves=comparison.moves,
    )
    story = [
        Paragraph(escape(_("Comparison: %(title)s", title=title)), heading),
        Paragraph(
            escape(_("Version %(a)d → version %(b)d · %(summary)s", a=old_number, b=new_number, summary=summary)), small
        ),
    ]
    if comparison.changed_clauses:
        story.append(
            Paragraph(escape(_("Changed clauses: %(names)s", names="、".join(comparison.changed_clauses))), small)
        )
    story.append(Paragraph(escape(_("Generated %(when)s UTC by Pactum", when=f"{clock.now():%Y-%m-%d %H:%M}")), small))
    story.append(Spacer(1, 6 * mm))
    story.extend(_body(_inline_markup(comparison), base))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        invariant=1,
    ).build(story)
    return buffer.getvalue()

"""Small Word templates built in the tests."""

from __future__ import annotations

import io

from docx import Document


def docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for grid in document.tables:
        lines.extend(" | ".join(cell.text for cell in row.cells) for row in grid.rows)
    return "\n".join(lines)


PURCHASE = docx(
    "采购合同 编号 {{ number }}",
    "买方：{{ buyer }}，地址：{{ buyer.address }}",
    "合同价款：{{ price }}（大写：{{ price.upper }}），签订日期：{{ signed }}",
    "{%p if warranty %}",
    "质量保证期为十二个月。",
    "{%p endif %}",
    '{{ clause("confidentiality") }}',
    table=[["{%tr for row in items %}", ""], ["{{ row.name }}", "{{ row.qty }}"], ["{%tr endfor %}", ""]],
)

"""Build the small Word/OpenDocument/RTF fixtures used by the extraction tests and benchmark.

The DOCX is written with python-docx (two pages, a table, a header and a footer, Chinese and
English); LibreOffice (headless) converts it to DOC, ODT and RTF. The outputs are committed under
``tests/indexer/extract/data/`` so the tests need neither python-docx's writer nor LibreOffice.
Re-run only to change the fixtures:

    .venv/bin/python bench/extract/make_office_fixtures.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK

OUT = Path(__file__).resolve().parents[2] / "tests" / "indexer" / "extract" / "data"

#: Every line the fixtures contain, in reading order (header and footer excluded).
PAGE_ONE = [
    "房屋租赁合同 Lease Agreement",
    "合同编号：PCT-2025-0301",
    "出租方（甲方）：北京星河置业有限公司",
    "承租方（乙方）：上海云帆科技有限公司",
    "本合同于2025年3月1日在北京签订，自签署之日起生效，有效期三年。",
    "月租金为人民币壹拾万元整（¥100,000.00）。",
]
TABLE = [("项目 Item", "金额 Amount"), ("押金 Deposit", "200,000元"), ("服务费 Fee", "USD 1,000")]
PAGE_TWO = [
    "第二条 This Agreement is entered into by and between Alpha Ltd. and Beta Inc.",
    "双方签字盖章后生效。",
]
HEADER = "页眉 Pactum Header 测试"
FOOTER = "页脚 Confidential Footer"


def build_docx(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    for line in PAGE_ONE:
        document.add_paragraph(line)
    table = document.add_table(rows=len(TABLE), cols=2)
    for row, (left, right) in zip(table.rows, TABLE, strict=True):
        row.cells[0].text = left
        row.cells[1].text = right
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in PAGE_TWO:
        document.add_paragraph(line)
    document.save(str(path))


def convert(source: Path, target_format: str, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(out_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out_dir / f"{source.stem}.{target_format.split(':')[0]}"


def main() -> int:
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    docx_path = OUT / "lease.docx"
    build_docx(docx_path)
    for fmt in ("doc", "odt", "rtf"):
        print(convert(docx_path, fmt, OUT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

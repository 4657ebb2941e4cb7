"""``python -m bench.render [--repeats 1,5,25] [--runs 3]``: seconds per PDF rendition of a
Word contract with LibreOffice (``indexer.render``), and of repaginating its extracted text.

The contract is the corpus's 借款合同 (``zh_contract_templates_yh``, about 700 characters,
two pages) written as a DOCX with python-docx, ``repeat`` times over for longer ones.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from indexer.extract import extract
from indexer.render import RenderOptions, pdf_page_texts, render_pdf, repaginate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTRACT = (
    Path(__file__).resolve().parents[2].parent
    / "shared/corpus/zh_contract_templates_yh/txt/hyhetong/jiedai/jiedaiht01.txt"
)


def _docx(repeat: int) -> bytes:
    import docx

    lines = [line.strip() for line in CONTRACT.read_text(encoding="utf-8").splitlines() if line.strip()]
    document = docx.Document()
    for _ in range(repeat):
        for line in lines:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def measure(repeat: int, runs: int, folder: Path) -> str:
    source = folder / f"contract-{repeat}.docx"
    source.write_bytes(_docx(repeat))
    options = RenderOptions(work_dir=folder)
    render_pdf(source, folder / "warm", options)  # the slot's profile is made once, then reused
    times = []
    for run in range(runs):
        started = time.perf_counter()
        pdf = render_pdf(source, folder / f"out{run}", options)
        times.append(time.perf_counter() - started)
    pages = pdf_page_texts(pdf)
    extraction = extract(source, DOCX)
    started = time.perf_counter()
    paged = repaginate(extraction, pages)
    align = time.perf_counter() - started
    return (
        f"| {len(extraction.text):,} | {len(pages)} | {statistics.median(times):.2f} s | "
        f"{min(times):.2f}–{max(times):.2f} s | {align * 1000:.1f} ms ({paged.page_count} pages) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", default="1,5,25", help="how many times the contract is repeated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| characters | pages | median per conversion | range | repaginating |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for repeat in (int(value) for value in args.repeats.split(",")):
            print(measure(repeat, args.runs, Path(folder)), flush=True)


if __name__ == "__main__":
    main()

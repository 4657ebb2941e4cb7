"""Extraction benchmark: time per format, OCR time per page with and without OMP_THREAD_LIMIT=1,
and the DOC/ODT/RTF engine comparison (native iscc-tika against LibreOffice headless).

    .venv/bin/python bench/extract/run.py [--corpus PATH] [--skip-libreoffice]

Prints Markdown tables (the numbers in docs/performance.md come from this command). Medians of
3 runs for the fast cases, 1 run for OCR. Needs the shared corpus beside the checkout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from bench.extract.metrics import character_error_rate  # noqa: E402
from indexer.extract import Extraction, ExtractOptions, extract  # noqa: E402
from indexer.extract.common import Deadline  # noqa: E402
from indexer.extract.ocr import encode_for_ocr, run_tesseract  # noqa: E402
from tests.paths import CORPUS  # noqa: E402

DEFAULT_CORPUS = CORPUS
FIXTURES = ROOT / "tests" / "indexer" / "extract" / "data"
TEN_PAGE_PDF = (
    "cuad/full_contract_pdf/Part_I/Development/"
    "AimmuneTherapeuticsInc_20200205_8-K_EX-10.3_11967170_EX-10.3_Development Agreement.pdf"
)
SCANS = (
    "ocr_derived/en/en_02.scan.pdf",
    "ocr_derived/zh/zh_02_dichanht01.clean.pdf",
    "ocr_derived/zh/zh_03_zulinght01.scan.pdf",
)
#: Lines every engine should find in the lease fixtures (body, table, header, footer).
EXPECTED_LINES = (
    "合同编号：PCT-2025-0301",
    "出租方（甲方）：北京星河置业有限公司",
    "月租金为人民币壹拾万元整（¥100,000.00）。",
    "押金 Deposit",
    "200,000元",
    "by and between Alpha Ltd. and Beta Inc.",
    "双方签字盖章后生效。",
)
HEADER_FOOTER = ("页眉 Pactum Header 测试", "页脚 Confidential Footer")
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
}


def timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


def three_page_scan(corpus: Path, folder: Path) -> Path:
    merged = pdfium.PdfDocument.new()
    for name in SCANS:
        source = pdfium.PdfDocument(str(corpus / name))
        merged.import_pages(source)
        source.close()
    path = folder / "scan-3-pages.pdf"
    merged.save(str(path))
    merged.close()
    return path


def format_rows(corpus: Path, folder: Path) -> list[tuple[str, str, Path, ExtractOptions, int]]:
    big_docx = corpus / "poi_docx_adversarial/document/bug65649.docx"
    text = next((corpus / "zh_contract_templates_yh" / "txt").rglob("*.txt"))
    return [
        (
            "10-page text PDF (CUAD, first 10 of 63 pages)",
            "pdf",
            corpus / TEN_PAGE_PDF,
            ExtractOptions(max_pages=10),
            3,
        ),
        ("3-page scan PDF (en + zh clean + zh scan)", "pdf", three_page_scan(corpus, folder), ExtractOptions(), 1),
        ("DOCX, 2 pages (lease fixture)", "docx", FIXTURES / "lease.docx", ExtractOptions(), 3),
        ("DOCX, 15 MB of XML (POI bug65649)", "docx", big_docx, ExtractOptions(), 3),
        ("ODT, 2 pages (native)", "odt", FIXTURES / "lease.odt", ExtractOptions(), 3),
        ("DOC (iscc-tika worker process)", "doc", FIXTURES / "lease.doc", ExtractOptions(), 3),
        ("RTF (iscc-tika worker process)", "rtf", FIXTURES / "lease.rtf", ExtractOptions(), 3),
        ("TXT, GB18030/UTF-8 detection", "txt", text, ExtractOptions(), 3),
    ]


def bench_formats(corpus: Path, folder: Path) -> str:
    lines = ["| input | extractor | pages | OCR pages | seconds |", "|---|---|---:|---:|---:|"]
    for label, kind, path, options, runs in format_rows(corpus, folder):
        seconds, result = timed(partial(extract, path, MEDIA[kind], options), runs)
        assert isinstance(result, Extraction)
        lines.append(f"| {label} | {result.extractor} | {result.page_count} | {result.ocr_pages} | {seconds:.3f} |")
    return "\n".join(lines)


def bench_ocr_threads(corpus: Path) -> str:
    lines = [
        "| page (rendered at its scan resolution, 200 dpi) | OMP_THREAD_LIMIT=1 | Tesseract default (OpenMP) |",
        "|---|---:|---:|",
    ]
    for name in SCANS[:2]:
        document = pdfium.PdfDocument(str(corpus / name))
        page = document[0]
        image = encode_for_ocr(page.render(scale=200 / 72, grayscale=True).to_pil())
        page.close()
        document.close()
        single, _ = timed(partial(run_tesseract, image, "chi_sim+eng", 200, Deadline(600), thread_limit=1), 1)
        default, _ = timed(partial(run_tesseract, image, "chi_sim+eng", 200, Deadline(600), thread_limit=None), 1)
        lines.append(f"| {name} | {single:.2f} s | {default:.2f} s |")
    return "\n".join(lines)


def bench_ocr_quality(corpus: Path) -> str:
    """CER of every ocr_derived page at the default options (chi_sim+eng)."""
    lines = [
        "| page | variant | seconds | CER (all characters) | CER (Han + alphanumerics) |",
        "|---|---|---:|---:|---:|",
    ]
    manifest = (corpus / "ocr_derived" / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for row in manifest:
        pdf, truth, _source, variant = row.split("\t")
        result = extract(corpus / "ocr_derived" / pdf, "application/pdf")
        expected = (corpus / "ocr_derived" / truth).read_text(encoding="utf-8")
        lines.append(
            f"| {Path(pdf).name} | {variant} | {result.seconds:.2f} | "
            f"{character_error_rate(expected, result.text):.3f} | "
            f"{character_error_rate(expected, result.text, True):.3f} |"
        )
    return "\n".join(lines)


def _score(text: str) -> str:
    body = sum(line in text for line in EXPECTED_LINES)
    header = sum(line in text for line in HEADER_FOOTER)
    return f"{body}/{len(EXPECTED_LINES)} + {header}/{len(HEADER_FOOTER)}"


def _tika_in_process(path: Path) -> str:
    import iscc_tika

    extractor = iscc_tika.Extractor()
    office = iscc_tika.OfficeParserConfig()
    office.set_include_headers_and_footers(True)
    extractor.set_office_config(office)
    text, _metadata = extractor.extract_file_to_string(str(path))
    return str(text)


def _libreoffice(path: Path, folder: Path) -> str:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "txt:Text (encoded):UTF8",
                "--outdir",
                str(folder),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return (folder / f"{path.stem}.txt").read_text(encoding="utf-8-sig")


def bench_engines(corpus: Path, folder: Path, with_libreoffice: bool) -> str:
    """Seconds and what was found ("body lines + header/footer lines") for each engine."""
    lines = [
        "| file | Pactum `extract()` | iscc-tika in-process, warm | LibreOffice headless (cold) |",
        "|---|---|---|---|",
    ]
    files = [
        FIXTURES / "lease.doc",
        FIXTURES / "lease.odt",
        FIXTURES / "lease.rtf",
        corpus / "poi_docx_adversarial/document/HeaderFooterUnicode.doc",
        corpus / "ocr_ocrmypdf_resources/tagged.odt",
    ]
    _tika_in_process(FIXTURES / "lease.doc")  # warm up the native image
    for path in files:
        kind = path.suffix[1:]
        cells = []
        runs: list[tuple[Callable[[], object], int]] = [
            (partial(extract, path, MEDIA[kind]), 3),
            (partial(_tika_in_process, path), 3),
        ]
        if with_libreoffice:
            runs.append((partial(_libreoffice, path, folder), 1))
        for action, count in runs:
            seconds, result = timed(partial(_try, action), count)
            cells.append(f"{seconds:.2f} s, {_describe(result, path)}")
        if not with_libreoffice:
            cells.append("not run")
        lines.append(f"| {path.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _try(action: Callable[[], object]) -> object:
    try:
        return action()
    except Exception as error:  # noqa: BLE001 -- a benchmark reports failures instead of stopping
        return error


def _describe(result: object, path: Path) -> str:
    if isinstance(result, Exception):
        return f"fails ({type(result).__name__})"
    text = result if isinstance(result, str) else getattr(result, "text", "")
    return f"found {_score(text)}" if path.parent == FIXTURES else f"{len(text)} chars"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-libreoffice", action="store_true")
    parser.add_argument("--skip-quality", action="store_true", help="skip the 16-page OCR quality table")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        print(f"## Extraction time per format ({os.cpu_count()} cores)\n")
        print(bench_formats(arguments.corpus, folder))
        print("\n## OCR time per page\n")
        print(bench_ocr_threads(arguments.corpus))
        print("\n## DOC / ODT / RTF engines\n")
        print(
            bench_engines(
                arguments.corpus, folder, not arguments.skip_libreoffice and shutil.which("soffice") is not None
            )
        )
        if not arguments.skip_quality:
            print("\n## OCR quality (ocr_derived, chi_sim+eng)\n")
            print(bench_ocr_quality(arguments.corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

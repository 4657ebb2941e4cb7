"""PDF text layers, OCR of only the pages that need it, scans and images, and failure modes."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import indexer.extract.pdf as pdf_module
from indexer.extract import ExtractionFailed, ExtractOptions, FailureReason, extract
from tests.indexer.extract.conftest import DATA
from tests.indexer.extract.pdfgen import ImagePage, TextPage, build_pdf, text_image
from tests.paths import CHECKOUT

PDF = "application/pdf"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


#: The tests with a fake tesseract exercise the Tesseract path (``auto`` would run RapidOCR first).
TESSERACT = ExtractOptions(ocr_engine="tesseract")


@pytest.fixture
def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 'tesseract' on PATH that prints its OMP_THREAD_LIMIT and arguments instead of reading."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "tesseract"
    script.write_text('#!/bin/sh\ncat > /dev/null\necho "OMP=$OMP_THREAD_LIMIT ARGS=$*"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return script


def test_text_pdf_pages_and_offsets(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "text.pdf",
        build_pdf([TextPage(("First page of the lease agreement",)), TextPage(("Second page, signed by Alpha Ltd.",))]),
    )
    result = extract(path, PDF)
    assert result.extractor == "pdfium"
    assert result.page_count == 2 and result.ocr_pages == 0
    assert result.page_text(0) == "First page of the lease agreement"
    assert result.page_text(1) == "Second page, signed by Alpha Ltd."
    assert result.language == "en"


def test_mixed_pdf_ocrs_only_the_scanned_page(tmp_path: Path, fake_tesseract: Path) -> None:
    pages: list[TextPage | ImagePage] = [
        TextPage(("Typed page one with enough characters to count",)),
        ImagePage(text_image(["SCAN"], dpi=100)),
        TextPage(("Typed page three with enough characters to count",)),
    ]
    result = extract(_write(tmp_path, "mixed.pdf", build_pdf(pages)), PDF, TESSERACT)
    assert result.ocr_pages == 1 and result.extractor == "pdfium+tesseract"
    assert result.page_text(0).startswith("Typed page one")
    # Only page 2 went to Tesseract, single-threaded, rendered at the scan's own 150 dpi floor.
    assert result.page_text(1).startswith("OMP=1 ARGS=stdin stdout -l chi_sim+eng --dpi 150")
    assert result.page_text(2).startswith("Typed page three")


def test_real_ocr_of_a_scanned_page(tmp_path: Path) -> None:
    scan = ImagePage(text_image(["LEASE AGREEMENT", "Rent: USD 1,000 per month"], dpi=200))
    result = extract(_write(tmp_path, "scan.pdf", build_pdf([scan])), PDF, ExtractOptions(ocr_languages="eng"))
    assert "LEASE AGREEMENT" in result.text and "1,000" in result.text
    assert result.ocr_pages == 1


def test_encrypted_pdf_needs_a_password() -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(DATA / "encrypted-user-password.pdf", PDF)
    assert caught.value.reason is FailureReason.ENCRYPTED
    assert "password" in str(caught.value)


def test_owner_password_only_pdf_is_read(fake_tesseract: Path) -> None:
    result = extract(DATA / "owner-password-only.pdf", PDF, TESSERACT)
    assert "Lease Agreement page one" in result.page_text(0)


def test_malformed_pdf_reports_the_library_message(tmp_path: Path) -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(_write(tmp_path, "bad.pdf", b"%PDF-1.7\nthis is not a pdf\n%%EOF\n"), PDF)
    assert caught.value.reason is FailureReason.MALFORMED
    assert "PDFium" in str(caught.value)


_MEMORY_PROBE = (
    "import json, resource, sys; from pathlib import Path; from indexer.extract import extract;"
    "r = extract(Path(sys.argv[1]), 'application/pdf');"
    "print(json.dumps({'pages': r.page_count, 'warnings': r.warnings, 'last': r.page_text(r.page_count - 1),"
    " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
)


def _extract_in_a_fresh_process(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path)],
        capture_output=True,
        text=True,
        cwd=CHECKOUT,
        timeout=300,
        check=True,
    )
    return dict(json.loads(done.stdout))


def test_2000_page_limit_with_bounded_memory(tmp_path: Path) -> None:
    def contract_of(pages: int) -> Path:
        return _write(
            tmp_path,
            f"{pages}.pdf",
            build_pdf([TextPage((f"Page {n} of a very long contract",)) for n in range(1, pages + 1)]),
        )

    short = _extract_in_a_fresh_process(contract_of(20))
    report = _extract_in_a_fresh_process(contract_of(2050))
    assert report["pages"] == 2000
    assert report["last"] == "Page 2000 of a very long contract"
    assert report["warnings"] == ["The document has 2050 pages; only the first 2000 were extracted."]
    # Pages are streamed: a hundred times more pages costs little more memory than a short file.
    assert report["rss_mb"] - short["rss_mb"] < 100, (short, report)


def test_image_without_text_is_a_success_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (800, 600), 255).save(path)
    result = extract(path, "image/png")
    assert result.text == "" and result.ocr_pages == 1
    assert result.warnings == ("OCR found no text in the image.",)


def test_multipage_tiff(tmp_path: Path) -> None:
    frames = [text_image(["FIRST PAGE"], dpi=100, size_pt=28), text_image(["SECOND PAGE"], dpi=100, size_pt=28)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100), compression="tiff_deflate")
    result = extract(path, "image/tiff", ExtractOptions(ocr_languages="eng"))
    assert result.page_count == 2 and result.ocr_pages == 2 and result.extractor == "tesseract"
    assert "FIRST PAGE" in result.page_text(0) and "SECOND PAGE" in result.page_text(1)


def test_transparent_png_is_flattened_on_white(tmp_path: Path, fake_tesseract: Path) -> None:
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    path = tmp_path / "alpha.png"
    image.save(path)
    assert extract(path, "image/png", TESSERACT).text.startswith("OMP=1")


def test_damaged_image_is_malformed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("L", (100, 100), 255).save(buffer, format="PNG")
    with pytest.raises(ExtractionFailed) as caught:
        extract(_write(tmp_path, "cut.png", buffer.getvalue()[:60]), "image/png")
    assert caught.value.reason is FailureReason.MALFORMED


def test_missing_tesseract_is_ocr_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(path)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, "image/png", TESSERACT)
    assert caught.value.reason is FailureReason.OCR_FAILED
    assert "not installed" in str(caught.value)


def test_tesseract_error_is_ocr_failed(tmp_path: Path, fake_tesseract: Path) -> None:
    fake_tesseract.write_text("#!/bin/sh\necho 'Failed loading language xyz' >&2\nexit 1\n")
    scan = build_pdf([ImagePage(text_image(["SCAN"], dpi=100))])
    with pytest.raises(ExtractionFailed) as caught:
        extract(_write(tmp_path, "scan.pdf", scan), PDF, TESSERACT)
    assert caught.value.reason is FailureReason.OCR_FAILED
    assert "Failed loading language xyz" in str(caught.value)


def test_slow_ocr_hits_the_deadline(tmp_path: Path, fake_tesseract: Path) -> None:
    fake_tesseract.write_text("#!/bin/sh\nsleep 5\n")
    scan = build_pdf([ImagePage(text_image(["SCAN"], dpi=100))])
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as caught:
        extract(_write(tmp_path, "scan.pdf", scan), PDF, ExtractOptions(ocr_engine="tesseract", timeout_seconds=0.5))
    assert caught.value.reason is FailureReason.TIMEOUT
    assert time.monotonic() - started < 4


def test_needs_ocr_thresholds() -> None:
    assert pdf_module.needs_ocr("")
    assert pdf_module.needs_ocr("- 3 -")
    assert not pdf_module.needs_ocr("本合同由甲乙双方在平等自愿的基础上协商一致订立")
    assert pdf_module.needs_ocr("\ue000\ue001\ue002" * 10)  # a font without a Unicode map
    assert pdf_module.ocr_resolution(300, None) == 300
    assert pdf_module.ocr_resolution(300, 200.0) == 200
    assert pdf_module.ocr_resolution(300, 600.0) == 300
    assert pdf_module.ocr_resolution(300, 72.0) == 150


def test_chinese_text_layer_pdf(corpus: Path) -> None:
    candidates = sorted((corpus / "pdfjs_selected" / "cjk").glob("*.pdf"))
    texts = []
    for path in candidates:
        try:
            texts.append(extract(path, PDF, ExtractOptions(timeout_seconds=30)).text)
        except ExtractionFailed:
            continue
    joined = "".join(texts)
    assert sum("\u4e00" <= char <= "\u9fff" for char in joined) > 100

"""A document's OCR budget and identical scanned pages OCRed once (issue 16, item 6)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from indexer.extract import (
    Extraction,
    ExtractionFailed,
    ExtractOptions,
    FailureReason,
    OcrCarry,
    PdfBatch,
    extract,
    extract_pdf_batch,
    join_batches,
)
from tests.fake_tools import fake_tesseract
from tests.indexer.extract.pdfgen import ImagePage, build_pdf, text_image

PDF = "application/pdf"


@pytest.fixture
def counting_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 'tesseract' on PATH that logs each call and prints the image's size."""
    return fake_tesseract(tmp_path, monkeypatch, 'echo "page of $(wc -c) bytes"')


def _calls(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _scans(tmp_path: Path, labels: list[str]) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(build_pdf([ImagePage(text_image([label], dpi=72)) for label in labels]))
    return path


def test_identical_scanned_pages_are_ocred_once(tmp_path: Path, counting_tesseract: Path) -> None:
    path = _scans(tmp_path, ["SAME PAGE"] * 1000)
    started = time.monotonic()
    result = extract(path, PDF, ExtractOptions(ocr_engine="tesseract", max_ocr_pages=50))
    elapsed = time.monotonic() - started
    assert _calls(counting_tesseract) == 1
    assert result.page_count == 1000 and result.ocr_pages == 1000 and result.ocr_skipped_pages == 0
    assert all(result.page_text(index).startswith("page of ") for index in range(1000))
    assert elapsed < 60, elapsed


def test_distinct_pages_stop_at_the_page_budget(tmp_path: Path, counting_tesseract: Path) -> None:
    path = _scans(tmp_path, [f"PAGE {number}" for number in range(8)] + ["PAGE 0"])
    result = extract(path, PDF, ExtractOptions(ocr_engine="tesseract", max_ocr_pages=3))
    assert _calls(counting_tesseract) == 3
    # The last page repeats the first: it takes the first page's text without spending budget.
    assert result.ocr_pages == 4 and result.ocr_skipped_pages == 5
    assert [bool(result.page_text(index)) for index in range(9)] == [True] * 3 + [False] * 5 + [True]
    assert "OCR stopped after 3 pages (budget); 5 more pages that needed OCR were not OCRed." in (result.warnings)


def test_ocr_stops_when_its_seconds_are_spent(tmp_path: Path, counting_tesseract: Path) -> None:
    script = counting_tesseract.parent / "bin" / "tesseract"
    script.write_text(script.read_text().replace("#!/bin/sh\n", "#!/bin/sh\nsleep 0.4\n"))
    path = _scans(tmp_path, [f"PAGE {number}" for number in range(40)])
    started = time.monotonic()
    result = extract(path, PDF, ExtractOptions(ocr_engine="tesseract", max_ocr_seconds=1))
    assert time.monotonic() - started < 8
    assert 1 <= result.ocr_pages < 20 and result.ocr_pages + result.ocr_skipped_pages == 40
    assert any(warning.startswith(f"OCR stopped after {result.ocr_pages} pages") for warning in result.warnings)


def test_without_a_budget_every_distinct_page_is_ocred(tmp_path: Path, counting_tesseract: Path) -> None:
    path = _scans(tmp_path, [f"PAGE {number}" for number in range(6)])
    result = extract(path, PDF, ExtractOptions(ocr_engine="tesseract"))
    assert _calls(counting_tesseract) == 6 and result.ocr_pages == 6 and result.ocr_skipped_pages == 0


def test_a_multipage_tiff_stops_at_the_page_budget(tmp_path: Path, counting_tesseract: Path) -> None:
    frames = [text_image([f"FRAME {number}"], dpi=72) for number in range(5)]
    path = tmp_path / "scan.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    result = extract(path, "image/tiff", ExtractOptions(ocr_engine="tesseract", max_ocr_pages=2))
    assert _calls(counting_tesseract) == 2
    assert result.page_count == 5 and result.ocr_pages == 2 and result.ocr_skipped_pages == 3
    assert "OCR stopped after 2 pages (budget); 3 more pages that needed OCR were not OCRed." in (result.warnings)


def _in_batches(path: Path, options: ExtractOptions, ocr_pages: int) -> tuple[list[PdfBatch], Extraction]:
    batches: list[PdfBatch] = []
    while not batches or not batches[-1].last:
        texts: dict[str, str] = {}
        for batch in batches:
            texts.update(batch.ocr_texts)
        carry = OcrCarry(
            ocr_texts=texts,
            ocr_used=sum(batch.ocr_used for batch in batches),
            ocr_seconds=sum(batch.ocr_seconds for batch in batches),
            budget_spent=any(batch.ocr_skipped for batch in batches),
        )
        start = batches[-1].next_page if batches else 0
        batches.append(extract_pdf_batch(path, options, start, carry, ocr_pages=ocr_pages, pages=0))
    return batches, join_batches(batches)


def test_batches_joined_give_what_one_pass_gives(tmp_path: Path, counting_tesseract: Path) -> None:
    labels = [f"PAGE {number}" for number in range(7)] + ["PAGE 1", "PAGE 6"]
    path = _scans(tmp_path, labels)
    whole = extract(path, PDF)
    assert _calls(counting_tesseract) == 7
    batches, joined = _in_batches(path, ExtractOptions(), ocr_pages=3)
    assert [(batch.first_page, batch.next_page) for batch in batches] == [(0, 3), (3, 6), (6, 9)]
    assert _calls(counting_tesseract) == 14  # the repeated pages of the last batch took earlier text
    assert joined.text == whole.text and joined.page_offsets == whole.page_offsets
    assert (joined.ocr_pages, joined.extractor, joined.ocr_skipped_pages) == (9, "pdfium+tesseract", 0)


def test_the_page_budget_spans_batches(tmp_path: Path, counting_tesseract: Path) -> None:
    path = _scans(tmp_path, [f"PAGE {number}" for number in range(8)])
    _batches, joined = _in_batches(path, ExtractOptions(max_ocr_pages=5), ocr_pages=2)
    assert _calls(counting_tesseract) == 5
    assert joined.ocr_pages == 5 and joined.ocr_skipped_pages == 3
    assert "OCR stopped after 5 pages (budget); 3 more pages that needed OCR were not OCRed." in joined.warnings


def test_a_damaged_pdf_fails_as_malformed_in_batches_too(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(ExtractionFailed) as failure:
        extract_pdf_batch(path, ExtractOptions(), 0, OcrCarry(), ocr_pages=2, pages=0)
    assert failure.value.reason == FailureReason.MALFORMED

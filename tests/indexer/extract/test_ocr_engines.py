"""Which OCR engine reads a page, and how well: real engines on corpus pages with exact ground
truth (tests/paths.py finds the shared corpus), plus configuration and failure handling."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from bench.extract.metrics import character_error_rate
from indexer.extract import ExtractionFailed, ExtractOptions, FailureReason, extract, rapid
from tests.fake_tools import fake_tesseract
from tests.paths import require_corpus

PDF = "application/pdf"


def _page(corpus: Path, name: str) -> tuple[Path, str]:
    path = corpus / name
    truth = path.parent / f"{path.name.split('.')[0]}.gt.txt"
    return path, truth.read_text(encoding="utf-8")


@pytest.fixture
def corpus() -> Path:
    return require_corpus()


def test_chinese_scan_is_read_by_rapidocr_well_below_tesseracts_error_rate(corpus: Path) -> None:
    # Tesseract 5.3 chi_sim+eng scores 0.39 on this page (docs/performance.md).
    path, truth = _page(corpus, "ocr_zh_pages/zh_01_laodonght00.scan.pdf")
    result = extract(path, PDF)
    assert result.extractor == "pdfium+rapidocr"
    assert character_error_rate(truth, result.text) < 0.05
    assert "劳动合同" in result.text and not result.warnings


def test_english_scan_goes_to_tesseract_under_auto(corpus: Path) -> None:
    path, truth = _page(corpus, "ocr_derived/en/en_02.scan.pdf")
    result = extract(path, PDF)
    assert result.extractor == "pdfium+tesseract"
    assert character_error_rate(truth, result.text) < 0.05


def test_configured_engine_reads_every_page(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_tesseract(tmp_path, monkeypatch, 'cat > /dev/null\necho "read by tesseract"')
    path, _ = _page(corpus, "ocr_zh_pages/zh_01_laodonght00.clean.pdf")
    forced = extract(path, PDF, ExtractOptions(ocr_engine="tesseract"))
    assert forced.text == "read by tesseract" and forced.extractor == "pdfium+tesseract"
    assert log.read_text().count("call") == 1
    rapid_only = extract(path, PDF, ExtractOptions(ocr_engine="rapidocr"))
    assert rapid_only.extractor == "pdfium+rapidocr" and "劳动合同" in rapid_only.text
    assert log.read_text().count("call") == 1  # Tesseract was not asked again


def test_unknown_engine_is_a_clear_error(corpus: Path) -> None:
    path, _ = _page(corpus, "ocr_zh_pages/zh_01_laodonght00.clean.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, PDF, ExtractOptions(ocr_engine="paddle"))
    assert caught.value.reason is FailureReason.OCR_FAILED
    assert "Unknown OCR engine 'paddle'" in str(caught.value)


def test_rapidocr_failure_falls_back_to_tesseract_visibly(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake_tesseract(tmp_path, monkeypatch, 'cat > /dev/null\necho "read by tesseract"')
    monkeypatch.setattr(rapid, "_MODELS", {})
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if the package were missing
    path, _ = _page(corpus, "ocr_zh_pages/zh_01_laodonght00.clean.pdf")
    with caplog.at_level(logging.WARNING, logger="indexer.extract.engines"):
        result = extract(path, PDF)
    assert result.text == "read by tesseract" and result.extractor == "pdfium+tesseract"
    assert len(result.warnings) == 1
    assert "Page 1: RapidOCR is not installed" in result.warnings[0]
    assert "OCRed with Tesseract instead" in result.warnings[0]
    assert "RapidOCR is not installed" in caplog.text


def test_when_both_engines_fail_the_extraction_fails(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_tesseract(tmp_path, monkeypatch, "").parent / "bin" / "tesseract"
    script.write_text("#!/bin/sh\necho 'Error opening data file' >&2\nexit 1\n")
    monkeypatch.setattr(rapid, "_MODELS", {})
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    path, _ = _page(corpus, "ocr_zh_pages/zh_01_laodonght00.clean.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, PDF, ExtractOptions(ocr_engine="rapidocr"))
    assert caught.value.reason is FailureReason.OCR_FAILED
    assert "Error opening data file" in str(caught.value)


def test_the_model_is_loaded_once_per_process() -> None:
    assert rapid._model(1) is rapid._model(1)


@pytest.mark.parametrize(
    ("text", "chinese"),
    [("甲方应当按时支付租金", True), ("This Agreement is made", False), ("", False), ("Section 甲", False)],
)
def test_script_decision(text: str, chinese: bool) -> None:
    assert rapid.looks_chinese(text) is chinese

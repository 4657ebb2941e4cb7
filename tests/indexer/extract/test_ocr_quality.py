"""OCR quality on image-only PDFs with exact ground truth (shared corpus, ocr_derived/).

Two pages only (OCR costs 1–3 s a page); the full table is bench/extract/ocr_quality.py.
Measured with Tesseract 5.3, chi_sim+eng: en_02 CER 0.006, zh_02 (clean) 0.010 on Han characters
and alphanumerics. The thresholds leave room for another Tesseract build, not for a regression.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.extract.metrics import character_error_rate
from indexer.extract import extract


@pytest.mark.parametrize(
    "pdf, truth, han_and_alnum_only, threshold",
    [
        ("en/en_02.scan.pdf", "en/en_02.gt.txt", False, 0.03),
        ("zh/zh_02_dichanht01.clean.pdf", "zh/zh_02_dichanht01.gt.txt", True, 0.05),
    ],
)
def test_character_error_rate(corpus: Path, pdf: str, truth: str, han_and_alnum_only: bool, threshold: float) -> None:
    folder = corpus / "ocr_derived"
    result = extract(folder / pdf, "application/pdf")
    assert result.ocr_pages == result.page_count == 1
    expected = (folder / truth).read_text(encoding="utf-8")
    assert character_error_rate(expected, result.text, han_and_alnum_only) < threshold
    assert result.language == ("zh" if pdf.startswith("zh") else "en")

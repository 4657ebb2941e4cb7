"""Regression against pyHanko's corpus, and the signed auditor's PDF report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from signer import FileSigningKey, TrustSettings, render_report_pdf, sign_pdf, validate_pdf
from tests.signer import corpus


@pytest.mark.skipif(not corpus.CORPUS.is_dir(), reason="shared pyHanko corpus not present")
def test_pyhanko_corpus_agreement() -> None:
    result = corpus.run()
    print("\n" + result.table())
    assert result.signatures >= 40
    assert result.unsafe == [], "a signature pyHanko rejects must never pass here"
    for f in corpus.FIELDS:
        assert result.agree[f] >= 0.95 * result.compared[f], (f, result.disagreements)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_report_pdf_is_signed_and_readable(
    language: str,
    contract_pdf: bytes,
    alice: FileSigningKey,
    bob: FileSigningKey,
    trust: TrustSettings,
    tmp_path: Path,
) -> None:
    report = validate_pdf(sign_pdf(sign_pdf(contract_pdf, alice), bob), trust, filename="采购合同.pdf")
    pdf = render_report_pdf(report, language, alice)
    assert pdf.startswith(b"%PDF")
    # the report itself validates, and any edit is caught
    (sig,) = validate_pdf(pdf, trust).signatures
    assert sig.integrity.digest_matches and sig.integrity.signature_valid
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert report.document.sha256 in text.replace("\n", "").replace(" ", "")
    if language == "zh":
        assert "电子签名验证报告" in text and "签署人" in text and "采购合同.pdf" in text
    else:
        assert "Electronic Signature Validation Report" in text and "Signer" in text
    assert "TOTAL_PASSED" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    # reportlab always lists its base-14 Helvetica (unused, no glyphs drawn with it)
    body_fonts = [line for line in fonts.splitlines()[2:] if line.strip() and not line.startswith("Helvetica ")]
    assert body_fonts and all(" yes yes yes " in line for line in body_fonts), fonts
    tampered = pdf.replace(b"TOTAL_PASSED", b"TOTAL_PASSEX", 1)
    if tampered != pdf:
        assert validate_pdf(tampered, trust).signatures[0].indication == "TOTAL_FAILED"
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000

"""The Chinese report speaks Chinese: the outcome explained in plain words, the validator's
notes and the trust settings translated (only names, OIDs and codes stay as they are)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from signer import InternalCA, TrustSettings, render_report_pdf, sign_pdf, validate_pdf
from signer.explain import warning_zh
from signer.report import ValidationReport
from tests.signer.support import flip_signed_byte

#: Three English words in a row: a sentence or phrase left untranslated.
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}(?:[\s,'’-]+[A-Za-z]{2,}){2,}")


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> InternalCA:
    folder = tmp_path_factory.mktemp("lang-ca") / "ca"
    return InternalCA.init(folder, "ca-pass", "示例科技有限公司", key_type="ec-p256")


@pytest.fixture(scope="module")
def reports(ca: InternalCA, contract_pdf: bytes) -> dict[str, ValidationReport]:
    """A certificate naming no revocation service, validated hard-fail without data (TRY_LATER),
    soft-fail (passed, status unknown), and a tampered copy (HASH_FAILURE)."""
    key = ca.issue_user_certificate("lang@example.com", "韩梅梅").signing_key()
    signed = sign_pdf(contract_pdf, key)
    hard = TrustSettings(internal_ca=ca.folder)
    return {
        "hard": validate_pdf(signed, hard, filename="合同.pdf"),
        "soft": validate_pdf(signed, TrustSettings(internal_ca=ca.folder, revocation_mode="soft-fail")),
        "tampered": validate_pdf(flip_signed_byte(signed), hard),
    }


def test_unknown_revocation_under_hard_fail_is_not_a_pass_and_says_why(reports: dict[str, ValidationReport]) -> None:
    (sig,) = reports["hard"].signatures
    assert (sig.indication, sig.sub_indication, sig.revocation.status) == ("INDETERMINATE", "TRY_LATER", "unknown")
    explanation = sig.to_dict()["explanation"]
    assert "neither confirmed nor rejected" in explanation["en"] and "revocation" in explanation["en"]
    assert "不能视为有效签名" in explanation["zh"] and "吊销信息" in explanation["zh"]
    (soft,) = reports["soft"].signatures
    assert soft.indication == "TOTAL_PASSED"
    assert "soft-fail" in soft.to_dict()["explanation"]["en"] and "宽松" in soft.to_dict()["explanation"]["zh"]


def test_every_note_has_a_chinese_translation(reports: dict[str, ValidationReport]) -> None:
    notes = {w for report in reports.values() for sig in report.signatures for w in sig.warnings}
    assert len(notes) >= 3
    for note in notes:
        chinese = warning_zh(note)
        assert not chinese.startswith("（原文）"), note
        assert not ENGLISH_PHRASE.search(chinese), chinese


@pytest.mark.parametrize("which", ["hard", "soft", "tampered"])
def test_the_chinese_pdf_report_has_no_english_lines(
    reports: dict[str, ValidationReport], ca: InternalCA, tmp_path: Path, which: str
) -> None:
    key = ca.issue_user_certificate("report-signer@example.com", "报告签署人").signing_key()
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(reports[which], "zh", key))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    english = [line for line in text.splitlines() if ENGLISH_PHRASE.search(line) and "=" not in line]
    assert english == []
    flat = "".join(text.split())
    assert "结论说明" in flat and ("严格（hard-fail）" in flat or "宽松（soft-fail）" in flat)

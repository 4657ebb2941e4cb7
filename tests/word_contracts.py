"""Word contracts for the rendition tests, made from a real Chinese model contract of the shared
corpus, and the check that LibreOffice is there (scripts/bootstrap.sh installs it)."""

from __future__ import annotations

import io
import shutil

from tests.paths import on_ci, require_corpus

#: A 借款合同 (loan contract) of the corpus: about 700 characters, two pages as a DOCX.
MODEL_CONTRACT = ("zh_contract_templates_yh", "txt", "hyhetong", "jiedai", "jiedaiht01.txt")
#: A Word 97–2003 file of the corpus that passes the upload check but that neither the extractor
#: nor LibreOffice can read (a fuzzing case of Apache POI).
MALFORMED_DOC = (
    "poi_docx_adversarial",
    "document",
    "clusterfuzz-testcase-minimized-POIHWPFFuzzer-5440721166139392.doc",
)


def require_soffice() -> str:
    """The LibreOffice program; skips the test without it, fails it under CI."""
    __tracebackhide__ = True
    program = shutil.which("soffice")
    if program is None:
        import pytest

        message = "LibreOffice (soffice) is not installed: run scripts/bootstrap.sh"
        if on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return program


def model_contract_lines() -> list[str]:
    text = require_corpus(*MODEL_CONTRACT).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def contract_docx(repeat: int = 1, last_line: str | None = None) -> bytes:
    """The model contract ``repeat`` times over as a DOCX, then ``last_line`` as its own paragraph."""
    import docx

    document = docx.Document()
    for _ in range(repeat):
        for line in model_contract_lines():
            document.add_paragraph(line)
    if last_line:
        document.add_paragraph(last_line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

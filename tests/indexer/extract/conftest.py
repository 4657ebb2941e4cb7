from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import require_corpus

DATA = Path(__file__).resolve().parent / "data"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared test corpus (skips the test without it, fails it on CI)."""
    return require_corpus()

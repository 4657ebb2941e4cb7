from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
#: The shared test corpus lives beside the checkout (CI clones main with shared/ next to it).
CORPUS = Path(os.environ.get("PACTUM_TEST_CORPUS", REPO.parent / "shared" / "corpus"))

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared test corpus not found at {CORPUS}")
    return CORPUS

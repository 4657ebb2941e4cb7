"""Stand-ins for command-line tools the code under test runs (put first on PATH)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> Path:
    """A 'tesseract' on PATH that appends a line to the returned log per call, then runs the
    shell snippet ``answer`` (which may read the image from stdin) to print the page's text."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "tesseract.log"
    script = folder / "tesseract"
    script.write_text(f'#!/bin/sh\necho call >> "{log}"\n{answer}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log

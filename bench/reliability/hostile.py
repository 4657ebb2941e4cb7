"""(b) The hostile corpus through HTTP: malformed and fuzzed PDFs, odd and broken DOCX, odd scans.
No answer may be a 5xx and no accepted file may stay "processing"."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .harness import Pactum

#: The folders of the shared corpus that hold hostile or odd files (see its README.md).
HOSTILE_FOLDERS = ("qpdf_malformed", "pdfjs_selected", "poi_docx_adversarial", "ocr_ocrmypdf_resources")
#: Ground-truth and notes files in those folders, not documents.
_NOT_DOCUMENTS = {".md", ".tsv", ".out", ".txt", ".rst", ".json", ".csv", ".py"}


def hostile_files(corpus: Path, limit: int = 0) -> list[Path]:
    """Every document of the hostile folders, sorted; with *limit*, an even spread of that many."""
    files = sorted(
        path
        for folder in HOSTILE_FOLDERS
        for path in (corpus / folder).rglob("*")
        if path.is_file() and path.suffix.lower() not in _NOT_DOCUMENTS
    )
    if limit and len(files) > limit:
        step = len(files) / limit
        files = [files[int(index * step)] for index in range(limit)]
    return files


@dataclass
class HostileReport:
    files: int = 0
    answers: Counter[int] = field(default_factory=Counter)
    settled: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.answers.items() if status >= 500)

    @property
    def stuck(self) -> int:
        return sum(count for status, count in self.settled.items() if status not in ("indexed", "failed"))

    @property
    def ok(self) -> bool:
        return self.files > 0 and not self.server_errors and not self.stuck and not self.problems


def run_hostile(server: Pactum, files: list[Path], settle_seconds: float = 900) -> HostileReport:
    report = HostileReport(files=len(files))
    started = time.monotonic()
    server.start()
    accepted: list[int] = []
    for path in files:
        try:
            answer = server.upload(path.name, path.read_bytes())
        except requests.RequestException as error:
            report.problems.append(f"{path.name}: no answer ({type(error).__name__})")
            continue
        report.answers[answer.status_code] += 1
        if answer.status_code >= 500:
            report.problems.append(f"{path.name}: HTTP {answer.status_code} {answer.text[:200]}")
        elif answer.status_code == 201:
            accepted.append(int(answer.json()["id"]))
    report.settled.update(server.wait_settled(accepted, timeout=settle_seconds).values())
    report.seconds = time.monotonic() - started
    server.stop()
    return report

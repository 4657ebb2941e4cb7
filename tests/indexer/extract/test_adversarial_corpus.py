"""Every malformed, fuzzed, encrypted or hostile file of the shared corpus ends in an Extraction or an
ExtractionFailed with a reason: no other exception, no crash, no hang.

The files run in worker processes so that a hang or a crash in a parser is caught and reported
(per-file guard) instead of stalling the test run. OCR is replaced by a stub in the workers: these
files test the parsers, and OCR of fuzzed page images would only cost time.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from tests.indexer.extract.conftest import DOCX

PER_FILE_SECONDS = 30
WORKERS = 2


@dataclass(frozen=True)
class Outcome:
    path: str
    kind: str  # "extracted" | "failed" | "error" | "hang" | "crash"
    detail: str


def _media_type(path: Path) -> str:
    if path.suffix == ".doc":
        return "application/msword"
    if path.suffix in (".docx", ".ooxml", ".xlsx", ".zip"):
        return DOCX
    return "application/pdf"


def _worker(jobs: list[str], connection: Connection) -> None:
    """Child process: extract each file and report every outcome through *connection*."""
    import indexer.extract.engines as engines
    from indexer.extract import ExtractionFailed, ExtractOptions, extract

    def no_ocr(*_: object, **__: object) -> str:
        return ""

    engines.run_tesseract = no_ocr  # type: ignore[assignment]
    options = ExtractOptions(timeout_seconds=PER_FILE_SECONDS - 5, ocr_engine="tesseract")
    for job in jobs:
        path = Path(job)
        connection.send(("start", job, ""))
        try:
            result = extract(path, _media_type(path), options)
            connection.send(("extracted", job, f"{result.page_count} pages"))
        except ExtractionFailed as failure:
            connection.send(("failed", job, f"{failure.reason}: {failure}"))
        except BaseException as error:  # noqa: BLE001 -- what the test is here to catch
            connection.send(("error", job, f"{type(error).__name__}: {error}"))
    connection.send(("done", "", ""))


def _run(jobs: list[str]) -> list[Outcome]:
    """Run *jobs* in a worker, restarting after a hang or crash; one outcome per job."""
    context = multiprocessing.get_context("spawn")
    outcomes: list[Outcome] = []
    remaining = list(jobs)
    while remaining:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(remaining, sender), daemon=True)
        process.start()
        sender.close()
        current: str | None = None
        while True:
            if not receiver.poll(PER_FILE_SECONDS + (20 if current is None else 0)):
                process.kill()
                outcomes.append(Outcome(current or remaining[0], "hang", f"no answer in {PER_FILE_SECONDS} s"))
                break
            try:
                kind, job, detail = receiver.recv()
            except EOFError:
                process.join(5)
                outcomes.append(Outcome(current or remaining[0], "crash", f"exit code {process.exitcode}"))
                break
            if kind == "done":
                remaining = []
                break
            if kind == "start":
                current = job
                continue
            outcomes.append(Outcome(job, kind, detail))
            current = None
        process.join(5)
        done = {outcome.path for outcome in outcomes}
        remaining = [job for job in remaining if job not in done]
    return outcomes


def _files(corpus: Path) -> list[Path]:
    folders = [corpus / "qpdf_malformed", corpus / "pdfjs_selected" / "malformed", corpus / "poi_docx_adversarial"]
    suffixes = {".pdf", ".fuzz", ".docx", ".doc", ".ooxml", ".xlsx", ".zip"}
    return sorted(
        path for folder in folders for path in folder.rglob("*") if path.is_file() and path.suffix in suffixes
    )


def test_adversarial_files_end_in_a_result_or_a_reasoned_failure(corpus: Path) -> None:
    files = _files(corpus)
    assert len(files) > 250
    chunks = [[str(path) for path in files[index::WORKERS]] for index in range(WORKERS)]
    with multiprocessing.pool.ThreadPool(WORKERS) as pool:
        outcomes = [outcome for batch in pool.map(_run, chunks) for outcome in batch]
    bad = [outcome for outcome in outcomes if outcome.kind not in ("extracted", "failed")]
    assert not bad, "\n".join(f"{o.kind}: {o.path}: {o.detail}" for o in bad[:20])
    assert len(outcomes) == len(files)
    failed = [outcome for outcome in outcomes if outcome.kind == "failed"]
    reasons = {outcome.detail.split(":")[0] for outcome in failed}
    assert reasons <= {"encrypted", "malformed", "too_large", "unsupported", "timeout"}
    assert "encrypted" in reasons and "malformed" in reasons

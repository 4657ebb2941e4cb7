"""Issue 16, item 6: big scans are OCRed in batches, one job each, queued behind the jobs
already waiting: two huge scans take turns and a small upload does not wait for them; a batch
is kept, so a worker killed in the middle of a document resumes after the last batch kept; the
OCR budget holds across batches and the version says when it was spent."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from repo_app.contracts.models import ContractVersion, VersionText
from repo_app.contracts.status import VersionStatus
from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.core.jobs import leases
from repo_app.core.jobs.worker import run_start_steps
from repo_app.search import pipeline
from repo_app.search.models import ExtractionBatch
from tests.conftest import bearer
from tests.fake_tools import fake_tesseract
from tests.indexer.extract.pdfgen import ImagePage, build_pdf, text_image
from tests.samples import pdf_bytes
from tests.search.conftest import upload_pdf

REDIS_URL = os.environ.get("PACTUM_TEST_REDIS_URL", "")


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """OCR through (the fake) Tesseract only: ``auto`` would run RapidOCR on every scan first."""
    return {**app_config, "ocr_engine": "tesseract"}


@pytest.fixture
def tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 'tesseract' that logs each call and answers with a word naming the image it was given."""
    return fake_tesseract(tmp_path, monkeypatch, 'echo "scanned page p$(md5sum | cut -c1-8)"')


@pytest.fixture
def big_is_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads above 5 kB count as big (low priority): the test scans are a few pages."""
    monkeypatch.setattr(pipeline, "SMALL_UPLOAD_BYTES", 5_000)


def _scan(pages: int, label: str) -> bytes:
    return build_pdf([ImagePage(text_image([f"{label} PAGE {number}"], dpi=72)) for number in range(pages)])


def _status(app: Flask, version_id: int) -> str:
    with app.app_context():
        version = db.session.get(ContractVersion, version_id)
        assert version is not None
        return str(version.status)


def _kept(app: Flask, version_id: int) -> int:
    with app.app_context():
        query = select(func.count()).select_from(ExtractionBatch).where(ExtractionBatch.version_id == version_id)
        return int(db.session.scalar(query) or 0)


def _text(app: Flask, version_id: int) -> VersionText:
    with app.app_context():
        row = db.session.get(VersionText, version_id)
        assert row is not None
        db.session.expunge(row)
        return row


def _calls(log: Path) -> int:
    return log.read_text().count("call") if log.exists() else 0


def _run_next(app: Flask) -> int:
    """Run the job the next free worker takes; the version it was for."""
    jobs = app.extensions["pactum.queue"]
    task = jobs.dequeue()
    assert task is not None
    jobs.execute(task)
    return int(task.args[0])


def _searchable(client: FlaskClient, token: str, query: str) -> int:
    return int(client.get("/api/v1/search", headers=bearer(token), query_string={"q": query}).json["total"])


def test_two_big_scans_take_turns_and_a_small_upload_goes_between_their_batches(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path, big_is_small: None
) -> None:
    app = app_with(queue_immediate=False, ocr_batch_pages=2)
    client = app.test_client()
    scans = [_scan(6, "FIRST"), _scan(6, "SECOND")]
    assert min(map(len, scans)) > pipeline.SMALL_UPLOAD_BYTES >= len(pdf_bytes("Small supply agreement"))
    first = upload_pdf(client, admin_token, scans[0], "First scan")
    second = upload_pdf(client, admin_token, scans[1], "Second scan")
    assert [_run_next(app), _run_next(app)] == [first, second]  # one batch each: two pages OCRed
    assert _calls(tesseract) == 4 and _kept(app, first) == _kept(app, second) == 1
    small = upload_pdf(client, admin_token, pdf_bytes("Small supply agreement"), "Small contract")
    assert _run_next(app) == small  # ahead of both scans' next batches
    assert _status(app, small) == VersionStatus.INDEXED and _searchable(client, admin_token, "supply") == 1
    assert _status(app, first) == _status(app, second) == VersionStatus.PROCESSING
    order = [_run_next(app) for _ in range(4)]
    assert order == [first, second, first, second]  # round robin, not one scan to its end
    assert app.extensions["pactum.queue"].pending_count() == 0
    for version_id in (first, second):
        assert _status(app, version_id) == VersionStatus.INDEXED
        text = _text(app, version_id)
        assert text.page_count == 6 and text.ocr_pages == 6 and text.extractor == "pdfium+tesseract"
        assert text.text.count("scanned page") == 6 and len(set(text.text.split())) == 2 + 6  # six distinct pages
        assert _kept(app, version_id) == 0  # the batches are gone once the text is stored
    assert _calls(tesseract) == 12  # every page OCRed once
    assert _searchable(client, admin_token, "scanned") == 2


def test_a_worker_killed_in_the_middle_resumes_after_the_last_batch_kept(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with(queue_immediate=False, ocr_batch_pages=2)
    version_id = upload_pdf(app.test_client(), admin_token, _scan(6, "RESUMED"), "Resumed scan")
    _run_next(app)  # pages 1-2 read and kept
    assert _kept(app, version_id) == 1 and _calls(tesseract) == 2
    real = pipeline.extract_pdf_batch

    def killed(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # pages 3-4 OCRed ...
        raise SystemExit("worker killed")  # ... and the process gone before the commit

    monkeypatch.setattr(pipeline, "extract_pdf_batch", killed)
    jobs = app.extensions["pactum.queue"]
    task = jobs.dequeue()
    with pytest.raises(SystemExit):
        jobs.execute(task)
    assert _calls(tesseract) == 4 and _kept(app, version_id) == 1  # the killed batch left nothing
    monkeypatch.setattr(pipeline, "extract_pdf_batch", real)
    with app.app_context():  # what the killed worker leaves: a lease nobody renews, no queued job
        leases.put_expiry(pipeline.PROCESS_VERSION, version_id, clock.now() - timedelta(minutes=1))
    assert jobs.pending_count() == 0
    clock.advance(app, timedelta(minutes=2))
    run_start_steps(app)  # the restarted worker queues the version again
    while jobs.pending_count():
        assert _run_next(app) == version_id
    assert _status(app, version_id) == VersionStatus.INDEXED
    # Pages 1-2 were not OCRed again: 2 + 2 (lost with the worker) + 2 (again) + 2.
    assert _calls(tesseract) == 8
    text = _text(app, version_id)
    assert text.page_count == 6 and text.ocr_pages == 6 and len(set(text.text.split())) == 2 + 6


def test_the_ocr_budget_holds_across_batches_and_the_version_says_so(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path
) -> None:
    app = app_with(ocr_batch_pages=2, ocr_max_pages=3)  # the test queue runs each batch at once
    client = app.test_client()
    version_id = upload_pdf(client, admin_token, _scan(7, "BUDGET"), "Budget scan")
    assert _status(app, version_id) == VersionStatus.INDEXED
    assert _calls(tesseract) == 3
    detail = client.get(f"/api/v1/contracts/{_contract_of(app, version_id)}", headers=bearer(admin_token)).json
    assert detail["versions"][0]["status_detail"] == (
        "OCR stopped after 3 pages (budget); 4 more scanned pages were not OCRed."
    )
    text = _text(app, version_id)
    assert text.page_count == 7 and text.ocr_pages == 3 and text.text.count("scanned page") == 3


def test_identical_pages_in_later_batches_take_the_text_read_before(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path
) -> None:
    app = app_with(ocr_batch_pages=1)
    pages = [ImagePage(text_image([f"PAGE {number % 2}"], dpi=72)) for number in range(6)]
    version_id = upload_pdf(app.test_client(), admin_token, build_pdf(pages), "Two pages, three times")
    assert _status(app, version_id) == VersionStatus.INDEXED
    assert _calls(tesseract) == 2
    text = _text(app, version_id)
    assert text.ocr_pages == 6 and text.text.count("scanned page") == 6


def _contract_of(app: Flask, version_id: int) -> int:
    with app.app_context():
        version = db.session.get(ContractVersion, version_id)
        assert version is not None
        return int(version.contract_id)


# --- real worker threads: the embedded SQLite queue, and Redis when it is there ------------------


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 300) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.05)


def _small_upload_during_two_big_scans(app: Flask, admin_token: str, tesseract: Path) -> None:
    script = tesseract.parent / "bin" / "tesseract"
    script.write_text(script.read_text().replace("#!/bin/sh\n", "#!/bin/sh\nsleep 0.2\n"))
    client = app.test_client()
    consumer = app.extensions["pactum.queue"].create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, backoff=1.5, max_delay=0.2
    )
    consumer._set_signal_handlers = lambda: None  # the test process keeps its own handlers
    consumer.start()
    try:
        scans = [upload_pdf(client, admin_token, _scan(16, label), label) for label in ("ALPHA", "BETA")]
        _wait_for(lambda: all(_kept(app, scan) for scan in scans), "both scans being OCRed")
        small = upload_pdf(client, admin_token, pdf_bytes("Small supply agreement"), "Small contract")
        _wait_for(lambda: _status(app, small) == VersionStatus.INDEXED, "the small upload")
        assert _searchable(client, admin_token, "supply") == 1
        # Both workers were busy with the scans; the small upload still did not wait for them.
        assert [_status(app, scan) for scan in scans] == [VersionStatus.PROCESSING] * 2
        _wait_for(lambda: all(_status(app, scan) == VersionStatus.INDEXED for scan in scans), "the scans")
    finally:
        consumer.stop(graceful=True)
    assert _calls(tesseract) == 32


def test_with_worker_threads_a_small_upload_is_searchable_while_two_big_scans_are_ocred(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path, big_is_small: None
) -> None:
    app = app_with(queue_immediate=False, ocr_batch_pages=2)
    _small_upload_during_two_big_scans(app, admin_token, tesseract)


def test_on_redis_a_small_upload_is_searchable_while_two_big_scans_are_ocred(
    app_with: Callable[..., Flask], admin_token: str, tesseract: Path, big_is_small: None
) -> None:
    if not REDIS_URL:
        pytest.skip("PACTUM_TEST_REDIS_URL is not set (scripts/test.sh sets it when Redis answers)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    app = app_with(queue_immediate=False, queue_url=REDIS_URL, ocr_batch_pages=2)
    _small_upload_during_two_big_scans(app, admin_token, tesseract)
    redis.Redis.from_url(REDIS_URL).flushdb()

"""Issue 16, items 6 and 7: a huge scan neither blocks small uploads nor runs unbounded; a job
lost with its worker is queued again within a minute or two; partial uploads and extraction
folders a killed process left behind are removed when a worker starts."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from repo_app.contracts.models import ContractVersion
from repo_app.contracts.status import VersionStatus
from repo_app.core import clock
from repo_app.core.extensions import db
from repo_app.core.jobs import leases, periodic
from repo_app.core.jobs.queue import queue
from repo_app.core.jobs.worker import run_start_steps
from repo_app.search import pipeline
from tests.conftest import bearer
from tests.fake_tools import fake_tesseract as install_fake_tesseract
from tests.indexer.extract.pdfgen import ImagePage, build_pdf, text_image
from tests.samples import pdf_bytes
from tests.search.conftest import upload_pdf


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """OCR through (the fake) Tesseract only: ``auto`` would run RapidOCR on every scan first."""
    return {**app_config, "ocr_engine": "tesseract"}


@pytest.fixture
def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 'tesseract' on PATH that logs each call and answers with a fixed line."""
    return install_fake_tesseract(tmp_path, monkeypatch, 'cat > /dev/null\necho "scanned lease agreement"')


def _version(app: Flask, version_id: int) -> ContractVersion:
    with app.app_context():
        version = db.session.get(ContractVersion, version_id)
        assert version is not None
        db.session.expunge(version)
        return version


def _noisy_scan(pages: int, seed: int = 7) -> bytes:
    """Identical scanned pages with a noisy band (a real scan's grain), so the file is big."""
    image = text_image(["SCANNED LEASE"], dpi=72)
    noise = random.Random(seed)
    band = Image.frombytes("L", (image.width, 40), bytes(noise.randrange(256) for _ in range(image.width * 40)))
    image.paste(band, (0, image.height - 40))
    return build_pdf([ImagePage(image)] * pages)


def _searchable(client: FlaskClient, token: str, query: str) -> int:
    return int(client.get("/api/v1/search", headers=bearer(token), query_string={"q": query}).json["total"])


# --- item 6: OCR budget, identical pages, small uploads first ----------------------------------


def test_huge_identical_scan_is_indexed_within_budget(
    app: Flask, client: FlaskClient, admin_token: str, fake_tesseract: Path
) -> None:
    started = time.monotonic()
    version_id = upload_pdf(client, admin_token, _noisy_scan(1500), "Huge scan")
    assert time.monotonic() - started < 90
    version = _version(app, version_id)
    assert version.status == VersionStatus.INDEXED and version.status_detail is None
    assert fake_tesseract.read_text().count("call") == 1  # 1,500 identical pages, one OCR run
    assert _searchable(client, admin_token, "scanned") == 1


def test_ocr_budget_spent_the_version_says_so(
    app_with: Callable[..., Flask], admin_token: str, fake_tesseract: Path
) -> None:
    app = app_with(ocr_max_pages=2)
    pages = [ImagePage(text_image([f"PAGE {number}"], dpi=72)) for number in range(5)]
    version_id = upload_pdf(app.test_client(), admin_token, build_pdf(pages), "Five scans")
    version = _version(app, version_id)
    assert version.status == VersionStatus.INDEXED
    assert version.status_detail == ("OCR stopped after 2 pages (budget); 3 more scanned pages were not OCRed.")
    assert fake_tesseract.read_text().count("call") == 2


@pytest.fixture
def queued_app(app_with: Callable[..., Flask]) -> Flask:
    """The embedded SQLite queue, with no worker running: jobs wait until a test runs them."""
    return app_with(queue_immediate=False)


def _run_next_job(app: Flask) -> None:
    jobs = app.extensions["pactum.queue"]
    task = jobs.dequeue()
    assert task is not None
    jobs.execute(task)


def test_small_upload_overtakes_a_queued_huge_scan(queued_app: Flask, admin_token: str, fake_tesseract: Path) -> None:
    client = queued_app.test_client()
    big = _noisy_scan(1200)
    assert len(big) > pipeline.SMALL_UPLOAD_BYTES
    big_id = upload_pdf(client, admin_token, big, "Huge scan")
    small_id = upload_pdf(client, admin_token, pdf_bytes("Small supply agreement"), "Small contract")
    _run_next_job(queued_app)  # one worker thread frees up: it takes the small upload first
    assert _version(queued_app, small_id).status == VersionStatus.INDEXED
    assert _version(queued_app, big_id).status == VersionStatus.PROCESSING
    jobs = queued_app.extensions["pactum.queue"]
    batches = 0
    while jobs.pending_count():  # 1,200 pages: read in batches of 500 pages, one job each
        _run_next_job(queued_app)
        batches += 1
    assert batches == 3
    assert _version(queued_app, big_id).status == VersionStatus.INDEXED


# --- item 7: lost jobs, leases -------------------------------------------------------------------


def _as_if_lost(app: Flask, version_id: int, lease_expired_ago: timedelta | None) -> None:
    """The version back in "processing", as a worker killed during its extraction leaves it."""
    with app.app_context():
        version = db.session.get(ContractVersion, version_id)
        assert version is not None
        version.status = VersionStatus.PROCESSING
        db.session.commit()
        if lease_expired_ago is not None:
            leases.put_expiry(pipeline.PROCESS_VERSION, version_id, clock.now() - lease_expired_ago)
    clock.advance(app, timedelta(minutes=2))


def test_expired_lease_is_requeued_by_the_next_tick(app: Flask, client: FlaskClient, admin_token: str) -> None:
    version_id = upload_pdf(client, admin_token, pdf_bytes("Warehouse lease Zanzibar"), "Lease")
    _as_if_lost(app, version_id, lease_expired_ago=timedelta(seconds=5))
    with app.app_context():
        results = periodic.tick()
    assert results["requeue_lost_versions"] == 1
    assert _version(app, version_id).status == VersionStatus.INDEXED
    with app.app_context():
        assert leases.state(pipeline.PROCESS_VERSION, version_id) is leases.Lease.NONE


def test_live_lease_is_left_alone(app: Flask, client: FlaskClient, admin_token: str) -> None:
    version_id = upload_pdf(client, admin_token, pdf_bytes("Busy extraction"), "Busy")
    _as_if_lost(app, version_id, lease_expired_ago=None)
    with app.app_context():
        leases.put_expiry(pipeline.PROCESS_VERSION, version_id, clock.now() + leases.LEASE_TIME)
        assert periodic.tick()["requeue_lost_versions"] == 0
    assert _version(app, version_id).status == VersionStatus.PROCESSING


def test_a_running_extraction_renews_its_lease(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leases, "RENEW_EVERY", timedelta(seconds=0.05))
    with app.app_context():
        with leases.held("demo", 1):
            first = queue().get(leases.lease_key("demo", 1), peek=True)["expires"]
            time.sleep(0.3)
            assert queue().get(leases.lease_key("demo", 1), peek=True)["expires"] > first
            assert leases.state("demo", 1) is leases.Lease.LIVE
        assert leases.state("demo", 1) is leases.Lease.NONE


def test_a_lease_whose_process_is_gone_is_lost_at_once(app: Flask) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    with app.app_context():
        for pid, expected in ((int(finished.stdout), leases.Lease.EXPIRED), (os.getpid(), leases.Lease.LIVE)):
            holding = {"expires": clock.now() + leases.LEASE_TIME, "host": socket.gethostname(), "pid": pid}
            queue().put(leases.lease_key("demo", pid), holding)
            assert leases.state("demo", pid) is expected


def test_versions_no_job_will_process_are_requeued_once(queued_app: Flask, admin_token: str) -> None:
    client = queued_app.test_client()
    version_id = upload_pdf(client, admin_token, pdf_bytes("Lost before its job ran"), "Lost")
    jobs = queued_app.extensions["pactum.queue"]
    clock.advance(queued_app, timedelta(minutes=2))
    run_start_steps(queued_app)
    with queued_app.app_context():
        periodic.tick()
        periodic.tick()
    assert jobs.pending_count() == 1  # its job is still queued: no duplicates
    jobs.flush()  # the queue lost the job (a kill between the commit and the enqueue)
    run_start_steps(queued_app)
    assert jobs.pending_count() == 1
    _run_next_job(queued_app)
    assert _version(queued_app, version_id).status == VersionStatus.INDEXED


# --- item 7: leftovers of a killed process -------------------------------------------------------


def _aged(path: Path, seconds: float) -> Path:
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def test_worker_start_removes_stale_partial_uploads_and_extract_folders(app: Flask, tmp_path: Path) -> None:
    upload_tmp = tmp_path / "blobs" / "tmp"
    upload_tmp.mkdir(parents=True, exist_ok=True)
    stale = upload_tmp / "upload-abandoned"
    stale.write_bytes(b"half a contract")
    _aged(stale, 2 * 3600)
    fresh = upload_tmp / "upload-in-progress"
    fresh.write_bytes(b"being written")
    old_folder = Path(tempfile.mkdtemp(prefix="pactum-extract-"))
    (old_folder / "v1.pdf").write_bytes(b"%PDF copy")
    _aged(old_folder, 2 * 3600)
    young_folder = Path(tempfile.mkdtemp(prefix="pactum-extract-"))
    try:
        run_start_steps(app)
        assert not stale.exists() and fresh.exists()
        assert not old_folder.exists() and young_folder.exists()
    finally:
        for folder in (old_folder, young_folder):
            if folder.exists():
                for item in folder.iterdir():
                    item.unlink()
                folder.rmdir()

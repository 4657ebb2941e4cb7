"""What happens to a version after upload: extract its text (OCR where needed), keep the
text and its statistics, suggest metadata, and bring the search index up to date.

Fairness and recovery: small uploads are queued at a higher priority than big ones, so one huge
scan does not make everyone else's uploads wait; each document's OCR has a budget
(``PACTUM_OCR_MAX_PAGES``, ``PACTUM_OCR_MAX_SECONDS``); a running extraction holds a lease
(``core.jobs.leases``), so a version whose worker was killed is queued again within a minute or
two rather than after a 15-minute sweep.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from indexer.extract import Extraction, ExtractionFailed, ExtractOptions, extract
from indexer.terms import Suggestions, suggest_metadata

from ..contracts.models import ContractVersion, VersionText
from ..contracts.status import VersionStatus
from ..core import clock
from ..core.extensions import blob_store, db, settings
from ..core.jobs import leases
from ..core.jobs.queue import RetryTask, enqueue, queue
from ..signing.models import SignatureValidation
from ..signing.validation import validate_version
from . import indexing, renditions

log = logging.getLogger(__name__)


#: The job's name (``search.tasks`` registers it; leases and re-queueing use it too).
PROCESS_VERSION = "process_version"
#: Uploads up to this size are extracted before bigger ones waiting in the queue.
SMALL_UPLOAD_BYTES = 2 * 1024 * 1024
SMALL_UPLOAD_PRIORITY = 10
BIG_UPLOAD_PRIORITY = 0
#: A version this young may still be on its way into the queue (the web process queues its job
#: just after the commit), so it is not taken for lost yet.
QUEUE_GRACE = timedelta(seconds=15)
#: Extraction folders left in the system's temp folder by a killed worker are removed after this.
STALE_EXTRACT_SECONDS = 3600
_EXTRACT_PREFIX = "pactum-extract-"


def extract_options() -> ExtractOptions:
    config = settings()
    return ExtractOptions(
        ocr_languages=config.ocr_languages,
        tika_url=config.tika_url or None,
        max_ocr_pages=config.ocr_max_pages,
        max_ocr_seconds=config.ocr_max_seconds,
    )


def processing_priority(version: ContractVersion) -> int:
    """Small uploads first: a contract of a few pages is not queued behind a 10,000-page scan."""
    return SMALL_UPLOAD_PRIORITY if version.size <= SMALL_UPLOAD_BYTES else BIG_UPLOAD_PRIORITY


def queue_processing(version: ContractVersion) -> None:
    """Queue the version's extraction at its priority (raises when the queue is unreachable)."""
    enqueue(PROCESS_VERSION, version.id, priority=processing_priority(version))


def process_version(version_id: int) -> None:
    """Extract, store and index one version. Idempotent: running it again redoes the work.

    The lease is held over the whole job, so only the final commit runs without it.
    """
    version = db.session.get(ContractVersion, version_id)
    if version is None:
        # The upload's transaction may not be visible yet; the queue retries with backoff.
        raise RetryTask(f"version {version_id} not found (yet)")
    with leases.held(PROCESS_VERSION, version_id):
        _process(version)


def _process(version: ContractVersion) -> None:
    try:
        with _local_copy(version) as path:
            rendered = renditions.render_version(version, path)  # the preview's PDF, if any
            extraction = renditions.repaginate(extract(path, version.media_type, extract_options()), rendered)
    except ExtractionFailed as failure:
        _mark_failed(version, _("Text extraction failed: %(reason)s", reason=str(failure)))
        indexing.refresh_contract(version.contract_id)
        return
    _store_text(version, extraction)
    # Into the index first, then "indexed" (committed when the job ends): whoever sees that
    # status can find the text.
    indexing.refresh_contract(version.contract_id)
    version.status, version.status_detail = VersionStatus.INDEXED, _budget_note(extraction)
    if db.session.get(SignatureValidation, version.id) is None:
        validate_version(version)  # PDFs signed elsewhere get their report on upload


def _budget_note(extraction: Extraction) -> str | None:
    """What the version page says when OCR stopped early: searchable, but not every page."""
    if not extraction.ocr_skipped_pages:
        return None
    return _(
        "OCR stopped after %(done)d pages (budget); %(skipped)d more scanned pages were not OCRed.",
        done=extraction.ocr_pages,
        skipped=extraction.ocr_skipped_pages,
    )


def requeue_lost_versions() -> int:
    """Queue again every version whose extraction was lost: its lease expired (the worker was
    killed), or it holds none and no queued job will process it (the web process was killed
    between its commit and queueing the job, or the queue lost it). The periodic tick's step,
    and what each worker does when it starts."""
    candidates = [version for version in _processing_versions() if _lease(version) is not leases.Lease.LIVE]
    if not candidates:
        return 0
    waiting = _queued_version_ids()
    return _requeue([version for version in candidates if _lease_lost(version) or version.id not in waiting])


def _processing_versions() -> list[ContractVersion]:
    before = clock.now() - QUEUE_GRACE
    query = select(ContractVersion).where(
        ContractVersion.status == VersionStatus.PROCESSING, ContractVersion.created_at < before
    )
    return list(db.session.scalars(query))


def _lease(version: ContractVersion) -> leases.Lease:
    return leases.state(PROCESS_VERSION, version.id)


def _lease_lost(version: ContractVersion) -> bool:
    return _lease(version) is leases.Lease.EXPIRED


def _queued_version_ids() -> set[int]:
    jobs = queue()
    return {task.args[0] for task in (*jobs.pending(), *jobs.scheduled()) if task.name == PROCESS_VERSION}


def _requeue(versions: list[ContractVersion]) -> int:
    for version in versions:
        log.warning("version %s lost its extraction job; queued again", version.id)
        leases.expire(PROCESS_VERSION, version.id)
        queue_processing(version)
    return len(versions)


def remove_stale_extract_folders() -> int:
    """Remove extraction folders (copies of contracts) that a killed worker left in the system's
    temp folder; a live extraction's folder is far younger (extraction times out after 10 min)."""
    cutoff = time.time() - STALE_EXTRACT_SECONDS
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{_EXTRACT_PREFIX}*"):
        try:
            stale = folder.is_dir() and folder.stat().st_mtime < cutoff
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def give_up(version_id: int, error: Exception) -> None:
    """Called when every retry failed: the version shows the reason and can be retried."""
    version = db.session.get(ContractVersion, version_id)
    if version is not None:
        _mark_failed(version, _("Processing failed: %(reason)s", reason=f"{type(error).__name__}: {error}"))


def _mark_failed(version: ContractVersion, reason: str) -> None:
    version.status, version.status_detail = VersionStatus.FAILED, reason[:2000]
    log.warning("version %s failed: %s", version.id, reason)


def _store_text(version: ContractVersion, extraction: Extraction) -> None:
    row = db.session.get(VersionText, version.id) or VersionText(version_id=version.id)
    row.text = extraction.text
    row.page_offsets = list(extraction.page_offsets)
    row.page_count = extraction.page_count
    row.characters = len(extraction.text)
    row.ocr_pages = extraction.ocr_pages
    row.language = extraction.language
    row.extractor = extraction.extractor
    row.seconds = round(extraction.seconds, 3)
    row.warnings = list(extraction.warnings)
    row.suggestions = suggestions_as_dict(suggest_metadata(extraction.text))
    db.session.add(row)


def _entries(candidates: Any, render: Any) -> list[dict[str, Any]]:
    return [
        {**render(item.value), "confidence": round(item.confidence, 3), "evidence": item.evidence[:200]}
        for item in candidates[:3]
    ]


def _date_value(value: Any) -> dict[str, Any]:
    return {"value": value.isoformat()}


def _amount_value(value: Any) -> dict[str, Any]:
    return {"value": f"{value.value:.2f}", "currency": value.currency}


def _party_value(value: Any) -> dict[str, Any]:
    return {"value": value.name, "role": value.role}


def _text_value(value: Any) -> dict[str, Any]:
    return {"value": value}


def suggestions_as_dict(found: Suggestions) -> dict[str, list[dict[str, Any]]]:
    """Suggestions keyed by the metadata field they would fill, best first, JSON-ready."""
    fields = {
        "signed_date": _entries(found.signing_dates, _date_value),
        "effective_date": _entries(found.effective_dates, _date_value),
        "expiry_date": _entries(found.expiry_dates, _date_value),
        "amount": _entries(found.amounts, _amount_value),
        "counterparties": _entries(found.parties, _party_value),
        "contract_number": _entries(found.contract_numbers, _text_value),
    }
    return {name: entries for name, entries in fields.items() if entries}


class _local_copy:
    """The version's bytes in a temporary file (extractors and OCR tools want a path)."""

    def __init__(self, version: ContractVersion) -> None:
        self.version = version
        self.folder: str | None = None

    def __enter__(self) -> Path:
        self.folder = tempfile.mkdtemp(prefix=_EXTRACT_PREFIX)
        suffix = Path(self.version.original_filename).suffix[:10]
        path = Path(self.folder) / f"v{self.version.id}{suffix}"
        with blob_store().open(self.version.blob_key) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        return path

    def __exit__(self, *exc: object) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

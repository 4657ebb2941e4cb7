"""What happens to a version after upload: extract its text (OCR where needed), keep the
text and its statistics, suggest metadata, and bring the search index up to date.

Fairness and recovery: small uploads are queued at a higher priority than big ones, so one huge
scan does not make everyone else's uploads wait; a PDF is read in batches
(``PACTUM_OCR_BATCH_PAGES`` distinct page images OCRed per job): each batch is kept
(``extraction_batches``) and the next one queued behind the jobs already waiting, so two huge
scans take turns with each other and with small uploads instead of holding every worker, and a
killed worker loses one batch at most. Each document's OCR has a budget
(``PACTUM_OCR_MAX_PAGES``, ``PACTUM_OCR_MAX_SECONDS``), after which the version is indexed with
what was read and says so. A running extraction holds a lease (``core.jobs.leases``), so a
version whose worker was killed is queued again within a minute or two rather than after a
15-minute sweep.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from indexer.extract import (
    Extraction,
    ExtractionFailed,
    ExtractOptions,
    OcrCarry,
    PdfBatch,
    extract,
    extract_pdf_batch,
    join_batches,
)
from indexer.terms import Suggestions, suggest_metadata

from ..contracts.models import ContractVersion, VersionText
from ..contracts.status import VersionStatus
from ..core import clock, registry, uow
from ..core.extensions import blob_store, db, settings
from ..core.jobs import leases
from ..core.jobs.queue import RetryTask, enqueue, queue
from ..signing.models import SignatureValidation
from ..signing.validation import validate_version
from . import indexing, renditions
from .models import ExtractionBatch

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
#: A batch of a PDF also ends after this many pages (pages with a text layer, or repeating a
#: scan read before, cost no OCR but still take time to read and fingerprint).
BATCH_READ_PAGES = 500

#: What features above search do once a version's text is stored and indexed (review re-anchors
#: comments and runs the clause checklist): each is called with the version inside the
#: extraction job's transaction; anything slow should queue a job of its own (``uow.after_commit``).
TEXT_READY: registry.Key[Callable[[ContractVersion], None]] = registry.Key("search.text_ready")


def extract_options() -> ExtractOptions:
    config = settings()
    return ExtractOptions(
        ocr_languages=config.ocr_languages,
        ocr_engine=config.ocr_engine,
        ocr_threads=config.ocr_threads,
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
        if _process(version):
            # The batch is kept; the next one waits its turn behind the jobs queued meanwhile
            # (queued while the lease is held, so the version never looks lost in between).
            uow.commit()
            queue_processing(version)


def _process(version: ContractVersion) -> bool:
    """Extract (a batch of) the version; True when batches remain."""
    try:
        with _local_copy(version) as path:
            rendered = renditions.render_version(version, path)  # the preview's PDF, if any
            extraction = _extract(version, path)
            if extraction is not None:
                extraction = renditions.repaginate(extraction, rendered)
    except ExtractionFailed as failure:
        _forget_batches(version)
        _mark_failed(version, _("Text extraction failed: %(reason)s", reason=str(failure)))
        indexing.refresh_contract(version.contract_id)
        return False
    if extraction is None:
        return True
    _store_text(version, extraction)
    # Into the index first, then "indexed" (committed when the job ends): whoever sees that
    # status can find the text.
    indexing.refresh_contract(version.contract_id)
    version.status, version.status_detail = VersionStatus.INDEXED, _budget_note(extraction)
    if db.session.get(SignatureValidation, version.id) is None:
        validate_version(version)  # PDFs signed elsewhere get their report on upload
    for receiver in registry.items(TEXT_READY):
        receiver(version)
    return False


def _in_batches(version: ContractVersion) -> bool:
    config = settings()
    return version.media_type == "application/pdf" and bool(config.ocr_batch_pages) and not config.tika_url


def _extract(version: ContractVersion, path: Path) -> Extraction | None:
    """The whole extraction, or None when a batch was read and kept and more remain."""
    if not _in_batches(version):
        return extract(path, version.media_type, extract_options())
    kept = _kept_batches(version)
    start = kept[-1].next_page if kept else 0
    batch = extract_pdf_batch(
        path, extract_options(), start, _carry(kept), ocr_pages=settings().ocr_batch_pages, pages=BATCH_READ_PAGES
    )
    if not batch.last:
        _keep(version, batch)
        log.info(
            "version %s: pages %d-%d of %d read", version.id, batch.first_page + 1, batch.next_page, batch.total_pages
        )
        return None
    _forget_batches(version)
    return join_batches([*kept, batch])


def _kept_batches(version: ContractVersion) -> list[PdfBatch]:
    query = select(ExtractionBatch).where(ExtractionBatch.version_id == version.id)
    rows = db.session.scalars(query.order_by(ExtractionBatch.first_page))
    return [
        PdfBatch(
            first_page=row.first_page,
            next_page=row.next_page,
            total_pages=row.total_pages,
            pages=tuple(row.pages),
            ocr_pages=row.ocr_pages,
            ocr_used=row.ocr_used,
            ocr_skipped=row.ocr_skipped,
            ocr_seconds=row.ocr_seconds,
            ocr_texts=dict(row.ocr_texts),
            warnings=tuple(row.warnings),
            seconds=row.seconds,
        )
        for row in rows
    ]


def _carry(kept: list[PdfBatch]) -> OcrCarry:
    texts: dict[str, str] = {}
    for batch in kept:
        texts.update(batch.ocr_texts)
    return OcrCarry(
        ocr_texts=texts,
        ocr_used=sum(batch.ocr_used for batch in kept),
        ocr_seconds=sum(batch.ocr_seconds for batch in kept),
        budget_spent=any(batch.ocr_skipped for batch in kept),
    )


def _keep(version: ContractVersion, batch: PdfBatch) -> None:
    db.session.add(
        ExtractionBatch(
            version_id=version.id,
            first_page=batch.first_page,
            next_page=batch.next_page,
            total_pages=batch.total_pages,
            pages=list(batch.pages),
            ocr_pages=batch.ocr_pages,
            ocr_used=batch.ocr_used,
            ocr_skipped=batch.ocr_skipped,
            ocr_seconds=round(batch.ocr_seconds, 3),
            ocr_texts=batch.ocr_texts,
            warnings=list(batch.warnings),
            seconds=round(batch.seconds, 3),
        )
    )


def _forget_batches(version: ContractVersion) -> None:
    db.session.execute(delete(ExtractionBatch).where(ExtractionBatch.version_id == version.id))


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

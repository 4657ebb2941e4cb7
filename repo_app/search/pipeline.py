"""What happens to a version after upload: extract its text (OCR where needed), keep the
text and its statistics, suggest metadata, and bring the search index up to date."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from indexer.extract import Extraction, ExtractionFailed, ExtractOptions, extract
from indexer.terms import Suggestions, suggest_metadata

from ..contracts.models import ContractVersion, VersionText
from ..contracts.status import VersionStatus
from ..core.extensions import blob_store, db, settings
from ..core.jobs.queue import RetryTask
from ..signing.models import SignatureValidation
from ..signing.validation import validate_version
from . import indexing

log = logging.getLogger(__name__)


def extract_options() -> ExtractOptions:
    config = settings()
    return ExtractOptions(ocr_languages=config.ocr_languages, tika_url=config.tika_url or None)


def process_version(version_id: int) -> None:
    """Extract, store and index one version. Idempotent: running it again redoes the work."""
    version = db.session.get(ContractVersion, version_id)
    if version is None:
        # The upload's transaction may not be visible yet; the queue retries with backoff.
        raise RetryTask(f"version {version_id} not found (yet)")
    try:
        with _local_copy(version) as path:
            extraction = extract(path, version.media_type, extract_options())
    except ExtractionFailed as failure:
        _mark_failed(version, _("Text extraction failed: %(reason)s", reason=str(failure)))
        indexing.refresh_contract(version.contract_id)
        return
    _store_text(version, extraction)
    # Into the index first, then "indexed" (committed when the job ends): whoever sees that
    # status can find the text.
    indexing.refresh_contract(version.contract_id)
    version.status, version.status_detail = VersionStatus.INDEXED, None
    if db.session.get(SignatureValidation, version.id) is None:
        validate_version(version)  # PDFs signed elsewhere get their report on upload


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
        self.folder = tempfile.mkdtemp(prefix="pactum-extract-")
        suffix = Path(self.version.original_filename).suffix[:10]
        path = Path(self.folder) / f"v{self.version.id}{suffix}"
        with blob_store().open(self.version.blob_key) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        return path

    def __exit__(self, *exc: object) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

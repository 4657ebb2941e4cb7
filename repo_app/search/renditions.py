"""PDF renditions of Word, ODT, RTF and DOC versions, made while a version is processed.

The rendition is derived data: a blob of its own beside the original (which downloads keep
giving), recorded in ``version_renditions``. A failure never fails the version: the text is
still extracted and indexed, and the row says why the preview is missing (LibreOffice not
installed, the document unreadable, too slow). ``pactum renditions`` makes the renditions of
versions processed before this existed (or when LibreOffice was missing).
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from sqlalchemy import select

from indexer.extract import Extraction
from indexer.render import (
    RENDERABLE_MEDIA_TYPES,
    RenderFailed,
    RenderOptions,
    RenderReason,
    needs_rendition,
    pdf_page_texts,
    render_pdf,
)
from indexer.render import repaginate as repaginate_text
from storage import StoredBlob

from ..contracts.blobs import blobs_in_use
from ..contracts.models import ContractVersion, VersionRendition, rendition_of
from ..contracts.services import discard_on_rollback
from ..core import uow
from ..core.extensions import blob_store, db, settings

log = logging.getLogger(__name__)

READY = "ready"
FAILED = "failed"
#: Failures worth another try by ``pactum renditions`` without ``--retry-failed``: the
#: converter was missing or busy, not the document at fault.
TRANSIENT = (RenderReason.MISSING, RenderReason.BUSY, RenderReason.DISABLED)


def render_options() -> RenderOptions:
    config = settings()
    return RenderOptions(
        converter=config.preview_converter,
        soffice=config.soffice,
        timeout_seconds=config.preview_timeout_seconds,
        max_concurrent=config.preview_concurrency,
    )


@dataclass(frozen=True)
class Rendered:
    """A rendition just made: its row and the text of each of its pages."""

    row: VersionRendition
    page_texts: list[str]


def render_version(version: ContractVersion, path: Path) -> Rendered | None:
    """Make (or make again) the version's rendition from its bytes at ``path``.

    ``None`` when the format needs none, rendering is off, or it failed (the row says why).
    """
    if not needs_rendition(version.media_type) or settings().preview_converter == "off":
        return None
    row = rendition_of(version) or VersionRendition(version_id=version.id)
    db.session.add(row)
    previous = row.blob_key
    started = time.monotonic()
    # beside the local copy: the pipeline's sweep removes what a killed worker left there
    with tempfile.TemporaryDirectory(prefix="rendition-", dir=path.parent) as folder:
        try:
            blob, page_texts = _render_and_store(path, Path(folder))
        except RenderFailed as failure:
            _record_failure(row, failure, time.monotonic() - started)
            log.warning("version %s: no PDF rendition: %s", version.id, failure)
            return None
    row.status, row.reason, row.detail = READY, None, None
    row.blob_key, row.sha256, row.size = blob.key, blob.sha256, blob.size
    row.page_count, row.converter = len(page_texts), settings().preview_converter
    row.seconds = round(time.monotonic() - started, 3)
    _forget_previous(previous, blob.key)
    return Rendered(row, page_texts)


def _render_and_store(source: Path, folder: Path) -> tuple[StoredBlob, list[str]]:
    pdf = render_pdf(source, folder, render_options())
    try:
        page_texts = pdf_page_texts(pdf)
    except pdfium.PdfiumError as error:  # LibreOffice wrote something PDFium cannot open
        raise RenderFailed(RenderReason.UNREADABLE, f"The rendered PDF cannot be read ({error}).") from None
    with pdf.open("rb") as stream:
        blob = blob_store().save(stream, "application/pdf")
    discard_on_rollback(blob)
    return blob, page_texts


def _record_failure(row: VersionRendition, failure: RenderFailed, seconds: float) -> None:
    previous = row.blob_key
    row.status, row.reason, row.detail = FAILED, failure.reason.value, failure.message[:2000]
    row.blob_key, row.sha256, row.size, row.page_count = None, None, 0, 0
    row.converter, row.seconds = settings().preview_converter, round(seconds, 3)
    _forget_previous(previous, None)


def _forget_previous(previous: str | None, current: str | None) -> None:
    """An older rendition's blob goes once the new row is committed, unless something else uses
    it. Called after the row changed: whether the blob is still used is asked inside the
    transaction (no SQL can run after the commit), the file is removed after it."""
    if not previous or previous == current:
        return
    db.session.flush()
    if not blobs_in_use({previous}):
        uow.after_commit(lambda: blob_store().delete(previous), key=("rendition", previous))


def repaginate(extraction: Extraction, rendered: Rendered | None) -> Extraction:
    """Page numbers of the rendition (what the preview shows) instead of the extractor's."""
    if rendered is None:
        return extraction
    return repaginate_text(extraction, rendered.page_texts)


def versions_missing_renditions(*, retry_failed: bool = False) -> list[ContractVersion]:
    """Versions of a rendered format without a rendition (or whose rendition failed for a
    reason other than the document itself, or for any reason with ``retry_failed``)."""
    query = (
        select(ContractVersion)
        .where(ContractVersion.media_type.in_(sorted(RENDERABLE_MEDIA_TYPES)))
        .order_by(ContractVersion.id)
    )
    result = []
    for version in db.session.scalars(query):
        row = rendition_of(version)
        if row is None or (row.status == FAILED and (retry_failed or row.reason in TRANSIENT)):
            result.append(version)
    return result
